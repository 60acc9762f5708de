package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fabtrail.testing.Fuzzing;
import org.fabtrail.testing.ParserFuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes {@link StrictJson}: any bytes either parse to a value of the documented types or are refused with a
 * {@link JsonFormatException} that points into the input; never another exception, never a hang. Seeds: the
 * RFC 8785 vectors and {@code StrictJsonFuzzTestInputs/parse}.
 */
class StrictJsonFuzzTest {

    /** Seeds: the RFC 8785 vectors (JcsFuzzTest's too). */
    static Stream<byte[]> vectors() {
        return Fuzzing.files("vectors/rfc8785-jcs/input", "vectors/rfc8785-jcs/output");
    }

    @MethodSource("vectors")
    @ParserFuzzTest
    void parse(byte[] input) {
        Fuzzing.parseOrRefuse(input, StrictJson::parse, JsonFormatException.class, e -> {
            assertNotNull(e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= input.length,
                    "offset " + e.offset() + " outside an input of " + input.length + " bytes: " + e.getMessage());
        }, value -> {
            assertWellFormed(value, 0);
            // accepted bytes are UTF-8; the same text as a string, or with whitespace around it, is the same value
            String text = new String(input, StandardCharsets.UTF_8);
            assertTrue(Fuzzing.jsonEquals(value, StrictJson.parse(text)));
            assertTrue(Fuzzing.jsonEquals(value, StrictJson.parse(" \t" + text + "\r\n")));
        });
    }

    /** Only the documented result types, no Java null, no nesting beyond the limit, no lone surrogates. */
    private static void assertWellFormed(Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            assertTrue(depth < StrictJson.MAX_DEPTH, "nesting deeper than the limit was accepted");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                assertWellFormed(e.getKey(), depth + 1);
                assertWellFormed(e.getValue(), depth + 1);
            }
        } else if (value instanceof List<?> list) {
            assertTrue(depth < StrictJson.MAX_DEPTH, "nesting deeper than the limit was accepted");
            for (Object element : list) {
                assertWellFormed(element, depth + 1);
            }
        } else if (value instanceof String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    assertTrue(!Character.isSurrogate(c), "lone surrogate accepted at " + i);
                }
            }
        } else if (value instanceof Double d) {
            assertTrue(Double.isFinite(d), "non-finite number accepted");
        } else if (!(value instanceof Boolean) && value != StrictJson.NULL) {
            fail("unexpected result type " + (value == null ? "null" : value.getClass().getName()));
        }
    }
}
