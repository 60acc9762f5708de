package org.fabtrail.attestation;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.AttributeCertificateHolder;
import org.bouncycastle.cert.AttributeCertificateIssuer;
import org.bouncycastle.cert.X509v2AttributeCertificateBuilder;
import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.SigningKey;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * Makes TCG Platform Certificates (RFC 5755 attribute certificates in the TCG Platform Certificate Profile 1.1 shape:
 * {@code tcg-at-tcgCredentialType}, the platform identity in the subjectAltName, the components in
 * {@code tcg-at-platformConfiguration-v2}), signed by a device CA made with {@link DeviceCertificates}: for the demo
 * data and the tests.
 */
public final class PlatformCertificateIssuer {

    /** SMBIOS component classes (registry {@code 2.23.133.18.3.3}). */
    public static final String SMBIOS = "2.23.133.18.3.3";
    /** PCIe class codes (registry {@code 2.23.133.18.3.4}). */
    public static final String PCIE = "2.23.133.18.3.4";

    private static final SecureRandom RANDOM = new SecureRandom();

    private PlatformCertificateIssuer() {
    }

    /** A component to list; {@code serial} may be null. */
    public record Item(String registry, String classValue, String manufacturer, String model, String serial) {
    }

    /** What the certificate says. Defaults: valid from a day ago for five years, a base certificate. */
    public static final class Spec {
        String manufacturer;
        String model;
        String serial;
        Instant notBefore = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(Duration.ofDays(5 * 365));
        final List<Item> components = new ArrayList<>();
        boolean delta;
        String criticalExtension;
        String holderIssuer = "CN=Example TPM EK CA,O=Example TPM Vendor,C=CH";
        BigInteger holderSerial = new BigInteger(64, RANDOM).setBit(63);

        /** A platform: manufacturer and model (required by the profile) and serial (null for none). */
        public Spec(String manufacturer, String model, String serial) {
            this.manufacturer = manufacturer;
            this.model = model;
            this.serial = serial;
        }

        public Spec validity(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        public Spec component(String registry, String classValue, String manufacturer, String model, String serial) {
            components.add(new Item(registry, classValue, manufacturer, model, serial));
            return this;
        }

        /** A delta certificate (credential type {@code tcg-kp-DeltaPlatformAttributeCertificate}). */
        public Spec delta() {
            delta = true;
            return this;
        }

        /** Adds a critical extension no verifier knows (with a NULL value). */
        public Spec unknownCriticalExtension(String oid) {
            criticalExtension = oid;
            return this;
        }
    }

    /** The DER certificate, issued and signed by {@code ca}. */
    public static byte[] issue(Spec spec, DeviceCertificates.Issued ca) {
        return issue(spec, ca.subject(), ca.key());
    }

    /** The DER certificate naming {@code issuerName} as issuer, signed by {@code key} (tests forge with another). */
    public static byte[] issue(Spec spec, String issuerName, SigningKey key) {
        try {
            X509v2AttributeCertificateBuilder b = new X509v2AttributeCertificateBuilder(
                    new AttributeCertificateHolder(new X500Name(spec.holderIssuer), spec.holderSerial),
                    new AttributeCertificateIssuer(DeviceCertificates.name(issuerName)),
                    new BigInteger(64, RANDOM).setBit(63), Date.from(spec.notBefore), Date.from(spec.notAfter));
            b.addAttribute(new ASN1ObjectIdentifier("2.23.133.2.25"), new DERSequence(new ASN1ObjectIdentifier(
                    spec.delta ? "2.23.133.8.5" : "2.23.133.8.2")));
            ASN1EncodableVector components = new ASN1EncodableVector();
            for (Item c : spec.components) {
                components.add(component(c));
            }
            if (components.size() > 0) { // the profile requires at least one component when the list is given
                b.addAttribute(new ASN1ObjectIdentifier("2.23.133.5.1.7.2"), new DERSequence(
                        new DERTaggedObject(false, 0, new DERSequence(components))));
            }
            X500NameBuilder platform = new X500NameBuilder()
                    .addRDN(new ASN1ObjectIdentifier("2.23.133.5.1.1"), new DERUTF8String(spec.manufacturer))
                    .addRDN(new ASN1ObjectIdentifier("2.23.133.5.1.4"), new DERUTF8String(spec.model));
            if (spec.serial != null) {
                platform.addRDN(new ASN1ObjectIdentifier("2.23.133.5.1.6"), new DERUTF8String(spec.serial));
            }
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.directoryName, platform.build())));
            if (spec.criticalExtension != null) {
                b.addExtension(new ASN1ObjectIdentifier(spec.criticalExtension), true, DERNull.INSTANCE);
            }
            return b.build(DeviceCertificates.signer(key)).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot build a platform certificate", e);
        }
    }

    /** {@code ComponentIdentifierV2}: class, manufacturer, model, [0] serial. */
    private static DERSequence component(Item c) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(c.registry()),
                new DEROctetString(HexFormat.of().parseHex(c.classValue()))}));
        v.add(new DERUTF8String(c.manufacturer()));
        v.add(new DERUTF8String(c.model()));
        if (c.serial() != null) {
            v.add(new DERTaggedObject(false, 0, new DERUTF8String(c.serial())));
        }
        v.add(new DERTaggedObject(false, 3, ASN1Boolean.TRUE)); // fieldReplaceable
        return new DERSequence(v);
    }

    /** PEM, labelled {@code ATTRIBUTE CERTIFICATE} (RFC 7468). */
    public static String pem(byte[] der) {
        return Pem.encode("ATTRIBUTE CERTIFICATE", der);
    }
}
