package org.fabtrail.attestation.platform;

import java.io.IOException;
import java.security.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509AttributeCertificateHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.fabtrail.attestation.platform.SignatureVerification.Outcome;

/**
 * Verifies a Platform Certificate's signature against CA certificates the caller trusts.
 *
 * <p>The CA certificates are trust anchors, used as they are: this class does not build or check
 * chains above them, nor check revocation. The caller passes the CA certificates a manufacturer has
 * registered; which ones to trust is the caller's decision.
 */
public final class PlatformCertificateVerifier {

    private static final Provider BC = new BouncyCastleProvider();

    /** Critical extensions this package processes: subjectAltName (the platform identity) and authorityKeyIdentifier. */
    private static final Set<String> PROCESSED_CRITICAL_EXTENSIONS = Set.of(
            Extension.subjectAlternativeName.getId(), Extension.authorityKeyIdentifier.getId());

    private PlatformCertificateVerifier() {
    }

    /**
     * Finds which CA certificate verifies a Platform Certificate at an instant.
     *
     * <p>In order: the CA certificates whose subject equals the certificate's issuer name are the
     * candidates (none: {@link Outcome#UNKNOWN_ISSUER}); the signature must verify with one candidate's
     * public key, through Bouncy Castle's {@link JcaContentVerifierProviderBuilder} (none:
     * {@link Outcome#BAD_SIGNATURE}); then the certificate must have no critical extension other than
     * subjectAltName and authorityKeyIdentifier, {@code at} must lie within its validity period
     * ({@link Outcome#NOT_YET_VALID}, {@link Outcome#EXPIRED}, both ends inclusive) and within the
     * verifying CA certificate's ({@link Outcome#ISSUER_NOT_VALID}). When several candidates verify the
     * signature, one valid at {@code at} is preferred.
     *
     * @param certificate    a certificate from {@link PlatformCertificate#parse(byte[])}
     * @param caCertificates trusted CA certificates, each DER
     * @param at             the instant at which validity is judged (the inspection time, for example)
     * @return the outcome, naming the CA certificate whenever its key verified the signature
     * @throws IllegalArgumentException if a CA certificate is not a DER X.509 certificate, or if
     *                                  {@code certificate}'s fields do not match its encoding
     */
    public static SignatureVerification verifySignature(PlatformCertificate certificate, List<byte[]> caCertificates,
            Instant at) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificates, "caCertificates");
        Objects.requireNonNull(at, "at");
        if (!PlatformCertificate.parse(certificate.der()).equals(certificate)) {
            throw new IllegalArgumentException(
                    "the certificate's fields do not match its encoding: obtain it from PlatformCertificate.parse");
        }
        X509AttributeCertificateHolder attributeCertificate;
        try {
            attributeCertificate = new X509AttributeCertificateHolder(certificate.der());
        } catch (IOException e) {
            throw new IllegalStateException("a parsed certificate no longer parses", e);
        }
        X500Name issuer = attributeCertificate.getIssuer().getNames()[0];

        List<X509CertificateHolder> cas = caCertificates(caCertificates);

        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < cas.size(); i++) {
            if (cas.get(i).getSubject().equals(issuer)) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return new SignatureVerification(Outcome.UNKNOWN_ISSUER, OptionalInt.empty(), Optional.empty(),
                    "none of the " + cas.size() + " CA certificates has the subject " + certificate.issuer()
                            + ", the certificate's issuer");
        }

        List<Integer> verifying = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i : candidates) {
            try {
                if (attributeCertificate.isSignatureValid(
                        new JcaContentVerifierProviderBuilder().setProvider(BC).build(cas.get(i)))) {
                    verifying.add(i);
                } else {
                    failures.add("#" + i + ": the signature does not verify with its key");
                }
            } catch (Exception e) {
                // CertException, OperatorCreationException, CertificateException: unusable key or algorithm
                failures.add("#" + i + ": " + e.getMessage());
            }
        }
        if (verifying.isEmpty()) {
            return new SignatureVerification(Outcome.BAD_SIGNATURE, OptionalInt.empty(), Optional.empty(),
                    "CA certificates with the subject " + certificate.issuer() + " were found but none verifies the signature ("
                            + String.join("; ", failures) + ")");
        }
        Date when = Date.from(at);
        int signer = verifying.stream().filter(i -> cas.get(i).isValidOn(when)).findFirst().orElse(verifying.get(0));
        X509CertificateHolder ca = cas.get(signer);
        OptionalInt index = OptionalInt.of(signer);
        Optional<String> subject = Optional.of(rfc4514(ca.getSubject()));

        return afterSignature(certificate, ca, at, index, subject,
                "signed by CA certificate #" + signer + " (" + subject.get() + ")");
    }

    /** The CA certificates, parsed; one that is not DER X.509 is the caller's error. */
    private static List<X509CertificateHolder> caCertificates(List<byte[]> caCertificates) {
        List<X509CertificateHolder> cas = new ArrayList<>(caCertificates.size());
        for (int i = 0; i < caCertificates.size(); i++) {
            byte[] der = Objects.requireNonNull(caCertificates.get(i), "CA certificate #" + i);
            try {
                cas.add(new X509CertificateHolder(der));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("CA certificate #" + i + " is not a DER X.509 certificate: "
                        + e.getMessage(), e);
            }
        }
        return cas;
    }

    /**
     * A signature that verifies: what else the certificate must be (no unprocessed critical extension; valid at
     * {@code at}, and its CA certificate too).
     */
    private static SignatureVerification afterSignature(PlatformCertificate certificate, X509CertificateHolder ca,
                                                        Instant at, OptionalInt index, Optional<String> subject,
                                                        String signedBy) {
        List<String> unprocessed = certificate.criticalExtensions().stream()
                .filter(oid -> !PROCESSED_CRITICAL_EXTENSIONS.contains(oid)).toList();
        if (!unprocessed.isEmpty()) {
            return new SignatureVerification(Outcome.UNSUPPORTED_CRITICAL_EXTENSION, index, subject,
                    signedBy + ", but it has critical extensions this verifier does not process: "
                            + unprocessed.stream().collect(Collectors.joining(", ")));
        }
        if (at.isBefore(certificate.notBefore())) {
            return new SignatureVerification(Outcome.NOT_YET_VALID, index, subject,
                    signedBy + ", but at " + at + " it is not yet valid (notBefore " + certificate.notBefore() + ")");
        }
        if (at.isAfter(certificate.notAfter())) {
            return new SignatureVerification(Outcome.EXPIRED, index, subject,
                    signedBy + ", but at " + at + " it has expired (notAfter " + certificate.notAfter() + ")");
        }
        if (!ca.isValidOn(Date.from(at))) {
            return new SignatureVerification(Outcome.ISSUER_NOT_VALID, index, subject,
                    signedBy + ", but at " + at + " that CA certificate is outside its validity period ("
                            + ca.getNotBefore().toInstant() + " to " + ca.getNotAfter().toInstant() + ")");
        }
        return new SignatureVerification(Outcome.VERIFIED, index, subject,
                signedBy + "; valid at " + at + " (" + certificate.notBefore() + " to " + certificate.notAfter() + ")");
    }

    private static String rfc4514(X500Name name) {
        try {
            return new X500Principal(name.getEncoded()).getName();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
