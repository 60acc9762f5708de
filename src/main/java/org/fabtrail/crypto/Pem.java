package org.fabtrail.crypto;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Strict reader and writer for a single RFC 7468 PEM block ({@code -----BEGIN LABEL-----}, base64
 * body, {@code -----END LABEL-----}).
 *
 * <p>Reading accepts exactly one block, optionally surrounded by whitespace, with LF or CRLF line
 * breaks and base64 lines of any length. It rejects text before or after the block (and therefore a
 * second block), a footer whose label differs from the header, characters outside the base64
 * alphabet, missing or misplaced padding, non-zero padding bits and an empty body. Encapsulated
 * headers ({@code Proc-Type:}) are not accepted: encrypted legacy keys are not supported.
 *
 * <p>Writing produces what OpenSSL writes: 64-column base64 lines, LF line breaks and a final LF.
 */
public final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /**
     * One decoded PEM block.
     *
     * @param label the label between {@code BEGIN} and the dashes, such as {@code "PUBLIC KEY"}
     * @param der   the decoded body
     */
    public record Block(String label, byte[] der) {
        /** Copies {@code der}. */
        public Block {
            Objects.requireNonNull(label, "label");
            der = der.clone();
        }

        /** @return a copy of the decoded body */
        @Override
        public byte[] der() {
            return der.clone();
        }

        /** Blocks are equal when label and body bytes are equal. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Block && label.equals(((Block) o).label) && Arrays.equals(der, ((Block) o).der);
        }

        @Override
        public int hashCode() {
            return 31 * label.hashCode() + Arrays.hashCode(der);
        }

        /** @return {@code Block[<label>, <n> bytes]} */
        @Override
        public String toString() {
            return "Block[" + label + ", " + der.length + " bytes]";
        }
    }

    /**
     * Encodes DER bytes as one PEM block the way OpenSSL does.
     *
     * @param label the block label, for example {@code "PUBLIC KEY"}
     * @param der   the bytes to encode
     * @return the PEM text, ending in a newline
     */
    public static String encode(String label, byte[] der) {
        checkLabel(label);
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 64 + 2 * label.length() + 40);
        sb.append(BEGIN).append(label).append(DASHES).append('\n');
        for (int i = 0; i < b64.length(); i += 64) {
            sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        sb.append(END).append(label).append(DASHES).append('\n');
        return sb.toString();
    }

    /**
     * Decodes exactly one PEM block and checks its label.
     *
     * @param pem           the PEM text
     * @param expectedLabel the label the block must carry
     * @return the decoded body
     * @throws IllegalArgumentException if the text is not exactly one well-formed block, or the
     *                                  label differs (the message names the label found)
     */
    public static byte[] decode(String pem, String expectedLabel) {
        Block block = parse(pem);
        if (!block.label().equals(expectedLabel)) {
            throw new IllegalArgumentException(
                    "expected a PEM block labelled \"" + expectedLabel + "\" but found \"" + block.label() + "\"");
        }
        return block.der;
    }

    /**
     * Parses exactly one PEM block holding a key, as {@link #parse}; a malformed one is a KeyFormatException
     * "not a PEM {@code what}: …".
     */
    static Block parseKey(String pem, String what) {
        try {
            return parse(pem);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("not a PEM " + what + ": " + e.getMessage());
        }
    }

    /**
     * Parses exactly one PEM block of any label.
     *
     * @param pem the PEM text
     * @return the label and the decoded body
     * @throws IllegalArgumentException if the text is not exactly one well-formed block
     */
    public static Block parse(String pem) {
        if (pem == null) {
            throw new IllegalArgumentException("PEM text is null");
        }
        int start = 0;
        int end = pem.length();
        while (start < end && isSpace(pem.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(pem.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            throw new IllegalArgumentException("PEM text is empty");
        }
        if (!pem.startsWith(BEGIN, start)) {
            int begin = pem.indexOf(BEGIN, start);
            throw new IllegalArgumentException(begin < 0
                    ? "not PEM: no \"-----BEGIN \" line found"
                    : "unexpected text before the \"-----BEGIN \" line");
        }
        int labelStart = start + BEGIN.length();
        int labelEnd = pem.indexOf(DASHES, labelStart);
        if (labelEnd < 0) {
            throw new IllegalArgumentException("malformed PEM header line");
        }
        String label = pem.substring(labelStart, labelEnd);
        checkLabel(label);
        int pos = labelEnd + DASHES.length();
        if (pem.startsWith("\r\n", pos)) {
            pos += 2;
        } else if (pos < end && pem.charAt(pos) == '\n') {
            pos += 1;
        } else {
            throw new IllegalArgumentException("PEM header line must be followed by a line break");
        }
        int footerAt = footerAt(pem, label, pos, end);
        return new Block(label, decodeBase64Strict(body(pem, pos, footerAt)));
    }

    /** Where the footer line of {@code label} starts: the block's last line, on a line of its own, with nothing after. */
    private static int footerAt(String pem, String label, int pos, int end) {
        String footer = END + label + DASHES;
        int footerAt = pem.indexOf(DASHES, pos);
        if (footerAt < 0 || !pem.startsWith(END, footerAt)) {
            throw new IllegalArgumentException(footerAt < 0
                    ? "PEM block has no \"-----END " + label + "-----\" line"
                    : "unexpected \"-----\" inside the PEM body (nested or multiple PEM blocks are not accepted)");
        }
        if (!pem.startsWith(footer, footerAt)) {
            throw new IllegalArgumentException("PEM footer does not match the header label \"" + label + "\"");
        }
        if (footerAt + footer.length() != end) {
            throw new IllegalArgumentException(
                    "unexpected text after the PEM block (exactly one PEM block is accepted)");
        }
        if (footerAt > 0 && pem.charAt(footerAt - 1) != '\n') {
            throw new IllegalArgumentException("PEM footer must start on its own line");
        }
        return footerAt;
    }

    /** The Base64 body between the header and the footer, without its line breaks; no encapsulated headers. */
    private static String body(String pem, int pos, int footerAt) {
        StringBuilder b64 = new StringBuilder(footerAt - pos);
        for (int i = pos; i < footerAt; i++) {
            char c = pem.charAt(i);
            if (isSpace(c)) {
                continue;
            }
            if (c == ':') {
                throw new IllegalArgumentException(
                        "PEM encapsulated headers are not supported (encrypted legacy keys are not accepted)");
            }
            if (!isBase64Char(c)) {
                throw new IllegalArgumentException("invalid character in PEM body at offset " + i);
            }
            b64.append(c);
        }
        if (b64.length() == 0) {
            throw new IllegalArgumentException("PEM body is empty");
        }
        return b64.toString();
    }

    static byte[] decodeBase64Strict(String b64) {
        if (b64.length() % 4 != 0) {
            throw new IllegalArgumentException("base64 length is not a multiple of 4 (missing padding?)");
        }
        byte[] out;
        try {
            out = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(out).equals(b64)) {
            throw new IllegalArgumentException("non-canonical base64 (misplaced padding or non-zero padding bits)");
        }
        return out;
    }

    private static void checkLabel(String label) {
        if (label.isEmpty() || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-'
                || label.charAt(0) == ' ' || label.charAt(label.length() - 1) == ' ') {
            throw new IllegalArgumentException("malformed PEM label \"" + label + "\"");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("malformed PEM label");
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isBase64Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/' || c == '=';
    }
}
