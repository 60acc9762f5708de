package org.fabtrail.discrepancy;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The web's discrepancy payloads are the maps it built before, byte for byte, and read back as written (ADR 0025). */
class DiscrepancyPayloadsTest {

    private static final UUID ID = UUID.fromString("5e1f0c2a-7b3d-4c4e-8f90-a1b2c3d4e5f6");
    private static final String HASH = "ab".repeat(32);

    private final EnvelopeParser parser = new EnvelopeParser(65536);
    private final SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T04:00:00Z"), ZoneOffset.UTC);

    @Test
    void aNoteWithEvidenceAndADocument() {
        DiscrepancyNote note = new DiscrepancyNote(ID, "seen at the dock", null, List.of(12L, 15L),
                List.of(new DiscrepancyNote.Document("photo.jpg", HASH, 2048)));
        sameBytes(Map.of("discrepancy", ID.toString(), "note", "seen at the dock", "evidence", List.of(12L, 15L),
                "documents", List.of(Map.of("name", "photo.jpg", "sha256", HASH, "size", 2048L))), note);
        Discrepancies.Note.Fields read = new Discrepancies.Note().read(envelope("discrepancy.note", note));
        assertEquals(ID, read.discrepancy());
        assertEquals("seen at the dock", read.note());
        assertNull(read.state());
        assertEquals(List.of(12L, 15L), read.evidence().before(100));
        assertEquals(List.of(Map.of("name", "photo.jpg", "sha256", HASH, "size", 2048L)), read.documents());
    }

    @Test
    void aStateChangeAndAResolution() {
        DiscrepancyNote state = new DiscrepancyNote(ID, "on it", "investigating", null, null);
        sameBytes(Map.of("discrepancy", ID.toString(), "state", "investigating", "note", "on it"), state);
        assertEquals("investigating", new Discrepancies.Note().read(envelope("discrepancy.note", state)).state());

        DiscrepancyResolution resolve = new DiscrepancyResolution(ID, "explained", "paperwork late");
        sameBytes(Map.of("discrepancy", ID.toString(), "outcome", "explained", "reason", "paperwork late"), resolve);
        assertEquals(resolve, new Discrepancies.Resolve().read(envelope("discrepancy.resolve", resolve)));
    }

    private void sameBytes(Map<String, Object> old, PayloadRecord record) {
        assertEquals(new String(Jcs.canonicalize(old), StandardCharsets.UTF_8),
                new String(Jcs.canonicalize(record.payloadFields()), StandardCharsets.UTF_8));
    }

    private Envelope envelope(String type, PayloadRecord record) {
        return OperatorEntries.signAs(key, "acme", UUID.randomUUID(), type, record.payloadFields(), parser, clock);
    }
}
