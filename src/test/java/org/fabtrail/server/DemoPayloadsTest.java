package org.fabtrail.server;

import org.fabtrail.attestation.Attestations;
import org.fabtrail.attestation.Inspection;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.custody.AssemblyPayload;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.DispatchPayload;
import org.fabtrail.custody.KeyAddition;
import org.fabtrail.custody.OrgRegistration;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.ReceivePayload;
import org.fabtrail.custody.SitePayload;
import org.fabtrail.custody.StatusPayload;
import org.fabtrail.custody.TransferEndPayload;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.UnitRegistration;
import org.fabtrail.discrepancy.DiscrepancyNote;
import org.fabtrail.ledger.Receipts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The demo story's payload records are, byte for byte, the maps {@link DemoData} built by hand before (RFC 8785),
 * for the story's own organisations and sites and for each kind of entry it writes (ADR 0025).
 */
class DemoPayloadsTest {

    private static final String MFR = DemoData.MANUFACTURER;
    private static final UUID ID = UUID.fromString("3c0a7d1e-2b4f-4a6c-9d8e-7f6a5b4c3d2e");
    private static final String PEM = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n";

    @Test
    void organisationsTheirKeysAndSites() {
        for (DemoData.DemoOrg org : DemoData.ORGS) {
            sameBytes(Map.of("org", org.id(), "name", org.name(), "country", org.country(), "roles", org.roles()),
                    new OrgRegistration(org.id(), org.name(), org.country(), org.roles()));
            sameBytes(Map.of("org", org.id(), "publicKey", PEM), new KeyAddition(org.id(), PEM));
        }
        for (DemoData.DemoSite s : DemoData.SITES) {
            Map<String, Object> old = new LinkedHashMap<>();
            old.put("site", s.id());
            old.put("name", s.name());
            old.put("country", s.country());
            old.put("address", s.address());
            if (s.latitude() != null) {
                old.put("latitude", s.latitude());
                old.put("longitude", s.longitude());
            }
            sameBytes(old, new SitePayload(s.id(), s.name(), s.country(), s.address(), s.latitude(), s.longitude()));
        }
    }

    @Test
    void unitsRegisteredAndAssembled() {
        Map<String, Object> old = new LinkedHashMap<>(Map.of("serial", "GH200-0001", "kind", "accelerator",
                "model", DemoData.GPU_MODEL, "eccn", "3A090.a", "site", "hsinchu-fab12"));
        sameBytes(old, new UnitRegistration("GH200-0001", "accelerator", DemoData.GPU_MODEL, "3A090.a",
                "hsinchu-fab12", null));
        old.put("deviceCertificate", PEM);
        sameBytes(old, new UnitRegistration("GH200-0001", "accelerator", DemoData.GPU_MODEL, "3A090.a",
                "hsinchu-fab12", PEM));
        sameBytes(Map.of("parent", ref("HGX-0001"), "components", List.of(ref("GH200-0001"), ref("GH200-0002"))),
                new AssemblyPayload(unit("HGX-0001"), List.of(unit("GH200-0001"), unit("GH200-0002"))));
    }

    @Test
    void dispatchesReceiptsAndARejection() {
        Instant at = Instant.parse("2026-11-16T09:40:53.123Z");
        Duration transit = Duration.ofDays(3);
        for (String licence : new String[] {"TW-EXP-2026-000418", null}) {
            Map<String, Object> old = new LinkedHashMap<>();
            old.put("units", List.of(ref("HGX-0001"), ref("CX7-0001")));
            old.put("to", "northwind");
            old.put("toSite", "ams-schiphol");
            old.put("carrier", "China Airlines Cargo");
            old.put("shipmentRef", "AWB 297-48213375");
            if (licence != null) {
                old.put("licenceRef", licence);
            }
            old.put("expectedArrival", Receipts.formatTime(at.plus(transit)));
            sameBytes(old, new DispatchPayload(List.of(unit("HGX-0001"), unit("CX7-0001")), "northwind",
                    "ams-schiphol", "China Airlines Cargo", "AWB 297-48213375", licence, at.plus(transit), null, null));
        }
        // On a whole second the text is the instant's own ("...:53Z", not "...:53.000Z"): the same instant.
        Instant whole = Instant.parse("2026-11-16T09:40:53Z");
        assertEquals(Instant.parse(Receipts.formatTime(whole)), Instant.parse((String) new DispatchPayload(List.of(),
                "n", "s", null, null, null, whole, null, null).payloadFields().get("expectedArrival")));

        sameBytes(Map.of("transfer", ID.toString(), "site", "ashburn-dc2", "units", List.of(ref("HGX-0001"))),
                new ReceivePayload(ID, "ashburn-dc2", List.of(unit("HGX-0001"))));
        sameBytes(Map.of("transfer", ID.toString(), "reason", "Crate damaged"),
                new TransferEndPayload(ID, "Crate damaged"));
    }

    @Test
    void statusesInspectionsAndNotes() {
        sameBytes(Map.of("unit", ref("GH200-0022"), "status", "stolen", "reason", "Missing at cycle count"),
                new StatusPayload(unit("GH200-0022"), "stolen", "Missing at cycle count"));
        sameBytes(Map.of("unit", ref("GH200-0022"), "site", Map.of("org", "kestrel-dc", "site", "dubai-dc1"),
                        "custodian", "kestrel-dc", "result", "discrepancy", "notes", "found in a cage"),
                new Inspection(unit("GH200-0022"), new CustodyState.SiteKey("kestrel-dc", "dubai-dc1"), "kestrel-dc",
                        "discrepancy", "found in a cage", null, null, null, null));

        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("alg", "ES256");
        attestation.put("chain", List.of("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
        attestation.put("signature", "c2ln");
        attestation.put("challengeId", ID.toString());
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("unit", ref("HGX-0001"));
        old.put("site", Map.of("org", "helios-dc", "site", "ashburn-dc2"));
        old.put("custodian", "helios-dc");
        old.put("result", "consistent");
        old.put("notes", "Rack B4");
        old.put("attestation", attestation);
        old.put("verdict", Map.of("result", "pass", "reasons", List.of()));
        CustodyState.SiteKey where = new CustodyState.SiteKey("helios-dc", "ashburn-dc2");
        sameBytes(old, new Inspection(unit("HGX-0001"), where, where.org(), "consistent", "Rack B4", null, null,
                attestation, new Attestations.Verdict(Attestations.PASS, List.of()).toJson()));

        sameBytes(Map.of("discrepancy", ID.toString(), "note", "carrier trace requested"),
                new DiscrepancyNote(ID, "carrier trace requested", null, null, null));
        sameBytes(Map.of("discrepancy", ID.toString(), "note", "Acknowledged", "state", "acknowledged"),
                new DiscrepancyNote(ID, "Acknowledged", "acknowledged", null, null));
    }

    private static UnitKey unit(String serial) {
        return new UnitKey(MFR, serial);
    }

    /** A unit reference as the demo wrote it by hand. */
    private static Map<String, Object> ref(String serial) {
        return Map.of("manufacturer", MFR, "serial", serial);
    }

    private static void sameBytes(Map<String, Object> old, PayloadRecord record) {
        assertEquals(new String(Jcs.canonicalize(old), StandardCharsets.UTF_8),
                new String(Jcs.canonicalize(record.payloadFields()), StandardCharsets.UTF_8));
    }
}
