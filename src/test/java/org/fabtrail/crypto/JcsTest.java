package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JcsTest {

    private static final String JCS = "vectors/rfc8785-jcs/";
    /** From vectors/README.md section 4 (the published checksums of es6testfile100m.txt's first lines). */
    private static final String SHA256_FIRST_1000 = "be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687";
    private static final String SHA256_FIRST_10000 = "b9f7a8e75ef22a835685a52ccba7f7d6bdc99e34b010992cbc5864cd12be6892";

    @ParameterizedTest
    @ValueSource(strings = {"arrays", "french", "structures", "unicode", "values", "weird"})
    void canonicalisesTheRfc8785VectorsByteForByte(String name) {
        byte[] expected = TestResources.bytes(JCS + "output/" + name + ".json");
        Object parsed = StrictJson.parse(TestResources.bytes(JCS + "input/" + name + ".json"));

        assertArrayEquals(expected, Jcs.canonicalize(parsed));
        assertEquals(new String(expected, StandardCharsets.UTF_8), Jcs.canonicalString(parsed));
        // Canonical output is a fixed point.
        assertArrayEquals(expected, Jcs.canonicalize(StrictJson.parse(expected)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"arrays", "french", "structures", "unicode", "values", "weird"})
    void keyOrderOfTheInputDoesNotMatter(String name) {
        byte[] expected = TestResources.bytes(JCS + "output/" + name + ".json");
        Object reversed = reverseKeyOrder(StrictJson.parse(TestResources.bytes(JCS + "input/" + name + ".json")));

        assertArrayEquals(expected, Jcs.canonicalize(reversed));
    }

    static Stream<Arguments> parityPairs() {
        return Stream.of(
                Arguments.of("key order", "{\"b\":1,\"a\":2}", "{\"a\":2,\"b\":1}"),
                Arguments.of("whitespace", " { \"a\" : [ 1 , 2 ] }\r\n\t", "{\"a\":[1,2]}"),
                Arguments.of("solidus escape", "\"a\\/b\"", "\"a/b\""),
                Arguments.of("unicode escape", "\"\\u00e9\\u20AC\"", "\"\u00e9\u20ac\""),
                Arguments.of("surrogate pair", "\"\\ud83d\\ude00\"", "\"\ud83d\ude00\""),
                Arguments.of("control escape", "\"\\u000a\\u001F\"", "\"\\n\\u001f\""),
                Arguments.of("number forms", "[1E2,1.50,-0,0.0,1e-7,100e-2]", "[100,1.5,0,0,0.0000001,1.0]"),
                Arguments.of("nested", "{\"z\":{\"y\":[],\"x\":{}},\"a\":null}",
                        "{\"a\":null,\"z\":{\"x\":{},\"y\":[]}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parityPairs")
    void inputsThatDifferOnlyInKeyOrderWhitespaceAndEscapesCanonicaliseAlike(String what, String a, String b) {
        byte[] left = Jcs.canonicalize(StrictJson.parse(a));
        byte[] right = Jcs.canonicalize(StrictJson.parse(b));

        assertArrayEquals(left, right, what);
    }

    @Test
    void parityExampleHasTheExpectedCanonicalForm() {
        String canonical = Jcs.canonicalString(StrictJson.parse(
                "{ \"time\": \"2026-11-27T00:00:00Z\", \"actor\" : \"fab-1\", \"n\": 1.0E1, \"s\": \"\\u00e9\\/\" }"));

        assertEquals("{\"actor\":\"fab-1\",\"n\":10,\"s\":\"\u00e9/\",\"time\":\"2026-11-27T00:00:00Z\"}", canonical);
    }

    @Test
    void formatsEveryLineOfTheEs6NumberFile() {
        String[] lines = TestResources.utf8(JCS + "es6-numbers-first10000.txt").split("\n");
        assertEquals(10_000, lines.length);
        for (String line : lines) {
            int comma = line.indexOf(',');
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, comma), 16));
            assertEquals(line.substring(comma + 1), Jcs.formatNumber(value), line);
        }
    }

    @Test
    void es6NumberFileMatchesThePublishedChecksums() throws Exception {
        byte[] file = TestResources.bytes(JCS + "es6-numbers-first10000.txt");
        assertEquals(399_022, file.length);
        assertEquals(SHA256_FIRST_10000, sha256Hex(file, file.length));
        assertEquals(SHA256_FIRST_1000, sha256Hex(file, 37_967));
    }

    @Test
    void regeneratingTheNumberFileWithOurFormatterGivesThePublishedChecksums() throws Exception {
        String[] lines = TestResources.utf8(JCS + "es6-numbers-first10000.txt").split("\n");
        StringBuilder regenerated = new StringBuilder();
        String first1000 = null;
        for (int i = 0; i < lines.length; i++) {
            String hex = lines[i].substring(0, lines[i].indexOf(','));
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
            regenerated.append(hex).append(',').append(Jcs.formatNumber(value)).append('\n');
            if (i == 999) {
                first1000 = regenerated.toString();
            }
        }
        byte[] first = first1000.getBytes(StandardCharsets.US_ASCII);
        byte[] all = regenerated.toString().getBytes(StandardCharsets.US_ASCII);
        assertEquals(SHA256_FIRST_1000, sha256Hex(first, first.length));
        assertEquals(SHA256_FIRST_10000, sha256Hex(all, all.length));
    }

    /**
     * RFC 8785 Appendix B, plus doubles for which JDK 17's Double.toString is not shortest. The
     * expected strings are what Node.js's Number.prototype.toString printed for these bit patterns.
     */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
        "c389bd7042e65615, -231845256772633250",
        "43d7c23b3058aa6c, 6847983548744970000",
        "436d75255bdf46a4, 66332621121664290",
        "c360bb1d706f02ae, -37674677937116530",
        "3ff0000000000001, 1.0000000000000002",
        "0010000000000000, 2.2250738585072014e-308",
        "000fffffffffffff, 2.225073858507201e-308",
        "7fe0000000000000, 8.98846567431158e+307",
        "3f50624dd2f1a9fc, 0.001",
        "44f0000000000000, 1.2089258196146292e+24",
    })
    void formatsNumbersLikeEcmaScript(String bits, String expected) {
        assertEquals(expected, Jcs.formatNumber(Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16))));
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.formatNumber(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Jcs.formatNumber(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(List.of(Double.NEGATIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(new BigDecimal("1e400")));
    }

    @Test
    void javaNumberTypesAreConvertedToDoubles() {
        assertEquals("[1,-7,9007199254740992,9007199254740992,0.1,0.10000000149011612,1e+21,0,3]",
                Jcs.canonicalString(List.of(1, (short) -7, 9_007_199_254_740_992L, 9_007_199_254_740_993L,
                        new BigDecimal("0.10"), 0.1f, new BigInteger("1000000000000000000000"), -0.0d, (byte) 3)));
    }

    @Test
    void stringsAreEscapedExactlyAsRfc8785Says() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append("\"\\/\u007f\u0080\u2028\u00e9\ud83d\ude00");

        assertEquals("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d"
                + "\\u001e\\u001f\\\"\\\\/\u007f\u0080\u2028\u00e9\ud83d\ude00\"", Jcs.canonicalString(all.toString()));
    }

    @Test
    void encodesUtf8() {
        assertEquals("22c3a9e282acf09f988022", HexFormat.of().formatHex(Jcs.canonicalize("\u00e9\u20ac\ud83d\ude00")));
    }

    @Test
    void sortsPropertyNamesByUtf16CodeUnitsNotCodePoints() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("\ufb33", 1);
        map.put("\ud83d\ude00", 2);
        map.put("a", 3);
        map.put("", 4);

        assertEquals("{\"\":4,\"a\":3,\"\ud83d\ude00\":2,\"\ufb33\":1}", Jcs.canonicalString(map));
    }

    @Test
    void acceptsJavaNullAndTheSentinelAsJsonNull() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", null);
        map.put("a", StrictJson.NULL);

        assertEquals("{\"a\":null,\"b\":null}", Jcs.canonicalString(map));
        assertEquals("null", Jcs.canonicalString(null));
        assertEquals("[true,false,\"x\"]", Jcs.canonicalString(List.of(true, false, "x")));
    }

    @Test
    void rejectsWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize("\ud800"));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize("x\udc00"));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(Map.of("\ud800", 1)));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(Map.of(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize('c'));

        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(cycle));
    }

    private static Object reverseKeyOrder(Object value) {
        if (value instanceof Map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(((Map<?, ?>) value).entrySet());
            Collections.reverse(entries);
            Map<Object, Object> reversed = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : entries) {
                reversed.put(e.getKey(), reverseKeyOrder(e.getValue()));
            }
            return reversed;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object o : (List<?>) value) {
                copy.add(reverseKeyOrder(o));
            }
            return copy;
        }
        return value;
    }

    private static String sha256Hex(byte[] data, int length) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(data, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }
}
