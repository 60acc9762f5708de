package org.fabtrail.attestation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reason codes of platform certificate checks. A {@code unit.certify} whose platform certificate fails a check is
 * refused with one of them as its problem code (422); a {@code unit.inspect} records the first failing one as the
 * inspection's platform check. docs/api.md lists them.
 */
public final class PlatformReasons {

    /** Not one PEM {@code ATTRIBUTE CERTIFICATE} block holding a well-formed TCG Platform Certificate. */
    public static final String INVALID = "invalid-platform-certificate";
    /** A delta platform certificate (a list of changes, not an inventory). */
    public static final String DELTA = "platform-certificate-delta";
    /** No device CA the manufacturer registered (and has not revoked) is named as its issuer. */
    public static final String UNKNOWN_ISSUER = "platform-unknown-issuer";
    /** Registered CAs of the issuer's name exist but none of their keys verifies the signature. */
    public static final String SIGNATURE_INVALID = "platform-signature-invalid";
    /** Only a CA the manufacturer revoked ({@code ca.revoke}) verifies it. */
    public static final String CA_REVOKED = "platform-ca-revoked";
    /** A critical extension the ledger does not process. */
    public static final String CRITICAL_EXTENSION = "platform-critical-extension";
    /** Not yet valid at the entry's integrated time. */
    public static final String NOT_YET_VALID = "platform-not-yet-valid";
    /** Expired at the entry's integrated time. */
    public static final String EXPIRED = "platform-expired";
    /** The CA certificate that verified it is outside its own validity at the entry's integrated time. */
    public static final String CA_NOT_VALID = "platform-ca-not-valid";
    /** Its platform serial (subjectAltName, TCG platformSerial) is missing or is not the unit's serial. */
    public static final String SERIAL_MISMATCH = "platform-serial-mismatch";
    /** The unit is neither a server nor a unit with components assembled in it. */
    public static final String NOT_A_PLATFORM = "not-a-platform";

    /** Every check, in the order the rules apply them. */
    public static final List<String> ORDER = List.of(INVALID, DELTA, UNKNOWN_ISSUER, SIGNATURE_INVALID, CA_REVOKED,
            CRITICAL_EXTENSION, NOT_YET_VALID, EXPIRED, CA_NOT_VALID, SERIAL_MISMATCH);

    private static final Map<String, String> TEXT;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(INVALID, "not a well-formed TCG Platform Certificate (one PEM ATTRIBUTE CERTIFICATE block)");
        m.put(DELTA, "a delta platform certificate lists changes, not the platform's components");
        m.put(UNKNOWN_ISSUER, "its issuer is not a device CA the manufacturer registered");
        m.put(SIGNATURE_INVALID, "its signature does not verify with the key of the registered CA of its issuer's name");
        m.put(CA_REVOKED, "it is signed by a device CA the manufacturer revoked");
        m.put(CRITICAL_EXTENSION, "it has a critical extension the ledger does not process");
        m.put(NOT_YET_VALID, "it was not yet valid");
        m.put(EXPIRED, "it had expired");
        m.put(CA_NOT_VALID, "the CA that signed it was outside its own validity period");
        m.put(SERIAL_MISMATCH, "its platform serial is not the unit's serial");
        m.put(NOT_A_PLATFORM, "the unit is neither a server nor a unit with components assembled in it");
        TEXT = java.util.Collections.unmodifiableMap(m);
    }

    private PlatformReasons() {
    }

    /** A sentence for people: what the reason means. */
    public static String describe(String reason) {
        return TEXT.getOrDefault(reason, reason);
    }
}
