package org.fabtrail.attestation;

import org.fabtrail.attestation.DeviceCertificates.Issued;
import org.fabtrail.attestation.DeviceCertificates.Spec;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.TestResources;
import org.fabtrail.custody.ProjectionRebuild;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.fabtrail.testing.LedgerFixture.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of platform certificates on {@code unit.certify} and {@code unit.inspect}, through the real sequencer and
 * rules on a real PostgreSQL: each refusal with its own code and nothing written; acceptance, replacement by a newer
 * certificate, the counts recorded with the entries, the live comparison; and a replay that reproduces it all.
 */
class PlatformCertifyRulesTest {

    static final String MFR = "pmfr";
    static final String OTHER = "pmfr2";
    static final String DIST = "pdist";
    static final String INSP = "pinsp";
    static final String VECTORS = "vectors/tcg-platform-certificate/";

    static LedgerFixture f;
    static final AtomicInteger serials = new AtomicInteger();
    static Issued ca;
    static Issued otherCa;
    static Issued revokedCa;

    @BeforeAll
    static void world() {
        f = LedgerFixture.withGenesis("platform");
        onboard(MFR, "Platform Maker Inc.", "manufacturer");
        onboard(OTHER, "Other Maker", "manufacturer");
        onboard(DIST, "Dist", "distributor");
        onboard(INSP, "Insp", "inspector");
        for (String org : List.of(MFR, OTHER)) {
            f.append(f.as(org, "site.register", Map.of("site", "s1", "name", "Site", "country", "TW", "address", "1 Main St")));
        }
        ca = DeviceCertificates.selfSigned(Spec.ca("CN=PMfr Platform CA,O=PMfr"), SigningKey.generate(SignatureAlgorithm.ES256));
        otherCa = DeviceCertificates.selfSigned(Spec.ca("CN=Other Platform CA,O=Other"),
                SigningKey.generate(SignatureAlgorithm.ED25519));
        revokedCa = DeviceCertificates.selfSigned(Spec.ca("CN=PMfr Old CA,O=PMfr"),
                SigningKey.generate(SignatureAlgorithm.ED25519));
        f.append(f.as(MFR, "ca.add", Map.of("certificate", ca.pem())));
        f.append(f.as(MFR, "ca.add", Map.of("certificate", revokedCa.pem())));
        f.append(f.as(OTHER, "ca.add", Map.of("certificate", otherCa.pem())));
        f.append(f.as(MFR, "ca.revoke", Map.of("caId", X509DeviceIdentity.sha256Hex(revokedCa.der()))));
    }

    @AfterAll
    static void replayReproducesEverything() throws Exception {
        try {
            LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
            ProjectionRebuild.Result r = f.assertRebuildIdentical("platform", f.types);
            assertTrue(!r.after().get("platform_certificates").startsWith("0 rows"), r.toString());
        } finally {
            f.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static void onboard(String org, String name, String role) {
        f.onboard(org, name, "TW", role);
    }

    static String register(String org, String kind, String model) {
        String s = "PS-" + serials.incrementAndGet();
        f.append(f.as(org, "unit.register", Map.of("serial", s, "kind", kind, "model", model, "site", "s1")));
        return s;
    }

    /** A server of MFR with two accelerators assembled in it; answers the server's serial and the GPUs'. */
    static List<String> server() {
        String server = register(MFR, "server", "SRV-9");
        String g1 = register(MFR, "accelerator", "GPU-X");
        String g2 = register(MFR, "accelerator", "GPU-X");
        f.append(f.as(MFR, "unit.assemble", Map.of("parent", ref(MFR, server), "components",
                List.of(ref(MFR, g1), ref(MFR, g2)))));
        return List.of(server, g1, g2);
    }

    static PlatformCertificateIssuer.Spec spec(String serial) {
        return new PlatformCertificateIssuer.Spec("Platform Maker Inc.", "SRV-9", serial);
    }

    static Map<String, Object> certify(String serial, byte[] platform) {
        return certify(serial, PlatformCertificateIssuer.pem(platform));
    }

    static Map<String, Object> certify(String serial, String pem) {
        return Map.of("unit", ref(MFR, serial), "platformCertificate", pem);
    }

    /** Submits as {@code actor}; answers "accepted" or the refusal's code, and checks a refusal wrote nothing. */
    static String outcome(String actor, String type, Map<String, Object> fields) {
        long before = treeSize();
        try {
            f.append(f.as(actor, type, fields));
            return "accepted";
        } catch (LedgerException e) {
            assertEquals(before, treeSize(), "a refusal writes nothing");
            return e.code();
        }
    }

    static long treeSize() {
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT tree_size FROM tree_head WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object[] platformRow(String serial) throws Exception {
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT idx, fingerprint, present, missing, unexpected, not_comparable FROM platform_certificates "
                        + "WHERE manufacturer = ? AND serial = ?")) {
            ps.setString(1, MFR);
            ps.setString(2, serial);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Object[] {rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6)} : null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void aPlatformCertificateOfTheManufacturersCaIsAcceptedAndComparedWithWhatIsAssembled() throws Exception {
        List<String> s = server();
        byte[] cert = PlatformCertificateIssuer.issue(spec(s.get(0))
                .component(PlatformCertificateIssuer.SMBIOS, "00010000", "Platform Maker Inc.", "SRV-9", s.get(0))
                .component(PlatformCertificateIssuer.PCIE, "00030200", "pmfr", "GPU-X", s.get(1))
                .component(PlatformCertificateIssuer.PCIE, "00030200", "NVDA 10DE", "GPU-X", "GPU-NOT-HERE")
                .component(PlatformCertificateIssuer.SMBIOS, "00040003", "Intel", "CPU", null), ca);
        Receipt r = f.append(f.as(MFR, "unit.certify", certify(s.get(0), cert)));
        Object[] row = platformRow(s.get(0));
        assertEquals(r.index(), row[0]);
        assertEquals(X509DeviceIdentity.sha256Hex(cert), row[1]);
        assertEquals(List.of(2, 1, 1, 1), List.of(row[2], row[3], row[4], row[5]), "present, missing, unexpected, n/c");

        try (Connection c = f.dataSource.getConnection()) {
            PlatformComparison cmp = new PlatformComparisons(f.platforms).compare(c, new UnitKey(MFR, s.get(0))).orElseThrow();
            assertEquals(List.of("present", "present", "missing", "not-comparable", "unexpected"),
                    cmp.rows().stream().map(PlatformComparison.Row::status).toList());
            assertEquals(new UnitKey(MFR, s.get(0)), cmp.rows().get(0).unit(), "the system entry is the server itself");
            assertEquals(new UnitKey(MFR, s.get(1)), cmp.rows().get(1).unit());
            assertNull(cmp.rows().get(2).unit());
            assertEquals(new UnitKey(MFR, s.get(2)), cmp.rows().get(4).unit());
            assertNull(cmp.rows().get(4).certified());
            assertEquals(X509DeviceIdentity.sha256Hex(ca.der()), cmp.caId());
            List<PlatformComparisons.RecordedMismatch> found = new PlatformComparisons(f.platforms)
                    .recordedMismatches(c, r.index() - 1, 10);
            assertEquals(1, found.size());
            assertEquals("unit.certify", found.get(0).type());
            assertEquals(1, found.get(0).missing());
            assertEquals(1, found.get(0).unexpected());
        }

        // a newer certificate replaces it; the recorded counts are those of the newer one
        byte[] newer = PlatformCertificateIssuer.issue(spec(s.get(0))
                .component(PlatformCertificateIssuer.PCIE, "00030200", "Platform Maker Inc.", "GPU-X", s.get(1))
                .component(PlatformCertificateIssuer.PCIE, "00030200", "Platform Maker Inc.", "GPU-X", s.get(2)), ca);
        Receipt r2 = f.append(f.as(MFR, "unit.certify", certify(s.get(0), newer)));
        row = platformRow(s.get(0));
        assertEquals(r2.index(), row[0]);
        assertEquals(List.of(2, 0, 0, 0), List.of(row[2], row[3], row[4], row[5]));
    }

    @Test
    void aManufacturerNamingAnotherOrganisationInPlayDoesNotMatchOnTheSerialAlone() throws Exception {
        List<String> s = server();
        byte[] cert = PlatformCertificateIssuer.issue(spec(s.get(0))
                .component(PlatformCertificateIssuer.PCIE, "00030200", "Other Maker", "GPU-X", s.get(1))
                .component(PlatformCertificateIssuer.PCIE, "00030200", "PLATFORM MAKER, INC", "GPU-X", s.get(2)), ca);
        f.append(f.as(MFR, "unit.certify", certify(s.get(0), cert)));
        try (Connection c = f.dataSource.getConnection()) {
            // "Other Maker" is not in play (no unit of pmfr2 is assembled): it names nothing, so the serial decides
            PlatformComparison cmp = new PlatformComparisons(f.platforms).compare(c, new UnitKey(MFR, s.get(0))).orElseThrow();
            assertEquals(List.of("present", "present"), cmp.rows().stream().map(PlatformComparison.Row::status).toList());
        }
        // a manufacturer that names another organisation in play never matches on the serial alone
        PlatformCertificates.Certificate c2 = f.platforms.parse(PlatformCertificateIssuer.issue(spec("SRV-A")
                .component(PlatformCertificateIssuer.PCIE, "00030200", "Other Maker", "GPU-X", "G-1")
                .component(PlatformCertificateIssuer.PCIE, "00030200", "10DE", "GPU-X", "G-2"), ca));
        PlatformComparison m = PlatformMatching.compare(f.platforms, new UnitKey(MFR, "SRV-A"), "SRV-9", c2, 1,
                Instant.now(), "ca", List.of(new PlatformMatching.Assembled(new UnitKey(MFR, "G-1"), "GPU-X"),
                        new PlatformMatching.Assembled(new UnitKey(OTHER, "G-2"), "GPU-X")),
                Map.of(MFR, "Platform Maker Inc.", OTHER, "Other Maker"));
        assertEquals(List.of("missing", "present", "unexpected"),
                m.rows().stream().map(PlatformComparison.Row::status).toList());
        assertEquals(new UnitKey(OTHER, "G-2"), m.rows().get(1).unit(), "an unnamed maker: the serial decides");
        assertEquals(new UnitKey(MFR, "G-1"), m.rows().get(2).unit());
    }

    @Test
    void eachRefusalHasItsOwnCode() {
        List<String> s = server();
        String srv = s.get(0);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertEquals(PlatformReasonCodes.UNKNOWN_ISSUER, outcome(MFR, "unit.certify",
                certify(srv, PlatformCertificateIssuer.issue(spec(srv), otherCa))), "a CA of another manufacturer");
        assertEquals(PlatformReasonCodes.UNKNOWN_ISSUER, outcome(MFR, "unit.certify", certify(srv,
                PlatformCertificateIssuer.issue(spec(srv), "CN=Nobody CA,O=Nobody", SigningKey.generate(SignatureAlgorithm.ED25519)))));
        assertEquals(PlatformReasonCodes.SIGNATURE_INVALID, outcome(MFR, "unit.certify", certify(srv,
                PlatformCertificateIssuer.issue(spec(srv), ca.subject(), SigningKey.generate(SignatureAlgorithm.ES256)))),
                "the registered CA's name, another key");
        assertEquals(PlatformReasonCodes.CA_REVOKED, outcome(MFR, "unit.certify",
                certify(srv, PlatformCertificateIssuer.issue(spec(srv), revokedCa))));
        assertEquals(PlatformReasonCodes.SERIAL_MISMATCH, outcome(MFR, "unit.certify",
                certify(srv, PlatformCertificateIssuer.issue(spec("SOMEONE-ELSE"), ca))));
        assertEquals(PlatformReasonCodes.SERIAL_MISMATCH, outcome(MFR, "unit.certify",
                certify(srv, PlatformCertificateIssuer.issue(spec(null), ca))), "no platform serial");
        assertEquals(PlatformReasonCodes.NOT_YET_VALID, outcome(MFR, "unit.certify", certify(srv,
                PlatformCertificateIssuer.issue(spec(srv).validity(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(400))), ca))));
        assertEquals(PlatformReasonCodes.EXPIRED, outcome(MFR, "unit.certify", certify(srv,
                PlatformCertificateIssuer.issue(spec(srv).validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(2))), ca))));
        assertEquals(PlatformReasonCodes.DELTA, outcome(MFR, "unit.certify",
                certify(srv, PlatformCertificateIssuer.issue(spec(srv).delta(), ca))));
        assertEquals(PlatformReasonCodes.CRITICAL_EXTENSION, outcome(MFR, "unit.certify",
                certify(srv, PlatformCertificateIssuer.issue(spec(srv).unknownCriticalExtension("1.2.3.4.5"), ca))));
        assertEquals(PlatformReasonCodes.INVALID, outcome(MFR, "unit.certify", certify(srv,
                "-----BEGIN ATTRIBUTE CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END ATTRIBUTE CERTIFICATE-----\n")));
        assertEquals(PlatformReasonCodes.INVALID, outcome(MFR, "unit.certify", certify(srv, "garbage")));
        assertEquals(PlatformReasonCodes.INVALID, outcome(MFR, "unit.certify", certify(srv, ca.pem())),
                "a public key certificate is no attribute certificate");
        byte[] good = PlatformCertificateIssuer.issue(spec(srv), ca);
        assertEquals("not-manufacturer", outcome(OTHER, "unit.certify", certify(srv, good)));
        assertEquals("role-required", outcome(DIST, "unit.certify", certify(srv, good)));
        String gpu = register(MFR, "accelerator", "GPU-X");
        assertEquals(PlatformReasonCodes.NOT_A_PLATFORM, outcome(MFR, "unit.certify",
                certify(gpu, PlatformCertificateIssuer.issue(spec(gpu), ca))));
        assertEquals("missing-field", outcome(MFR, "unit.certify", Map.of("unit", ref(MFR, srv))));
        assertEquals("accepted", outcome(MFR, "unit.certify", certify(srv, good)));
    }

    @Test
    void aDeviceCertificateAndAPlatformCertificateTogetherAreCheckedBeforeEitherIsWritten() throws Exception {
        List<String> s = server();
        String srv = s.get(0);
        Issued device = DeviceCertificates.issue(Spec.device("PMfr", srv), SigningKey.generate(SignatureAlgorithm.ES256), ca);
        Map<String, Object> both = new LinkedHashMap<>(certify(srv, PlatformCertificateIssuer.issue(spec("WRONG"), ca)));
        both.put("deviceCertificate", device.pem());
        assertEquals(PlatformReasonCodes.SERIAL_MISMATCH, outcome(MFR, "unit.certify", both));
        both.put("platformCertificate", PlatformCertificateIssuer.pem(PlatformCertificateIssuer.issue(spec(srv), ca)));
        assertEquals("accepted", outcome(MFR, "unit.certify", both));
        assertTrue(platformRow(srv) != null);
        // the device certificate only once; another platform certificate alone is fine
        assertEquals("unit-certified", outcome(MFR, "unit.certify", both));
        assertEquals("accepted", outcome(MFR, "unit.certify", certify(srv, PlatformCertificateIssuer.issue(spec(srv), ca))));
    }

    @Test
    void anInspectionRecordsThePlatformCheckAndTheComparisonEvenWhenTheCertificateFails() throws Exception {
        List<String> s = server();
        String srv = s.get(0);
        byte[] read = PlatformCertificateIssuer.issue(spec(srv)
                .component(PlatformCertificateIssuer.PCIE, "00030200", "pmfr", "GPU-X", s.get(1)), ca);
        Map<String, Object> m = new LinkedHashMap<>(Map.of("unit", ref(MFR, srv), "result", "discrepancy",
                "notes", "read the platform certificate from the BMC", "platformCertificate", PlatformCertificateIssuer.pem(read)));
        Receipt ok = f.append(f.as(INSP, "unit.inspect", m));
        m.put("platformCertificate", PlatformCertificateIssuer.pem(PlatformCertificateIssuer.issue(spec(srv), otherCa)));
        Receipt failed = f.append(f.as(INSP, "unit.inspect", m));
        m.put("platformCertificate", "garbage");
        assertEquals(PlatformReasonCodes.INVALID, outcome(INSP, "unit.inspect", m), "an unreadable one is refused");
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT platform_fingerprint, platform_check, platform_present, platform_missing, platform_unexpected, "
                        + "findings FROM unit_inspections WHERE idx = ?")) {
            ps.setLong(1, ok.index());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(X509DeviceIdentity.sha256Hex(read), rs.getString(1));
                assertEquals("pass", rs.getString(2));
                assertEquals(List.of(1, 0, 1), List.of(rs.getInt(3), rs.getInt(4), rs.getInt(5)));
                assertEquals(List.of("reported-discrepancy", "platform-components-differ"),
                        List.of((String[]) rs.getArray(6).getArray()));
            }
            ps.setLong(1, failed.index());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(PlatformReasonCodes.UNKNOWN_ISSUER, rs.getString(2));
                assertNull(rs.getObject(3));
                assertEquals(List.of("reported-discrepancy", "platform-check-failed"),
                        List.of((String[]) rs.getArray(6).getArray()));
            }
            List<PlatformComparisons.RecordedMismatch> found = new PlatformComparisons(f.platforms)
                    .recordedMismatches(c, ok.index() - 1, 10);
            assertEquals("unit.inspect", found.get(0).type());
            assertEquals(ok.index(), found.get(0).index());
        }
    }

    @Test
    void theSharedVectorIsAcceptedForItsSerialWithTheManufacturersRegisteredPcTestCa() throws Exception {
        onboard("vdell", "Dell Inc.", "manufacturer");
        f.append(f.as("vdell", "site.register", Map.of("site", "s1", "name", "Site", "country", "US", "address", "1 Main St")));
        f.append(f.as("vdell", "ca.add", Map.of("certificate", TestResources.utf8(VECTORS + "PCTestCA.example.com.pem"))));
        f.append(f.as("vdell", "unit.register", Map.of("serial", "DQXH253", "kind", "server", "model", "Latitude 5510",
                "site", "s1")));
        String pem = TestResources.utf8(VECTORS + "platform_cert.20250909102720.pem");
        assertEquals("accepted", outcome("vdell", "unit.certify", Map.of("unit", ref("vdell", "DQXH253"),
                "platformCertificate", pem)));
        // the same certificate for another serial, or by a manufacturer that did not register PCTestCA
        f.append(f.as("vdell", "unit.register", Map.of("serial", "DQXH254", "kind", "server", "model", "Latitude 5510",
                "site", "s1")));
        assertEquals(PlatformReasonCodes.SERIAL_MISMATCH, outcome("vdell", "unit.certify",
                Map.of("unit", ref("vdell", "DQXH254"), "platformCertificate", pem)));
        String other = register(MFR, "server", "Latitude 5510");
        assertEquals(PlatformReasonCodes.UNKNOWN_ISSUER, outcome(MFR, "unit.certify", certify(other, pem)));
    }

    /** The codes, spelled out here so that a renamed constant fails the test. */
    static final class PlatformReasonCodes {
        static final String INVALID = "invalid-platform-certificate";
        static final String DELTA = "platform-certificate-delta";
        static final String UNKNOWN_ISSUER = "platform-unknown-issuer";
        static final String SIGNATURE_INVALID = "platform-signature-invalid";
        static final String CA_REVOKED = "platform-ca-revoked";
        static final String CRITICAL_EXTENSION = "platform-critical-extension";
        static final String NOT_YET_VALID = "platform-not-yet-valid";
        static final String EXPIRED = "platform-expired";
        static final String SERIAL_MISMATCH = "platform-serial-mismatch";
        static final String NOT_A_PLATFORM = "not-a-platform";
    }
}
