package org.fabtrail.crypto;

import java.util.Optional;

/**
 * The signature algorithms Fabtrail accepts, with their wire names (the {@code alg} member of a
 * signed entry envelope).
 *
 * <ul>
 *   <li>{@link #ED25519}: pure Ed25519 (RFC 8032), 64-byte signatures; non-canonical {@code S}
 *       (S &ge; L) is rejected.</li>
 *   <li>{@link #ES256}: ECDSA over NIST P-256 with SHA-256; the signature is the strict ASN.1 DER
 *       {@code SEQUENCE { r INTEGER, s INTEGER }}. High-S signatures are accepted (the design does
 *       not require low-S), anything that is not strict DER is rejected.</li>
 * </ul>
 */
public enum SignatureAlgorithm {
    /** Ed25519, wire name {@code "Ed25519"}. */
    ED25519("Ed25519"),
    /** ECDSA P-256 with SHA-256 and DER signatures, wire name {@code "ES256"}. */
    ES256("ES256");

    private final String wireName;

    SignatureAlgorithm(String wireName) {
        this.wireName = wireName;
    }

    /** @return the exact name used on the wire ({@code "Ed25519"} or {@code "ES256"}) */
    public String wireName() {
        return wireName;
    }

    /**
     * Looks an algorithm up by its wire name. The match is exact and case-sensitive:
     * {@code "ed25519"} and {@code "es256"} are not algorithms.
     *
     * @param wireName the name from the wire, may be {@code null}
     * @return the algorithm, or empty if the name is unknown
     */
    public static Optional<SignatureAlgorithm> fromWireName(String wireName) {
        for (SignatureAlgorithm alg : values()) {
            if (alg.wireName.equals(wireName)) {
                return Optional.of(alg);
            }
        }
        return Optional.empty();
    }
}
