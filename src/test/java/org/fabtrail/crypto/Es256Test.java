package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class Es256Test {

    private static final String OPENSSL = "openssl/";
    /** Printed by {@code openssl pkey -pubin -in p256-public.pem -outform DER | sha256sum} (see openssl/README.md). */
    private static final String OPENSSL_P256_KEY_ID = "8ee391735530e2fb34434c7138e13f792916fdfffb373fbe01c89a6c298dbf5f";
    private static final BigInteger N =
            new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    private static final byte[] MESSAGE = "custody handoff".getBytes(StandardCharsets.UTF_8);

    private final SigningKey key = SigningKey.fromPkcs8Pem(TestResources.utf8(OPENSSL + "p256-private.pem"));
    private final VerificationKey vk = key.verificationKey();

    @Test
    void readsTheOpensslGeneratedKeyAndWritesTheSameBytes() {
        String privatePem = TestResources.utf8(OPENSSL + "p256-private.pem");
        String publicPem = TestResources.utf8(OPENSSL + "p256-public.pem");
        VerificationKey publicKey = VerificationKey.fromPem(publicPem);

        assertEquals(SignatureAlgorithm.ES256, key.algorithm());
        assertEquals(SignatureAlgorithm.ES256, publicKey.algorithm());
        assertEquals(publicKey, vk);
        assertEquals(OPENSSL_P256_KEY_ID, publicKey.keyId());
        assertEquals(publicPem, publicKey.toPem());
        assertEquals(privatePem, key.toPkcs8Pem());
        byte[] raw = publicKey.rawPublicKey();
        assertEquals(65, raw.length);
        assertEquals(0x04, raw[0]);
    }

    @Test
    void verifiesTheSignatureMadeByOpensslDgst() {
        byte[] message = TestResources.bytes(OPENSSL + "message.txt");
        byte[] signature = TestResources.bytes(OPENSSL + "message.p256.sig");

        assertTrue(VerificationKey.fromPem(TestResources.utf8(OPENSSL + "p256-public.pem")).verify(message, signature));
        assertFalse(vk.verify(Arrays.copyOf(message, message.length - 1), signature));
    }

    @Test
    void signsDeterministicLowSStrictDerSignaturesThatVerify() {
        byte[] signature = key.sign(MESSAGE);
        BigInteger[] rs = decode(signature);

        assertTrue(vk.verify(MESSAGE, signature));
        assertArrayEquals(signature, key.sign(MESSAGE), "RFC 6979 nonces make ES256 deterministic");
        assertTrue(rs[1].compareTo(N.shiftRight(1)) <= 0, "low-S");
        assertArrayEquals(der(rs[0], rs[1]), signature);
    }

    @Test
    void generatedKeysRoundTripThroughPkcs8() {
        SigningKey fresh = SigningKey.generate(SignatureAlgorithm.ES256);
        SigningKey reread = SigningKey.fromPkcs8Pem(fresh.toPkcs8Pem());

        assertEquals(fresh.verificationKey(), reread.verificationKey());
        assertTrue(reread.verificationKey().verify(MESSAGE, fresh.sign(MESSAGE)));
        assertEquals(fresh.verificationKey(), VerificationKey.fromPem(fresh.verificationKey().toPem()));
    }

    @Test
    void highSIsAccepted() {
        BigInteger[] rs = decode(key.sign(MESSAGE));
        byte[] highS = der(rs[0], N.subtract(rs[1]));

        assertTrue(vk.verify(MESSAGE, highS), "the design does not require low-S");
    }

    @Test
    void signaturesThatAreNotStrictDerAreRejected() {
        byte[] good = key.sign(MESSAGE);
        BigInteger[] rs = decode(good);
        byte[] rBytes = unsigned(rs[0]);
        byte[] sBytes = unsigned(rs[1]);

        assertTrue(vk.verify(MESSAGE, good));
        assertFalse(vk.verify(MESSAGE, concat(good, new byte[] {0})), "trailing byte");
        assertFalse(vk.verify(MESSAGE, Arrays.copyOf(good, good.length - 1)), "truncated");
        assertFalse(vk.verify(MESSAGE, longFormLength(good)), "BER long-form length");
        assertFalse(vk.verify(MESSAGE, seq(integer(concat(new byte[] {0}, twosComplement(rs[0]))), integer(twosComplement(rs[1])))),
                "superfluous leading zero in r");
        assertFalse(vk.verify(MESSAGE, seq(integer(twosComplement(rs[0])), integer(concat(new byte[] {0}, twosComplement(rs[1]))))),
                "superfluous leading zero in s");
        assertFalse(vk.verify(MESSAGE, indefiniteLength(good)), "BER indefinite length");
        assertFalse(vk.verify(MESSAGE, concat(rBytes, sBytes)), "raw r||s (JOSE form) is not DER");
        assertFalse(vk.verify(MESSAGE, seq(integer(twosComplement(rs[0])), integer(twosComplement(rs[1])),
                integer(new byte[] {1}))), "three integers");
        assertFalse(vk.verify(MESSAGE, seq(integer(twosComplement(rs[0])))), "one integer");
        assertFalse(vk.verify(MESSAGE, new byte[0]));
        assertFalse(vk.verify(MESSAGE, null));
    }

    @Test
    void rAndSOutOfRangeAreRejected() {
        BigInteger[] rs = decode(key.sign(MESSAGE));

        assertFalse(vk.verify(MESSAGE, der(BigInteger.ZERO, rs[1])));
        assertFalse(vk.verify(MESSAGE, der(rs[0], BigInteger.ZERO)));
        assertFalse(vk.verify(MESSAGE, der(rs[0].negate(), rs[1])));
        assertFalse(vk.verify(MESSAGE, der(rs[0], rs[1].negate())));
        assertFalse(vk.verify(MESSAGE, der(rs[0].add(N), rs[1])), "r + n is r mod n but out of range");
        assertFalse(vk.verify(MESSAGE, der(N, rs[1])));
        assertFalse(vk.verify(MESSAGE, der(rs[0], N)));
    }

    @Test
    void wrongKeyAndWrongMessageAreRejected() {
        byte[] signature = key.sign(MESSAGE);
        SigningKey other = SigningKey.generate(SignatureAlgorithm.ES256);

        assertFalse(other.verificationKey().verify(MESSAGE, signature));
        assertFalse(vk.verify("custody handoff!".getBytes(StandardCharsets.UTF_8), signature));
        for (int i = 0; i < signature.length; i++) {
            byte[] flipped = signature.clone();
            flipped[i] ^= 0x01;
            assertFalse(vk.verify(MESSAGE, flipped), "byte " + i);
        }
    }

    @Test
    void ed25519SignaturesDoNotVerifyUnderAnEs256KeyAndViceVersa() {
        SigningKey ed = SigningKey.generate(SignatureAlgorithm.ED25519);

        assertFalse(vk.verify(MESSAGE, ed.sign(MESSAGE)));
        assertFalse(ed.verificationKey().verify(MESSAGE, key.sign(MESSAGE)));
    }

    // --- tiny DER helpers, written independently of the code under test ---

    private static BigInteger[] decode(byte[] der) {
        int pos = 2;
        int rLen = der[pos + 1];
        BigInteger r = new BigInteger(Arrays.copyOfRange(der, pos + 2, pos + 2 + rLen));
        pos += 2 + rLen;
        int sLen = der[pos + 1];
        BigInteger s = new BigInteger(Arrays.copyOfRange(der, pos + 2, pos + 2 + sLen));
        return new BigInteger[] {r, s};
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        return seq(integer(twosComplement(r)), integer(twosComplement(s)));
    }

    private static byte[] twosComplement(BigInteger v) {
        return v.toByteArray();
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, b.length);
        System.arraycopy(b, b.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static byte[] integer(byte[] content) {
        return concat(new byte[] {0x02, (byte) content.length}, content);
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return concat(new byte[] {0x30, (byte) body.size()}, body.toByteArray());
    }

    private static byte[] longFormLength(byte[] der) {
        return concat(new byte[] {0x30, (byte) 0x81, der[1]}, Arrays.copyOfRange(der, 2, der.length));
    }

    private static byte[] indefiniteLength(byte[] der) {
        return concat(concat(new byte[] {0x30, (byte) 0x80}, Arrays.copyOfRange(der, 2, der.length)), new byte[] {0, 0});
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
