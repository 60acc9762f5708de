package org.fabtrail.attestation.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.Target;
import org.bouncycastle.asn1.x509.TargetInformation;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.fabtrail.attestation.platform.SignatureVerification.Outcome;
import org.fabtrail.attestation.platform.TestPlatformCertificates.CertBuilder;
import org.fabtrail.attestation.platform.TestPlatformCertificates.TestCa;
import org.junit.jupiter.api.Test;

/**
 * Every outcome of {@link PlatformCertificateVerifier#verifySignature}, on certificates built here.
 */
class PlatformCertificateVerifierTest {

    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

    private static SignatureVerification verify(byte[] cert, Instant at, byte[]... cas) {
        return PlatformCertificateVerifier.verifySignature(PlatformCertificate.parse(cert), List.of(cas), at);
    }

    @Test
    void verifiedNamesTheCa() throws Exception {
        TestCa ca = TestCa.create("C=US,O=Example Corp.,CN=Platform CA");
        SignatureVerification result = verify(new CertBuilder().build(ca), AT, ca.der());
        assertVerification(result, Outcome.VERIFIED, OptionalInt.of(0));
        assertEquals(Optional.of("CN=Platform CA,O=Example Corp.,C=US"), result.issuerSubject());
    }

    @Test
    void unknownIssuerAndBadSignature() throws Exception {
        TestCa ca = TestCa.create("C=US,O=Example Corp.,CN=Platform CA");
        TestCa sameName = TestCa.create("C=US,O=Example Corp.,CN=Platform CA");
        TestCa otherName = TestCa.create("C=US,O=Example Corp.,CN=Other CA");
        byte[] cert = new CertBuilder().build(ca);
        SignatureVerification unknown = verify(cert, AT, otherName.der());
        assertEquals(Outcome.UNKNOWN_ISSUER, unknown.outcome());
        assertTrue(unknown.reason().contains("CN=Platform CA,O=Example Corp.,C=US"), unknown.reason());
        assertEquals(Outcome.UNKNOWN_ISSUER, verify(cert, AT).outcome());
        SignatureVerification bad = verify(cert, AT, sameName.der(), otherName.der());
        assertVerification(bad, Outcome.BAD_SIGNATURE, OptionalInt.empty());
        // the genuine CA after an impostor with the same name
        SignatureVerification good = verify(cert, AT, sameName.der(), otherName.der(), ca.der());
        assertVerification(good, Outcome.VERIFIED, OptionalInt.of(2));
    }

    @Test
    void validityPeriodBoundariesAreInclusive() throws Exception {
        TestCa ca = TestCa.create("C=US,O=Example Corp.,CN=Platform CA");
        CertBuilder builder = new CertBuilder();
        byte[] cert = builder.build(ca);
        assertEquals(Outcome.VERIFIED, verify(cert, builder.notBefore, ca.der()).outcome());
        assertEquals(Outcome.VERIFIED, verify(cert, builder.notAfter, ca.der()).outcome());
        SignatureVerification early = verify(cert, builder.notBefore.minusSeconds(1), ca.der());
        assertVerification(early, Outcome.NOT_YET_VALID, OptionalInt.of(0));
        SignatureVerification late = verify(cert, builder.notAfter.plusSeconds(1), ca.der());
        assertEquals(Outcome.EXPIRED, late.outcome());
        assertTrue(late.reason().contains("2030-01-01T00:00:00Z"), late.reason());
    }

    @Test
    void theCaMustBeValidToo() throws Exception {
        Instant caStart = Instant.parse("2025-01-01T00:00:00Z");
        TestCa young = TestCa.create("C=US,O=Example Corp.,CN=Platform CA", caStart, Instant.parse("2035-01-01T00:00:00Z"));
        byte[] cert = new CertBuilder().build(young);
        SignatureVerification result = verify(cert, Instant.parse("2024-06-01T00:00:00Z"), young.der());
        assertVerification(result, Outcome.ISSUER_NOT_VALID, OptionalInt.of(0));
        assertEquals(Outcome.VERIFIED, verify(cert, caStart, young.der()).outcome());
    }

    @Test
    void aValidCandidateIsPreferred() throws Exception {
        // the same key certified twice: an expired CA certificate and a current one
        TestCa current = TestCa.create("C=US,O=Example Corp.,CN=Platform CA");
        TestCa expired = new TestCa(current.name(), current.keys(), reissue(current, Instant.parse("2010-01-01T00:00:00Z"),
                Instant.parse("2015-01-01T00:00:00Z")));
        byte[] cert = new CertBuilder().build(current);
        SignatureVerification result = verify(cert, AT, expired.der(), current.der());
        assertVerification(result, Outcome.VERIFIED, OptionalInt.of(1));
        assertEquals(Outcome.ISSUER_NOT_VALID, verify(cert, AT, expired.der()).outcome());
    }

    @Test
    void unprocessedCriticalExtensionsFail() throws Exception {
        TestCa ca = TestCa.create("C=US,O=Example Corp.,CN=Platform CA");
        TargetInformation targets = new TargetInformation(new Target[] {
                new Target(Target.targetName, new GeneralName(GeneralName.dNSName, "verifier.example"))});
        byte[] cert = new CertBuilder().extension("2.5.29.55", true, targets).build(ca);
        PlatformCertificate parsed = PlatformCertificate.parse(cert);
        assertEquals(List.of("2.5.29.55"), parsed.criticalExtensions());
        SignatureVerification result = verify(cert, AT, ca.der());
        assertEquals(Outcome.UNSUPPORTED_CRITICAL_EXTENSION, result.outcome());
        assertTrue(result.reason().contains("2.5.29.55"), result.reason());
        // the same extension, not critical, is fine
        byte[] relaxed = new CertBuilder().extension("2.5.29.55", false, targets).build(ca);
        assertEquals(Outcome.VERIFIED, verify(relaxed, AT, ca.der()).outcome());
        // a critical policies extension is not processed either
        byte[] policies = new CertBuilder().extension("2.5.29.32", true, new DERSequence()).build(ca);
        assertEquals(Outcome.UNSUPPORTED_CRITICAL_EXTENSION, verify(policies, AT, ca.der()).outcome());
    }

    @Test
    void malformedCaCertificatesAreTheCallersError() throws Exception {
        TestCa ca = TestCa.create("C=US,O=Example Corp.,CN=Platform CA");
        byte[] cert = new CertBuilder().build(ca);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> verify(cert, AT, ca.der(), new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("#1"), e.getMessage());
    }

    private static byte[] reissue(TestCa ca, Instant notBefore, Instant notAfter) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.name(), BigInteger.valueOf(8),
                Date.from(notBefore), Date.from(notAfter), ca.name(), ca.keys().getPublic());
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(TestPlatformCertificates.BC)
                .build(ca.keys().getPrivate())).getEncoded();
    }

    /** {@code result} has {@code outcome}, by the candidate CA at {@code issuer} (if any). */
    private static void assertVerification(SignatureVerification result, Outcome outcome, OptionalInt issuer) {
        assertEquals(outcome, result.outcome(), result.reason());
        assertEquals(issuer, result.issuerIndex());
    }
}
