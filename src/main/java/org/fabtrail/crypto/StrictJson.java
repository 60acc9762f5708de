package org.fabtrail.crypto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A strict JSON parser: RFC 8259 plus the I-JSON restrictions of RFC 7493 that RFC 8785
 * canonicalisation relies on. It is a hand-written recursive-descent parser with no regular
 * expressions and no dependencies.
 *
 * <p><b>Result types.</b> Objects become {@link LinkedHashMap}{@code <String, Object>} in document
 * order, arrays {@link ArrayList}{@code <Object>}, strings {@link String}, numbers {@link Double}
 * (the nearest IEEE-754 double, as RFC 8785 requires), {@code true}/{@code false} {@link Boolean},
 * and JSON {@code null} the sentinel {@link #NULL} (so that maps and lists never hold Java
 * {@code null}). Any value may stand at the top level.
 *
 * <p><b>Rejected</b>, with a {@link JsonFormatException} naming the problem and its position:
 * duplicate property names; strings that are not well-formed UTF-16 after unescaping (lone
 * surrogates, whether escaped or literal); unescaped control characters (below U+0020) in strings;
 * invalid escapes; numbers with leading zeros, a leading {@code +}, a bare {@code .}, or whose value
 * overflows a double (such as {@code 1e400}); {@code NaN} and {@code Infinity}; comments; trailing
 * commas; anything after the value; a byte order mark; whitespace other than space, tab, CR and LF;
 * and nesting deeper than {@link #MAX_DEPTH}. {@link #parse(byte[])} also rejects input that is not
 * well-formed UTF-8 (including overlong forms and encoded surrogates). Numbers too small for a double
 * round to zero, as IEEE-754 parsing does.
 *
 * <p>Thread-safe: all state lives in the call.
 */
public final class StrictJson {

    /** The deepest nesting of arrays and objects accepted; a top-level array or object has depth 1. */
    public static final int MAX_DEPTH = 64;

    /** The value of JSON {@code null}. */
    public static final Null NULL = Null.INSTANCE;

    /** Type of the {@link #NULL} sentinel. */
    public enum Null {
        /** The only instance. */
        INSTANCE;

        /** @return {@code "null"} */
        @Override
        public String toString() {
            return "null";
        }
    }

    private StrictJson() {
    }

    /**
     * Parses UTF-8 JSON text.
     *
     * @param utf8 the document bytes
     * @return the value (see the class description for the types)
     * @throws JsonFormatException if the bytes are not well-formed UTF-8 or not strict JSON
     */
    public static Object parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        int[] bad = new int[1];
        String text = Utf8.decode(utf8, bad);
        if (text == null) {
            throw new JsonFormatException("invalid UTF-8 at byte offset " + bad[0], bad[0]);
        }
        return parse(text);
    }

    /**
     * Parses JSON text.
     *
     * @param json the document
     * @return the value (see the class description for the types)
     * @throws JsonFormatException if the text is not strict JSON
     */
    public static Object parse(String json) {
        Objects.requireNonNull(json, "json");
        return new Parser(json).parseDocument();
    }

    private static final class Parser {
        private final String s;
        private final int len;
        private int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
            this.len = s.length();
        }

        Object parseDocument() {
            if (len > 0 && s.charAt(0) == '\uFEFF') {
                throw error("byte order mark (U+FEFF) is not allowed", 0);
            }
            skipWhitespace();
            Object value = readValue();
            skipWhitespace();
            if (pos != len) {
                throw error("unexpected " + describe(pos) + " after the JSON value", pos);
            }
            return value;
        }

        private Object readValue() {
            if (pos >= len) {
                throw error("unexpected end of input, expected a value", pos);
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return readObject();
                case '[':
                    return readArray();
                case '"':
                    return readString();
                case 't':
                    expectLiteral("true");
                    return Boolean.TRUE;
                case 'f':
                    expectLiteral("false");
                    return Boolean.FALSE;
                case 'n':
                    expectLiteral("null");
                    return NULL;
                case '-':
                case '0':
                case '1':
                case '2':
                case '3':
                case '4':
                case '5':
                case '6':
                case '7':
                case '8':
                case '9':
                    return readNumber();
                case '/':
                    throw error("comments are not allowed", pos);
                case 'N':
                case 'I':
                    throw error("NaN and Infinity are not allowed", pos);
                default:
                    throw error("unexpected " + describe(pos) + ", expected a value", pos);
            }
        }

        private Map<String, Object> readObject() {
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            if (opensEmpty('}')) {
                return map;
            }
            while (true) {
                if (pos >= len || s.charAt(pos) != '"') {
                    throw error(pos >= len ? "unexpected end of input, expected a property name"
                            : "expected a property name (a string) but found " + describe(pos), pos);
                }
                int keyStart = pos;
                String key = readString();
                skipWhitespace();
                if (pos >= len || s.charAt(pos) != ':') {
                    throw error("expected ':' after property name", pos);
                }
                pos++;
                skipWhitespace();
                Object value = readValue();
                if (map.put(key, value) != null) {
                    throw error("duplicate property name \"" + printable(key) + "\"", keyStart);
                }
                if (closes('}', "object")) {
                    return map;
                }
            }
        }

        private ArrayList<Object> readArray() {
            ArrayList<Object> list = new ArrayList<>();
            if (opensEmpty(']')) {
                return list;
            }
            while (true) {
                list.add(readValue());
                if (closes(']', "array")) {
                    return list;
                }
            }
        }

        /** Enters an object or array at its opening character; true when {@code close} ends it at once (consumed). */
        private boolean opensEmpty(char close) {
            enter();
            pos++;
            skipWhitespace();
            if (pos < len && s.charAt(pos) == close) {
                pos++;
                depth--;
                return true;
            }
            return false;
        }

        /**
         * After a member of an object or array ({@code what}): true when {@code close} ends it (consumed), false
         * after a ',' that another member follows (never {@code close}: no trailing comma).
         */
        private boolean closes(char close, String what) {
            skipWhitespace();
            if (pos >= len) {
                throw error("unexpected end of input, expected ',' or '" + close + "'", pos);
            }
            char c = s.charAt(pos);
            if (c == ',') {
                pos++;
                skipWhitespace();
                if (pos < len && s.charAt(pos) == close) {
                    throw error("trailing comma in " + what, pos);
                }
                return false;
            }
            if (c == close) {
                pos++;
                depth--;
                return true;
            }
            throw error("expected ',' or '" + close + "' but found " + describe(pos), pos);
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels", pos);
            }
        }

        private String readString() {
            int start = pos;
            pos++; // opening quote
            int runStart = pos;
            StringBuilder sb = null;
            while (true) {
                if (pos >= len) {
                    throw error("unterminated string", start);
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String result;
                    if (sb == null) {
                        result = s.substring(runStart, pos);
                    } else {
                        sb.append(s, runStart, pos);
                        result = sb.toString();
                    }
                    pos++;
                    checkWellFormed(result, start);
                    return result;
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder(pos - runStart + 16);
                    }
                    sb.append(s, runStart, pos);
                    sb.append(readEscape());
                    runStart = pos;
                } else if (c < 0x20) {
                    throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in string",
                            pos);
                } else {
                    pos++;
                }
            }
        }

        private char readEscape() {
            int at = pos;
            pos++; // backslash
            if (pos >= len) {
                throw error("unterminated string", at);
            }
            char c = s.charAt(pos++);
            switch (c) {
                case '"':
                    return '"';
                case '\\':
                    return '\\';
                case '/':
                    return '/';
                case 'b':
                    return '\b';
                case 'f':
                    return '\f';
                case 'n':
                    return '\n';
                case 'r':
                    return '\r';
                case 't':
                    return '\t';
                case 'u':
                    if (pos + 4 > len) {
                        throw error("truncated \\u escape", at);
                    }
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = hexValue(s.charAt(pos + i));
                        if (d < 0) {
                            throw error("invalid \\u escape: expected four hex digits", at);
                        }
                        v = (v << 4) | d;
                    }
                    pos += 4;
                    return (char) v;
                default:
                    throw error("invalid escape sequence '\\" + printable(String.valueOf(c)) + "'", at);
            }
        }

        private void checkWellFormed(String str, int at) {
            for (int i = 0; i < str.length(); i++) {
                char c = str.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 < str.length() && Character.isLowSurrogate(str.charAt(i + 1))) {
                        i++;
                    } else {
                        throw error("lone high surrogate U+" + String.format("%04X", (int) c) + " in string", at);
                    }
                } else if (Character.isLowSurrogate(c)) {
                    throw error("lone low surrogate U+" + String.format("%04X", (int) c) + " in string", at);
                }
            }
        }

        private Double readNumber() {
            int start = pos;
            boolean negative = false;
            if (s.charAt(pos) == '-') {
                negative = true;
                pos++;
            }
            readIntegerPart(start);
            boolean fraction = readFraction();
            boolean exponent = readExponent();
            boolean integral = !fraction && !exponent;
            int digitsStart = negative ? start + 1 : start;
            if (integral && pos - digitsStart <= 15) {
                // Exact in a long and in a double: skip the general decimal conversion.
                long v = 0;
                for (int i = digitsStart; i < pos; i++) {
                    v = v * 10 + (s.charAt(i) - '0');
                }
                return negative ? (v == 0 ? -0.0d : (double) -v) : (double) v;
            }
            double d = Double.parseDouble(s.substring(start, pos));
            if (Double.isInfinite(d)) {
                throw error("number " + s.substring(start, Math.min(pos, start + 40))
                        + " is outside the range of an IEEE-754 double", start);
            }
            return d;
        }

        /** The digits before any fraction: 0, or 1-9 and more digits (no leading zero; no NaN or Infinity). */
        private void readIntegerPart(int start) {
            if (pos >= len) {
                throw error("invalid number: expected a digit after '-'", start);
            }
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
                if (pos < len && isDigit(s.charAt(pos))) {
                    throw error("invalid number: leading zeros are not allowed", start);
                }
            } else if (c >= '1' && c <= '9') {
                skipDigits();
            } else {
                throw error(c == 'I' ? "NaN and Infinity are not allowed" : "invalid number: expected a digit",
                        pos);
            }
        }

        /** A fraction ({@code .} and digits), if one follows. */
        private boolean readFraction() {
            if (pos >= len || s.charAt(pos) != '.') {
                return false;
            }
            pos++;
            if (skipDigits() == 0) {
                throw error("invalid number: expected a digit after '.'", pos);
            }
            return true;
        }

        /** An exponent ({@code e} or {@code E}, a sign, digits), if one follows. */
        private boolean readExponent() {
            if (pos >= len || (s.charAt(pos) != 'e' && s.charAt(pos) != 'E')) {
                return false;
            }
            pos++;
            if (pos < len && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (skipDigits() == 0) {
                throw error("invalid number: expected a digit in the exponent", pos);
            }
            return true;
        }

        /** Skips the ASCII digits at the position; how many there were. */
        private int skipDigits() {
            int from = pos;
            while (pos < len && isDigit(s.charAt(pos))) {
                pos++;
            }
            return pos - from;
        }

        private void expectLiteral(String literal) {
            if (!s.startsWith(literal, pos)) {
                throw error("unexpected " + describe(pos) + ", expected a value", pos);
            }
            pos += literal.length();
        }

        private void skipWhitespace() {
            while (pos < len) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        private static int hexValue(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private String describe(int at) {
            if (at >= len) {
                return "end of input";
            }
            char c = s.charAt(at);
            if (c == '\uFEFF') {
                return "byte order mark (U+FEFF)";
            }
            if (c < 0x20 || c > 0x7e) {
                return "character U+" + String.format("%04X", (int) c);
            }
            return "character '" + c + "'";
        }

        private static String printable(String str) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < str.length() && i < 64; i++) {
                char c = str.charAt(i);
                if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            if (str.length() > 64) {
                sb.append("...");
            }
            return sb.toString();
        }

        private JsonFormatException error(String message, int at) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at && i < len; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new JsonFormatException(
                    message + " at offset " + at + " (line " + line + ", column " + (at - lineStart + 1) + ")", at);
        }
    }
}
