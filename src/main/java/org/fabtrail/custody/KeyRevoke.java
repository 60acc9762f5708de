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
 */
final class KeyRevoke implements EntryType {

    static final String TYPE = "key.revoke";
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");

    private final String operatorKeyId;

    KeyRevoke(String operatorKeyId) {
        this.operatorKeyId = operatorKeyId;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public void check(Envelope e) {
        Payload p = Payload.of(e, Set.of("org", "keyId"), Set.of("reason"));
        String org = p.slug("org");
        keyId(p);
        if (p.has("reason")) {
            p.string("reason", 500);
        }
        if (!Operator.ID.equals(e.actor()) && !e.actor().equals(org)) {
            throw LedgerException.rule("not-authorised", "Not authorised",
                    "key.revoke for \"" + org + "\" must be signed by the operator or by \"" + org + "\" itself");
        }
    }

    @Override
    public void prefetch(Envelope e, CustodyPolicy.Wants wants) {
        if (e.payload().get("keyId") instanceof String k) {
            wants.key(k);
        }
    }

    private static String keyId(Payload p) {
        String id = p.string("keyId", 64);
        if (!KEY_ID.matcher(id).matches()) {
            throw Payload.invalid("invalid-key-id", "keyId", "payload.keyId must be 64 lowercase hex digits");
        }
        return id;
    }

    @Override
    public void apply(Envelope e, long index, Instant at, BatchContext ctx) throws SQLException {
        Payload p = Payload.of(e, Set.of("org", "keyId"), Set.of("reason"));
        String org = p.slug("org");
        String keyId = keyId(p);
        Registry r = CustodyPolicy.registry(ctx);
        Registry.KeyRow key = r.key(keyId).filter(k -> k.orgId().equals(org)).orElseThrow(() ->
                new LedgerException(LedgerException.Kind.NOT_FOUND, "key-not-found", "No such key",
                        "Organisation \"" + org + "\" has no key " + keyId));
        if (!key.active()) {
            throw LedgerException.conflict("key-already-revoked", "Key already revoked",
                    "Key " + keyId + " is already revoked");
        }
        if (keyId.equals(operatorKeyId)) {
            throw LedgerException.conflict("operator-key-in-use", "Key in use",
                    "Key " + keyId + " signs this log's checkpoints; configure another operator key first");
        }
        r.revokeKey(key, p.has("reason") ? p.string("reason", 500) : null, index, at);
    }
}
