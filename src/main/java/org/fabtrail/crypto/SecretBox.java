package org.fabtrail.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Authenticated encryption of small secrets at rest (AES-256-GCM, random 96-bit nonce prepended, a context
 * string bound as associated data so a ciphertext cannot be moved to another purpose or organisation).
 */
public final class SecretBox {

    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    /** @param key32 the 32-byte master key */
    public SecretBox(byte[] key32) {
        if (key32.length != 32) {
            throw new KeyFormatException("the master key must be 32 bytes, not " + key32.length);
        }
        this.key = new SecretKeySpec(key32.clone(), "AES");
    }

    public byte[] seal(byte[] plaintext, String context) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws KeyFormatException when the box was not sealed with this key and context, or was altered */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < NONCE + 16) {
            throw new KeyFormatException("sealed secret is too short");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
            c.updateAAD(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new KeyFormatException("sealed secret does not open with this master key and context");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM]";
    }
}
