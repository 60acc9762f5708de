package org.fabtrail.attestation;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.RFC4519Style;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.VerificationKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * Makes device CA certificates, device identity certificates and CRLs: for the device simulator, the demo data and
 * the tests. The certificates are what a manufacturer's PKI would issue for IEEE 802.1AR-style device identities:
 * CAs with basicConstraints and keyCertSign (and cRLSign), devices with their serial as the subject's serialNumber
 * and digitalSignature. Keys are Fabtrail's own {@link SigningKey}s (Ed25519 or ECDSA P-256).
 */
public final class DeviceCertificates {

    /** KeyUsage bits, as {@link KeyUsage} numbers them. */
    public static final int DIGITAL_SIGNATURE = KeyUsage.digitalSignature;
    public static final int KEY_CERT_SIGN = KeyUsage.keyCertSign;
    public static final int CRL_SIGN = KeyUsage.cRLSign;

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceCertificates() {
    }

    /**
     * What a certificate says. Defaults: valid from a day ago for a year, keyUsage as {@link #ca} sets it, no
     * subject serialNumber.
     */
    public static final class Spec {
        String subject;
        String serialNumber;
        Instant notBefore = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(Duration.ofDays(366));
        boolean ca;
        Integer pathLen;
        boolean basicConstraints = true;
        Integer keyUsage = DIGITAL_SIGNATURE;
        BigInteger certSerial = new BigInteger(64, RANDOM).setBit(63);
        ASN1ObjectIdentifier criticalExtension;

        private Spec(String subject) {
            this.subject = subject;
        }

        /** A device CA named {@code subject} (e.g. {@code CN=Acme Device CA,O=Acme}): cA, keyCertSign, cRLSign. */
        public static Spec ca(String subject) {
            Spec s = new Spec(subject);
            s.ca = true;
            s.keyUsage = KEY_CERT_SIGN | CRL_SIGN;
            s.notAfter = s.notBefore.plus(Duration.ofDays(3650));
            return s;
        }

        /** A device certificate for {@code serial}: subject {@code CN=<serial>,SERIALNUMBER=<serial>,O=<org>}. */
        public static Spec device(String org, String serial) {
            Spec s = new Spec("CN=" + serial + ",SERIALNUMBER=" + serial + ",O=" + org);
            s.serialNumber = serial;
            s.notAfter = s.notBefore.plus(Duration.ofDays(5 * 365));
            return s;
        }

        public Spec validity(Instant from, Instant to) {
            notBefore = from;
            notAfter = to;
            return this;
        }

        public Spec pathLen(Integer pathLen) {
            this.pathLen = pathLen;
            return this;
        }

        /** cA=false in the basic constraints (the issuer then is no CA), or, with {@code present=false}, none. */
        public Spec notCa(boolean present) {
            ca = false;
            basicConstraints = present;
            return this;
        }

        /** KeyUsage bits ({@link #DIGITAL_SIGNATURE}, ...); null leaves the extension out. */
        public Spec keyUsage(Integer bits) {
            keyUsage = bits;
            return this;
        }

        public Spec certSerial(BigInteger serial) {
            certSerial = serial;
            return this;
        }

        public BigInteger certSerial() {
            return certSerial;
        }

        /** Adds a critical extension no validator knows (with a NULL value). */
        public Spec unknownCriticalExtension(String oid) {
            criticalExtension = new ASN1ObjectIdentifier(oid);
            return this;
        }
    }

    /** A certificate together with the key that signs for its subject. */
    public record Issued(byte[] der, SigningKey key, String subject) {
        public String pem() {
            return Pem.encode("CERTIFICATE", der);
        }
    }

    /** A self-signed CA. */
    public static Issued selfSigned(Spec spec, SigningKey key) {
        return new Issued(certificate(spec, key.verificationKey(), spec.subject, key), key, spec.subject);
    }

    /** A certificate for {@code subjectKey}, issued and signed by {@code issuer}. */
    public static Issued issue(Spec spec, SigningKey subjectKey, Issued issuer) {
        return new Issued(certificate(spec, subjectKey.verificationKey(), issuer.subject(), issuer.key()), subjectKey,
                spec.subject);
    }

    /**
     * The DER certificate: {@code spec} about {@code subjectKey}, naming {@code issuerName} as issuer and signed by
     * {@code issuerKey} (which tests may make a key other than the issuer's).
     */
    public static byte[] certificate(Spec spec, VerificationKey subjectKey, String issuerName, SigningKey issuerKey) {
        return certificate(spec, subjectKey.spki(), issuerName, issuerKey);
    }

    /** As above, for any subject key given as its DER SubjectPublicKeyInfo (tests use keys Fabtrail refuses). */
    public static byte[] certificate(Spec spec, byte[] subjectSpki, String issuerName, SigningKey issuerKey) {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(subjectSpki);
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(name(issuerName), spec.certSerial,
                    Date.from(spec.notBefore), Date.from(spec.notAfter), name(spec.subject), spki);
            if (spec.basicConstraints) {
                b.addExtension(Extension.basicConstraints, true, !spec.ca ? new BasicConstraints(false)
                        : spec.pathLen == null ? new BasicConstraints(true) : new BasicConstraints(spec.pathLen));
            }
            if (spec.keyUsage != null) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(spec.keyUsage));
            }
            BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
            if (spec.criticalExtension != null) {
                b.addExtension(spec.criticalExtension, true, DERNull.INSTANCE);
            }
            return b.build(signer(issuerKey)).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot build a certificate", e);
        }
    }

    /** A CRL of {@code ca} revoking the given certificate serials. {@code number} may be null (no cRLNumber). */
    public static byte[] crl(Issued ca, Instant thisUpdate, Instant nextUpdate, BigInteger number,
                             List<BigInteger> revoked) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(name(ca.subject()), Date.from(thisUpdate));
            if (nextUpdate != null) {
                b.setNextUpdate(Date.from(nextUpdate));
            }
            for (BigInteger serial : revoked) {
                b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
            }
            if (number != null) {
                b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            }
            return b.build(signer(ca.key())).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot build a CRL", e);
        }
    }

    /** An RFC 4514 name ({@code CN=Device CA,O=Acme}: most specific first), encoded in X.509's order. */
    static X500Name name(String rfc4514) {
        return new X500Name(RFC4519Style.INSTANCE, rfc4514);
    }

    /** Signs with a Fabtrail key: pure Ed25519, or ECDSA P-256 with SHA-256. */
    static ContentSigner signer(SigningKey key) {
        AlgorithmIdentifier alg = key.algorithm() == SignatureAlgorithm.ED25519
                ? new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519)
                : new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        ByteArrayOutputStream tbs = new ByteArrayOutputStream();
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return alg;
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                return key.sign(tbs.toByteArray());
            }
        };
    }
}
