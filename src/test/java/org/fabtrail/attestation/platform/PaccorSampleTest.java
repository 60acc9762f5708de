package org.fabtrail.attestation.platform;

import static org.fabtrail.attestation.platform.TestPlatformCertificates.sampleCaDer;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.samplePem;
import static org.fabtrail.attestation.platform.TestPlatformCertificates.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fabtrail.attestation.platform.Component.Address;
import org.fabtrail.attestation.platform.Component.ComponentClass;
import org.fabtrail.attestation.platform.PlatformCertificate.ConfigurationFormat;
import org.fabtrail.attestation.platform.PlatformCertificate.PlatformIdentity;
import org.fabtrail.attestation.platform.PlatformCertificate.PlatformSpecification;
import org.fabtrail.attestation.platform.PlatformCertificate.Property;
import org.fabtrail.attestation.platform.PlatformCertificate.SpecificationVersion;
import org.fabtrail.attestation.platform.SignatureVerification.Outcome;
import org.fabtrail.attestation.platform.TestPlatformCertificates.TestCa;
import org.fabtrail.crypto.Pem;
import org.junit.jupiter.api.Test;

/**
 * The paccor sample Platform Certificate (shared vectors README section 7): the four checks the
 * README lists, and what else the certificate carries.
 */
class PaccorSampleTest {

    private static final Instant IN_2026 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PlatformCertificate sample() {
        return PlatformCertificate.parse(samplePem());
    }

    private static X509Certificate x509(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    // README check 1

    @Test
    void signatureVerifiesWithPcTestCa() {
        SignatureVerification result = PlatformCertificateVerifier.verifySignature(sample(), List.of(sampleCaDer()), IN_2026);
        assertEquals(Outcome.VERIFIED, result.outcome(), result.reason());
        assertTrue(result.verified());
        assertEquals(OptionalInt.of(0), result.issuerIndex());
        assertEquals(Optional.of("OU=PCTest,O=example.com,C=US"), result.issuerSubject());
        assertEquals("OU=PCTest,O=example.com,C=US", sample().issuer());
        assertEquals("1.2.840.113549.1.1.11", sample().signatureAlgorithm()); // sha256WithRSAEncryption
    }

    @Test
    void theRightCaIsFoundAmongOthers() throws Exception {
        TestCa other = TestCa.create("C=US,O=example.org,OU=Other");
        SignatureVerification result = PlatformCertificateVerifier.verifySignature(sample(),
                List.of(other.der(), vector("ek.der"), sampleCaDer()), IN_2026);
        assertEquals(Outcome.VERIFIED, result.outcome(), result.reason());
        assertEquals(OptionalInt.of(2), result.issuerIndex());
    }

    // README check 2

    @Test
    void holderIsTheEkCertificate() throws Exception {
        byte[] ekDer = vector("ek.der");
        X509Certificate ek = x509(ekDer);
        PlatformCertificate cert = sample();
        assertEquals(ek.getIssuerX500Principal().getName(), cert.holder().issuer());
        assertEquals("CN=STM TPM EK Intermediate CA 06,O=STMicroelectronics NV,C=CH", cert.holder().issuer());
        assertEquals(ek.getSerialNumber(), cert.holder().serialNumber());
        assertEquals(new BigInteger("316A3C6481B8E11BE9FB75D54CBF0BE3445774C7", 16), cert.holder().serialNumber());
        assertTrue(cert.isHeldBy(ekDer));
        assertFalse(cert.isHeldBy(sampleCaDer()));
    }

    // README check 3

    @Test
    void validityIs2024To2030() {
        PlatformCertificate cert = sample();
        assertEquals(Instant.parse("2024-01-01T05:00:00Z"), cert.notBefore());
        assertEquals(Instant.parse("2030-01-01T05:00:00Z"), cert.notAfter());
        assertEquals(BigInteger.ONE, cert.serialNumber());
    }

    // README check 4

    @Test
    void componentsEqualPaccorsComponentList() throws Exception {
        JsonNode list = JSON.readTree(vector("localhost-componentlist.json"));
        List<Component> expected = new ArrayList<>();
        for (JsonNode c : list.get("COMPONENTS")) {
            expected.add(fromPaccorJson(c));
        }
        PlatformCertificate cert = sample();
        assertEquals(33, expected.size());
        assertEquals(Optional.of(ConfigurationFormat.V3), cert.configurationFormat());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), cert.components().get(i), "component " + i);
        }
        assertEquals(expected, cert.components());

        JsonNode platform = list.get("PLATFORM");
        assertEquals(new PlatformIdentity(platform.get("PLATFORMMANUFACTURERSTR").asText(),
                platform.get("PLATFORMMODEL").asText(), Optional.of(platform.get("PLATFORMVERSION").asText()),
                Optional.of(platform.get("PLATFORMSERIAL").asText()), Optional.empty()), cert.platform());
        assertEquals(new PlatformIdentity("Dell Inc.", "Latitude 5510", Optional.of("Not Specified"),
                Optional.of("DQXH253"), Optional.empty()), cert.platform());

        List<Property> properties = new ArrayList<>();
        for (JsonNode p : list.get("PROPERTIES")) {
            properties.add(new Property(p.get("PROPERTYNAME").asText(), p.get("PROPERTYVALUE").asText(), Optional.empty()));
        }
        assertEquals(properties, cert.properties());
    }

    private static Component fromPaccorJson(JsonNode c) {
        JsonNode cls = c.get("COMPONENTCLASS");
        List<Address> addresses = new ArrayList<>();
        if (c.has("ADDRESSES")) {
            Map<String, String> types = Map.of("ETHERNETMAC", Address.ETHERNET_MAC, "WLANMAC", Address.WLAN_MAC,
                    "BLUETOOTHMAC", Address.BLUETOOTH_MAC);
            for (JsonNode a : c.get("ADDRESSES")) {
                a.fields().forEachRemaining(e -> addresses.add(new Address(types.get(e.getKey()), e.getValue().asText())));
            }
        }
        return new Component(
                Optional.of(new ComponentClass(cls.get("COMPONENTCLASSREGISTRY").asText(), cls.get("COMPONENTCLASSVALUE").asText())),
                c.get("MANUFACTURER").asText(), c.get("MODEL").asText(), text(c, "SERIAL"), text(c, "REVISION"),
                Optional.empty(), text(c, "FIELDREPLACEABLE").map(Boolean::parseBoolean), addresses, Optional.empty());
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.has(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    @Test
    void specificationAttributesEqualPaccorsPolicyReference() throws Exception {
        JsonNode policy = JSON.readTree(vector("localhost-policyreference.json"));
        PlatformCertificate cert = sample();
        JsonNode platformSpec = policy.get("TCGPLATFORMSPECIFICATION");
        JsonNode version = platformSpec.get("VERSION");
        assertEquals(Optional.of(new PlatformSpecification(
                new SpecificationVersion(version.get("MAJORVERSION").asInt(), version.get("MINORVERSION").asInt(),
                        version.get("REVISION").asInt()),
                HexFormat.of().withUpperCase().formatHex(Base64.getDecoder().decode(platformSpec.get("PLATFORMCLASS").asText())))),
                cert.platformSpecification());
        assertEquals("1.3.22", cert.platformSpecification().get().version().toString());
        JsonNode credentialSpec = policy.get("TCGCREDENTIALSPECIFICATION");
        assertEquals(Optional.of(new SpecificationVersion(credentialSpec.get("MAJORVERSION").asInt(),
                credentialSpec.get("MINORVERSION").asInt(), credentialSpec.get("REVISION").asInt())),
                cert.credentialSpecification());
        assertEquals(Optional.of(PlatformCertificate.PLATFORM_CERTIFICATE), cert.credentialType());
        assertEquals(List.of("2.23.133.2.25", "2.23.133.2.19", "2.23.133.5.1.7.3", "2.23.133.2.17", "2.23.133.2.23"),
                cert.attributeTypes());
        assertEquals(List.of(), cert.criticalExtensions());
    }

    @Test
    void whatTheComponentListLooksLike() {
        List<Component> components = sample().components();
        // three class registries, not one: DMTF SMBIOS (.3), PCIe (.4) and storage (.5)
        assertEquals(8, components.stream().filter(c -> c.componentClass().get().registry().equals("2.23.133.18.3.3")).count());
        assertEquals(24, components.stream().filter(c -> c.componentClass().get().registry().equals("2.23.133.18.3.4")).count());
        assertEquals(1, components.stream().filter(c -> c.componentClass().get().registry().equals("2.23.133.18.3.5")).count());
        // 13 carry a serial, one of them a single space (the CPU)
        assertEquals(13, components.stream().filter(c -> c.serial().isPresent()).count());
        assertEquals(12, components.stream().filter(Component::hasComparableSerial).count());
        assertEquals(Optional.of(" "), components.get(6).serial());
        assertEquals("Intel(R) Corporation", components.get(6).manufacturer());
    }

    @Test
    void pemAndDerParseToTheSameCertificate() {
        byte[] der = Pem.decode(new String(samplePem(), java.nio.charset.StandardCharsets.US_ASCII), "ATTRIBUTE CERTIFICATE");
        assertEquals(3832, der.length);
        PlatformCertificate fromDer = PlatformCertificate.parse(der);
        assertEquals(sample(), fromDer);
        assertArrayEquals(der, sample().der());
    }

    @Test
    void flippingAnyBitBreaksParsingOrVerification() {
        byte[] der = sample().der();
        List<byte[]> cas = List.of(sampleCaDer());
        int parseFailures = 0;
        int verifyFailures = 0;
        for (int i = 0; i < der.length; i++) {
            byte[] flipped = der.clone();
            flipped[i] ^= 0x01;
            PlatformCertificate cert;
            try {
                cert = PlatformCertificate.parse(flipped);
            } catch (PlatformCertificateException e) {
                parseFailures++;
                continue;
            } catch (RuntimeException e) {
                fail("byte " + i + ": parse threw " + e, e);
                return;
            }
            SignatureVerification result = PlatformCertificateVerifier.verifySignature(cert, cas, IN_2026);
            assertFalse(result.verified(), "byte " + i + " flipped still verifies: " + result);
            verifyFailures++;
        }
        assertEquals(der.length, parseFailures + verifyFailures);
        assertTrue(parseFailures > 0 && verifyFailures > 0, parseFailures + " / " + verifyFailures);
    }

    @Test
    void anUnrelatedCaDoesNotVerifyIt() throws Exception {
        TestCa unrelated = TestCa.create("C=US,O=example.org,OU=Unrelated");
        SignatureVerification result = PlatformCertificateVerifier.verifySignature(sample(), List.of(unrelated.der()), IN_2026);
        assertEquals(Outcome.UNKNOWN_ISSUER, result.outcome());
        assertEquals(OptionalInt.empty(), result.issuerIndex());

        // same name as PCTestCA, different key
        TestCa impostor = TestCa.create("C=US,O=example.com,OU=PCTest");
        result = PlatformCertificateVerifier.verifySignature(sample(), List.of(impostor.der()), IN_2026);
        assertEquals(Outcome.BAD_SIGNATURE, result.outcome(), result.reason());
        assertEquals(OptionalInt.empty(), result.issuerIndex());
    }

    @Test
    void validityIsJudgedAtTheGivenInstant() {
        List<byte[]> cas = List.of(sampleCaDer());
        PlatformCertificate cert = sample();
        assertEquals(Outcome.NOT_YET_VALID,
                PlatformCertificateVerifier.verifySignature(cert, cas, Instant.parse("2023-12-31T00:00:00Z")).outcome());
        assertEquals(Outcome.EXPIRED,
                PlatformCertificateVerifier.verifySignature(cert, cas, Instant.parse("2030-01-01T05:00:01Z")).outcome());
        assertEquals(Outcome.VERIFIED,
                PlatformCertificateVerifier.verifySignature(cert, cas, Instant.parse("2030-01-01T05:00:00Z")).outcome());
        // the certificate claims validity from 2024, but its CA certificate was only issued on 2025-09-09
        SignatureVerification early = PlatformCertificateVerifier.verifySignature(cert, cas, Instant.parse("2025-01-01T00:00:00Z"));
        assertEquals(Outcome.ISSUER_NOT_VALID, early.outcome(), early.reason());
        assertEquals(OptionalInt.of(0), early.issuerIndex());
    }
}
