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
        return new CaCertificate(sha256Hex(der), name(c.getSubjectX500Principal()), der.clone(), keyId(c),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
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
    public ChainCheck chain(byte[] leafDer, List<byte[]> intermediates, Instant at, Trust trust) {
        Set<String> reasons = new LinkedHashSet<>();
        X509Certificate leaf;
        try {
            leaf = certificate(leafDer);
        } catch (Refused r) {
            return new ChainCheck(List.of(AttestationReasons.CHAIN_INVALID), List.of());
        }
        Registered registered = Registered.of(trust);
        List<X509Certificate> pool = new ArrayList<>();
        for (byte[] der : intermediates) {
            X509Certificate c = tryCertificate(der);
            if (c != null) {
                pool.add(c);
            }
        }
        List<X509Certificate> path = new ArrayList<>(List.of(leaf));
        X509Certificate anchor = anchor(path, pool, registered, reasons);
        if (anchor == null && reasons.isEmpty()) {
            reasons.add(AttestationReasons.PATH_TOO_LONG); // more than MAX_DEPTH certificates without an anchor
        }
        if (anchor == null) {
            certificates(path, Date.from(at), registered, reasons);
            return new ChainCheck(AttestationReasons.sorted(reasons), List.of());
        }

        // Continue above the first registered CA, through the registered CAs (and presented certificates) that
        // issued it, to the topmost one: a withdrawal or a CRL anywhere above must reach the device too.
        path.add(anchor);
        List<X509Certificate> above = new ArrayList<>(registered.all);
        above.addAll(pool);
        climb(path, above);
        X509Certificate top = path.get(path.size() - 1);
        List<StaleCrl> stale = new ArrayList<>();
        check(path, at, registered, reasons, stale);
        if (!pkixValid(path.subList(0, path.size() - 1), top, Date.from(at))
                && reasons.stream().noneMatch(AttestationReasons.CHECKS.get("chain")::contains)) {
            reasons.add(AttestationReasons.CHAIN_INVALID);
        }
        return new ChainCheck(AttestationReasons.sorted(reasons), List.copyOf(stale));
    }

    /**
     * Builds the path from the device certificate ({@code path}'s only one) up to the first registered CA, taking
     * presented certificates out of {@code pool}; that CA, or null with the reason the path ends (none when it grew
     * too long).
     */
    private static X509Certificate anchor(List<X509Certificate> path, List<X509Certificate> pool, Registered registered,
                                          Set<String> reasons) {
        X509Certificate cur = path.get(0);
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            X509Certificate a = issuerAmong(registered.active, cur);
            if (a == null) {
                a = issuerAmong(registered.withdrawn, cur);
            }
            if (a != null) {
                return a;
            }
            X509Certificate next = issuerAmong(pool, cur);
            if (next == null) {
                // a certificate of the issuer's name whose key does not verify is a forgery or a broken chain
                reasons.add(named(registered.all, cur) || named(pool, cur)
                        ? AttestationReasons.BAD_CERTIFICATE_SIGNATURE : AttestationReasons.UNKNOWN_ISSUER);
                return null;
            }
            pool.remove(next);
            path.add(next);
            cur = next;
        }
        return null;
    }

    /**
     * What is wrong with each certificate of a path that ends in a registered CA (device certificate first, the
     * anchor last): validity, the issuers' basic constraints and key usage, the device's key usage, path length from
     * the anchor's constraint, withdrawal and revocation.
     */
    private static void check(List<X509Certificate> path, Instant at, Registered registered, Set<String> reasons,
                              List<StaleCrl> stale) {
        Date when = Date.from(at);
        certificates(path, when, registered, reasons);
        // path length (RFC 5280 6.1.4 (l), (m)), starting from the anchor's own constraint
        X509Certificate anchor = path.get(path.size() - 1);
        int max = anchor.getBasicConstraints() < 0 ? Integer.MAX_VALUE : anchor.getBasicConstraints();
        for (int i = path.size() - 2; i >= 1; i--) {
            X509Certificate c = path.get(i);
            if (!selfIssued(c)) {
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
        revocation(path, when, registered, reasons, stale);
    }

    /**
     * Each certificate on its own, whether or not the path reaches a registered CA: validity, the device's key usage,
     * each issuer's basic constraints and key usage, and whether an issuer's key was withdrawn.
     */
    private static void certificates(List<X509Certificate> path, Date when, Registered registered,
                                     Set<String> reasons) {
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
                if (registered.withdrawn(c)) {
                    reasons.add(AttestationReasons.CA_REVOKED);
                }
            }
        }
    }

    /**
     * Revocation by the CRLs registered for each issuer on the path (a certificate listed: {@code revoked}); the
     * newest CRL of each issuer must not be past its {@code nextUpdate} ({@code crl-stale}, collected in
     * {@code stale} when it is not null).
     */
    private static void revocation(List<X509Certificate> path, Date when, Registered registered, Set<String> reasons,
                                   List<StaleCrl> stale) {
        for (int i = 0; i + 1 < path.size(); i++) {
            X509Certificate issuer = path.get(i + 1);
            RegisteredCrl newest = null;
            for (RegisteredCrl crl : registered.crlsOf(issuer)) {
                if (listed(crl.crl, path.get(i))) {
                    reasons.add(AttestationReasons.REVOKED);
                }
                if (newest == null || crl.crl.getThisUpdate().after(newest.crl.getThisUpdate())) {
                    newest = crl;
                }
            }
            if (stale != null && newest != null && newest.crl.getNextUpdate() != null
                    && newest.crl.getNextUpdate().before(when)) {
                reasons.add(AttestationReasons.CRL_STALE);
                StaleCrl s = new StaleCrl(newest.caId, newest.crl.getNextUpdate().toInstant());
                if (!stale.contains(s)) {
                    stale.add(s);
                }
            }
        }
    }

    private static boolean listed(X509CRL crl, X509Certificate c) {
        try {
            return crl.getRevokedCertificate(c.getSerialNumber()) != null;
        } catch (RuntimeException e) {
            return false; // registered CRLs were parsed and verified when registered
        }
    }

    /** A registered CRL and the registered CA it belongs to. */
    private record RegisteredCrl(String caId, X509Certificate ca, X509CRL crl) {
    }

    /**
     * The registered CAs of a {@link Trust}, parsed: which are withdrawn (revoked, or of a revoked CA's key), the
     * keys withdrawn, and the CRLs.
     */
    private static final class Registered {
        final List<X509Certificate> all = new ArrayList<>();
        final List<X509Certificate> active = new ArrayList<>();
        final List<X509Certificate> withdrawn = new ArrayList<>();
        final Set<String> withdrawnKeys = new LinkedHashSet<>();
        final Set<String> withdrawnIds = new LinkedHashSet<>();
        final List<RegisteredCrl> crls = new ArrayList<>();

        static Registered of(Trust trust) {
            Registered r = new Registered();
            Map<String, X509Certificate> byId = new java.util.LinkedHashMap<>();
            trust.cas().forEach((id, der) -> {
                X509Certificate c = tryCertificate(der);
                if (c != null) {
                    byId.put(id, c);
                    if (trust.revokedCas().contains(id)) {
                        r.withdrawnKeys.add(keyId(c));
                    }
                }
            });
            byId.forEach((id, c) -> {
                r.all.add(c);
                boolean withdrawn = r.withdrawnKeys.contains(keyId(c));
                (withdrawn ? r.withdrawn : r.active).add(c);
                if (withdrawn) {
                    r.withdrawnIds.add(id);
                }
                byte[] crlDer = trust.crls().get(id);
                X509CRL crl = crlDer == null ? null : tryCrl(crlDer);
                if (crl != null) {
                    r.crls.add(new RegisteredCrl(id, c, crl));
                }
            });
            return r;
        }

        /** Withdrawn: the key of a revoked registered CA (whatever certificate carries it). */
        boolean withdrawn(X509Certificate c) {
            return withdrawnKeys.contains(keyId(c));
        }

        /** The registered CRLs that speak for {@code issuer}: those of registered CAs of its name and key. */
        List<RegisteredCrl> crlsOf(X509Certificate issuer) {
            List<RegisteredCrl> out = new ArrayList<>();
            for (RegisteredCrl crl : crls) {
                if (crl.ca.getSubjectX500Principal().equals(issuer.getSubjectX500Principal())
                        && crl.ca.getPublicKey().equals(issuer.getPublicKey())) {
                    out.add(crl);
                }
            }
            return out;
        }
    }

    /**
     * Whether a registered CA has been withdrawn or revoked from above: the CA itself, or any registered CA above it
     * (the registered CAs that issued it, up to the topmost), withdrawn ({@code ca-revoked}), or a certificate of
     * that path listed on the registered CRL of its issuer ({@code revoked}). For checks that end in a registered CA
     * without a device chain (platform certificates).
     */
    /**
     * Extends {@code path} upwards with the issuer of its last certificate found among {@code candidates} (which it
     * consumes), until a self-issued certificate, no issuer among them, or {@link #MAX_DEPTH} steps.
     */
    private static void climb(List<X509Certificate> path, List<X509Certificate> candidates) {
        X509Certificate cur;
        for (int depth = 0; depth < MAX_DEPTH && !selfIssued(cur = path.get(path.size() - 1)); depth++) {
            candidates.removeAll(path);
            X509Certificate up = issuerAmong(candidates, cur);
            if (up == null) {
                break;
            }
            path.add(up);
        }
    }

    static List<String> revocationAbove(byte[] caDer, Instant at, Trust trust) {
        X509Certificate ca = tryCertificate(caDer);
        if (ca == null) {
            return List.of();
        }
        Registered registered = Registered.of(trust);
        List<X509Certificate> path = new ArrayList<>(List.of(ca));
        climb(path, new ArrayList<>(registered.all));
        Set<String> reasons = new LinkedHashSet<>();
        if (path.stream().anyMatch(registered::withdrawn)) {
            reasons.add(AttestationReasons.CA_REVOKED);
        }
        revocation(path, Date.from(at), registered, reasons, null);
        return AttestationReasons.sorted(reasons);
    }

    /** The ids of the registered CAs that are withdrawn: revoked, or of a revoked CA's key. */
    static Set<String> withdrawnCas(Trust trust) {
        return Registered.of(trust).withdrawnIds;
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /** Lowercase hex SHA-256 of the certificate's DER SubjectPublicKeyInfo, as it is in the certificate. */
    static String keyId(X509Certificate c) {
        try {
            return sha256Hex(org.bouncycastle.asn1.x509.Certificate.getInstance(c.getEncoded())
                    .getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return sha256Hex(c.getPublicKey().getEncoded());
        }
    }

    private static X509CRL tryCrl(byte[] der) {
        try {
            return (X509CRL) factory().generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // registered CRLs were parsed and verified when registered
        }
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
