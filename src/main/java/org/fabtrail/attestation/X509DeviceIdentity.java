package org.fabtrail.attestation;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.VerificationKey;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link DeviceIdentity} with Bouncy Castle: X.509 parsing, CRLs, and PKIX path validation.
 *
 * <p>A chain is built from the device certificate upwards, each issuer found by name among the registered CAs
 * (which end the path: they are the trust anchors) and the presented intermediates, and confirmed by its signature.
 * The path is then checked twice: by explicit checks that name what is wrong (validity at the given time of every
 * certificate and of the anchor, basic constraints and keyCertSign on issuers, digitalSignature on the device
 * certificate, path length constraints including the anchor's, revocation by the registered CRLs), and by Bouncy
 * Castle's PKIX validator, which is authoritative: a path it refuses for a reason the explicit checks did not see
 * (an unknown critical extension, name constraints, policies) fails with {@code chain-invalid}.
 */
public final class X509DeviceIdentity implements DeviceIdentity {

    static final Provider BC = new BouncyCastleProvider();
    /** Most certificates between the device certificate and its anchor. */
    static final int MAX_DEPTH = 8;
    private static final Map<String, String> NAMES = Map.of("2.5.4.5", "SERIALNUMBER");

    @Override
    public CaCertificate parseCa(byte[] der) {
        X509Certificate c = certificate(der);
        if (c.getBasicConstraints() < 0) {
            throw new Refused("not-a-ca-certificate", "the certificate is not a CA certificate: its basic constraints "
                    + "do not say cA=true");
        }
        // RFC 5280 4.2.1.3: without a key usage extension the key's use is not restricted (the TCG's sample
        // platform CA has none); a key usage that is present must include keyCertSign
        boolean[] ku = c.getKeyUsage();
        if (ku != null && (ku.length < 6 || !ku[5])) {
            throw new Refused("not-a-ca-certificate", "the certificate's key usage does not include keyCertSign");
        }
        return new CaCertificate(sha256Hex(der), name(c.getSubjectX500Principal()), der.clone());
    }

    @Override
    public Crl parseCrl(byte[] der, Collection<CaCertificate> cas) {
        X509CRL crl;
        try {
            crl = (X509CRL) factory().generateCRL(new ByteArrayInputStream(der));
            if (crl == null || !Arrays.equals(crl.getEncoded(), der)) {
                throw new Refused("invalid-crl", "not exactly one DER certificate revocation list");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof Refused r) {
                throw r;
            }
            throw new Refused("invalid-crl", "not an X.509 certificate revocation list: " + e.getMessage());
        }
        X500Principal issuer = crl.getIssuerX500Principal();
        boolean named = false;
        for (CaCertificate ca : cas) {
            X509Certificate c = certificate(ca.der());
            if (!c.getSubjectX500Principal().equals(issuer)) {
                continue;
            }
            named = true;
            try {
                crl.verify(c.getPublicKey(), BC);
            } catch (GeneralSecurityException | RuntimeException e) {
                continue;
            }
            // signed by the CA, but what it signed may still be malformed (Bouncy Castle reads extensions and
            // entries lazily): a refusal like any other, not an exception
            BigInteger number = null;
            int revoked;
            try {
                byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
                if (ext != null) {
                    number = ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
                }
                revoked = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
            } catch (RuntimeException e) {
                throw new Refused("invalid-crl", "the CRL's cRLNumber extension or revoked certificates are "
                        + "malformed: " + e.getMessage());
            }
            return new Crl(ca.caId(), crl.getThisUpdate().toInstant(),
                    crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant(), number, revoked);
        }
        if (!named) {
            throw new Refused("unknown-ca", "the CRL's issuer " + name(issuer) + " is not a device CA this "
                    + "manufacturer registered (ca.add) and has not revoked");
        }
        throw new Refused("crl-signature-invalid", "the CRL's signature does not verify with the key of the registered "
                + "CA " + name(issuer));
    }

    @Override
    public DeviceCertificate parseDevice(byte[] der) {
        certificate(der);
        X509CertificateHolder h;
        byte[] spki;
        try {
            h = new X509CertificateHolder(der);
            spki = h.getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            throw new Refused("invalid-certificate", "not an X.509 certificate: " + e.getMessage());
        }
        VerificationKey key;
        try {
            key = VerificationKey.fromSpki(spki);
        } catch (KeyFormatException e) {
            throw new Refused(AttestationReasons.UNSUPPORTED_DEVICE_KEY, "the device key is not an Ed25519 or P-256 "
                    + "key: " + e.getMessage());
        }
        return new DeviceCertificate(spki, key.keyId(), key.algorithm().wireName(), subjectSerial(h));
    }

    /** The subject's one serialNumber attribute, or null. */
    private static String subjectSerial(X509CertificateHolder h) {
        RDN[] rdns = h.getSubject().getRDNs(BCStyle.SERIALNUMBER);
        if (rdns.length != 1 || rdns[0].isMultiValued() || !(rdns[0].getFirst().getValue() instanceof ASN1String s)) {
            return null;
        }
        return s.getString();
    }

    @Override
    public List<String> checkChain(byte[] leafDer, List<byte[]> intermediates, Instant at, Trust trust) {
        Set<String> reasons = new LinkedHashSet<>();
        X509Certificate leaf;
        try {
            leaf = certificate(leafDer);
        } catch (Refused r) {
            return List.of(AttestationReasons.CHAIN_INVALID);
        }
        List<X509Certificate> active = new ArrayList<>();
        List<X509Certificate> revoked = new ArrayList<>();
        trust.cas().forEach((id, der) -> {
            X509Certificate c = tryCertificate(der);
            if (c != null) {
                (trust.revokedCas().contains(id) ? revoked : active).add(c);
            }
        });
        List<X509Certificate> pool = new ArrayList<>();
        for (byte[] der : intermediates) {
            X509Certificate c = tryCertificate(der);
            if (c != null) {
                pool.add(c);
            }
        }

        // Build the path from the device certificate up to an anchor.
        List<X509Certificate> path = new ArrayList<>(List.of(leaf));
        X509Certificate anchor = null;
        X509Certificate cur = leaf;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            X509Certificate a = issuerAmong(active, cur);
            if (a != null) {
                anchor = a;
                break;
            }
            X509Certificate r = issuerAmong(revoked, cur);
            if (r != null) {
                anchor = r;
                reasons.add(AttestationReasons.CA_REVOKED);
                break;
            }
            X509Certificate next = issuerAmong(pool, cur);
            if (next == null) {
                // a certificate of the issuer's name whose key does not verify is a forgery or a broken chain
                reasons.add(named(active, cur) || named(revoked, cur) || named(pool, cur)
                        ? AttestationReasons.BAD_CERTIFICATE_SIGNATURE : AttestationReasons.UNKNOWN_ISSUER);
                break;
            }
            pool.remove(next);
            path.add(next);
            cur = next;
        }
        if (anchor == null && reasons.isEmpty()) {
            reasons.add(AttestationReasons.PATH_TOO_LONG); // more than MAX_DEPTH certificates without an anchor
        }

        // What is wrong with each certificate on it, anchor or not.
        Date when = Date.from(at);
        for (int i = 0; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            validity(c, when, reasons);
            boolean[] ku = c.getKeyUsage();
            if (i == 0) {
                if (ku != null && !ku[0]) {
                    reasons.add(AttestationReasons.KEY_USAGE);
                }
            } else {
                if (c.getBasicConstraints() < 0) {
                    reasons.add(AttestationReasons.NOT_A_CA);
                }
                if (ku != null && (ku.length < 6 || !ku[5])) {
                    reasons.add(AttestationReasons.KEY_USAGE);
                }
            }
        }
        if (anchor != null) {
            validity(anchor, when, reasons);
            // path length (RFC 5280 6.1.4 (l), (m)), starting from the anchor's own constraint
            int max = anchor.getBasicConstraints() < 0 ? Integer.MAX_VALUE : anchor.getBasicConstraints();
            for (int i = path.size() - 1; i >= 1; i--) {
                X509Certificate c = path.get(i);
                if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                    if (max <= 0) {
                        reasons.add(AttestationReasons.PATH_TOO_LONG);
                    }
                    max--;
                }
                int constraint = c.getBasicConstraints();
                if (constraint >= 0 && constraint < max) {
                    max = constraint;
                }
            }
            // revocation by the CRL registered for each issuer
            for (int i = 0; i < path.size(); i++) {
                X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
                byte[] crlDer = trust.crls().get(sha256Hex(encoded(issuer)));
                if (crlDer != null && revokedBy(crlDer, path.get(i))) {
                    reasons.add(AttestationReasons.REVOKED);
                }
            }
            if (!pkixValid(path, anchor, when) && reasons.stream().noneMatch(
                    AttestationReasons.CHECKS.get("chain")::contains)) {
                reasons.add(AttestationReasons.CHAIN_INVALID);
            }
        }
        return AttestationReasons.sorted(reasons);
    }

    private static void validity(X509Certificate c, Date when, Set<String> reasons) {
        try {
            c.checkValidity(when);
        } catch (CertificateExpiredException e) {
            reasons.add(AttestationReasons.CERTIFICATE_EXPIRED);
        } catch (CertificateNotYetValidException e) {
            reasons.add(AttestationReasons.CERTIFICATE_NOT_YET_VALID);
        }
    }

    /** The first certificate named as {@code c}'s issuer whose key verifies {@code c}'s signature. */
    private static X509Certificate issuerAmong(List<X509Certificate> candidates, X509Certificate c) {
        for (X509Certificate i : candidates) {
            if (i.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, i)) {
                return i;
            }
        }
        return null;
    }

    private static boolean named(List<X509Certificate> candidates, X509Certificate c) {
        return candidates.stream().anyMatch(i -> i.getSubjectX500Principal().equals(c.getIssuerX500Principal()));
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey(), BC);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean revokedBy(byte[] crlDer, X509Certificate c) {
        try {
            X509CRL crl = (X509CRL) factory().generateCRL(new ByteArrayInputStream(crlDer));
            return crl.getRevokedCertificate(c.getSerialNumber()) != null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // registered CRLs were parsed and verified when registered
        }
    }

    /** Bouncy Castle's PKIX validation of the path (device certificate first) to the anchor at the time given. */
    private static boolean pkixValid(List<X509Certificate> path, X509Certificate anchor, Date when) {
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(when);
            CertPathValidator.getInstance("PKIX", BC).validate(factory().generateCertPath(path), params);
            return true;
        } catch (CertPathValidatorException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PKIX validation is unavailable", e);
        }
    }

    @Override
    public Optional<Description> describe(byte[] der) {
        X509Certificate c = tryCertificate(der);
        if (c == null) {
            return Optional.empty();
        }
        String alg;
        try {
            alg = parseDevice(der).algorithm();
        } catch (Refused r) {
            try {
                alg = c.getPublicKey().getAlgorithm();
            } catch (RuntimeException malformed) {
                alg = "unreadable"; // a certificate whose key Bouncy Castle cannot decode is still shown
            }
        }
        return Optional.of(new Description(name(c.getSubjectX500Principal()), name(c.getIssuerX500Principal()),
                c.getSerialNumber().toString(16), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                sha256Hex(der), alg));
    }

    @Override
    public boolean isCertificate(byte[] der) {
        return tryCertificate(der) != null;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509", BC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exactly one DER certificate. */
    static X509Certificate certificate(byte[] der) {
        try {
            X509Certificate c = (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
            if (c == null || !Arrays.equals(c.getEncoded(), der)) {
                throw new Refused("invalid-certificate", "not exactly one DER X.509 certificate");
            }
            return c;
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof Refused r) {
                throw r;
            }
            throw new Refused("invalid-certificate", "not an X.509 certificate: " + e.getMessage());
        }
    }

    private static X509Certificate tryCertificate(byte[] der) {
        try {
            return certificate(der);
        } catch (Refused r) {
            return null;
        }
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String name(X500Principal p) {
        return p.getName(X500Principal.RFC2253, NAMES);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
