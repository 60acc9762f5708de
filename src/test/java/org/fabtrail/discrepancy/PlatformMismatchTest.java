package org.fabtrail.discrepancy;

import org.fabtrail.attestation.PlatformCertificates;
import org.fabtrail.attestation.PlatformComparison;
import org.fabtrail.attestation.PlatformFact;
import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The platform rule on its own: one finding per missing and per unexpected component, none for a matching
 * certificate, one critical finding for a certificate that failed its checks. (The demo data test checks it end to
 * end: HGX-0001's certificate lists GH200-0099 and omits GH200-0008.)
 */
class PlatformMismatchTest {

    private static final UnitKey SERVER = new UnitKey("fab", "SRV-1");
    private static final PlatformCertificates.Certificate CERT = new PlatformCertificates.Certificate("ab12", "01",
            "CN=Fab Platform CA", "holder", "Fab", "HGX", "1", "SRV-1", Instant.EPOCH, Instant.MAX, false, List.of());

    private static PlatformComparison.Row row(String status, String serial, UnitKey unit) {
        return new PlatformComparison.Row(status, serial == null ? null
                : new PlatformCertificates.CertifiedComponent("GPU", "Fab", "H200", serial, null), unit, null, false);
    }

    private static PlatformFact fact(String check, List<PlatformComparison.Row> rows) {
        PlatformComparison cmp = check.equals("pass")
                ? new PlatformComparison(SERVER, CERT, 40, Instant.now(), "ca-1", rows) : null;
        return new PlatformFact(40, Instant.now(), "unit.inspect", "insp", SERVER, check, cmp);
    }

    @Test
    void everyMissingAndUnexpectedComponentIsAFinding() throws Exception {
        List<Finding> found = new PlatformMismatch().detect(fact("pass", List.of(
                row(PlatformComparison.PRESENT, "G-1", new UnitKey("fab", "G-1")),
                row(PlatformComparison.MISSING, "G-9", null),
                row(PlatformComparison.MISSING, "G-8", null),
                row(PlatformComparison.NOT_COMPARABLE, null, null),
                row(PlatformComparison.UNEXPECTED, null, new UnitKey("fab", "G-2")))), null, DiscrepancySettings.DEFAULTS);
        assertEquals(List.of("platform-mismatch:fab/SRV-1:ab12:missing:G-9", "platform-mismatch:fab/SRV-1:ab12:missing:G-8",
                "platform-mismatch:fab/SRV-1:ab12:unexpected:fab/G-2"), found.stream().map(Finding::key).toList());
        assertEquals(List.of(SERVER, new UnitKey("fab", "G-2")), found.get(2).units());
        assertEquals(List.of(40L), found.get(0).evidence());
        assertEquals(List.of("insp", "fab"), found.get(0).orgs());
    }

    @Test
    void aMatchingCertificateIsNot() throws Exception {
        assertEquals(List.of(), new PlatformMismatch().detect(fact("pass", List.of(
                row(PlatformComparison.PRESENT, "G-1", new UnitKey("fab", "G-1")),
                row(PlatformComparison.NOT_COMPARABLE, null, null))), null, DiscrepancySettings.DEFAULTS));
        assertEquals(List.of(), new PlatformMismatch().detect(new Fact.Activity(1, Instant.now(), "unit.inspect",
                "insp", null), null, DiscrepancySettings.DEFAULTS), "other facts are not its business");
    }

    @Test
    void aCertificateThatFailsItsChecksIsCritical() throws Exception {
        List<Finding> found = new PlatformMismatch().detect(fact("platform-unknown-issuer", List.of()), null,
                DiscrepancySettings.DEFAULTS);
        assertEquals(List.of("platform-check-failed"), found.stream().map(Finding::rule).toList());
        assertEquals("critical", found.get(0).severity());
        assertEquals("platform-unknown-issuer", found.get(0).details().get("check"));
    }
}
