package org.fabtrail.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The wire rules of c2sp.org/tlog-cosignature@v1.0.1 ("cosignature/v1", note signature type {@code 0x04}).
 *
 * <p>A cosignature line is {@code — <cosigner name> base64(key ID || timestamped_signature)}, where the key ID is
 * {@code SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4]} and {@code timestamped_signature} is 72
 * bytes: the POSIX timestamp as an unsigned 64-bit big-endian integer (at most {@code 2^63 - 1}), then the 64-byte
 * Ed25519 signature over the signed message:
 *
 * <pre>
 * cosignature/v1\n
 * time &lt;timestamp, ASCII decimal, no leading zeroes&gt;\n
 * &lt;the whole checkpoint body, final newline included, no signature lines&gt;
 * </pre>
 */
public final class Cosignatures {

    /** Length of a {@code timestamped_signature}: 8-byte timestamp and 64-byte Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 72;
    /** The header line of the signed message, without its newline: the domain separation. */
    public static final String HEADER = "cosignature/v1";

    private Cosignatures() {
    }

    /**
     * The message a cosigner signs.
     *
     * @param timestamp the POSIX timestamp, {@code >= 0}
     * @param body      the checkpoint body (the note text) as UTF-8, final newline included
     * @return {@code "cosignature/v1\ntime <timestamp>\n" || body}
     */
    public static byte[] signedMessage(long timestamp, byte[] body) {
        Objects.requireNonNull(body, "body");
        if (timestamp < 0) {
            throw new IllegalArgumentException("a cosignature timestamp is at most 2^63 - 1");
        }
        byte[] head = (HEADER + "\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /**
     * The timestamp of a {@code timestamped_signature} (the signature after the 4-byte key ID).
     *
     * @param signature the 72-byte timestamped signature
     * @return the timestamp, or -1 when it exceeds {@code 2^63 - 1} (which the spec forbids)
     * @throws IllegalArgumentException when the signature is not 72 bytes
     */
    public static long timestampOf(byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a cosignature/v1 signature is " + SIGNATURE_BYTES + " bytes");
        }
        long t = 0;
        for (int i = 0; i < 8; i++) {
            t = (t << 8) | (signature[i] & 0xff);
        }
        return t < 0 ? -1 : t; // negative exactly when the top bit is set, i.e. above 2^63 - 1
    }

    /**
     * The timestamp of a cosignature line of a note.
     *
     * @param signature a signature of a note
     * @return its timestamp, or -1 when it is not a well-formed cosignature/v1 signature
     */
    public static long timestampOf(NoteSignature signature) {
        byte[] sig = signature.signatureUnsafe();
        return sig.length == SIGNATURE_BYTES ? timestampOf(sig) : -1;
    }
}
