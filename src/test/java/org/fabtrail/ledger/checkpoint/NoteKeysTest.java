package org.fabtrail.ledger.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.VerificationKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoteKeysTest {

    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

    @Test
    void keyHashIsTheFirstFourBytesOfTheSpecifiedSha256() throws Exception {
        VerificationKey key = SigningKey.ed25519FromSeed(new byte[32]).verificationKey();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("fabtrail.local/log\n".getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x01);
        byte[] h = sha.digest(key.rawPublicKey());

        NoteVerifier verifier = NoteVerifier.ed25519("fabtrail.local/log", key);

        assertEquals(java.nio.ByteBuffer.wrap(h).getInt(), verifier.keyHash());
        assertEquals(verifier, NoteVerifier.parse(verifier.vkey()));
    }

    @Test
    void aVkeyWhoseKeyIsNot32BytesIsRejectedEvenWithAMatchingHash() throws Exception {
        byte[] typed = new byte[34];
        typed[0] = 0x01;
        typed[1] = 0x42;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("PeterNeumann\n".getBytes(StandardCharsets.UTF_8));
        byte[] h = sha.digest(typed);
        String vkey = String.format("PeterNeumann+%08x+", java.nio.ByteBuffer.wrap(h).getInt())
                + Base64.getEncoder().encodeToString(typed);

        NoteFormatException e = assertThrows(NoteFormatException.class, () -> NoteVerifier.parse(vkey));
        assertTrue(e.getMessage().contains("32-byte"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // uppercase hex
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // seven hex digits
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  // truncated base64
        "PeterNeumann+c74f20a3+",                                              // no key
        "PeterNeumann+c74f20a3",                                               // no third part
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", // space in name
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",              // empty name
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ", // trailing space
    })
    void malformedVkeysAreRejected(String vkey) {
        assertThrows(NoteFormatException.class, () -> NoteVerifier.parse(vkey));
    }

    @Test
    void everySingleCharacterChangeOfAValidVkeyIsRejected() {
        for (int i = 0; i < PETER_VKEY.length(); i++) {
            char[] chars = PETER_VKEY.toCharArray();
            chars[i] = (char) (chars[i] + 1);
            String changed = new String(chars);
            assertThrows(NoteFormatException.class, () -> NoteVerifier.parse(changed), changed);
        }
    }

    @Test
    void aVkeyWithASmallOrderPublicKeyIsRejected() throws Exception {
        byte[] typed = new byte[33];
        typed[0] = 0x01;
        typed[1] = 0x01; // the identity point
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("x\n".getBytes(StandardCharsets.UTF_8));
        String vkey = String.format("x+%08x+", java.nio.ByteBuffer.wrap(sha.digest(typed)).getInt())
                + Base64.getEncoder().encodeToString(typed);

        NoteFormatException e = assertThrows(NoteFormatException.class, () -> NoteVerifier.parse(vkey));
        assertTrue(e.getMessage().contains("invalid Ed25519 public key"), e.getMessage());
    }

    @Test
    void skeyDerivesTheMatchingVerifier() {
        NoteSigner signer = NoteSigner.fromSkey(PETER_SKEY);

        assertEquals(PETER_VKEY, signer.verifier().vkey());
        assertEquals("NoteSigner[PeterNeumann+c74f20a3]", signer.toString());
        assertFalse(signer.toString().contains("AYEKFALV"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", // wrong hash
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", // type 0x02
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKA==", // 31-byte seed
        "PRIVATE+KEY+Peter+Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", // '+' in name
        "PRIVATE+KEY+PeterNeumann+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",          // no hash
        "PRIVATE+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",     // no KEY
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",              // a vkey
    })
    void malformedSkeysAreRejectedWithoutEchoingTheKey(String skey) {
        NoteFormatException e = assertThrows(NoteFormatException.class, () -> NoteSigner.fromSkey(skey));
        assertFalse(e.getMessage().contains("AYEKFALV"), e.getMessage());
        assertFalse(e.getMessage().contains("AoEKFALV"), e.getMessage());
    }

    @Test
    void noteSignersNeedAnEd25519KeyAndAValidName() {
        SigningKey es256 = SigningKey.generate(SignatureAlgorithm.ES256);
        SigningKey ed = SigningKey.generate(SignatureAlgorithm.ED25519);

        assertThrows(IllegalArgumentException.class, () -> new NoteSigner("log.example", es256));
        assertThrows(IllegalArgumentException.class, () -> NoteVerifier.ed25519("log.example", es256.verificationKey()));
        assertThrows(NoteFormatException.class, () -> new NoteSigner("has space", ed));
        assertThrows(NoteFormatException.class, () -> new NoteSigner("", ed));
        assertThrows(NoteFormatException.class, () -> new NoteSigner("a+b", ed));
        assertThrows(NoteFormatException.class, () -> new NoteSigner("tab\there", ed));
        assertThrows(NoteFormatException.class, () -> new NoteSigner("nbsp\u00a0", ed));
        assertEquals("l\u00f6g.example/\u65e5\u672c", new NoteSigner("l\u00f6g.example/\u65e5\u672c", ed).name(),
                "non-ASCII names are fine");
    }

    @Test
    void verifierVerifiesOnlyItsOwnSignatures() {
        NoteSigner signer = new NoteSigner("log.example", SigningKey.generate(SignatureAlgorithm.ED25519));
        byte[] text = "hello\n".getBytes(StandardCharsets.UTF_8);
        byte[] sig = signer.sign(text);

        assertTrue(signer.verifier().verify(text, sig));
        assertFalse(signer.verifier().verify("hello!\n".getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(NoteVerifier.parse(PETER_VKEY).verify(text, sig));
        assertEquals(64, sig.length);
    }
}
