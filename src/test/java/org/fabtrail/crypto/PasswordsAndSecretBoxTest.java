package org.fabtrail.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordsAndSecretBoxTest {

    /** RFC 9106 section 5.3 (Argon2id) known answer, through the same generator Passwords uses. */
    @Test
    void argon2idMatchesRfc9106() {
        byte[] password = new byte[32];
        java.util.Arrays.fill(password, (byte) 1);
        byte[] salt = new byte[16];
        java.util.Arrays.fill(salt, (byte) 2);
        byte[] secret = new byte[8];
        java.util.Arrays.fill(secret, (byte) 3);
        byte[] ad = new byte[12];
        java.util.Arrays.fill(ad, (byte) 4);
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withSecret(secret).withAdditional(ad).withMemoryAsKB(32).withIterations(3)
                .withParallelism(4).build());
        byte[] tag = new byte[32];
        gen.generateBytes(password, tag);
        assertArrayEquals(HexFormat.of().parseHex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"), tag);
    }

    @Test
    void passwordsVerifyOnlyTheRightPassword() {
        String h = Passwords.hash("correct horse battery staple");
        assertTrue(h.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), h);
        assertTrue(Passwords.verify("correct horse battery staple", h));
        assertFalse(Passwords.verify("correct horse battery stapl", h));
        assertNotEquals(h, Passwords.hash("correct horse battery staple"), "salted");
        assertFalse(Passwords.verify("x", "not a hash"));
        assertFalse(Passwords.verify("x", null));
    }

    @Test
    void aSecretBoxOpensOnlyWithItsKeyAndContext() {
        byte[] key = new byte[32];
        key[0] = 7;
        SecretBox box = new SecretBox(key);
        byte[] secret = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = box.seal(secret, "ui-key:acme");
        assertArrayEquals(secret, box.open(sealed, "ui-key:acme"));
        assertThrows(KeyFormatException.class, () -> box.open(sealed, "ui-key:other"));
        byte[] other = new byte[32];
        assertThrows(KeyFormatException.class, () -> new SecretBox(other).open(sealed, "ui-key:acme"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(KeyFormatException.class, () -> box.open(sealed, "ui-key:acme"));
        assertThrows(KeyFormatException.class, () -> new SecretBox(new byte[16]));
    }
}
