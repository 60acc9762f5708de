package org.fabtrail.attestation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reason codes of device identity checks. Each is a stable slug: a {@code unit.inspect} verdict lists the
 * reasons an attestation failed (in {@link #ORDER}), and a {@code unit.register} or {@code unit.certify} whose
 * certificate fails a chain check is refused with the first of them as its problem code. docs/api.md lists them.
 */
public final class AttestationReasons {

    // the challenge
    public static final String CHALLENGE_UNKNOWN = "challenge-unknown";
    public static final String CHALLENGE_OTHER_UNIT = "challenge-other-unit";
    public static final String CHALLENGE_OTHER_REQUESTER = "challenge-other-requester";
    public static final String CHALLENGE_EXPIRED = "challenge-expired";
    public static final String CHALLENGE_USED = "challenge-used";
    // the presented certificate against the registered one
    public static final String UNIT_HAS_NO_CERTIFICATE = "unit-has-no-certificate";
    public static final String CERTIFICATE_NOT_REGISTERED = "certificate-not-registered";
    public static final String SERIAL_MISMATCH = "serial-mismatch";
    // the chain to a registered CA (PKIX)
    public static final String UNKNOWN_ISSUER = "unknown-issuer";
    public static final String BAD_CERTIFICATE_SIGNATURE = "bad-certificate-signature";
    public static final String CERTIFICATE_EXPIRED = "certificate-expired";
    public static final String CERTIFICATE_NOT_YET_VALID = "certificate-not-yet-valid";
    public static final String NOT_A_CA = "not-a-ca";
    public static final String PATH_TOO_LONG = "path-too-long";
    public static final String KEY_USAGE = "key-usage";
    public static final String CHAIN_INVALID = "chain-invalid";
    // revocation
    public static final String CA_REVOKED = "ca-revoked";
    public static final String REVOKED = "revoked";
    // the device's signature over the challenge
    public static final String UNSUPPORTED_DEVICE_KEY = "unsupported-device-key";
    public static final String DEVICE_ALGORITHM_MISMATCH = "device-algorithm-mismatch";
    public static final String DEVICE_SIGNATURE_INVALID = "device-signature-invalid";

    /** The checks an attestation is made of, in the order a verdict lists them, each with its reasons in order. */
    public static final Map<String, List<String>> CHECKS;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("challenge", List.of(CHALLENGE_UNKNOWN, CHALLENGE_OTHER_UNIT, CHALLENGE_OTHER_REQUESTER,
                CHALLENGE_EXPIRED, CHALLENGE_USED));
        m.put("certificate", List.of(UNIT_HAS_NO_CERTIFICATE, CERTIFICATE_NOT_REGISTERED, SERIAL_MISMATCH));
        m.put("chain", List.of(UNKNOWN_ISSUER, BAD_CERTIFICATE_SIGNATURE, CERTIFICATE_EXPIRED,
                CERTIFICATE_NOT_YET_VALID, NOT_A_CA, PATH_TOO_LONG, KEY_USAGE, CHAIN_INVALID));
        m.put("revocation", List.of(CA_REVOKED, REVOKED));
        m.put("signature", List.of(UNSUPPORTED_DEVICE_KEY, DEVICE_ALGORITHM_MISMATCH, DEVICE_SIGNATURE_INVALID));
        CHECKS = java.util.Collections.unmodifiableMap(m);
    }

    /** Every reason, in verdict order. */
    public static final List<String> ORDER = CHECKS.values().stream().flatMap(List::stream).toList();

    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry(CHALLENGE_UNKNOWN, "the ledger issued no challenge with this id"),
            Map.entry(CHALLENGE_OTHER_UNIT, "the challenge was issued for another unit"),
            Map.entry(CHALLENGE_OTHER_REQUESTER, "the challenge was issued to another organisation"),
            Map.entry(CHALLENGE_EXPIRED, "the challenge had expired"),
            Map.entry(CHALLENGE_USED, "the challenge was already used by an earlier inspection (a replay)"),
            Map.entry(UNIT_HAS_NO_CERTIFICATE, "no device certificate is registered for this unit"),
            Map.entry(CERTIFICATE_NOT_REGISTERED, "the device presented a certificate other than the one registered "
                    + "for this serial"),
            Map.entry(SERIAL_MISMATCH, "the certificate's subject serialNumber is not the unit's serial"),
            Map.entry(UNKNOWN_ISSUER, "the certificate does not chain to a device CA the manufacturer registered"),
            Map.entry(BAD_CERTIFICATE_SIGNATURE, "a certificate's signature does not verify with its issuer's key"),
            Map.entry(CERTIFICATE_EXPIRED, "a certificate of the chain had expired"),
            Map.entry(CERTIFICATE_NOT_YET_VALID, "a certificate of the chain was not yet valid"),
            Map.entry(NOT_A_CA, "an issuing certificate of the chain is not a CA (basic constraints)"),
            Map.entry(PATH_TOO_LONG, "the chain is longer than a CA's path length constraint allows"),
            Map.entry(KEY_USAGE, "a certificate's key usage does not allow its role (certificate signing, or "
                    + "digital signature for the device)"),
            Map.entry(CHAIN_INVALID, "PKIX path validation failed for another reason"),
            Map.entry(CA_REVOKED, "the chain ends in a device CA the manufacturer revoked (ca.revoke)"),
            Map.entry(REVOKED, "a certificate of the chain is on its CA's registered CRL"),
            Map.entry(UNSUPPORTED_DEVICE_KEY, "the device key is neither Ed25519 nor ECDSA P-256"),
            Map.entry(DEVICE_ALGORITHM_MISMATCH, "alg does not match the device key's algorithm"),
            Map.entry(DEVICE_SIGNATURE_INVALID, "the signature over the challenge does not verify with the device key"));

    private AttestationReasons() {
    }

    /** A sentence for people: what the reason means. */
    public static String describe(String reason) {
        return TEXT.getOrDefault(reason, reason);
    }

    /** The check a reason belongs to. */
    public static String checkOf(String reason) {
        for (Map.Entry<String, List<String>> e : CHECKS.entrySet()) {
            if (e.getValue().contains(reason)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("not a reason: " + reason);
    }

    /** The reasons in verdict order, without repeats. */
    public static List<String> sorted(java.util.Collection<String> reasons) {
        return ORDER.stream().filter(reasons::contains).toList();
    }
}
