package org.fabtrail.ledger.checkpoint;

import org.fabtrail.crypto.Utf8;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A signed note (c2sp.org/signed-note@v1.0.0): a text and one or more signature lines. This type
 * only checks the format; {@link Notes#open} checks signatures.
 *
 * <p>Encoding: the text (ending in a newline, possibly containing empty lines), a blank line, then
 * one line per signature: em dash U+2014, space, key name, space, base64(4-byte big-endian key hash ||
 * signature), newline. The text is separated from the signatures by the <em>last</em> blank line.
 *
 * <p>Rules enforced by {@link #parse(byte[])} and by the constructor: valid UTF-8 (and well-formed
 * UTF-16 in Java); no control characters other than newline anywhere; the text ends in a newline;
 * at least one and at most {@value #MAX_SIGNATURES} signatures (the spec requires accepting at least
 * 16 and recommends a limit; 100 is the limit of the Go reference implementation); at most
 * {@value #MAX_NOTE_BYTES} bytes in all; every signature line well-formed, with a valid key name and
 * canonical padded base64 of at least five bytes.
 *
 * @param text       the note text, ending in a newline; this is what signatures sign (as UTF-8)
 * @param signatures the signatures in note order, duplicates included
 */
public record Note(String text, List<NoteSignature> signatures) {

    /** The most signature lines accepted in one note. */
    public static final int MAX_SIGNATURES = 100;
    /** The largest encoded note accepted, in bytes. */
    public static final int MAX_NOTE_BYTES = 1 << 20;

    private static final String SIGNATURE_PREFIX = "\u2014 ";

    /**
     * Validates the text and the number of signatures, and copies the list.
     *
     * @param text       the note text, ending in a newline
     * @param signatures one to {@value #MAX_SIGNATURES} signatures
     * @throws NoteFormatException if the text or the number of signatures breaks the format rules
     */
    public Note {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(signatures, "signatures");
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new NoteFormatException("note text must end with a newline");
        }
        String problem = NoteText.textProblem(text);
        if (problem != null) {
            throw new NoteFormatException("note text contains a " + problem);
        }
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty()) {
            throw new NoteFormatException("a note needs at least one signature");
        }
        if (signatures.size() > MAX_SIGNATURES) {
            throw new NoteFormatException("note has more than " + MAX_SIGNATURES + " signatures");
        }
    }

    /**
     * Parses a signed note without verifying any signature.
     *
     * @param bytes the encoded note
     * @return the note
     * @throws NoteFormatException if any format rule is broken (the message says which)
     */
    public static Note parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_NOTE_BYTES) {
            throw new NoteFormatException("note is larger than " + MAX_NOTE_BYTES + " bytes");
        }
        int[] badByte = new int[1];
        String msg = Utf8.decode(bytes, badByte);
        if (msg == null) {
            throw new NoteFormatException("note is not valid UTF-8 (at byte offset " + badByte[0] + ")");
        }
        String problem = NoteText.textProblem(msg);
        if (problem != null) {
            throw new NoteFormatException("note contains a " + problem);
        }
        int split = msg.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException("note has no blank line before its signatures");
        }
        String text = msg.substring(0, split + 1);
        String sigs = msg.substring(split + 2);
        if (sigs.isEmpty()) {
            throw new NoteFormatException("note has no signature lines after the blank line");
        }
        if (sigs.charAt(sigs.length() - 1) != '\n') {
            throw new NoteFormatException("note does not end with a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        int lineStart = 0;
        while (lineStart < sigs.length()) {
            int lineEnd = sigs.indexOf('\n', lineStart);
            if (signatures.size() == MAX_SIGNATURES) {
                throw new NoteFormatException("note has more than " + MAX_SIGNATURES + " signatures");
            }
            signatures.add(parseSignatureLine(sigs.substring(lineStart, lineEnd), signatures.size() + 1));
            lineStart = lineEnd + 1;
        }
        return new Note(text, signatures);
    }

    private static NoteSignature parseSignatureLine(String line, int number) {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw new NoteFormatException("signature line " + number + " does not start with an em dash (U+2014) and a space");
        }
        int space = line.indexOf(' ', SIGNATURE_PREFIX.length());
        if (space < 0) {
            throw new NoteFormatException("signature line " + number + " has no space between key name and signature");
        }
        String name = line.substring(SIGNATURE_PREFIX.length(), space);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new NoteFormatException("signature line " + number + ": " + problem);
        }
        byte[] raw = NoteText.decodeBase64(line.substring(space + 1));
        if (raw == null) {
            throw new NoteFormatException("signature line " + number + ": signature is not canonical padded base64");
        }
        if (raw.length < 5) {
            throw new NoteFormatException("signature line " + number + ": signature is shorter than a key hash and one byte");
        }
        int keyHash = ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
        byte[] sig = new byte[raw.length - 4];
        System.arraycopy(raw, 4, sig, 0, sig.length);
        return new NoteSignature(name, keyHash, sig);
    }

    /** @return the encoded note: text, blank line, signature lines, as UTF-8 */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(text.length() + 1 + signatures.size() * 120);
        sb.append(text).append('\n');
        for (NoteSignature sig : signatures) {
            sb.append(sig.line());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Signs a text with one or more signers and encodes the note. Ed25519 is deterministic, so the
     * same text and keys always give the same bytes.
     *
     * @param text    the note text, ending in a newline
     * @param signers at least one signer, no two with the same name and key hash
     * @return the encoded signed note
     * @throws NoteFormatException      if the text breaks the format rules
     * @throws IllegalArgumentException if there is no signer or two share a name and key hash
     */
    public static byte[] sign(String text, NoteSigner... signers) {
        Objects.requireNonNull(text, "text");
        if (signers == null || signers.length == 0) {
            throw new IllegalArgumentException("at least one signer is needed");
        }
        String problem = NoteText.textProblem(text);
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n' || problem != null) {
            throw new NoteFormatException(problem != null ? "note text contains a " + problem
                    : "note text must end with a newline");
        }
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        Set<String> seen = new HashSet<>();
        List<NoteSignature> signatures = new ArrayList<>(signers.length);
        for (NoteSigner signer : signers) {
            if (!seen.add(signer.name() + "+" + NoteText.hex8(signer.keyHash()))) {
                throw new IllegalArgumentException("two signers share the key " + signer);
            }
            signatures.add(new NoteSignature(signer.name(), signer.keyHash(), signer.sign(textBytes)));
        }
        return new Note(text, signatures).encode();
    }
}
