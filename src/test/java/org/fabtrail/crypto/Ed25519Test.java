package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ed25519Test {

    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final String OPENSSL = "openssl/";
    /** Printed by {@code openssl pkey -pubin -in ed25519-public.pem -outform DER | sha256sum} (see openssl/README.md). */
    private static final String OPENSSL_ED25519_KEY_ID = "7250abde5a5a68083b167785322f2550bd65b2754c0b4b7f41e094d5d1cdb482";

    static Stream<Map<?, ?>> rfc8032() {
        Map<?, ?> file = (Map<?, ?>) StrictJson.parse(TestResources.bytes("vectors/rfc8032-ed25519/rfc8032-ed25519-vectors.json"));
        List<?> vectors = (List<?>) file.get("vectors");
        assertEquals(3, vectors.size());
        return vectors.stream().map(v -> (Map<?, ?>) v);
    }

    @ParameterizedTest
    @MethodSource("rfc8032")
    void reproducesTheRfc8032Vectors(Map<?, ?> vector) {
        byte[] seed = hex(vector, "secret_key");
        byte[] message = hex(vector, "message");
        byte[] signature = hex(vector, "signature");

        SigningKey key = SigningKey.ed25519FromSeed(seed);

        assertArrayEquals(hex(vector, "public_key"), key.verificationKey().rawPublicKey(), "public key");
        assertArrayEquals(signature, key.sign(message), "signature");
        assertTrue(key.verificationKey().verify(message, signature));
        assertTrue(VerificationKey.ed25519(hex(vector, "public_key")).verify(message, signature));
    }

    /** An RFC 8032 vector as a verifier sees it: the public key, the message and its signature. */
    record Signed(VerificationKey key, byte[] message, byte[] signature) {
        static Signed of(Map<?, ?> vector) {
            return new Signed(VerificationKey.ed25519(hex(vector, "public_key")), hex(vector, "message"),
                    hex(vector, "signature"));
        }
    }

    static Stream<Signed> rfc8032Signed() {
        return rfc8032().map(Signed::of);
    }

    @ParameterizedTest
    @MethodSource("rfc8032Signed")
    void everySingleBitFlipOfTheSignatureIsRejected(Signed v) {
        for (int bit = 0; bit < v.signature().length * 8; bit++) {
            byte[] flipped = v.signature().clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(v.key().verify(v.message(), flipped), "bit " + bit);
        }
    }

    @ParameterizedTest
    @MethodSource("rfc8032Signed")
    void aChangedMessageIsRejected(Signed v) {
        byte[] message = v.message();
        byte[] longer = Arrays.copyOf(message, message.length + 1);

        assertFalse(v.key().verify(longer, v.signature()));
        if (message.length > 0) {
            byte[] flipped = message.clone();
            flipped[0] ^= 1;
            assertFalse(v.key().verify(flipped, v.signature()));
        }
    }

    @ParameterizedTest
    @MethodSource("rfc8032Signed")
    void malleatedSignatureWithSPlusLIsRejected(Signed v) {
        BigInteger s = littleEndian(Arrays.copyOfRange(v.signature(), 32, 64));
        byte[] malleated = v.signature().clone();
        System.arraycopy(toLittleEndian(s.add(L)), 0, malleated, 32, 32);

        assertTrue(s.compareTo(L) < 0);
        assertFalse(v.key().verify(v.message(), malleated), "S + L is the same scalar mod L but must be rejected");
    }

    @Test
    void truncatedExtendedEmptyAndNullSignaturesAreRejectedWithoutThrowing() {
        SigningKey key = SigningKey.ed25519FromSeed(new byte[32]);
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] signature = key.sign(message);
        VerificationKey vk = key.verificationKey();

        assertTrue(vk.verify(message, signature));
        assertFalse(vk.verify(message, Arrays.copyOf(signature, 63)));
        assertFalse(vk.verify(message, Arrays.copyOf(signature, 65)));
        assertFalse(vk.verify(message, new byte[0]));
        assertFalse(vk.verify(message, new byte[64]));
        assertFalse(vk.verify(message, null));
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xff);
        assertFalse(vk.verify(message, ones));
    }

    @Test
    void aSignatureFromAnotherKeyIsRejected() {
        byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
        SigningKey a = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey b = SigningKey.generate(SignatureAlgorithm.ED25519);

        assertFalse(b.verificationKey().verify(message, a.sign(message)));
        assertTrue(a.verificationKey().verify(message, a.sign(message)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0100000000000000000000000000000000000000000000000000000000000000", // identity (order 1)
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
        "0000000000000000000000000000000000000000000000000000000000000000", // order 4
        "0000000000000000000000000000000000000000000000000000000000000080", // order 4, x sign bit set
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p, non-canonical
        "0200000000000000000000000000000000000000000000000000000000000000", // y = 2 is not on the curve
    })
    void invalidAndSmallOrderPublicKeysAreRejected(String hex) {
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> VerificationKey.ed25519(HEX.parseHex(hex)));
        assertTrue(e.getMessage().contains("not a valid Ed25519 public key"), e.getMessage());
    }

    @Test
    void aMixedOrderPublicKeyIsRejected() {
        // A valid key A plus the order-2 point (0, -1) is (-x, -y): on the curve but not of prime order.
        byte[] raw = SigningKey.ed25519FromSeed(new byte[32]).verificationKey().rawPublicKey();
        int sign = (raw[31] >> 7) & 1;
        byte[] yBytes = raw.clone();
        yBytes[31] &= 0x7f;
        byte[] mixed = toLittleEndian(P.subtract(littleEndian(yBytes)));
        mixed[31] |= (byte) ((1 - sign) << 7);

        assertThrows(KeyFormatException.class, () -> VerificationKey.ed25519(mixed));
    }

    @Test
    void rawKeysOfTheWrongLengthAreRejected() {
        assertThrows(KeyFormatException.class, () -> VerificationKey.ed25519(new byte[31]));
        assertThrows(KeyFormatException.class, () -> VerificationKey.ed25519(new byte[33]));
        assertThrows(KeyFormatException.class, () -> VerificationKey.ed25519(null));
        assertThrows(KeyFormatException.class, () -> SigningKey.ed25519FromSeed(new byte[31]));
        assertThrows(KeyFormatException.class, () -> SigningKey.ed25519FromSeed(null));
    }

    @Test
    void readsTheOpensslGeneratedKeyAndWritesTheSameBytes() {
        String privatePem = TestResources.utf8(OPENSSL + "ed25519-private.pem");
        String publicPem = TestResources.utf8(OPENSSL + "ed25519-public.pem");

        SigningKey key = SigningKey.fromPkcs8Pem(privatePem);
        VerificationKey publicKey = VerificationKey.fromPem(publicPem);

        assertEquals(SignatureAlgorithm.ED25519, key.algorithm());
        assertEquals(publicKey, key.verificationKey());
        assertEquals(OPENSSL_ED25519_KEY_ID, publicKey.keyId());
        assertEquals(OPENSSL_ED25519_KEY_ID, key.keyId());
        assertEquals(privatePem, key.toPkcs8Pem());
        assertEquals(publicPem, publicKey.toPem());
        assertEquals(32, publicKey.rawPublicKey().length);
        assertArrayEquals(publicKey.spki(), VerificationKey.fromSpki(publicKey.spki()).spki());
    }

    @Test
    void verifiesTheSignatureMadeByOpensslPkeyutlAndReproducesIt() {
        byte[] message = TestResources.bytes(OPENSSL + "message.txt");
        byte[] signature = TestResources.bytes(OPENSSL + "message.ed25519.sig");
        VerificationKey publicKey = VerificationKey.fromPem(TestResources.utf8(OPENSSL + "ed25519-public.pem"));
        SigningKey key = SigningKey.fromPkcs8Pem(TestResources.utf8(OPENSSL + "ed25519-private.pem"));

        assertTrue(publicKey.verify(message, signature));
        assertArrayEquals(signature, key.sign(message), "Ed25519 is deterministic");
    }

    @Test
    void seedRoundTripsAndKeyIdIsTheSpkiHash() throws Exception {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey again = SigningKey.ed25519FromSeed(key.ed25519Seed());

        assertEquals(key.verificationKey(), again.verificationKey());
        assertEquals(HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key.verificationKey().spki())),
                key.keyId());
        assertEquals(key.keyId(), SigningKey.fromPkcs8Pem(key.toPkcs8Pem()).keyId());
    }

    private static byte[] hex(Map<?, ?> vector, String field) {
        return HEX.parseHex((String) vector.get(field));
    }

    private static BigInteger littleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static byte[] toLittleEndian(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }
}
