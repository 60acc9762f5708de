package org.fabtrail.attestation;

import java.time.Instant;
import java.util.List;

/**
 * The work the attestation rules need for TCG Platform Certificates (X.509 attribute certificates that list a
 * server's components with their serials): parse one, verify it against a manufacturer's registered device CAs, and
 * compare its components with what custody says is installed. The rules see it only through this interface;
 * {@link X509PlatformCertificates} implements it with {@code org.fabtrail.attestation.platform}.
 *
 * <p>Contract, as for {@link DeviceIdentity}: every method is a pure function of its arguments (no clock, no
 * database, no network), so replaying the log reproduces every decision. Refusals are {@link Refused} with a code
 * from {@link PlatformReasons}.
 */
public interface PlatformCertificates {

    /** Input that cannot be accepted; {@link #code()} is a reason code of {@link PlatformReasons}. */
    final class Refused extends Refusal {
        public Refused(String code, String detail) {
            super(code, detail);
        }
    }

    /**
     * One component a platform certificate lists, as the certificate writes it (strings not trimmed).
     *
     * @param componentClass {@code registry/value} (e.g. {@code 2.23.133.18.3.3/00010000}), or null (version 1
     *                       identifiers have no class)
     * @param serial         the component serial, or null when it has none
     * @param revision       the revision, or null
     */
    record CertifiedComponent(String componentClass, String manufacturer, String model, String serial,
                              String revision) {
    }

    /**
     * A parsed platform certificate: what a page shows and what the rules check.
     *
     * @param sha256Fingerprint lowercase hex SHA-256 of the DER
     * @param serialNumber      the attribute certificate's serial number, lowercase hex
     * @param issuer            the issuer's name, RFC 4514
     * @param holder            the holder (the platform's EK certificate: its issuer and serial), for display
     * @param platformSerial    the platform serial of the subjectAltName (TCG platformSerial), or null
     * @param platformVersion   or null
     * @param delta             whether it is a delta certificate (a list of changes, not an inventory)
     * @param components        in certificate order
     */
    record Certificate(String sha256Fingerprint, String serialNumber, String issuer, String holder,
                       String platformManufacturer, String platformModel, String platformVersion,
                       String platformSerial, Instant notBefore, Instant notAfter, boolean delta,
                       List<CertifiedComponent> components) {
    }

    /**
     * Parses a platform certificate (DER).
     *
     * @throws Refused {@link PlatformReasons#INVALID}
     */
    Certificate parse(byte[] der);

    /**
     * Checks that the certificate is signed by one of the active CAs of {@code trust} (each CA is used as a trust
     * anchor: the certificate is signed directly by a registered CA) and that it and that CA are valid at {@code at}.
     *
     * @return the id of the registered CA that verified it
     * @throws Refused {@link PlatformReasons#INVALID}, {@link PlatformReasons#UNKNOWN_ISSUER},
     *                 {@link PlatformReasons#SIGNATURE_INVALID}, {@link PlatformReasons#CA_REVOKED},
     *                 {@link PlatformReasons#CRITICAL_EXTENSION}, {@link PlatformReasons#NOT_YET_VALID},
     *                 {@link PlatformReasons#EXPIRED}, {@link PlatformReasons#CA_NOT_VALID}
     */
    String verify(byte[] der, DeviceIdentity.Trust trust, Instant at);

    /**
     * A component custody has installed, with the manufacturer already resolved to the token the certified side
     * uses (see {@link PlatformMatching}): tokens are compared exactly.
     */
    record Installed(String manufacturer, String serial, String model) {
    }

    /**
     * A row of the comparison.
     *
     * @param status          {@code present}, {@code missing}, {@code unexpected} or {@code not-comparable}
     * @param certifiedIndex  the certified component's index in the list given, or -1
     * @param installedIndex  the installed component's index in the list given, or -1
     * @param modelDiffers    for {@code present}: both sides name a model and they differ
     */
    record Row(String status, int certifiedIndex, int installedIndex, boolean modelDiffers) {
    }

    /**
     * Compares certified components (their manufacturer replaced by a token) with installed ones: a pair matches when
     * the tokens are equal and the serials are equal after trimming; duplicates are a multiset; a component without a
     * serial is not comparable. Rows: one per certified component in order, then the unmatched installed ones.
     */
    List<Row> compare(List<CertifiedComponent> certified, List<Installed> installed);
}
