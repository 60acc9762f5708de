package org.fabtrail.ledger.checkpoint;

import java.util.Arrays;
import java.util.Objects;

import org.fabtrail.crypto.Signer;
import org.fabtrail.crypto.SigningKey;

/**
 * Signs note text under a key name with an Ed25519 {@link Signer} (note signature type {@code 0x01}).
 * The log's checkpoint signer wraps the injected operator {@code Signer} in one of these.
 *
 * <p>Thread-safe when the wrapped signer is. {@link #toString()} shows the name and key hash only.
 */
public final class NoteSigner {

    private final String name;
    private final Signer signer;
    private final NoteVerifier verifier;

    /**
     * @param name          the key name (for a log, its origin)
     * @param ed25519Signer the signer; its key must be Ed25519
     * @throws NoteFormatException      if the name is not a valid key name
     * @throws IllegalArgumentException if the signer is not Ed25519
     */
    public NoteSigner(String name, Signer ed25519Signer) {
        this(name, ed25519Signer, NoteText.TYPE_ED25519);
    }

    /**
     * An Ed25519 signer under a key name whose verifier checks signatures of {@code type}: {@code 0x01} for note
     * signatures, {@code 0x04} for the {@link Cosigner}'s cosignatures (which signs its own timestamped message).
     */
    NoteSigner(String name, Signer ed25519Signer, byte type) {
        Objects.requireNonNull(ed25519Signer, "ed25519Signer");
        NoteVerifier.requireEd25519(ed25519Signer.verificationKey(), type, "signer");
        this.verifier = NoteVerifier.of(name, ed25519Signer.verificationKey(), type);
        this.name = name;
        this.signer = ed25519Signer;
    }

    /**
     * Reads a signer key in the Go {@code golang.org/x/mod/sumdb/note} "skey" form,
     * {@code PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 || 32-byte seed)>}, splitting on the first
     * four {@code '+'} only. The key hash must match the public key derived from the seed.
     *
     * @param skey the encoded signer key
     * @return the signer
     * @throws NoteFormatException if the skey is malformed (the message never repeats the key)
     */
    public static NoteSigner fromSkey(String skey) {
        if (skey == null || !skey.startsWith("PRIVATE+KEY+")) {
            throw new NoteFormatException("skey must start with PRIVATE+KEY+");
        }
        NoteText.KeyParts parts = NoteText.keyParts(skey, "PRIVATE+KEY+".length(), "skey",
                "PRIVATE+KEY+<name>+<hex key hash>+<base64 key>");
        String name = parts.name();
        int hash = parts.hash();
        byte[] typedSeed = parts.typedKey();
        try {
            if (typedSeed[0] != NoteText.TYPE_ED25519) {
                throw new NoteFormatException("unsupported note signature type in skey (only Ed25519, 0x01, is supported)");
            }
            if (typedSeed.length != 33) {
                throw new NoteFormatException("an Ed25519 skey holds a 32-byte seed");
            }
            byte[] seed = Arrays.copyOfRange(typedSeed, 1, 33);
            NoteSigner signer = new NoteSigner(name, SigningKey.ed25519FromSeed(seed));
            Arrays.fill(seed, (byte) 0);
            if (signer.keyHash() != hash) {
                throw new NoteFormatException("skey key hash " + NoteText.hex8(hash) + " does not match its name and key");
            }
            return signer;
        } finally {
            Arrays.fill(typedSeed, (byte) 0);
        }
    }

    /** @return the key name */
    public String name() {
        return name;
    }

    /** @return the 32-bit key hash */
    public int keyHash() {
        return verifier.keyHash();
    }

    /** @return the verifier for this signer's key, whose {@link NoteVerifier#vkey()} can be published */
    public NoteVerifier verifier() {
        return verifier;
    }

    /**
     * Signs note text.
     *
     * @param text the note text bytes, including its final newline
     * @return the 64-byte Ed25519 signature, without the key hash prefix
     */
    public byte[] sign(byte[] text) {
        return signer.sign(text);
    }

    /** @return {@code NoteSigner[<name>+<hex key hash>]} */
    @Override
    public String toString() {
        return "NoteSigner[" + name + "+" + NoteText.hex8(keyHash()) + "]";
    }
}
