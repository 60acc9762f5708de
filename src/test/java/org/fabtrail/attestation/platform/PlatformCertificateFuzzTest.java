package org.fabtrail.attestation.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.fabtrail.attestation.DeviceIdentity;
import org.fabtrail.attestation.FuzzCa;
import org.fabtrail.attestation.PlatformCertificates;
import org.fabtrail.attestation.PlatformReasons;
import org.fabtrail.attestation.X509PlatformCertificates;
import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.TestResources;
import org.fabtrail.testing.Fuzzing;
import org.fabtrail.testing.ParserFuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the TCG Platform Certificate parser ({@link PlatformCertificate#parse}, DER or PEM) and what Fabtrail does
 * with a parsed certificate ({@link X509PlatformCertificates}: its summary, signature verification against the paccor
 * sample CA and {@link FuzzCa}, the component comparison). The parser refuses with
 * {@link PlatformCertificateException} only, the adapter with {@link PlatformCertificates.Refused} of a code in
 * {@link PlatformReasons#ORDER} only; an accepted certificate parses again from its own encoding to an equal one.
 * Seeds: the paccor vector and {@code PlatformCertificateFuzzTestInputs/parse} (certificates FuzzCa issued).
 */
class PlatformCertificateFuzzTest {

    private static final String VECTORS = "vectors/tcg-platform-certificate/";
    private static final byte[] SAMPLE_CA = Pem.decode(TestResources.utf8(VECTORS + "PCTestCA.example.com.pem"),
            "CERTIFICATE");
    private static final byte[] EK = TestResources.bytes(VECTORS + "ek.der");
    private static final DeviceIdentity.Trust TRUST = new DeviceIdentity.Trust(
            Map.of("sample", SAMPLE_CA, FuzzCa.CA_ID, FuzzCa.CA.der()), Set.of(), Map.of());
    private static final Set<String> TRUSTED = Set.of("sample", FuzzCa.CA_ID);

    private final X509PlatformCertificates platforms = new X509PlatformCertificates();

    static Stream<byte[]> vectors() {
        return Stream.concat(Fuzzing.files(VECTORS).filter(b -> b.length > 0 && b[0] == '-'),
                Stream.of(Pem.decode(TestResources.utf8(VECTORS + "platform_cert.20250909102720.pem"),
                        "ATTRIBUTE CERTIFICATE")));
    }

    @MethodSource("vectors")
    @ParserFuzzTest
    void parse(byte[] input) {
        Fuzzing.parseOrRefuse(input, PlatformCertificate::parse, PlatformCertificateException.class,
                refused -> {
                    PlatformCertificates.Refused alsoRefused = assertThrows(PlatformCertificates.Refused.class,
                            () -> platforms.parse(input), "the adapter accepted what the parser refuses");
                    assertEquals(PlatformReasons.INVALID, alsoRefused.code());
                },
                certificate -> checkAccepted(input, certificate));
    }

    /** An accepted certificate: it parses again to an equal one, and the adapter summarises, verifies and compares it. */
    private void checkAccepted(byte[] input, PlatformCertificate certificate) {
        assertEquals(certificate, PlatformCertificate.parse(certificate.der()));
        if (input.length > 0 && input[0] == 0x30) {
            assertArrayEquals(input, certificate.der());
        }
        certificate.isHeldBy(EK);

        PlatformCertificates.Certificate summary = platforms.parse(input);
        assertEquals(certificate.components().size(), summary.components().size());
        try {
            assertTrue(TRUSTED.contains(platforms.verify(input, TRUST, FuzzCa.NOW)));
        } catch (PlatformCertificates.Refused refused) {
            assertTrue(PlatformReasons.ORDER.contains(refused.code()), refused.code());
        }
        List<PlatformCertificates.Installed> installed = new ArrayList<>();
        for (PlatformCertificates.CertifiedComponent c : summary.components()) {
            installed.add(new PlatformCertificates.Installed(c.manufacturer(), c.serial(), c.model()));
        }
        List<PlatformCertificates.Row> rows = platforms.compare(summary.components(), installed);
        assertTrue(rows.size() >= summary.components().size());
    }
}
