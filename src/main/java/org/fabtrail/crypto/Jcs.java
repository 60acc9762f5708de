package org.fabtrail.crypto;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence that Fabtrail signs and hashes
 * for a JSON value.
 *
 * <p><b>Accepted values:</b> {@code Map<String, ?>} (any key order; keys must be strings),
 * {@code List<?>}, {@code String}, {@code Boolean}, Java {@code null} or {@link StrictJson#NULL}, and
 * any {@link Number}, which is converted to an IEEE-754 double with {@link Number#doubleValue()}
 * exactly as RFC 8785 requires: integers beyond 2<sup>53</sup>, {@code BigDecimal}s with more
 * precision than a double, and {@code Float}s (widened, so {@code 0.1f} becomes
 * {@code 0.10000000149011612}) are therefore rounded. Non-finite numbers, lone surrogates in strings
 * or keys, non-string keys, other types, and nesting deeper than {@value #MAX_DEPTH} (which also stops
 * cyclic structures) are rejected with an {@link IllegalArgumentException}.
 *
 * <p><b>Output:</b> no whitespace; object members sorted by the UTF-16 code units of their names
 * (so U+FB33, one code unit, sorts after U+1F600, whose surrogate pair starts with 0xD83D, although
 * its code point is smaller);
 * strings escaped exactly as RFC 8785 section 3.2.2.2 says (only {@code "}, {@code \} and the
 * control characters are escaped, using {@code \b \t \n \f \r} where they exist and lowercase
 * {@code &#92;u00xx} otherwise); numbers formatted by {@link #formatNumber(double)}; UTF-8 encoded.
 *
 * <p>Thread-safe and free of state.
 */
public final class Jcs {

    /** Deepest nesting accepted by {@link #canonicalize(Object)}. */
    public static final int MAX_DEPTH = 1000;

    private static final double TWO_POW_53 = 9007199254740992.0;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Jcs() {
    }

    /**
     * Canonicalises a JSON value.
     *
     * @param value a value of the accepted types (see the class description)
     * @return the canonical UTF-8 bytes
     * @throws IllegalArgumentException if the value cannot be represented in I-JSON
     */
    public static byte[] canonicalize(Object value) {
        Sink out = new Sink();
        write(value, out, 0);
        return out.toByteArray();
    }

    /**
     * Canonicalises a JSON value into a string.
     *
     * @param value a value of the accepted types (see the class description)
     * @return the canonical text (its UTF-8 encoding is {@link #canonicalize(Object)})
     * @throws IllegalArgumentException if the value cannot be represented in I-JSON
     */
    public static String canonicalString(Object value) {
        return new String(canonicalize(value), StandardCharsets.UTF_8);
    }

    /**
     * Formats a double the way ECMAScript's {@code Number.prototype.toString()} does (ECMA-262
     * Number::toString, as RFC 8785 section 3.2.2.3 requires): the shortest decimal that reads back
     * as the same double, the closest one if several are equally short, then plain notation for
     * decimal exponents from -6 to 21 and {@code d.ddde+x} otherwise. {@code -0} gives {@code "0"}.
     *
     * <p>Java's {@link Double#toString(double)} is not this: its notation differs and, before JDK 19,
     * it does not always give the shortest digits.
     *
     * @param value a finite double
     * @return the ECMAScript string
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    public static String formatNumber(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON cannot represent " + value);
        }
        if (value == 0) {
            return "0";
        }
        if (value == Math.rint(value) && Math.abs(value) <= TWO_POW_53) {
            return Long.toString((long) value);
        }
        boolean negative = value < 0;
        double x = Math.abs(value);
        BigDecimal shortest = shortestDecimal(x).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = 0.digits * 10^n
        StringBuilder sb = new StringBuilder(k + 8);
        if (negative) {
            sb.append('-');
        }
        if (k <= n && n <= 21) {
            sb.append(digits);
            for (int i = 0; i < n - k; i++) {
                sb.append('0');
            }
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.");
            for (int i = 0; i < -n; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else {
            int e = n - 1;
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }

    /**
     * The shortest decimal that rounds to {@code x} (positive, finite); among equally short ones
     * the closest to {@code x}, and of two equally close the one with an even last digit.
     *
     * <p>For p significant digits the only candidates are the p-digit decimals just below and just
     * above x (any other p-digit decimal is further away, so if it rounds to x one of these does
     * too). Whether some p-digit decimal rounds to x is monotone in p, so p is found by binary search
     * between 1 and 17 (17 digits always suffice). Both candidates are derived from the 17-digit
     * floor and ceiling of x, which gives the same result as rounding the exact value directly,
     * because the p-digit grid is a subset of the 17-digit grid.
     */
    private static BigDecimal shortestDecimal(double x) {
        BigDecimal exact = new BigDecimal(x);
        BigDecimal floor17 = exact.round(new MathContext(17, RoundingMode.FLOOR));
        BigDecimal ceil17 = exact.round(new MathContext(17, RoundingMode.CEILING));
        int lo = 1;
        int hi = 17;
        BigDecimal best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            BigDecimal candidate = candidate(x, exact, floor17, ceil17, mid);
            if (candidate != null) {
                best = candidate;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no 17-digit decimal round-trips for " + x);
        }
        return best;
    }

    private static BigDecimal candidate(double x, BigDecimal exact, BigDecimal floor17, BigDecimal ceil17, int p) {
        BigDecimal down = floor17.round(new MathContext(p, RoundingMode.FLOOR));
        BigDecimal up = ceil17.round(new MathContext(p, RoundingMode.CEILING));
        boolean downOk = down.doubleValue() == x;
        boolean upOk = up.doubleValue() == x;
        if (downOk && upOk) {
            if (down.compareTo(up) == 0) {
                return down;
            }
            int cmp = exact.subtract(down).compareTo(up.subtract(exact));
            if (cmp < 0) {
                return down;
            }
            if (cmp > 0) {
                return up;
            }
            return down.unscaledValue().testBit(0) ? up : down;
        }
        return downOk ? down : upOk ? up : null;
    }

    private static void write(Object value, Sink out, int depth) {
        if (value == null || value == StrictJson.NULL) {
            out.ascii("null");
        } else if (value instanceof String) {
            writeString((String) value, out);
        } else if (value instanceof Boolean) {
            out.ascii(((Boolean) value) ? "true" : "false");
        } else if (value instanceof Number) {
            writeNumber((Number) value, out);
        } else if (value instanceof Map) {
            checkDepth(depth);
            writeObject((Map<?, ?>) value, out, depth);
        } else if (value instanceof List) {
            checkDepth(depth);
            List<?> list = (List<?>) value;
            out.write('[');
            boolean first = true;
            for (Object element : list) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                write(element, out, depth + 1);
            }
            out.write(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " (or a cycle)");
        }
    }

    private static void writeObject(Map<?, ?> map, Sink out, int depth) {
        String[] keys = new String[map.size()];
        int i = 0;
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got "
                        + (key == null ? "null" : key.getClass().getName()));
            }
            keys[i++] = (String) key;
        }
        if (i != keys.length) {
            throw new IllegalArgumentException("map changed size while being canonicalised");
        }
        Arrays.sort(keys); // String.compareTo compares UTF-16 code units, as RFC 8785 requires
        out.write('{');
        for (int k = 0; k < keys.length; k++) {
            if (k > 0) {
                out.write(',');
            }
            writeString(keys[k], out);
            out.write(':');
            write(map.get(keys[k]), out, depth + 1);
        }
        out.write('}');
    }

    private static void writeNumber(Number number, Sink out) {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            out.ascii(Integer.toString(number.intValue()));
            return;
        }
        if (number instanceof Long) {
            long v = number.longValue();
            if (Math.abs(v) <= (1L << 53)) {
                out.ascii(Long.toString(v));
                return;
            }
        }
        double d = number.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON cannot represent the number " + number);
        }
        out.ascii(formatNumber(d));
    }

    private static void writeString(String s, Sink out) {
        out.write('"');
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out.write(c);
                    continue;
                }
                writeEscape(c, out);
            } else if (c < 0x800) {
                out.write(0xc0 | (c >> 6));
                out.write(0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= len || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("string contains a lone surrogate at index " + i);
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.write(0xf0 | (cp >> 18));
                out.write(0x80 | ((cp >> 12) & 0x3f));
                out.write(0x80 | ((cp >> 6) & 0x3f));
                out.write(0x80 | (cp & 0x3f));
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("string contains a lone surrogate at index " + i);
            } else {
                out.write(0xe0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3f));
                out.write(0x80 | (c & 0x3f));
            }
        }
        out.write('"');
    }

    /** An ASCII character JSON escapes: its two-character escape, or the six-character one of the other controls. */
    private static void writeEscape(char c, Sink out) {
        out.write('\\');
        switch (c) {
            case '"':
                out.write('"');
                break;
            case '\\':
                out.write('\\');
                break;
            case '\b':
                out.write('b');
                break;
            case '\t':
                out.write('t');
                break;
            case '\n':
                out.write('n');
                break;
            case '\f':
                out.write('f');
                break;
            case '\r':
                out.write('r');
                break;
            default:
                out.ascii("u00");
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
                break;
        }
    }

    /** A growable byte buffer without the synchronisation of ByteArrayOutputStream. */
    private static final class Sink {
        private byte[] buf = new byte[256];
        private int size;

        void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
