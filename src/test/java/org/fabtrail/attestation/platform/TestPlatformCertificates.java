package org.fabtrail.attestation.platform;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.AttributeCertificateHolder;
import org.bouncycastle.cert.AttributeCertificateIssuer;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2AttributeCertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.fabtrail.crypto.TestResources;

/**
 * Builds test CAs and Platform Certificates with Bouncy Castle, and loads the paccor vector.
 */
final class TestPlatformCertificates {

    static final String VECTORS = "vectors/tcg-platform-certificate/";
    static final Provider BC = new BouncyCastleProvider();

    private TestPlatformCertificates() {
    }

    static byte[] vector(String name) {
        return TestResources.bytes(VECTORS + name);
    }

    /** The paccor sample certificate, PEM as shipped. */
    static byte[] samplePem() {
        return vector("platform_cert.20250909102720.pem");
    }

    /** The paccor sample's issuing CA, DER. */
    static byte[] sampleCaDer() {
        return org.fabtrail.crypto.Pem.decode(TestResources.utf8(VECTORS + "PCTestCA.example.com.pem"), "CERTIFICATE");
    }

    /** A self-signed P-256 CA. */
    record TestCa(X500Name name, KeyPair keys, byte[] der) {

        static TestCa create(String name, Instant notBefore, Instant notAfter) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name x500 = new X500Name(name);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(x500, BigInteger.valueOf(7),
                    Date.from(notBefore), Date.from(notAfter), x500, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            X509CertificateHolder cert = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(keys.getPrivate()));
            return new TestCa(x500, keys, cert.getEncoded());
        }

        static TestCa create(String name) throws Exception {
            return create(name, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2040-01-01T00:00:00Z"));
        }
    }

    /** Builder for Platform Certificates: a complete, valid base certificate unless told otherwise. */
    static final class CertBuilder {
        X500Name holderIssuer = new X500Name("C=CH,O=Example TPM Vendor,CN=Example EK CA");
        BigInteger holderSerial = new BigInteger("1234567890ABCDEF", 16);
        BigInteger serial = BigInteger.valueOf(42);
        Instant notBefore = Instant.parse("2024-01-01T00:00:00Z");
        Instant notAfter = Instant.parse("2030-01-01T00:00:00Z");
        final List<Object[]> attributes = new ArrayList<>();
        final List<Extension> extensions = new ArrayList<>();
        boolean san = true;

        CertBuilder() {
            attribute("2.23.133.2.25", new DERSequence(new ASN1ObjectIdentifier("2.23.133.8.2")));
        }

        CertBuilder attribute(String oid, ASN1Encodable value) {
            attributes.add(new Object[] {new ASN1ObjectIdentifier(oid), value});
            return this;
        }

        CertBuilder extension(String oid, boolean critical, ASN1Encodable value) throws Exception {
            extensions.add(new Extension(new ASN1ObjectIdentifier(oid), critical, value.toASN1Primitive().getEncoded()));
            return this;
        }

        CertBuilder noSubjectAltName() {
            san = false;
            return this;
        }

        byte[] build(TestCa ca) throws Exception {
            X509v2AttributeCertificateBuilder b = new X509v2AttributeCertificateBuilder(
                    new AttributeCertificateHolder(holderIssuer, holderSerial), new AttributeCertificateIssuer(ca.name()),
                    serial, Date.from(notBefore), Date.from(notAfter));
            for (Object[] a : attributes) {
                b.addAttribute((ASN1ObjectIdentifier) a[0], (ASN1Encodable) a[1]);
            }
            if (san) {
                X500Name platform = new X500NameBuilder()
                        .addRDN(new ASN1ObjectIdentifier("2.23.133.5.1.1"), new DERUTF8String("Example Corp."))
                        .addRDN(new ASN1ObjectIdentifier("2.23.133.5.1.4"), new DERUTF8String("Server 9000"))
                        .addRDN(new ASN1ObjectIdentifier("2.23.133.5.1.6"), new DERUTF8String("SRV-0001"))
                        .build();
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.directoryName, platform)));
            }
            for (Extension e : extensions) {
                b.addExtension(e);
            }
            return b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(ca.keys().getPrivate()))
                    .getEncoded();
        }
    }

    // ---------------------------------------------------------------- ASN.1 for TCG structures

    static DERSequence componentClass(String registry, String hex) {
        return new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(registry),
                new DEROctetString(java.util.HexFormat.of().parseHex(hex))});
    }

    /** ComponentIdentifierV2 with optional serial [0], revision [1] and fieldReplaceable [3]. */
    static DERSequence componentV2(String registry, String classValue, String manufacturer, String model,
            String serial, String revision, Boolean fieldReplaceable) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(componentClass(registry, classValue));
        v.add(new DERUTF8String(manufacturer));
        v.add(new DERUTF8String(model));
        if (serial != null) {
            v.add(new DERTaggedObject(false, 0, new DERUTF8String(serial)));
        }
        if (revision != null) {
            v.add(new DERTaggedObject(false, 1, new DERUTF8String(revision)));
        }
        if (fieldReplaceable != null) {
            v.add(new DERTaggedObject(false, 3, ASN1Boolean.getInstance(fieldReplaceable.booleanValue())));
        }
        return new DERSequence(v);
    }

    /** ComponentIdentifier version 1 (no class) with optional serial [0]. */
    static DERSequence componentV1(String manufacturer, String model, String serial) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DERUTF8String(manufacturer));
        v.add(new DERUTF8String(model));
        if (serial != null) {
            v.add(new DERTaggedObject(false, 0, new DERUTF8String(serial)));
        }
        return new DERSequence(v);
    }

    static DERSequence trait(String id, String category, String registry, ASN1Encodable value) {
        return new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(id), new ASN1ObjectIdentifier(category),
                new ASN1ObjectIdentifier(registry), value});
    }

    static DERSequence utf8Trait(String category, String value) {
        return trait("2.23.133.19.1.18", category, "2.23.133.19.3.1", new DERUTF8String(value));
    }

    /** A version 3 component made of the componentIdentifierV11 trait, the value written as paccor writes it. */
    static DERSequence v11Component(ASN1Encodable identifier) {
        return new DERSequence(trait("2.23.133.19.1.5", "2.23.133.19.2.26", "2.23.133.18.3.3", identifier));
    }

    static DERSequence properties(String... nameValue) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (int i = 0; i < nameValue.length; i += 2) {
            v.add(new DERSequence(new ASN1Encodable[] {new DERUTF8String(nameValue[i]), new DERUTF8String(nameValue[i + 1])}));
        }
        return new DERSequence(v);
    }

    /** A platformConfiguration value: context-tagged implicit fields. */
    static DERSequence configuration(Object... tagAndValue) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        for (int i = 0; i < tagAndValue.length; i += 2) {
            v.add(new DERTaggedObject(false, (Integer) tagAndValue[i], (ASN1Encodable) tagAndValue[i + 1]));
        }
        return new DERSequence(v);
    }

    static DERSequence sequence(ASN1Encodable... elements) {
        return new DERSequence(elements);
    }

    static DERSequence specificationVersion(int major, int minor, int revision) {
        return new DERSequence(new ASN1Encodable[] {new ASN1Integer(major), new ASN1Integer(minor), new ASN1Integer(revision)});
    }
}
