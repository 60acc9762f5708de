package org.fabtrail.attestation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The X.509 work the attestation rules need for device identities: device CA certificates, CRLs, device certificates
 * and their chains. The rules ({@code ca.*}, {@code unit.certify}, {@code unit.inspect}, {@code unit.register}'s
 * device certificate) see X.509 only through this interface; {@link X509DeviceIdentity} implements it with Bouncy
 * Castle.
 *
 * <p>Contract: every method is a pure function of its arguments. No clock (validity is checked at the time given),
 * no database, no network (no AIA fetching, no OCSP): so replaying the log reproduces every decision exactly.
 * Refusals are {@link Refused} with a stable code from {@link AttestationReasons}, which the rules turn into
 * problems and verdict reasons.
 */
public interface DeviceIdentity {

    /** Input that cannot be accepted; {@link #code()} is a reason code (e.g. {@code not-a-ca-certificate}). */
    final class Refused extends Refusal {
        public Refused(String code, String detail) {
            super(code, detail);
        }
    }

    /**
     * A device CA certificate (root or intermediate) as registered with {@code ca.add}.
     *
     * @param caId      lowercase hex SHA-256 of the DER
     * @param subject   the subject name in RFC 4514 form
     * @param keyId     lowercase hex SHA-256 of the certificate's DER SubjectPublicKeyInfo: the CA's key, which a
     *                  withdrawal ({@code ca.revoke}) binds
     * @param notBefore the start of its validity
     * @param notAfter  the end of its validity
     */
    record CaCertificate(String caId, String subject, byte[] der, String keyId, Instant notBefore, Instant notAfter) {
    }

    /**
     * Parses a device CA certificate: X.509, basicConstraints cA=true, keyUsage (when present) with keyCertSign.
     *
     * @throws Refused {@code invalid-certificate}, {@code not-a-ca-certificate}
     */
    CaCertificate parseCa(byte[] der);

    /**
     * A certificate revocation list, its signature verified.
     *
     * @param caId   the registered CA that signed it
     * @param number the cRLNumber extension, or null when absent
     */
    record Crl(String caId, Instant thisUpdate, Instant nextUpdate, BigInteger number, int revoked) {
    }

    /**
     * Parses a CRL and finds, among {@code cas}, the CA that issued and signed it.
     *
     * @throws Refused {@code invalid-crl}, {@code unknown-ca} (no CA of that name), {@code crl-signature-invalid}
     */
    Crl parseCrl(byte[] der, Collection<CaCertificate> cas);

    /**
     * A device identity certificate's own facts.
     *
     * @param spki          the DER SubjectPublicKeyInfo of the device key (Ed25519 or P-256)
     * @param keyId         lowercase hex SHA-256 of {@code spki}
     * @param algorithm     {@code Ed25519} or {@code ES256}
     * @param subjectSerial the subject's serialNumber attribute (2.5.4.5), or null when it has none or several
     */
    record DeviceCertificate(byte[] spki, String keyId, String algorithm, String subjectSerial) {
    }

    /**
     * Parses a device certificate.
     *
     * @throws Refused {@code invalid-certificate} (not one DER X.509 certificate), {@code unsupported-device-key}
     *                 (a key other than Ed25519 or P-256)
     */
    DeviceCertificate parseDevice(byte[] der);

    /**
     * What a chain may end in: a manufacturer's CAs by id (active and revoked) and the current CRL of each CA that
     * has one. A CA that is not revoked itself but holds the key of a revoked one counts as revoked: a withdrawal
     * binds the key.
     */
    record Trust(Map<String, byte[]> cas, Set<String> revokedCas, Map<String, byte[]> crls) {
        public static final Trust NONE = new Trust(Map.of(), Set.of(), Map.of());
    }

    /**
     * A registered CRL that was due for renewal: its {@code nextUpdate} had passed at the time of a check, and no newer
     * CRL of its CA is registered.
     *
     * @param caId       the registered CA whose CRL it is
     * @param nextUpdate when its issuer promised the next one
     */
    record StaleCrl(String caId, Instant nextUpdate) {
    }

    /**
     * What a chain check found.
     *
     * @param reasons   the chain's failures as reason codes in {@link AttestationReasons#ORDER}, each at most once;
     *                  {@code crl-stale} among them when a CRL on the path was stale (whether that fails the check is
     *                  the caller's policy); empty when the chain is valid
     * @param staleCrls the stale CRLs behind {@code crl-stale}, in path order
     */
    record ChainCheck(List<String> reasons, List<StaleCrl> staleCrls) {
    }

    /**
     * Checks that {@code leaf}, through {@code intermediates} (in any order; unused ones are ignored), chains to a
     * CA of {@code trust} and is valid at {@code at}: PKIX path validation (signatures, validity, basic constraints,
     * path length, key usage) and revocation.
     *
     * <p>The path is built up to the first registered CA and then continued above it, through the registered CAs
     * (and presented certificates) that issued it, up to the topmost one it reaches: that one is the trust anchor,
     * and every certificate on the way is checked. A CA withdrawn anywhere on the path ({@code ca.revoke}, or a
     * certificate of a withdrawn CA's key) gives {@code ca-revoked}; a certificate listed on the registered CRL of
     * its issuer, anywhere on the path, gives {@code revoked}; a registered CRL of an issuer on the path whose
     * {@code nextUpdate} had passed at {@code at} gives {@code crl-stale}.
     */
    ChainCheck chain(byte[] leaf, List<byte[]> intermediates, Instant at, Trust trust);

    /** The reasons of {@link #chain}. */
    default List<String> checkChain(byte[] leaf, List<byte[]> intermediates, Instant at, Trust trust) {
        return chain(leaf, intermediates, at, trust).reasons();
    }

    /** What a page shows of a certificate. */
    record Description(String subject, String issuer, String serialNumber, Instant notBefore, Instant notAfter,
                       String sha256Fingerprint, String keyAlgorithm) {
    }

    /** The certificate for display, or empty when the bytes are not a certificate. */
    Optional<Description> describe(byte[] der);

    /** Whether the bytes are one DER certificate (for the stateless field checks). */
    default boolean isCertificate(byte[] der) {
        return describe(der).isPresent();
    }
}
