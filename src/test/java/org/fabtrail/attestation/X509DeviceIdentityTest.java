package org.fabtrail.attestation;

import org.fabtrail.attestation.DeviceCertificates.Issued;
import org.fabtrail.attestation.DeviceCertificates.Spec;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The X.509 checks on their own: CA and device certificates, CRLs, and chains, without a database. */
class X509DeviceIdentityTest {

    static final X509DeviceIdentity ID = new X509DeviceIdentity();
    static final Instant NOW = Instant.now();

    static SigningKey key(SignatureAlgorithm alg) {
        return SigningKey.generate(alg);
    }

    static Issued root(String cn) {
        return DeviceCertificates.selfSigned(Spec.ca("CN=" + cn + ",O=Test"), key(SignatureAlgorithm.ES256));
    }

    static Issued device(Issued ca, String serial) {
        return DeviceCertificates.issue(Spec.device("Test", serial), key(SignatureAlgorithm.ED25519), ca);
    }

    static DeviceIdentity.Trust trust(Issued... cas) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (Issued ca : cas) {
            m.put(X509DeviceIdentity.sha256Hex(ca.der()), ca.der());
        }
        return new DeviceIdentity.Trust(m, Set.of(), Map.of());
    }

    @Test
    void aCaCertificateNeedsBasicConstraintsAndKeyCertSign() {
        Issued root = root("Root");
        DeviceIdentity.CaCertificate ca = ID.parseCa(root.der());
        assertEquals(X509DeviceIdentity.sha256Hex(root.der()), ca.caId());
        assertEquals("CN=Root,O=Test", ca.subject());
        Issued leaf = device(root, "SN1");
        assertEquals("not-a-ca-certificate", assertThrows(DeviceIdentity.Refused.class, () -> ID.parseCa(leaf.der())).code());
        Issued noSign = DeviceCertificates.selfSigned(Spec.ca("CN=NoSign").keyUsage(DeviceCertificates.CRL_SIGN),
                key(SignatureAlgorithm.ED25519));
        assertEquals("not-a-ca-certificate", assertThrows(DeviceIdentity.Refused.class, () -> ID.parseCa(noSign.der())).code());
        Issued noKeyUsage = DeviceCertificates.selfSigned(Spec.ca("CN=NoKeyUsage").keyUsage(null),
                key(SignatureAlgorithm.ED25519));
        assertEquals("CN=NoKeyUsage", ID.parseCa(noKeyUsage.der()).subject(), "no key usage: unrestricted (RFC 5280)");
        assertEquals("invalid-certificate", assertThrows(DeviceIdentity.Refused.class,
                () -> ID.parseCa(new byte[]{0x30, 0x03, 0x02, 0x01, 0x01})).code());
    }

    @Test
    void aDeviceCertificateGivesItsKeyAndSerial() {
        Issued root = root("Root");
        Issued leaf = device(root, "GPU-1");
        DeviceIdentity.DeviceCertificate d = ID.parseDevice(leaf.der());
        assertEquals("GPU-1", d.subjectSerial());
        assertEquals("Ed25519", d.algorithm());
        assertEquals(leaf.key().keyId(), d.keyId());
        assertNull(ID.parseDevice(root.der()).subjectSerial());
    }

    @Test
    void chains() {
        Issued root = root("Root");
        Issued inter = DeviceCertificates.issue(Spec.ca("CN=Issuing,O=Test").pathLen(0), key(SignatureAlgorithm.ED25519), root);
        Issued leaf = device(inter, "SN");
        assertEquals(List.of(), ID.checkChain(leaf.der(), List.of(inter.der()), NOW, trust(root)));
        assertEquals(List.of(), ID.checkChain(leaf.der(), List.of(), NOW, trust(inter)));
        assertEquals(List.of("unknown-issuer"), ID.checkChain(leaf.der(), List.of(), NOW, trust(root)));
        assertEquals(List.of("certificate-expired"), ID.checkChain(leaf.der(), List.of(inter.der()),
                NOW.plus(Duration.ofDays(6 * 366)), trust(root)));
        assertEquals(List.of("certificate-not-yet-valid"), ID.checkChain(leaf.der(), List.of(inter.der()),
                NOW.minus(Duration.ofDays(30)), trust(root)));
        // a CA with pathLen 0 cannot have a CA under it
        Issued tight = DeviceCertificates.issue(Spec.ca("CN=Tight,O=Test").pathLen(0), key(SignatureAlgorithm.ES256), root);
        Issued below = DeviceCertificates.issue(Spec.ca("CN=Below,O=Test"), key(SignatureAlgorithm.ES256), tight);
        Issued deep = device(below, "SN");
        assertEquals(List.of("path-too-long"), ID.checkChain(deep.der(), List.of(below.der(), tight.der()), NOW,
                trust(root)));
        // an issuer that is no CA
        Issued notCa = DeviceCertificates.issue(Spec.ca("CN=NotCa,O=Test").notCa(true)
                .keyUsage(DeviceCertificates.KEY_CERT_SIGN), key(SignatureAlgorithm.ES256), root);
        assertEquals(List.of("not-a-ca"), ID.checkChain(device(notCa, "SN").der(), List.of(notCa.der()), NOW, trust(root)));
        // key usage: an issuer without keyCertSign, a device without digitalSignature
        Issued noSign = DeviceCertificates.issue(Spec.ca("CN=NoSign,O=Test").keyUsage(DeviceCertificates.CRL_SIGN),
                key(SignatureAlgorithm.ES256), root);
        assertEquals(List.of("key-usage"), ID.checkChain(device(noSign, "SN").der(), List.of(noSign.der()), NOW, trust(root)));
        Issued noDs = DeviceCertificates.issue(Spec.device("Test", "SN").keyUsage(DeviceCertificates.KEY_CERT_SIGN),
                key(SignatureAlgorithm.ED25519), root);
        assertEquals(List.of("key-usage"), ID.checkChain(noDs.der(), List.of(), NOW, trust(root)));
        // a forged issuer of the same name
        Issued fake = DeviceCertificates.selfSigned(Spec.ca("CN=Root,O=Test"), key(SignatureAlgorithm.ES256));
        assertEquals(List.of("bad-certificate-signature"), ID.checkChain(device(fake, "SN").der(), List.of(), NOW, trust(root)));
        // an unknown critical extension: only PKIX sees it
        Issued odd = DeviceCertificates.issue(Spec.device("Test", "SN").unknownCriticalExtension("1.3.6.1.4.1.99999.1"),
                key(SignatureAlgorithm.ED25519), root);
        assertEquals(List.of("chain-invalid"), ID.checkChain(odd.der(), List.of(), NOW, trust(root)));
        // revocation: by a CRL of the issuer, or the CA itself revoked by its manufacturer
        Issued d1 = device(root, "SN");
        byte[] crl = DeviceCertificates.crl(root, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(7)), BigInteger.ONE,
                List.of(d1.key() == null ? BigInteger.ZERO : serialOf(d1)));
        String rootId = X509DeviceIdentity.sha256Hex(root.der());
        assertEquals(List.of("revoked"), ID.checkChain(d1.der(), List.of(), NOW,
                new DeviceIdentity.Trust(Map.of(rootId, root.der()), Set.of(), Map.of(rootId, crl))));
        assertEquals(List.of("ca-revoked"), ID.checkChain(d1.der(), List.of(), NOW,
                new DeviceIdentity.Trust(Map.of(rootId, root.der()), Set.of(rootId), Map.of())));
    }

    static BigInteger serialOf(Issued c) {
        return X509DeviceIdentity.certificate(c.der()).getSerialNumber();
    }

    @Test
    void crls() {
        Issued root = root("Root");
        Issued other = root("Other");
        DeviceIdentity.CaCertificate ca = ID.parseCa(root.der());
        byte[] crl = DeviceCertificates.crl(root, NOW, null, BigInteger.TEN, List.of(BigInteger.TWO));
        DeviceIdentity.Crl c = ID.parseCrl(crl, List.of(ID.parseCa(other.der()), ca));
        assertEquals(ca.caId(), c.caId());
        assertEquals(BigInteger.TEN, c.number());
        assertEquals(1, c.revoked());
        assertEquals("unknown-ca", assertThrows(DeviceIdentity.Refused.class,
                () -> ID.parseCrl(crl, List.of(ID.parseCa(other.der())))).code());
        Issued fake = DeviceCertificates.selfSigned(Spec.ca("CN=Root,O=Test"), key(SignatureAlgorithm.ED25519));
        byte[] forged = DeviceCertificates.crl(fake, NOW, null, null, List.of());
        assertEquals("crl-signature-invalid", assertThrows(DeviceIdentity.Refused.class,
                () -> ID.parseCrl(forged, List.of(ca))).code());
        assertEquals("invalid-crl", assertThrows(DeviceIdentity.Refused.class,
                () -> ID.parseCrl(root.der(), List.of(ca))).code());
    }
}
