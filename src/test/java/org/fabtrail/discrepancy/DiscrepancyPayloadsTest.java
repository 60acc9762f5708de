package org.fabtrail.discrepancy;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The discrepancy payloads of the web and the detectors are the maps they built before, byte for byte, and read back
 * as written (ADR 0025).
 */
class DiscrepancyPayloadsTest {

    private static final UUID ID = UUID.fromString("5e1f0c2a-7b3d-4c4e-8f90-a1b2c3d4e5f6");
    private static final String HASH = "ab".repeat(32);
    private static final UnitKey GPU = new UnitKey("acme", "GPU-1");
    private static final UnitKey GPU2 = new UnitKey("acme", "GPU-2");

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

    @Test
    void aDetectorsFindingOpensAsTheMapItBuiltBefore() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transfer", ID.toString());
        details.put("chain", List.of("TW", "AE"));
        details.put("firstSeen", Map.of("index", 7L, "entryType", "unit.register"));
        Finding f = new Finding("transshipment", "transshipment:" + ID, "high", "went round", List.of(GPU, GPU2),
                List.of("acme", "dist"), List.of(3L, 9L), details);
        sameBytes(oldFindingPayload(f), f.opening());
        Discrepancies.Open.Fields read = new Discrepancies.Open().read(envelope("discrepancy.open", f.opening()));
        assertEquals(List.of(GPU, GPU2), read.units());
        assertEquals(List.of("acme", "dist"), read.orgs());
        assertEquals(List.of(3L, 9L), read.evidence().before(100));
        assertEquals("transshipment:" + ID, read.finding());

        Finding plain = new Finding("overdue", "overdue:" + ID, "low", "late", List.of(), List.of("acme"), List.of(4L),
                Map.of());
        sameBytes(oldFindingPayload(plain), plain.opening());
        assertNull(new Discrepancies.Open().read(envelope("discrepancy.open", plain.opening())).details());
    }

    @Test
    void anOutboxRowAndItsRecurrenceOpenAsTheMapsBuiltBefore() {
        String units = Jcs.canonicalString(PayloadRecord.json(List.of(GPU)));
        String details = "{\"rows\":[{\"id\":\"p1\",\"country\":null}],\"score\":0.93,\"at\":\"receipt\"}";
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("rule", "restricted-party");
        old.put("finding", "restricted-party:x");
        old.put("severity", "critical");
        old.put("summary", "listed");
        old.put("units", StrictJson.parse(units));
        old.put("orgs", List.of("acme"));
        old.put("evidence", List.of(5L));
        old.put("details", StrictJson.parse(details));
        DiscrepancyOpening row = new DiscrepancyOpening("restricted-party", "restricted-party:x", "critical", "listed",
                DiscrepancyEngine.units(StrictJson.parse(units)), List.of("acme"), List.of(5L),
                DiscrepancyEngine.details(details));
        sameBytes(old, row);

        old.put("finding", "restricted-party:x@5");
        old.put("summary", "Again after " + ID + " was resolved: listed");
        sameBytes(old, row.as("restricted-party:x@5", "Again after " + ID + " was resolved: listed"));

        old.remove("details");
        sameBytes(old, new DiscrepancyOpening("restricted-party", "restricted-party:x@5", "critical",
                "Again after " + ID + " was resolved: listed",
                List.of(GPU), List.of("acme"), List.of(5L), DiscrepancyEngine.details(null)));
    }

    /** The payload Finding built by hand before it had a record. */
    private static Map<String, Object> oldFindingPayload(Finding f) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rule", f.rule());
        p.put("finding", f.key());
        p.put("severity", f.severity());
        p.put("summary", f.summary());
        List<Map<String, Object>> u = new ArrayList<>();
        for (UnitKey k : f.units()) {
            u.add(Map.of("manufacturer", k.manufacturer(), "serial", k.serial()));
        }
        p.put("units", u);
        p.put("orgs", f.orgs());
        p.put("evidence", f.evidence());
        if (!f.details().isEmpty()) {
            p.put("details", f.details());
        }
        return p;
    }

    private void sameBytes(Map<String, Object> old, PayloadRecord record) {
        assertEquals(new String(Jcs.canonicalize(old), StandardCharsets.UTF_8),
                new String(Jcs.canonicalize(record.payloadFields()), StandardCharsets.UTF_8));
    }

    private Envelope envelope(String type, PayloadRecord record) {
        return OperatorEntries.signAs(key, "acme", UUID.randomUUID(), type, record.payloadFields(), parser, clock);
    }
}
