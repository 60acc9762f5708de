package org.fabtrail.attestation;

import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.StrictJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device simulator as docs/inspectors.md uses it: make a CA and a device, then answer a challenge. */
class DeviceCommandTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DeviceCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRootAnIntermediateADeviceAndItsAnswer(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        Path issuing = dir.resolve("issuing");
        Path devices = dir.resolve("devices");
        assertEquals(0, run("new-ca", root.toString(), "--name", "CN=Test Root,O=Test").status());
        assertEquals(0, run("new-ca", issuing.toString(), "--name", "CN=Test Issuing,O=Test", "--issuer", root.toString(),
                "--alg", "Ed25519", "--path-len", "0").status());
        assertEquals(0, run("new-device", issuing.toString(), "test-fab", "GPU-7", devices.toString(), "--alg", "ES256")
                .status());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                devices.resolve("GPU-7.key.pem"))));
        List<String> chain = DeviceCommand.certificates(Files.readString(devices.resolve("GPU-7.pem")));
        assertEquals(2, chain.size(), "the device certificate, then the issuing CA");

        X509DeviceIdentity id = new X509DeviceIdentity();
        byte[] rootDer = Pem.decode(Files.readString(root.resolve("ca.pem")), "CERTIFICATE");
        DeviceIdentity.CaCertificate ca = id.parseCa(rootDer);
        byte[] leaf = Pem.decode(chain.get(0), "CERTIFICATE");
        assertEquals("GPU-7", id.parseDevice(leaf).subjectSerial());
        assertEquals(List.of(), id.checkChain(leaf, List.of(Pem.decode(chain.get(1), "CERTIFICATE")), Instant.now(),
                new DeviceIdentity.Trust(Map.of(ca.caId(), rootDer), Set.of(), Map.of())));

        byte[] challenge = new byte[32];
        challenge[0] = 7;
        Run answer = run(devices.resolve("GPU-7.key.pem").toString(), devices.resolve("GPU-7.pem").toString(),
                "test-fab", "GPU-7", Base64.getEncoder().encodeToString(challenge));
        assertEquals(0, answer.status(), answer.err());
        Map<String, Object> json = (Map<String, Object>) StrictJson.parse(answer.out().strip());
        assertEquals(Set.of("alg", "chain", "signature"), json.keySet());
        assertEquals("ES256", json.get("alg"));
        assertEquals(chain, json.get("chain"));
        SigningKey key = SigningKey.fromPkcs8Pem(Files.readString(devices.resolve("GPU-7.key.pem")));
        assertTrue(key.verificationKey().verify(Attestations.message("test-fab", "GPU-7", challenge),
                Base64.getDecoder().decode((String) json.get("signature"))));
    }

    @Test
    void mistakesAreExplained(@TempDir Path dir) {
        Run none = run();
        assertEquals(2, none.status());
        assertTrue(none.out().contains("usage:"));
        assertEquals(2, run("new-device", dir.toString()).status());
        Run missing = run(dir.resolve("nope.pem").toString(), "c.pem", "m", "s", "AAAA");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("device: "), missing.err());
        assertEquals(2, run("new-ca", dir.toString(), "--colour", "red").status());
    }
}
