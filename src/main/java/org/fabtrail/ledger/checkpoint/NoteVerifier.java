package org.fabtrail.ledger.checkpoint;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.VerificationKey;

/**
 * A signed-note verifier key: a key name, its 32-bit key hash and an Ed25519 public key (signature
 * type {@code 0x01}), as in c2sp.org/signed-note@v1.0.0.
 *
 * <p>The text form ("vkey") is {@code <name>+<hex key hash>+<base64(0x01 || 32-byte public key)>}.
 * Parsing splits on the first two {@code '+'} only (base64 may contain {@code '+'}), and requires a
 * valid key name, exactly eight lowercase hex digits, canonical padded base64, the Ed25519 type byte,
 * a 32-byte valid Ed25519 public key and a key hash equal to
 * {@code SHA-256(name || 0x0A || 0x01 || public key)[:4]}.
 *
 * <p>Immutable and thread-safe. Two verifiers are equal when name, key hash and key are equal.
 */
public final class NoteVerifier {

    private final String name;
    private final int keyHash;
    private final byte type;
    private final VerificationKey key;

    private NoteVerifier(String name, int keyHash, byte type, VerificationKey key) {
        this.name = name;
        this.keyHash = keyHash;
        this.type = type;
        this.key = key;
    }

    /**
     * Parses a vkey.
     *
     * @param vkey the encoded verifier key
     * @return the verifier
     * @throws NoteFormatException if the vkey is malformed, of another signature type, or its key
     *                             hash does not match its name and key
     */
    public static NoteVerifier parse(String vkey) {
        if (vkey == null) {
            throw new NoteFormatException("vkey is null");
        }
        NoteText.KeyParts parts = NoteText.keyParts(vkey, 0, "vkey", "<name>+<hex key hash>+<base64 key>");
        String name = parts.name();
        int hash = parts.hash();
        byte[] typedKey = parts.typedKey();
        byte type = typedKey[0];
        if (type != NoteText.TYPE_ED25519 && type != NoteText.TYPE_COSIGNATURE_V1) {
            throw new NoteFormatException(String.format("unsupported note signature type 0x%02x (supported: "
                    + "Ed25519, 0x01, and Ed25519 cosignature/v1, 0x04)", type & 0xff));
        }
        if (typedKey.length != 33) {
            throw new NoteFormatException("an Ed25519 vkey holds a 32-byte public key, got " + (typedKey.length - 1));
        }
        if (NoteText.keyHash(name, type, Arrays.copyOfRange(typedKey, 1, 33)) != hash) {
            throw new NoteFormatException("vkey key hash " + NoteText.hex8(hash) + " does not match its name and key");
        }
        VerificationKey key;
        try {
            key = VerificationKey.ed25519(Arrays.copyOfRange(typedKey, 1, 33));
        } catch (KeyFormatException e) {
            throw new NoteFormatException("vkey holds an invalid Ed25519 public key: " + e.getMessage());
        }
        return new NoteVerifier(name, hash, type, key);
    }

    /**
     * Makes the verifier for an Ed25519 key under a name; the key hash is computed as the spec says.
     *
     * @param name the key name (for a log, its origin)
     * @param key  an Ed25519 public key
     * @return the verifier
     * @throws NoteFormatException      if the name is not a valid key name
     * @throws IllegalArgumentException if the key is not an Ed25519 key
     */
    public static NoteVerifier ed25519(String name, VerificationKey key) {
        return of(name, key, NoteText.TYPE_ED25519);
    }

    /**
     * Makes the verifier of a witness's timestamped cosignatures (c2sp.org/tlog-cosignature, signature type
     * {@code 0x04}): key hash {@code SHA-256(name || 0x0A || 0x04 || public key)[:4]}.
     *
     * @param name the cosigner's key name, e.g. {@code witness.example.org/w1}
     * @param key  an Ed25519 public key
     * @return the verifier
     * @throws NoteFormatException      if the name is not a valid key name
     * @throws IllegalArgumentException if the key is not an Ed25519 key
     */
    public static NoteVerifier cosignatureV1(String name, VerificationKey key) {
        return of(name, key, NoteText.TYPE_COSIGNATURE_V1);
    }

    /** The verifier of signatures of {@code type} (Ed25519 or cosignature/v1) by {@code key} under {@code name}. */
    static NoteVerifier of(String name, VerificationKey key, byte type) {
        Objects.requireNonNull(key, "key");
        NoteText.requireValidName(name);
        requireEd25519(key, type, "key");
        return new NoteVerifier(name, NoteText.keyHash(name, type, key.rawPublicKey()), type, key);
    }

    /**
     * Refuses a key that is not Ed25519, as signatures of {@code type} need; {@code holder} ("key", "signer") names
     * what the caller passed in the message.
     */
    static void requireEd25519(VerificationKey key, byte type, String holder) {
        if (key.algorithm() != SignatureAlgorithm.ED25519) {
            throw new IllegalArgumentException((type == NoteText.TYPE_ED25519 ? "note signatures" : "cosignatures")
                    + " need an Ed25519 " + holder + ", got " + key.algorithm().wireName());
        }
    }

    /** @return whether this key verifies timestamped witness cosignatures (type 0x04) rather than plain Ed25519 */
    public boolean isCosigner() {
        return type == NoteText.TYPE_COSIGNATURE_V1;
    }

    /** @return the key name */
    public String name() {
        return name;
    }

    /** @return the 32-bit key hash (compare as unsigned; format with {@code %08x}) */
    public int keyHash() {
        return keyHash;
    }

    /** @return the Ed25519 public key */
    public VerificationKey key() {
        return key;
    }

    /** @return the vkey text, {@code <name>+<hex key hash>+<base64(type || public key)>} */
    public String vkey() {
        byte[] typed = new byte[33];
        typed[0] = type;
        System.arraycopy(key.rawPublicKey(), 0, typed, 1, 32);
        return name + "+" + NoteText.hex8(keyHash) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /**
     * Verifies a note signature (without the 4-byte key hash prefix) over the note text. For a cosigner
     * the signature is the 72-byte {@code timestamped_signature}, and the Ed25519 signature is checked over
     * the cosignature/v1 message of its timestamp; a timestamp above {@code 2^63 - 1} fails.
     *
     * @param text the note text bytes, including its final newline
     * @param sig  the signature; malformed signatures give {@code false}
     * @return whether the signature is valid
     */
    public boolean verify(byte[] text, byte[] sig) {
        if (type == NoteText.TYPE_ED25519) {
            return key.verify(text, sig);
        }
        if (sig == null || sig.length != Cosignatures.SIGNATURE_BYTES) {
            return false;
        }
        long timestamp = Cosignatures.timestampOf(sig);
        if (timestamp < 0) {
            return false;
        }
        return key.verify(Cosignatures.signedMessage(timestamp, text), Arrays.copyOfRange(sig, 8, sig.length));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NoteVerifier)) {
            return false;
        }
        NoteVerifier other = (NoteVerifier) o;
        return name.equals(other.name) && keyHash == other.keyHash && type == other.type && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyHash, type, key);
    }

    /** @return {@code NoteVerifier[<name>+<hex key hash>]} */
    @Override
    public String toString() {
        return "NoteVerifier[" + name + "+" + NoteText.hex8(keyHash) + "]";
    }
}
