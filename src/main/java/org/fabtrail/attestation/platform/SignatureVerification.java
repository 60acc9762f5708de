package org.fabtrail.attestation.platform;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The result of {@link PlatformCertificateVerifier#verifySignature(PlatformCertificate, java.util.List, java.time.Instant)}.
 *
 * @param outcome       what the verification found
 * @param issuerIndex   the index, in the list given to the verifier, of the CA certificate whose key
 *                      verified the signature; present whenever the signature verified, even if a later
 *                      check (validity period, critical extensions) failed
 * @param issuerSubject that CA certificate's subject, RFC 4514 string, when {@code issuerIndex} is present
 * @param reason        a sentence for people: what verified it, or why nothing did
 */
public record SignatureVerification(Outcome outcome, OptionalInt issuerIndex, Optional<String> issuerSubject,
        String reason) {

    /** Checks that no field is null and that an issuer is named exactly when the signature verified. */
    public SignatureVerification {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(issuerIndex, "issuerIndex");
        Objects.requireNonNull(issuerSubject, "issuerSubject");
        Objects.requireNonNull(reason, "reason");
        if (issuerIndex.isPresent() != issuerSubject.isPresent()) {
            throw new IllegalArgumentException("issuerIndex and issuerSubject go together");
        }
        if (issuerIndex.isPresent() != outcome.signatureVerified()) {
            throw new IllegalArgumentException(outcome + " " + (issuerIndex.isPresent() ? "cannot" : "must") + " name an issuer");
        }
    }

    /** @return whether the certificate verified completely ({@link Outcome#VERIFIED}) */
    public boolean verified() {
        return outcome == Outcome.VERIFIED;
    }

    /** What {@link PlatformCertificateVerifier} found, in the order it checks. */
    public enum Outcome {
        /** No CA certificate's subject equals the Platform Certificate's issuer name. */
        UNKNOWN_ISSUER(false),
        /** One or more CA certificates carry the issuer's name but none of their keys verifies the signature. */
        BAD_SIGNATURE(false),
        /** The signature verified, but the certificate has a critical extension this package does not process. */
        UNSUPPORTED_CRITICAL_EXTENSION(true),
        /** The signature verified, but the instant is before the certificate's notBefore. */
        NOT_YET_VALID(true),
        /** The signature verified, but the instant is after the certificate's notAfter. */
        EXPIRED(true),
        /** The signature verified, but the instant is outside the issuing CA certificate's own validity period. */
        ISSUER_NOT_VALID(true),
        /** The signature verified with a CA certificate's key and the certificate and that CA were valid at the instant. */
        VERIFIED(true);

        private final boolean signatureVerified;

        Outcome(boolean signatureVerified) {
            this.signatureVerified = signatureVerified;
        }

        /** @return whether this outcome means a CA's key verified the signature */
        public boolean signatureVerified() {
            return signatureVerified;
        }
    }
}
