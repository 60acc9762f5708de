package org.fabtrail.attestation;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The inspect form's payload is the map it built before, byte for byte, and unit.inspect reads it back (ADR 0025). */
class InspectionPayloadTest {

    @Test
    void anInspectionWithSiteCustodianAndComponents() {
        UnitKey server = new UnitKey("acme", "SRV-1");
        UnitKey gpu = new UnitKey("acme", "GPU-1");
        Inspection p = new Inspection(server, new CustodyState.SiteKey("dist", "hub"), "dist", "discrepancy",
                "seal broken", List.of(gpu), null, null, null);
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("unit", Map.of("manufacturer", "acme", "serial", "SRV-1"));
        old.put("site", Map.of("org", "dist", "site", "hub"));
        old.put("custodian", "dist");
        old.put("result", "discrepancy");
        old.put("notes", "seal broken");
        old.put("components", List.of(Map.of("manufacturer", "acme", "serial", "GPU-1")));
        assertEquals(new String(Jcs.canonicalize(old), StandardCharsets.UTF_8),
                new String(Jcs.canonicalize(p.payloadFields()), StandardCharsets.UTF_8));

        UnitInspect.Fields read = new UnitInspect(null, null, null).read(OperatorEntries.signAs(
                SigningKey.generate(SignatureAlgorithm.ED25519), "customs", UUID.randomUUID(), "unit.inspect",
                p.payloadFields(), new EnvelopeParser(65536),
                Clock.fixed(Instant.parse("2026-12-04T04:00:00Z"), ZoneOffset.UTC)));
        assertEquals(List.of(server, p.site(), "dist", "discrepancy", "seal broken", List.of(gpu)),
                List.of(read.unit(), read.site(), read.custodian(), read.result(), read.notes(), read.components()));
        assertNull(read.attestation());
        assertNull(read.platform());
    }

    @Test
    void aDevicesAnswerIsCarriedAsGivenNullsIncluded() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("alg", "ES256");
        answer.put("chain", List.of("MIIB"));
        answer.put("extra", null);
        Inspection p = new Inspection(new UnitKey("acme", "SRV-1"), null, null, "consistent", "ok", null, null, answer,
                Map.of("result", "pass", "reasons", List.of()));
        assertEquals(answer, p.payloadFields().get("attestation"));
        assertEquals(List.of("unit", "result", "notes", "attestation", "verdict"), List.copyOf(p.payloadFields().keySet()));
    }
}
