package org.fabtrail.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes the X.509 device certificate parsing of {@link X509DeviceIdentity}: as a device certificate, as a CA
 * certificate, for display, and in a chain (as the device certificate and as an intermediate) to {@link FuzzCa}. Every
 * refusal is a {@link DeviceIdentity.Refused} with one of the documented codes, a chain check answers reason codes of
 * {@link AttestationReasons#ORDER} (each once, in order) and never throws. Seeds:
 * {@code DeviceCertificateFuzzTestInputs/parse} (certificates FuzzCa issued, the TCG vector's CA and EK).
 */
class DeviceCertificateFuzzTest {

    private static final Set<String> DEVICE_REFUSALS = Set.of("invalid-certificate",
            AttestationReasons.UNSUPPORTED_DEVICE_KEY);
    private static final Set<String> CA_REFUSALS = Set.of("invalid-certificate", "not-a-ca-certificate");

    private final X509DeviceIdentity identity = new X509DeviceIdentity();

    @ParserFuzzTest
    void parse(byte[] der) {
        Optional<DeviceIdentity.Description> description = identity.describe(der);
        assertEquals(description.isPresent(), identity.isCertificate(der));
        try {
            DeviceIdentity.DeviceCertificate device = identity.parseDevice(der);
            assertTrue(description.isPresent(), "a device certificate that is not a certificate");
            VerificationKey key = VerificationKey.fromSpki(device.spki());
            assertEquals(key.keyId(), device.keyId());
            assertEquals(key.algorithm().wireName(), device.algorithm());
        } catch (DeviceIdentity.Refused refused) {
            assertTrue(DEVICE_REFUSALS.contains(refused.code()), refused.code());
        }
        try {
            DeviceIdentity.CaCertificate ca = identity.parseCa(der);
            assertTrue(description.isPresent(), "a CA certificate that is not a certificate");
            assertEquals(X509DeviceIdentity.sha256Hex(der), ca.caId());
        } catch (DeviceIdentity.Refused refused) {
            assertTrue(CA_REFUSALS.contains(refused.code()), refused.code());
        }
        List<String> asDevice = identity.checkChain(der, List.of(), FuzzCa.NOW, FuzzCa.TRUST);
        checkReasons(asDevice);
        if (description.isEmpty()) {
            assertEquals(List.of(AttestationReasons.CHAIN_INVALID), asDevice);
        }
        checkReasons(identity.checkChain(FuzzCa.DEVICE.der(), List.of(der), FuzzCa.NOW, FuzzCa.TRUST));
    }

    static void checkReasons(List<String> reasons) {
        assertTrue(AttestationReasons.ORDER.containsAll(reasons), reasons.toString());
        assertEquals(AttestationReasons.sorted(reasons), reasons);
        assertEquals(reasons.size(), Set.copyOf(reasons).size(), reasons.toString());
    }
}
