package org.fabtrail.custody;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key registry replay that offline verification relies on applies the write path's authorisation rules. */
class KeyReplayTest {

    private final EnvelopeParser parser = new EnvelopeParser(65536);
    private final Clock clock = Clock.systemUTC();
    private final SigningKey operator = SigningKey.generate(SignatureAlgorithm.ED25519);
    private final SigningKey acme = SigningKey.generate(SignatureAlgorithm.ED25519);
    private final KeyReplay replay = new KeyReplay();
    private long index;

    private Envelope sign(SigningKey key, String actor, String type, Map<String, Object> fields) {
        return OperatorEntries.signAs(key, actor, UUID.randomUUID(), type, fields, parser, clock);
    }

    private void accept(Envelope e) {
        assertTrue(replay.signerOf(e).verify(e.canonicalPayload(), e.signature()));
        replay.apply(e, index++);
    }

    private void startLog() {
        accept(sign(operator, "operator", "key.add", Map.of("org", "operator", "publicKey", operator.verificationKey().toPem())));
        accept(sign(operator, "operator", "org.register", Map.of("org", "acme", "name", "Acme", "country", "TW",
                "roles", List.of("manufacturer"))));
        accept(sign(operator, "operator", "key.add", Map.of("org", "acme", "publicKey", acme.verificationKey().toPem())));
    }

    @Test
    void anOrganisationCannotAddAnOperatorKey() {
        startLog();
        SigningKey rogue = SigningKey.generate(SignatureAlgorithm.ED25519);
        Envelope e = sign(acme, "acme", "key.add", Map.of("org", "operator", "publicKey", rogue.verificationKey().toPem()));
        LedgerException x = assertThrows(LedgerException.class, () -> replay.signerOf(e));
        assertEquals("not-authorised", x.code());
        assertEquals(List.of(operator.verificationKey()), List.copyOf(replay.operatorKeys(index)));
    }

    @Test
    void aKeyCanOnlyBeRevokedForTheOrganisationThatHasIt() {
        startLog();
        Envelope e = sign(operator, "operator", "key.revoke", Map.of("org", "operator", "keyId", acme.keyId()));
        assertThrows(LedgerException.class, () -> replay.signerOf(e));
    }

    @Test
    void checkpointKeysAreThoseActiveAtTheCheckpointsSize() {
        startLog();
        SigningKey next = SigningKey.generate(SignatureAlgorithm.ED25519);
        accept(sign(operator, "operator", "key.add", Map.of("org", "operator", "publicKey", next.verificationKey().toPem())));
        long added = index - 1;
        accept(sign(next, "operator", "key.revoke", Map.of("org", "operator", "keyId", operator.keyId())));
        long revoked = index - 1;
        assertEquals(List.of(operator.verificationKey()), List.copyOf(replay.operatorKeys(added)));
        assertEquals(List.of(operator.verificationKey(), next.verificationKey()), List.copyOf(replay.operatorKeys(revoked)));
        assertEquals(List.of(next.verificationKey()), List.copyOf(replay.operatorKeys(revoked + 1)));
    }
}
