package org.fabtrail.attestation;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The writer records of {@code ca.add} and {@code unit.certify} are the maps the demo data built before, byte for
 * byte, and the entry types read them back (ADR 0025).
 */
class CertificationPayloadsTest {

    private static final String ORG = "Acme Semiconductor";
    private static final UnitKey SERVER = new UnitKey("acme", "HGX-0001");

    private final DeviceCertificates.Issued root = DeviceCertificates.selfSigned(
            DeviceCertificates.Spec.ca("CN=Root,O=" + ORG).pathLen(1), SigningKey.generate(SignatureAlgorithm.ES256));
    private final DeviceCertificates.Issued issuing = DeviceCertificates.issue(
            DeviceCertificates.Spec.ca("CN=Issuing,O=" + ORG).pathLen(0), SigningKey.generate(SignatureAlgorithm.ED25519),
            root);
    private final DeviceCertificates.Issued device = DeviceCertificates.issue(
            DeviceCertificates.Spec.device(ORG, SERVER.serial()), SigningKey.generate(SignatureAlgorithm.ES256), issuing);

    @Test
    void aCaCertificate() {
        CaAddition p = new CaAddition(root.pem());
        sameBytes(Map.of("certificate", root.pem()), p);
        DeviceIdentity.CaCertificate read = new DeviceCas.Add(new X509DeviceIdentity()).read(envelope("ca.add", p));
        assertArrayEquals(root.der(), read.der());
    }

    @Test
    void aDeviceCertificateAloneAndWithAPlatformCertificate() {
        UnitCertification device = new UnitCertification(SERVER, this.device.pem(), null, null);
        sameBytes(Map.of("unit", Map.of("manufacturer", "acme", "serial", "HGX-0001"),
                "deviceCertificate", this.device.pem()), device);
        UnitCertify.Fields read = certify().read(envelope("unit.certify", device));
        assertEquals(SERVER, read.unit());
        assertArrayEquals(this.device.der(), read.certificate().der());
        assertNull(read.platform());

        String platform = PlatformCertificateIssuer.pem(PlatformCertificateIssuer.issue(
                new PlatformCertificateIssuer.Spec(ORG, "HGX", SERVER.serial())
                        .component(PlatformCertificateIssuer.PCIE, "00030200", ORG, "H200", "GH200-0001"), issuing));
        UnitCertification both = new UnitCertification(SERVER, this.device.pem(), List.of(issuing.pem()), platform);
        Map<String, Object> old = new LinkedHashMap<>(Map.of("unit", Map.of("manufacturer", "acme", "serial",
                "HGX-0001"), "deviceCertificate", this.device.pem()));
        old.put("deviceCertificateChain", List.of(issuing.pem()));
        old.put("platformCertificate", platform);
        sameBytes(old, both);
        read = certify().read(envelope("unit.certify", both));
        assertEquals(1, read.certificate().intermediates().size());
        assertNotNull(read.platform());
    }

    private static UnitCertify certify() {
        return new UnitCertify(new X509DeviceIdentity(), new X509PlatformCertificates(), null);
    }

    private static void sameBytes(Map<String, Object> old, PayloadRecord record) {
        assertEquals(new String(Jcs.canonicalize(old), StandardCharsets.UTF_8),
                new String(Jcs.canonicalize(record.payloadFields()), StandardCharsets.UTF_8));
    }

    private static Envelope envelope(String type, PayloadRecord record) {
        return OperatorEntries.signAs(SigningKey.generate(SignatureAlgorithm.ED25519), "acme", UUID.randomUUID(), type,
                record, new EnvelopeParser(65536), Clock.fixed(Instant.parse("2026-12-04T04:00:00Z"), ZoneOffset.UTC));
    }
}
