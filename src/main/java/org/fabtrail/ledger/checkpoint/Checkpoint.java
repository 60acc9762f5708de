package org.fabtrail.ledger.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A transparency log checkpoint (c2sp.org/tlog-checkpoint@v1.0.0): the note text that a log signs to
 * commit to its Merkle tree at one size.
 *
 * <pre>
 * &lt;origin&gt;\n
 * &lt;tree size, ASCII decimal, no leading zeros&gt;\n
 * &lt;base64 of the 32-byte RFC 6962 root hash&gt;\n
 * [&lt;extension line&gt;\n ...]
 * </pre>
 *
 * <p>Rules enforced by the constructor and by {@link #parse(String)}: the origin is non-empty;
 * every line, extension lines included, is non-empty and free of control characters; the size is
 * {@code 0} or a decimal without leading zeros or sign that fits a non-negative {@code long}; the
 * root hash is canonical padded base64 of exactly 32 bytes; the body ends in a newline. The spec's
 * recommendation that the origin be a schema-less URL without spaces or {@code '+'} is not enforced,
 * as the spec tells clients not to assume it.
 *
 * @param origin     the log identity, also the key name of the log's signature
 * @param size       the number of leaves
 * @param rootHash   the 32-byte root hash (copied)
 * @param extensions optional extension lines (copied; not recommended by the spec)
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

    /** Length of a SHA-256 root hash. */
    public static final int ROOT_HASH_SIZE = 32;

    /**
     * Validates and copies the fields.
     *
     * @param origin     the log identity
     * @param size       the number of leaves
     * @param rootHash   the 32-byte root hash
     * @param extensions extension lines
     * @throws IllegalArgumentException if a field breaks the rules in the class description
     */
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(extensions, "extensions");
        String problem = lineProblem(origin, "origin");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (size < 0) {
            throw new IllegalArgumentException("tree size must not be negative");
        }
        if (rootHash.length != ROOT_HASH_SIZE) {
            throw new IllegalArgumentException("root hash must be " + ROOT_HASH_SIZE + " bytes, got " + rootHash.length);
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            problem = lineProblem(line, "extension line");
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    /**
     * A checkpoint without extension lines.
     *
     * @param origin   the log identity
     * @param size     the number of leaves
     * @param rootHash the 32-byte root hash
     */
    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** @return a copy of the root hash */
    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** @return the note text: origin, size, base64 root hash and extension lines, each ending in a newline */
    public String body() {
        StringBuilder sb = new StringBuilder(origin.length() + 80);
        sb.append(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        for (String line : extensions) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Signs this checkpoint's body as a note.
     *
     * @param signers the log's signer first (its name should equal the origin), then any others
     * @return the encoded signed note
     */
    public byte[] sign(NoteSigner... signers) {
        return Note.sign(body(), signers);
    }

    /**
     * Parses a checkpoint body (the text of a signed note).
     *
     * @param body the note text, ending in a newline
     * @return the checkpoint
     * @throws NoteFormatException if the body breaks the tlog-checkpoint rules
     */
    public static Checkpoint parse(String body) {
        Objects.requireNonNull(body, "body");
        if (body.isEmpty() || body.charAt(body.length() - 1) != '\n') {
            throw new NoteFormatException("checkpoint body must end with a newline");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new NoteFormatException("checkpoint needs at least three lines (origin, size, root hash), got "
                    + lines.length);
        }
        for (int i = 0; i < lines.length; i++) {
            String problem = lineProblem(lines[i], i == 0 ? "origin" : "line " + (i + 1));
            if (problem != null) {
                throw new NoteFormatException("checkpoint " + problem);
            }
        }
        long size = parseSize(lines[1]);
        byte[] root = NoteText.decodeBase64(lines[2]);
        if (root == null) {
            throw new NoteFormatException("checkpoint root hash is not canonical padded base64");
        }
        if (root.length != ROOT_HASH_SIZE) {
            throw new NoteFormatException("checkpoint root hash must be " + ROOT_HASH_SIZE + " bytes, got " + root.length);
        }
        List<String> extensions = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
        return new Checkpoint(lines[0], size, root, extensions);
    }

    /**
     * Parses a checkpoint body and checks its origin.
     *
     * @param body           the note text
     * @param expectedOrigin the origin of the log the caller expects
     * @return the checkpoint
     * @throws NoteFormatException if the body is malformed or of another log
     */
    public static Checkpoint parse(String body, String expectedOrigin) {
        Checkpoint checkpoint = parse(body);
        if (!checkpoint.origin.equals(expectedOrigin)) {
            throw new NoteFormatException("checkpoint origin \"" + checkpoint.origin + "\" is not the expected \""
                    + expectedOrigin + "\"");
        }
        return checkpoint;
    }

    /**
     * Opens a signed checkpoint: verifies the note against the known keys, then parses the body and
     * checks the origin.
     *
     * @param signedNote     the encoded signed note
     * @param expectedOrigin the origin of the log
     * @param known          trusted verifiers (normally the log's key, perhaps witnesses)
     * @return the checkpoint
     * @throws NoteFormatException       if the note or the body is malformed, or of another log
     * @throws NoteVerificationException if no known key signed it or a known key's signature is bad
     */
    public static Checkpoint open(byte[] signedNote, String expectedOrigin, Collection<NoteVerifier> known) {
        return parse(Notes.open(signedNote, known).text(), expectedOrigin);
    }

    private static long parseSize(String s) {
        if (s.length() > 1 && s.charAt(0) == '0') {
            throw new NoteFormatException("checkpoint tree size has a leading zero");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NoteFormatException("checkpoint tree size must be ASCII decimal digits");
            }
            try {
                v = Math.addExact(Math.multiplyExact(v, 10), c - '0');
            } catch (ArithmeticException e) {
                throw new NoteFormatException("checkpoint tree size is too large");
            }
        }
        return v;
    }

    private static String lineProblem(String line, String what) {
        if (line.isEmpty()) {
            return what + " is empty";
        }
        if (line.indexOf('\n') >= 0) {
            return what + " contains a newline";
        }
        String problem = NoteText.textProblem(line);
        return problem == null ? null : what + " contains a " + problem;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Checkpoint)) {
            return false;
        }
        Checkpoint other = (Checkpoint) o;
        return origin.equals(other.origin) && size == other.size && Arrays.equals(rootHash, other.rootHash)
                && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, extensions) * 31 + Arrays.hashCode(rootHash);
    }

    /** @return {@code Checkpoint[<origin>, size=<n>, root=<base64>]} */
    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", size=" + size + ", root=" + Base64.getEncoder().encodeToString(rootHash)
                + (extensions.isEmpty() ? "" : ", extensions=" + extensions) + "]";
    }
}
