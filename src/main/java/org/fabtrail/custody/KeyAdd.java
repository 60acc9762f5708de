package org.fabtrail.custody;

import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;

/**
 * {@code key.add}: registers a signing key for an organisation. Fields: {@code org}, {@code publicKey} (PEM
 * SubjectPublicKeyInfo, Ed25519 or P-256). Signed by the operator, or by the organisation itself with one of its
 * active keys (rotation). The log's first entry is the operator's own key.add, signed by the key it adds.
 */
final class KeyAdd extends AbstractEntryType<KeyAdd.Fields> {

    static final String TYPE = "key.add";
    private static final Set<String> FIELDS = Set.of("org", "publicKey");

    /** The payload record: the organisation and the key it gets. */
    record Fields(String org, VerificationKey key) {
    }

    KeyAdd() {
        super(TYPE, Fields.class, FIELDS, Set.of());
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("org", PayloadSchema.slug("the key's organisation"))
                .field("publicKey", PayloadSchema.string(4096));
    }

    @Override
    protected Fields read(Envelope e, Payload p) {
        String org = p.slug("org");
        String pem = p.string("publicKey", 4096);
        try {
            return new Fields(org, VerificationKey.fromPem(pem));
        } catch (KeyFormatException ex) {
            throw Payload.invalid("invalid-public-key", "publicKey", "payload.publicKey is not a PEM Ed25519 or "
                    + "P-256 public key (SubjectPublicKeyInfo): " + ex.getMessage());
        }
    }

    @Override
    public void admit(Envelope e, Fields f) {
        Rules.requireOperatorOrOwner(TYPE, e.actor(), f.org());
    }

    @Override
    public void prefetch(Envelope e, Fields f, Wants wants) {
        wants.key(f.key().keyId());
        wants.org(f.org());
    }

    /** The key a key.add entry adds (for genesis and for replaying the key registry). */
    static VerificationKey addedKey(Envelope e) {
        Fields f = e.payloadRecord(Fields.class);
        return (f != null ? f : new KeyAdd().read(e)).key();
    }

    @Override
    public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
        String org = f.org();
        VerificationKey key = f.key();
        Registry r = Registry.of(ctx);
        if (!Operator.ID.equals(org) && r.org(org).isEmpty()) {
            throw LedgerException.rule("unknown-org", "Unknown organisation",
                    "Organisation \"" + org + "\" is not registered");
        }
        if (r.key(key.keyId()).isPresent()) {
            throw LedgerException.conflict("key-exists", "Key already registered",
                    "Key " + key.keyId() + " is already registered; a key belongs to one organisation only");
        }
        r.addKey(new Registry.KeyRow(key.keyId(), org, key.algorithm().wireName(), key.spki(), true), index, at);
    }
}
