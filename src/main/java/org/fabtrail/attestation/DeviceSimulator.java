package org.fabtrail.attestation;

import org.fabtrail.crypto.SigningKey;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a device does with a challenge: it signs {@link Attestations#message} for its manufacturer and serial with its
 * identity key, and answers the signature with the certificate chain it holds. The {@code device} command, the demo
 * and the tests play devices with it.
 */
public final class DeviceSimulator {

    private DeviceSimulator() {
    }

    /**
     * The device's answer: {@code {"alg", "chain", "signature"}}, ready to go into an inspection's
     * {@code attestation} together with the challenge's id.
     *
     * @param chain PEM certificates, the device's own first
     */
    public static Map<String, Object> respond(SigningKey key, List<String> chain, String manufacturer, String serial,
                                              byte[] challenge) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alg", key.algorithm().wireName());
        out.put("chain", List.copyOf(chain));
        out.put("signature", Base64.getEncoder().encodeToString(key.sign(
                Attestations.message(manufacturer, serial, challenge))));
        return out;
    }
}
