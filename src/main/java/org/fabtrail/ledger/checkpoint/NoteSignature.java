package org.fabtrail.ledger.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One signature line of a signed note: {@code — <name> base64(key hash || signature)}.
 *
 * @param name      the key name (non-empty, no Unicode spaces, no {@code '+'})
 * @param keyHash   the 32-bit key hash (big-endian in the encoding)
 * @param signature the signature bytes after the key hash (at least one byte); copied
 */
public record NoteSignature(String name, int keyHash, byte[] signature) {

    /**
     * Validates the name and copies the signature.
     *
     * @param name      the key name
     * @param keyHash   the key hash
     * @param signature the signature bytes, at least one
     * @throws NoteFormatException if the name is invalid or the signature is empty
     */
    public NoteSignature {
        NoteText.requireValidName(name);
        Objects.requireNonNull(signature, "signature");
        if (signature.length == 0) {
            throw new NoteFormatException("note signature is empty");
        }
        signature = signature.clone();
    }

    /** @return a copy of the signature bytes */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    byte[] signatureUnsafe() {
        return signature;
    }

    /**
     * @return the signature line as a note carries it, newline included:
     *         {@code — <name> base64(4-byte big-endian key hash || signature)\n}
     */
    public String line() {
        byte[] raw = new byte[4 + signature.length];
        raw[0] = (byte) (keyHash >>> 24);
        raw[1] = (byte) (keyHash >>> 16);
        raw[2] = (byte) (keyHash >>> 8);
        raw[3] = (byte) keyHash;
        System.arraycopy(signature, 0, raw, 4, signature.length);
        return "\u2014 " + name + " " + java.util.Base64.getEncoder().encodeToString(raw) + "\n";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NoteSignature)) {
            return false;
        }
        NoteSignature other = (NoteSignature) o;
        return name.equals(other.name) && keyHash == other.keyHash && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(name, keyHash) + Arrays.hashCode(signature);
    }

    /** @return {@code NoteSignature[<name>+<hex key hash>, <n> bytes]} */
    @Override
    public String toString() {
        return "NoteSignature[" + name + "+" + NoteText.hex8(keyHash) + ", " + signature.length + " bytes]";
    }
}
