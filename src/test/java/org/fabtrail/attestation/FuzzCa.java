package org.fabtrail.attestation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.fabtrail.crypto.SigningKey;

/**
 * The device CA of the attestation fuzz tests: a fixed Ed25519 key and fixed dates, so its certificate, the device
 * certificates and CRLs it signs, and the committed seeds made with it are the same bytes on every run.
 */
public final class FuzzCa {

    /** The time the fuzz tests check validity at: within every seed's validity. */
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    public static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    public static final Instant TO = Instant.parse("2035-01-01T00:00:00Z");

    public static final SigningKey KEY = SigningKey.ed25519FromSeed(seed(1));
    public static final DeviceCertificates.Issued CA = DeviceCertificates.selfSigned(
            DeviceCertificates.Spec.ca("CN=Fuzz Device CA,O=Fabtrail Fuzz").validity(FROM, TO)
                    .certSerial(BigInteger.ONE), KEY);
    /** A device certificate the CA issued (serial {@code FUZZ-0001}). */
    public static final DeviceCertificates.Issued DEVICE = DeviceCertificates.issue(
            DeviceCertificates.Spec.device("Fabtrail Fuzz", "FUZZ-0001").validity(FROM, TO)
                    .certSerial(BigInteger.TWO), SigningKey.ed25519FromSeed(seed(2)), CA);
    public static final String CA_ID = X509DeviceIdentity.sha256Hex(CA.der());
    public static final DeviceIdentity.CaCertificate REGISTERED = new X509DeviceIdentity().parseCa(CA.der());
    /** The CA as a manufacturer's only registered CA, with no CRL. */
    public static final DeviceIdentity.Trust TRUST = new DeviceIdentity.Trust(Map.of(CA_ID, CA.der()), Set.of(),
            Map.of());

    private FuzzCa() {
    }

    private static byte[] seed(int b) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) b);
        return seed;
    }
}
