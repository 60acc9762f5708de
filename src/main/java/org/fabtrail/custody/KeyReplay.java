package org.fabtrail.custody;

import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SignerHistory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key registry rebuilt in memory while walking the log from index 0, for offline verification. Applies the
 * same rules as {@link CustodyPolicy}: a key signs for its own organisation while active, and the first entry
 * may be the operator's self-signed key.add.
 */
public final class KeyReplay implements SignerHistory {

    private record Key(String org, VerificationKey key, boolean active) {
    }

    private static final class OperatorKey {
        final VerificationKey key;
        final long added;
        long revoked = Long.MAX_VALUE;

        OperatorKey(VerificationKey key, long added) {
            this.key = key;
            this.added = added;
        }
    }

    private final Map<String, Key> keys = new HashMap<>();
    private final Map<String, OperatorKey> operatorKeys = new java.util.LinkedHashMap<>();
    /** The same stateless checks the write path applies to registry entries (who may add or revoke what). */
    private final Map<String, EntryType<?>> registryTypes = Map.of(
            OrgRegister.TYPE, new OrgRegister(), KeyAdd.TYPE, new KeyAdd(), KeyRevoke.TYPE, new KeyRevoke());

    /** Reads the entry's fields and runs its admission checks, as {@link CustodyPolicy#admit} does. */
    private static <P> void admissible(EntryType<P> type, Envelope e) {
        type.admit(e, type.read(e));
    }

    @Override
    public VerificationKey signerOf(Envelope e) {
        EntryType<?> type = registryTypes.get(e.type());
        if (type != null) {
            admissible(type, e);
            if (KeyRevoke.TYPE.equals(e.type())) {
                Key revoked = keys.get((String) e.payload().get("keyId"));
                if (revoked == null || !revoked.org().equals(e.payload().get("org"))) {
                    throw fail("revokes key " + e.payload().get("keyId") + ", which " + e.payload().get("org")
                            + " does not have at this point of the log");
                }
            }
        }
        Key k = keys.get(e.keyId());
        if (k == null) {
            if (KeyAdd.TYPE.equals(e.type()) && Operator.ID.equals(e.actor()) && operatorKeys.isEmpty()
                    && Operator.ID.equals(e.payload().get("org"))) {
                VerificationKey added = KeyAdd.addedKey(e);
                if (added.keyId().equals(e.keyId())) {
                    return added;
                }
            }
            throw fail("signed with key " + e.keyId() + ", which is not registered at this point of the log");
        }
        if (!k.active()) {
            throw fail("signed with key " + e.keyId() + ", which was revoked before this entry");
        }
        if (!k.org().equals(e.actor())) {
            throw fail("signed with a key of \"" + k.org() + "\" on behalf of \"" + e.actor() + "\"");
        }
        if (k.key().algorithm() != e.algorithm()) {
            throw fail("signature.alg " + e.algorithm().wireName() + " does not match the key's algorithm");
        }
        return k.key();
    }

    @Override
    public void apply(Envelope e, long index) {
        switch (e.type()) {
            case KeyAdd.TYPE -> {
                VerificationKey key = KeyAdd.addedKey(e);
                String org = (String) e.payload().get("org");
                keys.put(key.keyId(), new Key(org, key, true));
                if (Operator.ID.equals(org)) {
                    operatorKeys.put(key.keyId(), new OperatorKey(key, index));
                }
            }
            case KeyRevoke.TYPE -> {
                String keyId = (String) e.payload().get("keyId");
                Key k = keys.get(keyId);
                if (k != null) {
                    keys.put(keyId, new Key(k.org(), k.key(), false));
                }
                OperatorKey op = operatorKeys.get(keyId);
                if (op != null) {
                    op.revoked = index;
                }
            }
            default -> {
                // other entry types do not change the key registry
            }
        }
    }

    @Override
    public Collection<VerificationKey> operatorKeys(long treeSize) {
        List<VerificationKey> out = new ArrayList<>();
        for (OperatorKey k : operatorKeys.values()) {
            if (k.added < treeSize && k.revoked >= treeSize) {
                out.add(k.key);
            }
        }
        return out;
    }

    private static LedgerException fail(String detail) {
        return LedgerException.rule("signature-invalid", "Invalid signature", detail);
    }
}
