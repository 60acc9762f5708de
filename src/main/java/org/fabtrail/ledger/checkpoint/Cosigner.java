package org.fabtrail.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.fabtrail.crypto.Signer;

/**
 * A witness's cosigning key: makes c2sp.org/tlog-cosignature v1 signatures (note signature type {@code 0x04}) on
 * checkpoints, with an Ed25519 {@link Signer} under the witness's key name. See {@link Cosignatures} for the format.
 *
 * <p>Thread-safe when the wrapped signer is. {@link #toString()} shows the name and key hash only.
 */
public final class Cosigner {

    private final NoteSigner key;

    /**
     * @param name          the cosigner's key name (a schema-less URL, e.g. {@code witness.example.org/w1})
     * @param ed25519Signer the witness's key; must be Ed25519
     * @throws NoteFormatException      if the name is not a valid key name
     * @throws IllegalArgumentException if the signer is not Ed25519
     */
    public Cosigner(String name, Signer ed25519Signer) {
        this.key = new NoteSigner(name, ed25519Signer, NoteText.TYPE_COSIGNATURE_V1);
    }

    /** @return the key name */
    public String name() {
        return key.name();
    }

    /** @return the verifier of this cosigner's signatures, whose {@link NoteVerifier#vkey()} the witness publishes */
    public NoteVerifier verifier() {
        return key.verifier();
    }

    /**
     * Cosigns a checkpoint body.
     *
     * @param body      the checkpoint's note text, final newline included
     * @param timestamp the POSIX time of the cosignature, {@code >= 0}
     * @return the signature, whose {@link NoteSignature#line()} is the cosignature line
     */
    public NoteSignature cosign(String body, long timestamp) {
        Objects.requireNonNull(body, "body");
        byte[] message = Cosignatures.signedMessage(timestamp, body.getBytes(StandardCharsets.UTF_8));
        byte[] ed = key.sign(message);
        byte[] sig = new byte[Cosignatures.SIGNATURE_BYTES];
        for (int i = 0; i < 8; i++) {
            sig[i] = (byte) (timestamp >>> (56 - 8 * i));
        }
        System.arraycopy(ed, 0, sig, 8, 64);
        NoteSignature out = new NoteSignature(key.name(), key.keyHash(), sig);
        Arrays.fill(ed, (byte) 0);
        return out;
    }

    /** @return {@code Cosigner[<name>+<hex key hash>]} */
    @Override
    public String toString() {
        return "Cosigner[" + key.name() + "+" + NoteText.hex8(key.keyHash()) + "]";
    }
}
