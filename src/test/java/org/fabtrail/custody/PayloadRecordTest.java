package org.fabtrail.custody;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payload record written ({@link PayloadRecord#payloadFields}) is, byte for byte, the payload the web forms built as
 * maps before (RFC 8785), and its type's {@code read} gives the same record back (ADR 0025).
 */
class PayloadRecordTest {

    private static final UnitKey GPU = new UnitKey("acme", "GPU-1");
    private static final UnitKey GPU2 = new UnitKey("acme", "GPU-2");
    private static final UUID TRANSFER = UUID.fromString("0b8f5c1e-6a2d-4e3f-9a1b-2c3d4e5f6a7b");

    private final EnvelopeParser parser = new EnvelopeParser(65536);
    private final SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T04:00:00Z"), ZoneOffset.UTC);

    @Test
    void dispatchWithEveryFieldIsTheOldMapAndReadsBack() {
        DispatchPayload p = new DispatchPayload(List.of(GPU, GPU2), "dist", "hub", "DHL", "S-1", "L-9",
                Instant.parse("2026-05-01T14:00:00Z"), Instant.parse("2026-12-31T23:59:59Z"), List.of("SG", "MY"));
        sameBytes(Map.of("units", List.of(ref(GPU), ref(GPU2)), "to", "dist", "toSite", "hub", "carrier", "DHL",
                "shipmentRef", "S-1", "licenceRef", "L-9", "expectedArrival", "2026-05-01T14:00:00Z",
                "licenceValidUntil", "2026-12-31T23:59:59Z", "licenceCountries", List.of("SG", "MY")), p);
        assertEquals(p, new Transfers.Dispatch().read(envelope("transfer.dispatch", p)));
    }

    @Test
    void absentOptionalFieldsAreLeftOut() {
        DispatchPayload p = new DispatchPayload(List.of(GPU), "dist", "hub", null, null, null, null, null, null);
        sameBytes(Map.of("units", List.of(ref(GPU)), "to", "dist", "toSite", "hub"), p);
        assertEquals(p, new Transfers.Dispatch().read(envelope("transfer.dispatch", p)));
    }

    @Test
    void transfersUnitsSitesAndKeys() {
        ReceivePayload receive = new ReceivePayload(TRANSFER, "dock", List.of(GPU));
        sameBytes(Map.of("transfer", TRANSFER.toString(), "site", "dock", "units", List.of(ref(GPU))), receive);
        assertEquals(receive, new Transfers.Receive().read(envelope("transfer.receive", receive)));

        TransferEndPayload end = new TransferEndPayload(TRANSFER, "damaged");
        sameBytes(Map.of("transfer", TRANSFER.toString(), "reason", "damaged"), end);
        assertEquals(end, new Transfers.End(true).read(envelope("transfer.reject", end)));

        AssemblyPayload assembly = new AssemblyPayload(GPU, List.of(GPU2));
        sameBytes(Map.of("parent", ref(GPU), "components", List.of(ref(GPU2))), assembly);
        assertEquals(assembly, new UnitAssemble(true).read(envelope("unit.assemble", assembly)));

        StatusPayload status = new StatusPayload(GPU, "lost", "fell off the truck");
        sameBytes(Map.of("unit", ref(GPU), "status", "lost", "reason", "fell off the truck"), status);
        assertEquals(status, new UnitStatus().read(envelope("unit.status", status)));

        SitePayload site = new SitePayload("hub", "Hub", "NL", "Dock 1", 52.2891, 4.7654);
        sameBytes(Map.of("site", "hub", "name", "Hub", "country", "NL", "address", "Dock 1", "latitude", 52.2891,
                "longitude", 4.7654), site);
        assertEquals(site, new SiteRegister().read(envelope("site.register", site)));

        OrgRegistration org = new OrgRegistration("dist", "Distributor", "SG", List.of("distributor"));
        sameBytes(Map.of("org", "dist", "name", "Distributor", "country", "SG", "roles", List.of("distributor")), org);
        assertEquals(org, new OrgRegister().read(envelope("org.register", org)));

        String keyId = "ab".repeat(32);
        KeyRevokePayload revoke = new KeyRevokePayload("acme", keyId, null);
        sameBytes(Map.of("org", "acme", "keyId", keyId), revoke);
        assertEquals(revoke, new KeyRevoke().read(envelope("key.revoke", revoke)));
    }

    @Test
    void unitRegistrationReadsIntoTheTypesRecord() {
        UnitRegistration p = new UnitRegistration("GPU-1", "accelerator", "H100", "3A090.a", "fab", null);
        sameBytes(Map.of("serial", "GPU-1", "kind", "accelerator", "model", "H100", "eccn", "3A090.a", "site", "fab"), p);
        UnitRegister.Fields read = new UnitRegister(noCertificates()).read(envelope("unit.register", p));
        assertEquals(GPU, read.key());
        assertEquals(List.of("accelerator", "H100", "3A090.a", "fab"), List.of(read.kind(), read.model(), read.eccn(), read.site()));
        assertNull(read.certificate());
    }

    @Test
    void keyAdditionReadsIntoTheParsedKey() {
        String pem = SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem();
        KeyAddition p = new KeyAddition("acme", pem);
        sameBytes(Map.of("org", "acme", "publicKey", pem), p);
        KeyAdd.Fields read = new KeyAdd().read(envelope("key.add", p));
        assertEquals("acme", read.org());
        assertEquals(pem, read.key().toPem());
    }

    @Test
    void aRefusalNamesTheRecordsComponent() {
        StatusPayload bad = new StatusPayload(GPU, "misplaced", "?");
        LedgerException e = assertThrows(LedgerException.class,
                () -> new UnitStatus().read(envelope("unit.status", bad)));
        assertEquals("payload.status", e.details().get("field"));
        assertEquals("status", Payload.refusedField(e).orElseThrow());
        assertTrue(Set.of(component(StatusPayload.class)).contains(Payload.refusedField(e).orElseThrow()));

        AssemblyPayload twice = new AssemblyPayload(GPU, List.of(GPU2, new UnitKey("acme", "bad serial")));
        LedgerException item = assertThrows(LedgerException.class,
                () -> new UnitAssemble(true).read(envelope("unit.assemble", twice)));
        assertEquals("payload.components[1]", item.details().get("field"));
        assertEquals("components", Payload.refusedField(item).orElseThrow());
        assertTrue(Payload.refusedField(LedgerException.rule("x", "X", "no field")).isEmpty());
    }

    private static String[] component(Class<? extends Record> type) {
        return java.util.Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toArray(String[]::new);
    }

    private void sameBytes(Map<String, Object> old, PayloadRecord record) {
        assertEquals(new String(Jcs.canonicalize(old), StandardCharsets.UTF_8),
                new String(Jcs.canonicalize(record.payloadFields()), StandardCharsets.UTF_8));
        Envelope before = OperatorEntries.signAs(key, "acme", TRANSFER, "t.x", old, parser, clock);
        Envelope after = OperatorEntries.signAs(key, "acme", TRANSFER, "t.x", record.payloadFields(), parser, clock);
        assertEquals(new String(Jcs.canonicalize(before.payload()), StandardCharsets.UTF_8),
                new String(Jcs.canonicalize(after.payload()), StandardCharsets.UTF_8));
    }

    private Envelope envelope(String type, PayloadRecord record) {
        return OperatorEntries.signAs(key, "acme", UUID.randomUUID(), type, record.payloadFields(), parser, clock);
    }

    private static Map<String, Object> ref(UnitKey k) {
        return Map.of("manufacturer", k.manufacturer(), "serial", k.serial());
    }

    private static DeviceEnrolment noCertificates() {
        return new DeviceEnrolment() {
            @Override
            public Set<String> fields() {
                return Set.of("deviceCertificate");
            }

            @Override
            public Certificate read(Payload payload) {
                return null;
            }

            @Override
            public void prefetch(Certificate certificate, String manufacturer, Wants wants) {
            }

            @Override
            public void enrol(BatchContext ctx, UnitKey unit, Certificate certificate, long index, Instant at) {
            }
        };
    }
}
