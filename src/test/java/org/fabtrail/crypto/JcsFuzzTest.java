package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.fabtrail.testing.Bytes;
import org.fabtrail.testing.Fuzzing;
import org.fabtrail.testing.ParserFuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes {@link Jcs} (RFC 8785) on every value {@link StrictJson} accepts: canonicalising never fails, the output is
 * strict JSON of the same value, canonicalising it again gives the same bytes, members are sorted and there is no
 * whitespace between tokens; numbers read back as the same double with no more digits than Java's own shortest
 * round-trip form. The first eight input bytes, read as a double, also go through {@link Jcs#formatNumber}.
 */
class JcsFuzzTest {

    @MethodSource("org.fabtrail.crypto.StrictJsonFuzzTest#vectors")
    @ParserFuzzTest
    void canonicalize(byte[] input) {
        if (input.length >= Long.BYTES) {
            checkNumber(ByteBuffer.wrap(input).getDouble());
        }
        // what StrictJson refuses is StrictJsonFuzzTest's
        Fuzzing.parseOrRefuse(input, StrictJson::parse, JsonFormatException.class, refused -> { },
                JcsFuzzTest::checkCanonical);
    }

    /** The canonical form of an accepted value: the same value, a fixed point, without whitespace, well shaped. */
    private static void checkCanonical(Object value) {
        byte[] canonical = Jcs.canonicalize(value);
        Object again = StrictJson.parse(canonical);
        assertTrue(Fuzzing.jsonEquals(value, again), "the canonical form is another value");
        assertArrayEquals(canonical, Jcs.canonicalize(again), "canonicalising twice changed the bytes");
        assertEquals(Jcs.canonicalString(value), new String(canonical, java.nio.charset.StandardCharsets.UTF_8));
        assertNoWhitespaceBetweenTokens(canonical);
        checkShape(again);
    }

    /** Members in UTF-16 code unit order, each number formatted the ECMAScript way. */
    private static void checkShape(Object value) {
        if (value instanceof Map<?, ?> map) {
            String previous = null;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                assertTrue(previous == null || previous.compareTo(key) < 0, "members out of order: " + previous
                        + " before " + key);
                previous = key;
                checkShape(e.getValue());
            }
        } else if (value instanceof List<?> list) {
            list.forEach(JcsFuzzTest::checkShape);
        } else if (value instanceof Double d) {
            checkNumber(d);
        }
    }

    private static void checkNumber(double d) {
        if (!Double.isFinite(d)) {
            return;
        }
        String text = Jcs.formatNumber(d);
        assertEquals(d, Double.parseDouble(text), 0.0, text + " does not read back as " + d);
        assertEquals(d, (Double) StrictJson.parse(text), 0.0, text + " is not strict JSON for " + d);
        if (d != 0) {
            int digits = new BigDecimal(text).stripTrailingZeros().precision();
            int javas = new BigDecimal(Double.toString(d)).stripTrailingZeros().precision();
            assertTrue(digits <= javas, text + " has more digits than " + Double.toString(d));
        }
    }

    private static void assertNoWhitespaceBetweenTokens(byte[] canonical) {
        for (int i : Bytes.outsideJsonStrings(canonical, 0)) {
            byte b = canonical[i];
            assertFalse(b == ' ' || b == '\t' || b == '\n' || b == '\r', "whitespace at offset " + i);
        }
    }
}
