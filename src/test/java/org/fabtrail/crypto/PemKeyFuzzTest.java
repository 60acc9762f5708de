package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.fabtrail.testing.Fuzzing;
import org.fabtrail.testing.ParserFuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes PEM and key parsing: the input as PEM text ({@link Pem#parse}, {@link VerificationKey#fromPem},
 * {@link VerificationKey#keyIdOfPem}, {@link SigningKey#fromPkcs8Pem}) and as DER ({@link VerificationKey#fromSpki},
 * a PKCS#8 body). PEM refusals are {@link IllegalArgumentException}s, key refusals {@link KeyFormatException}s,
 * nothing else; an accepted key re-encodes to itself, has the key id of its SubjectPublicKeyInfo, and a private key
 * signs what its public key verifies. Seeds: the OpenSSL-made keys under {@code openssl/} (accepted and refused ones).
 */
class PemKeyFuzzTest {

    private static final byte[] MESSAGE = "fabtrail fuzz".getBytes(StandardCharsets.UTF_8);

    static Stream<byte[]> keys() {
        return Fuzzing.files("openssl", "openssl/rejected");
    }

    @MethodSource("keys")
    @ParserFuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Pem.Block block = Pem.parse(text);
            assertEquals(block, Pem.parse(Pem.encode(block.label(), block.der())));
        } catch (IllegalArgumentException refused) {
            // not one PEM block
        }
        publicKey(() -> VerificationKey.fromPem(text));
        publicKey(() -> VerificationKey.fromSpki(input));
        try {
            assertTrue(VerificationKey.keyIdOfPem(text).matches("[0-9a-f]{64}"));
        } catch (KeyFormatException refused) {
            // not a PEM PUBLIC KEY block
        }
        privateKey(() -> SigningKey.fromPkcs8Pem(text));
        if (input.length > 0) {
            privateKey(() -> SigningKey.fromPkcs8Pem(Pem.encode("PRIVATE KEY", input)));
        }
    }

    /** The key {@code parse} answers, or nothing where it refuses the input with KeyFormatException. */
    private static <K> Optional<K> parsed(Supplier<K> parse) {
        try {
            return Optional.of(parse.get());
        } catch (KeyFormatException refused) {
            return Optional.empty();
        }
    }

    private static void publicKey(Supplier<VerificationKey> parse) {
        parsed(parse).ifPresent(key -> {
            assertEquals(key, VerificationKey.fromSpki(key.spki()));
            assertEquals(key, VerificationKey.fromPem(key.toPem()));
            assertEquals(HexFormat.of().formatHex(sha256(key.spki())), key.keyId());
            assertEquals(key.keyId(), VerificationKey.keyIdOfPem(key.toPem()));
            key.verify(MESSAGE, MESSAGE); // a malformed signature is false, never an exception
        });
    }

    private static void privateKey(Supplier<SigningKey> parse) {
        parsed(parse).ifPresent(key -> {
            assertTrue(key.verificationKey().verify(MESSAGE, key.sign(MESSAGE)));
            assertEquals(key.verificationKey(), SigningKey.fromPkcs8Pem(key.toPkcs8Pem()).verificationKey());
        });
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
