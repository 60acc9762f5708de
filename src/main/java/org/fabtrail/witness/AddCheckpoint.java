package org.fabtrail.witness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The body of a c2sp.org/tlog-witness@v1.0.0 {@code add-checkpoint} request:
 *
 * <pre>
 * old &lt;size&gt;\n
 * &lt;base64 consistency proof hash&gt;\n      (0 to 63 lines)
 * \n
 * &lt;checkpoint: a signed note&gt;
 * </pre>
 *
 * <p>The old size is ASCII decimal without leading zeroes ({@code 0} for zero); each proof line is the standard base64
 * of one 32-byte hash; every line ends in a newline; the proof is empty when the old size is zero. Anything else is
 * malformed ({@link Malformed}, answered 400). The checkpoint is returned as bytes: the witness parses and verifies
 * it separately.
 *
 * @param oldSize    the tree size of the previous checkpoint the client believes the witness holds
 * @param proof      the RFC 6962 consistency proof from {@code oldSize} to the checkpoint's size
 * @param checkpoint the signed checkpoint note, verbatim
 */
public record AddCheckpoint(long oldSize, List<byte[]> proof, byte[] checkpoint) {

    /** The most proof lines a client may send. */
    public static final int MAX_PROOF_LINES = 63;

    /** Thrown for a request body that breaks the format; the message says how. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        public Malformed(String message) {
            super(message);
        }
    }

    public AddCheckpoint {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(checkpoint, "checkpoint");
        proof = proof.stream().map(byte[]::clone).toList();
        checkpoint = checkpoint.clone();
    }

    /**
     * Parses a request body.
     *
     * @param body the bytes of the request body
     * @return the request
     * @throws Malformed when the body is not an old size line, up to 63 proof lines, an empty line and a checkpoint
     */
    public static AddCheckpoint parse(byte[] body) throws Malformed {
        int at = 0;
        int end = lineEnd(body, at);
        if (end < 0) {
            throw new Malformed("the body must start with an old size line ending in a newline");
        }
        String first = ascii(body, at, end);
        if (!first.startsWith("old ")) {
            throw new Malformed("the first line must be \"old <size>\"");
        }
        long oldSize = size(first.substring(4));
        at = end + 1;
        List<byte[]> proof = new ArrayList<>();
        while (true) {
            end = lineEnd(body, at);
            if (end < 0) {
                throw new Malformed("the proof lines must be followed by an empty line and the checkpoint");
            }
            if (end == at) {
                at = end + 1;
                break;
            }
            if (proof.size() == MAX_PROOF_LINES) {
                throw new Malformed("more than " + MAX_PROOF_LINES + " consistency proof lines");
            }
            proof.add(hash(ascii(body, at, end), proof.size() + 1));
            at = end + 1;
        }
        if (oldSize == 0 && !proof.isEmpty()) {
            throw new Malformed("the consistency proof must be empty when the old size is 0");
        }
        if (at >= body.length) {
            throw new Malformed("the checkpoint is missing after the empty line");
        }
        byte[] checkpoint = new byte[body.length - at];
        System.arraycopy(body, at, checkpoint, 0, checkpoint.length);
        return new AddCheckpoint(oldSize, proof, checkpoint);
    }

    /** @return the request body in the wire format, as {@link #parse} reads it */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] h : proof) {
            sb.append(Base64.getEncoder().encodeToString(h)).append('\n');
        }
        sb.append('\n');
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + checkpoint.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(checkpoint, 0, out, head.length, checkpoint.length);
        return out;
    }

    @Override
    public byte[] checkpoint() {
        return checkpoint.clone();
    }

    @Override
    public List<byte[]> proof() {
        return proof.stream().map(byte[]::clone).toList();
    }

    private static int lineEnd(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] body, int from, int to) throws Malformed {
        for (int i = from; i < to; i++) {
            if (body[i] < 0x20 || body[i] > 0x7e) {
                throw new Malformed("the old size and proof lines must be printable ASCII");
            }
        }
        return new String(body, from, to - from, StandardCharsets.US_ASCII);
    }

    /** ASCII decimal without leading zeroes, fitting a non-negative long. */
    static long size(String s) throws Malformed {
        if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new Malformed("the old size must be a decimal number without leading zeroes");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new Malformed("the old size must be a decimal number without leading zeroes");
            }
            v = v * 10 + (c - '0');
            if (v < 0) {
                throw new Malformed("the old size is too large");
            }
        }
        return v;
    }

    private static byte[] hash(String line, int number) throws Malformed {
        byte[] h;
        try {
            h = Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            throw new Malformed("consistency proof line " + number + " is not base64");
        }
        if (h.length != 32 || !Base64.getEncoder().encodeToString(h).equals(line)) {
            throw new Malformed("consistency proof line " + number + " must be the canonical base64 of a 32-byte hash");
        }
        return h;
    }
}
