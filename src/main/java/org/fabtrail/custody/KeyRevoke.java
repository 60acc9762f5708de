package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code key.revoke}: a key stops being valid for signatures from this index on; entries it signed earlier stay
 * valid. Fields: {@code org}, {@code keyId}, optional {@code reason}. Signed by the operator or the organisation.
 * The key that signs the log's checkpoints cannot be revoked while it does ({@link CustodyPolicy#operatorKeyId}).
 */
final class KeyRevoke extends AbstractEntryType<KeyRevokePayload> {

    static final String TYPE = "key.revoke";
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> REQUIRED = Set.of("org", "keyId");
    private static final Set<String> OPTIONAL = Set.of("reason");

    KeyRevoke() {
        super(TYPE, KeyRevokePayload.class, REQUIRED, OPTIONAL);
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("org", PayloadSchema.slug("the key's organisation"))
                .field("keyId", PayloadSchema.string(64)).field("reason", PayloadSchema.string(500));
    }

    @Override
    protected KeyRevokePayload read(Envelope e, Payload p) {
        String org = p.slug("org");
        String id = p.string("keyId", 64);
        if (!KEY_ID.matcher(id).matches()) {
            throw Payload.invalid("invalid-key-id", "keyId", "payload.keyId must be 64 lowercase hex digits");
        }
        return new KeyRevokePayload(org, id, p.optionalString("reason", 500));
    }

    @Override
    public void admit(Envelope e, KeyRevokePayload f) {
        Rules.requireOperatorOrOwner(TYPE, e.actor(), f.org());
    }

    @Override
    public void prefetch(Envelope e, KeyRevokePayload f, Wants wants) {
        wants.key(f.keyId());
    }

    @Override
    public void apply(Envelope e, KeyRevokePayload f, long index, Instant at, BatchContext ctx) throws SQLException {
        String org = f.org();
        String keyId = f.keyId();
        Registry r = Registry.of(ctx);
        Registry.KeyRow key = r.key(keyId).filter(k -> k.orgId().equals(org)).orElseThrow(() ->
                new LedgerException(LedgerException.Kind.NOT_FOUND, "key-not-found", "No such key",
                        "Organisation \"" + org + "\" has no key " + keyId));
        if (!key.active()) {
            throw LedgerException.conflict("key-already-revoked", "Key already revoked",
                    "Key " + keyId + " is already revoked");
        }
        if (keyId.equals(CustodyPolicy.operatorKeyId(ctx))) {
            throw LedgerException.conflict("operator-key-in-use", "Key in use",
                    "Key " + keyId + " signs this log's checkpoints; configure another operator key first");
        }
        r.revokeKey(key, f.reason(), index, at);
    }
}
