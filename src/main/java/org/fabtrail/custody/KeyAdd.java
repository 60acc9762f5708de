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
final class KeyAdd implements EntryType {

    static final String TYPE = "key.add";
    private static final Set<String> FIELDS = Set.of("org", "publicKey");

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public void check(Envelope e) {
        Payload p = Payload.of(e, FIELDS, Set.of());
        String org = p.slug("org");
        publicKey(p);
        if (!Operator.ID.equals(e.actor()) && !e.actor().equals(org)) {
            throw LedgerException.rule("not-authorised", "Not authorised",
                    "key.add for \"" + org + "\" must be signed by the operator or by \"" + org + "\" itself");
        }
    }

    static VerificationKey publicKey(Payload p) {
        String pem = p.string("publicKey", 4096);
        try {
            return VerificationKey.fromPem(pem);
        } catch (KeyFormatException ex) {
            throw Payload.invalid("invalid-public-key", "publicKey", "payload.publicKey is not a PEM Ed25519 or "
                    + "P-256 public key (SubjectPublicKeyInfo): " + ex.getMessage());
        }
    }

    @Override
    public void prefetch(Envelope e, CustodyPolicy.Wants wants) {
        Object pem = e.payload().get("publicKey");
        if (pem instanceof String s) {
            wants.key(VerificationKey.keyIdOfPem(s));
        }
        if (e.payload().get("org") instanceof String org) {
            wants.org(org);
        }
    }

    /** The key a key.add entry adds (for genesis and for the admin API's answer). */
    static VerificationKey addedKey(Envelope e) {
        return publicKey(Payload.of(e, FIELDS, Set.of()));
    }

    @Override
    public void apply(Envelope e, long index, Instant at, BatchContext ctx) throws SQLException {
        Payload p = Payload.of(e, FIELDS, Set.of());
        String org = p.slug("org");
        VerificationKey key = publicKey(p);
        Registry r = CustodyPolicy.registry(ctx);
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
