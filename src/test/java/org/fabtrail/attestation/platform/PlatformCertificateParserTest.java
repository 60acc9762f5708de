package org.fabtrail.attestation.platform;

import static org.fabtrail.attestation.platform.TestPlatformCertificates.componentClass;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.componentV1;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.componentV2;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.configuration;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.properties;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.samplePem;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.sequence;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.specificationVersion;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.trait;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.utf8Trait;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.v11Component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.fabtrail.attestation.platform.Component.ComponentClass;
import org.fabtrail.attestation.platform.PlatformCertificate.ConfigurationFormat;
import org.fabtrail.attestation.platform.PlatformCertificate.Property;
import org.fabtrail.attestation.platform.TestPlatformCertificates.CertBuilder;
import org.fabtrail.attestation.platform.TestPlatformCertificates.TestCa;
import org.fabtrail.crypto.Pem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parsing certificates built here: the three configuration versions, both trait encodings, and
 * malformed input of every kind ending in {@link PlatformCertificateException}.
 */
class PlatformCertificateParserTest {

    private static final String V1 = "2.23.133.5.1.7.1";
    private static final String V2 = "2.23.133.5.1.7.2";
    private static final String V3 = "2.23.133.5.1.7.3";
    private static final String SMBIOS = "2.23.133.18.3.3";

    private static TestCa ca;

    @BeforeAll
    static void createCa() throws Exception {
        ca = TestCa.create("C=US,O=Example Corp.,CN=Example Platform CA");
    }

    private static PlatformCertificateException rejected(byte[] input) {
        return assertThrows(PlatformCertificateException.class, () -> PlatformCertificate.parse(input));
    }

    private static void assertRejected(byte[] input, String messagePart) {
        PlatformCertificateException e = rejected(input);
        assertTrue(e.getMessage().contains(messagePart), "message \"" + e.getMessage() + "\" lacks \"" + messagePart + "\"");
    }

    @Test
    void version3WithComponentIdentifierV11Traits() throws Exception {
        byte[] der = new CertBuilder()
                .attribute(V3, configuration(
                        0, sequence(v11Component(componentV2(SMBIOS, "00030003", "Example Corp.", "Board X", "B-1", "r2", true)),
                                v11Component(componentV2(SMBIOS, "00040003", "Example Corp.", "CPU", null, null, null))),
                        1, properties("firmware", "1.0")))
                .build(ca);
        PlatformCertificate cert = PlatformCertificate.parse(der);
        assertEquals(Optional.of(ConfigurationFormat.V3), cert.configurationFormat());
        assertEquals(2, cert.components().size());
        Component board = cert.components().get(0);
        assertEquals(Optional.of(new ComponentClass(SMBIOS, "00030003")), board.componentClass());
        assertEquals(Optional.of("B-1"), board.serial());
        assertEquals(Optional.of("r2"), board.revision());
        assertEquals(Optional.of(true), board.fieldReplaceable());
        assertEquals(Optional.empty(), cert.components().get(1).serial());
        assertEquals(List.of(new Property("firmware", "1.0", Optional.empty())), cert.properties());
        assertEquals("Example Corp.", cert.platform().manufacturer());
        assertEquals(Optional.of("SRV-0001"), cert.platform().serial());
        assertEquals(Optional.empty(), cert.platform().version());
        assertEquals("CN=Example Platform CA,O=Example Corp.,C=US", cert.issuer());
        assertEquals("CN=Example EK CA,O=Example TPM Vendor,C=CH", cert.holder().issuer());
    }

    @Test
    void version3TraitValuesWrappedInAnOctetStringAsTheProfileWritesThem() throws Exception {
        DERSequence identifier = componentV2(SMBIOS, "00030003", "Example Corp.", "Board X", "B-1", null, null);
        DERSequence wrapped = new DERSequence(trait("2.23.133.19.1.5", "2.23.133.19.2.26", SMBIOS,
                new DEROctetString(identifier.getEncoded())));
        PlatformCertificate cert = PlatformCertificate.parse(
                new CertBuilder().attribute(V3, configuration(0, sequence(wrapped))).build(ca));
        assertEquals(Optional.of("B-1"), cert.components().get(0).serial());
    }

    @Test
    void version3ComponentsMadeOfSeparateTraits() throws Exception {
        DERSequence component = sequence(
                trait("2.23.133.19.1.4", "2.23.133.19.2.7", "2.23.133.19.3.1", componentClass(SMBIOS, "00110000")),
                utf8Trait("2.23.133.19.2.8", "Example Memory Ltd"),
                utf8Trait("2.23.133.19.2.9", "DIMM 64G"),
                trait("2.23.133.19.1.18", "2.23.133.19.2.10", "2.23.133.19.3.1",
                        new DEROctetString(new DERUTF8String("M-77").getEncoded())),
                trait("2.23.133.19.1.1", "2.23.133.19.2.14", "2.23.133.19.3.1", ASN1Boolean.TRUE),
                utf8Trait("2.23.133.19.2.12", "slot A1")); // componentLocation: not interpreted
        Component c = PlatformCertificate.parse(new CertBuilder().attribute(V3, configuration(0, sequence(component)))
                .build(ca)).components().get(0);
        assertEquals(new Component(Optional.of(new ComponentClass(SMBIOS, "00110000")), "Example Memory Ltd", "DIMM 64G",
                Optional.of("M-77"), Optional.empty(), Optional.empty(), Optional.of(true), List.of(), Optional.empty()), c);

        // no model: not a component
        DERSequence incomplete = sequence(utf8Trait("2.23.133.19.2.8", "Example Memory Ltd"),
                utf8Trait("2.23.133.19.2.10", "M-78"));
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(incomplete))).build(ca),
                "componentManufacturer and componentModel");
        // two serials
        DERSequence twice = sequence(utf8Trait("2.23.133.19.2.8", "A"), utf8Trait("2.23.133.19.2.9", "B"),
                utf8Trait("2.23.133.19.2.10", "1"), utf8Trait("2.23.133.19.2.10", "2"));
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(twice))).build(ca), "more than one trait");
        // both forms at once
        DERSequence both = sequence(
                trait("2.23.133.19.1.5", "2.23.133.19.2.26", SMBIOS, componentV2(SMBIOS, "00030003", "A", "B", "1", null, null)),
                utf8Trait("2.23.133.19.2.10", "2"));
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(both))).build(ca), "both");
    }

    @Test
    void version2AndVersion1Configurations() throws Exception {
        PlatformCertificate v2 = PlatformCertificate.parse(new CertBuilder()
                .attribute(V2, configuration(0, sequence(componentV2(SMBIOS, "00030003", "Example Corp.", "Board X", "B-1", null, false)),
                        2, properties("a", "b")))
                .build(ca));
        assertEquals(Optional.of(ConfigurationFormat.V2), v2.configurationFormat());
        assertEquals("Board X", v2.components().get(0).model());
        assertEquals(Optional.of(false), v2.components().get(0).fieldReplaceable());
        assertEquals(1, v2.properties().size());

        PlatformCertificate v1 = PlatformCertificate.parse(new CertBuilder()
                .attribute(V1, configuration(0, sequence(componentV1("Example Corp.", "Board X", "B-1"),
                        componentV1("Example Corp.", "Fan", null))))
                .build(ca));
        assertEquals(Optional.of(ConfigurationFormat.V1), v1.configurationFormat());
        assertEquals(Optional.empty(), v1.components().get(0).componentClass());
        assertEquals(Optional.of("B-1"), v1.components().get(0).serial());
        assertEquals(Optional.empty(), v1.components().get(1).serial());
    }

    @Test
    void noConfigurationMeansNoComponents() throws Exception {
        PlatformCertificate cert = PlatformCertificate.parse(new CertBuilder()
                .attribute("2.23.133.2.23", specificationVersion(1, 1, 17)).build(ca));
        assertEquals(List.of(), cert.components());
        assertEquals(Optional.empty(), cert.configurationFormat());
        assertEquals("1.1.17", cert.credentialSpecification().get().toString());
    }

    @Test
    void malformedTcgStructuresAreRejected() throws Exception {
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(v11Component(
                sequence(componentClass(SMBIOS, "000300"), new DERUTF8String("A"), new DERUTF8String("B"))))))
                .build(ca), "3 bytes, expected 4");
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(v11Component(
                componentV2(SMBIOS, "00030003", "", "B", null, null, null))))).build(ca), "0 characters");
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(v11Component(
                componentV2(SMBIOS, "00030003", "A".repeat(257), "B", null, null, null))))).build(ca), "257 characters");
        // fields out of order: revision [1] before serial [0]
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(v11Component(sequence(
                componentClass(SMBIOS, "00030003"), new DERUTF8String("A"), new DERUTF8String("B"),
                new DERTaggedObject(false, 1, new DERUTF8String("r")), new DERTaggedObject(false, 0, new DERUTF8String("s")))))))
                .build(ca), "out of order");
        // unknown field [9]
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(v11Component(sequence(
                componentClass(SMBIOS, "00030003"), new DERUTF8String("A"), new DERUTF8String("B"),
                new DERTaggedObject(false, 9, new DERUTF8String("?"))))))).build(ca), "unknown field [9]");
        // a PrintableString manufacturer
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence(v11Component(sequence(
                componentClass(SMBIOS, "00030003"), new org.bouncycastle.asn1.DERPrintableString("A"), new DERUTF8String("B"))))))
                .build(ca), "expected a UTF8String");
        // an empty component list
        assertRejected(new CertBuilder().attribute(V3, configuration(0, sequence())).build(ca), "at least one");
        // a v3 configuration field [2]
        assertRejected(new CertBuilder().attribute(V3, configuration(2, properties("a", "b"))).build(ca), "unknown field [2]");
        // two configurations
        assertRejected(new CertBuilder()
                .attribute(V2, configuration(0, sequence(componentV2(SMBIOS, "00030003", "A", "B", null, null, null))))
                .attribute(V3, configuration(0, sequence(v11Component(componentV2(SMBIOS, "00030003", "A", "B", null, null, null)))))
                .build(ca), "more than one tcg-at-platformConfiguration");
        // the same attribute twice
        assertRejected(new CertBuilder().attribute("2.23.133.2.25", new DERSequence(new ASN1ObjectIdentifier("2.23.133.8.2")))
                .build(ca), "appears twice");
        // a specification version that is not three integers
        assertRejected(new CertBuilder().attribute("2.23.133.2.23", sequence(new org.bouncycastle.asn1.ASN1Integer(1)))
                .build(ca), "1 elements, expected 3");
    }

    @Test
    void theSubjectAltNameMustNameThePlatform() throws Exception {
        assertRejected(new CertBuilder().noSubjectAltName().build(ca), "subjectAltName");
    }

    @Test
    void envelopeErrorsAreRejected() throws Exception {
        byte[] der = new CertBuilder().build(ca);
        PlatformCertificate.parse(der);
        // trailing garbage
        byte[] longer = Arrays.copyOf(der, der.length + 1);
        rejected(longer);
        // truncated
        rejected(Arrays.copyOf(der, der.length - 1));
        // a non-minimal length (BER, not DER): re-encode the outer SEQUENCE length in one more byte
        assertRejected(nonMinimalOuterLength(der), "not DER");
        // BOOLEAN TRUE encoded as 01 instead of FF (fieldReplaceable [3] IMPLICIT BOOLEAN: 83 01 FF)
        byte[] withBoolean = new CertBuilder().attribute(V3, configuration(0, sequence(v11Component(
                componentV2(SMBIOS, "00030003", "A", "B", "1", null, true))))).build(ca);
        int at = indexOf(withBoolean, new byte[] {(byte) 0x83, 0x01, (byte) 0xFF});
        withBoolean[at + 2] = 0x01;
        assertRejected(withBoolean, "not DER");
        // not a certificate at all
        rejected(new byte[] {0x30, 0x00});
        assertRejected(new byte[0], "empty");
        assertRejected(" \n".getBytes(StandardCharsets.US_ASCII), "empty");
        assertThrows(PlatformCertificateException.class, () -> PlatformCertificate.parse(null));
        // an X.509 public-key certificate is not an attribute certificate
        rejected(ca.der());
    }

    @Test
    void pemMustBeOneAttributeCertificateBlock() throws Exception {
        byte[] der = new CertBuilder().build(ca);
        String pem = Pem.encode("ATTRIBUTE CERTIFICATE", der);
        assertEquals(PlatformCertificate.parse(der), PlatformCertificate.parse(pem.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(PlatformCertificate.parse(der),
                PlatformCertificate.parse(("\r\n" + pem.replace("\n", "\r\n")).getBytes(StandardCharsets.US_ASCII)));
        assertRejected(Pem.encode("CERTIFICATE", der).getBytes(StandardCharsets.US_ASCII), "ATTRIBUTE CERTIFICATE");
        rejected((pem + pem).getBytes(StandardCharsets.US_ASCII));
        rejected(pem.replace("A", "*").getBytes(StandardCharsets.US_ASCII));
        // the paccor sample is one long base64 line without a final newline: accepted
        PlatformCertificate.parse(samplePem());
    }

    @Test
    void aRecordMustMatchItsEncoding() throws Exception {
        PlatformCertificate real = PlatformCertificate.parse(samplePem());
        PlatformCertificate forged = new PlatformCertificate(real.der(), real.serialNumber(), real.issuer(), real.holder(),
                real.notBefore(), real.notAfter(), real.signatureAlgorithm(), real.platform(), real.credentialType(),
                real.credentialSpecification(), real.platformSpecification(), real.configurationFormat(),
                real.components().subList(0, 3), real.properties(), real.attributeTypes(), real.criticalExtensions());
        assertThrows(IllegalArgumentException.class, () -> PlatformCertificateVerifier.verifySignature(forged,
                List.of(TestPlatformCertificates.sampleCaDer()), java.time.Instant.parse("2026-01-01T00:00:00Z")));
        byte[] copy = real.der();
        copy[0] = 0;
        assertEquals(0x30, real.der()[0]);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static byte[] nonMinimalOuterLength(byte[] der) {
        // der starts 30 81 xx or 30 82 xx xx; write the length with one extra leading zero byte
        int lengthOfLength = der[1] & 0x7f;
        byte[] out = new byte[der.length + 1];
        out[0] = der[0];
        out[1] = (byte) (0x80 | (lengthOfLength + 1));
        out[2] = 0;
        System.arraycopy(der, 2, out, 3, der.length - 2);
        return out;
    }
}
