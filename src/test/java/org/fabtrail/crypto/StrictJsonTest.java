package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

    @Test
    void mapsJsonToTheDocumentedJavaTypes() {
        Object value = StrictJson.parse("{\"z\":1,\"a\":[true,false,null,\"s\",-2.5e3],\"m\":{}}");

        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, value);
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(map.keySet()), "document order is kept");
        assertEquals(1.0, map.get("z"));
        List<?> list = assertInstanceOf(ArrayList.class, map.get("a"));
        assertEquals(List.of(true, false, StrictJson.NULL, "s", -2500.0), list);
        assertSame(StrictJson.NULL, list.get(2));
        assertEquals(Map.of(), map.get("m"));
    }

    @Test
    void acceptsScalarsAtTheTopLevelAndSurroundingWhitespace() {
        assertEquals("x", StrictJson.parse(" \t\r\n\"x\"\n"));
        assertEquals(0.0, StrictJson.parse("0"));
        assertSame(StrictJson.NULL, StrictJson.parse("null"));
    }

    @Test
    void parsesNumbersAsTheNearestDouble() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) StrictJson.parse("-0")));
        assertEquals(0.1, StrictJson.parse("0.1"));
        assertEquals(1.0E21, StrictJson.parse("1E+21"));
        assertEquals(1.2345678901234567E19, StrictJson.parse("12345678901234567890"));
        assertEquals(9.007199254740992E15, StrictJson.parse("9007199254740993"), "rounds to even");
        assertEquals(0.0, StrictJson.parse("1e-400"), "underflow rounds to zero like IEEE-754 parsing");
        assertEquals(Double.MAX_VALUE, StrictJson.parse("1.7976931348623157e308"));
        assertEquals(Double.MIN_VALUE, StrictJson.parse("5e-324"));
    }

    @Test
    void decodesEveryEscape() {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\u20ac\ud83d\ude00",
                StrictJson.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\u20ac\\ud83d\\uDE00\""));
        assertEquals("\u007f\u0080\u2028", StrictJson.parse("\"\u007f\u0080\u2028\""), "only C0 controls need escaping");
    }

    @Test
    void parsesUtf8Bytes() {
        assertEquals(Map.of("\u00e9", "\ud83d\ude00"),
                StrictJson.parse("{\"\u00e9\":\"\ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        String deep = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        Object value = StrictJson.parse(deep);
        for (int i = 1; i < StrictJson.MAX_DEPTH; i++) {
            value = ((List<?>) value).get(0);
        }
        assertEquals(List.of(), value);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("duplicate key", "{\"a\":1,\"a\":2}", "duplicate property name \"a\""),
                Arguments.of("duplicate key after escapes", "{\"a\":1,\"\\u0061\":2}", "duplicate"),
                Arguments.of("escaped lone high surrogate", "\"\\ud800\"", "lone high surrogate"),
                Arguments.of("escaped lone low surrogate", "\"\\udc00\"", "lone low surrogate"),
                Arguments.of("high surrogate then letter", "\"\\ud800\\u0041\"", "lone high surrogate"),
                Arguments.of("reversed pair", "\"\\ude00\\ud83d\"", "lone low surrogate"),
                Arguments.of("literal lone surrogate", "\"\ud800\"", "lone high surrogate"),
                Arguments.of("raw control char", "\"a\u0001b\"", "unescaped control character U+0001"),
                Arguments.of("raw tab in string", "\"a\tb\"", "unescaped control character U+0009"),
                Arguments.of("raw newline in string", "\"a\nb\"", "unescaped control character U+000A"),
                Arguments.of("invalid escape", "\"\\x\"", "invalid escape"),
                Arguments.of("single-quote escape", "\"\\'\"", "invalid escape"),
                Arguments.of("truncated unicode escape", "\"\\u12\"", "\\u escape"),
                Arguments.of("non-hex unicode escape", "\"\\u12G4\"", "\\u escape"),
                Arguments.of("non-ASCII digit in unicode escape", "\"\\u12\u0663\u0663\"", "\\u escape"),
                Arguments.of("unterminated string", "\"abc", "unterminated string"),
                Arguments.of("leading zero", "01", "leading zeros"),
                Arguments.of("negative leading zero", "-01", "leading zeros"),
                Arguments.of("double zero", "[00]", "leading zeros"),
                Arguments.of("plus sign", "+1", "unexpected character '+'"),
                Arguments.of("bare fraction", ".5", "unexpected character '.'"),
                Arguments.of("trailing dot", "1.", "digit after '.'"),
                Arguments.of("empty exponent", "1e", "exponent"),
                Arguments.of("signed empty exponent", "1e+", "exponent"),
                Arguments.of("lone minus", "-", "digit after '-'"),
                Arguments.of("hex number", "0x10", "after the JSON value"),
                Arguments.of("overflow", "1e400", "outside the range"),
                Arguments.of("negative overflow", "[-1e400]", "outside the range"),
                Arguments.of("NaN", "NaN", "NaN and Infinity"),
                Arguments.of("Infinity", "Infinity", "NaN and Infinity"),
                Arguments.of("negative Infinity", "-Infinity", "NaN and Infinity"),
                Arguments.of("line comment", "// c\n1", "comments"),
                Arguments.of("block comment", "[1,/* c */2]", "comments"),
                Arguments.of("trailing comment", "1 // c", "after the JSON value"),
                Arguments.of("trailing garbage", "{} x", "after the JSON value"),
                Arguments.of("two values", "1 2", "after the JSON value"),
                Arguments.of("extra bracket", "[]]", "after the JSON value"),
                Arguments.of("trailing comma in array", "[1,]", "trailing comma"),
                Arguments.of("trailing comma in object", "{\"a\":1,}", "trailing comma"),
                Arguments.of("missing comma", "[1 2]", "expected ',' or ']'"),
                Arguments.of("missing colon", "{\"a\" 1}", "expected ':'"),
                Arguments.of("unquoted key", "{a:1}", "property name"),
                Arguments.of("single quotes", "['a']", "unexpected character"),
                Arguments.of("unclosed array", "[1", "end of input"),
                Arguments.of("unclosed object", "{\"a\":1", "end of input"),
                Arguments.of("empty input", "", "end of input"),
                Arguments.of("only whitespace", " \n ", "end of input"),
                Arguments.of("truncated literal", "tru", "expected a value"),
                Arguments.of("capitalised literal", "True", "expected a value"),
                Arguments.of("byte order mark", "\ufeff{}", "byte order mark"),
                Arguments.of("no-break space", "\u00a0 1", "U+00A0"),
                Arguments.of("form feed as whitespace", "\f1", "U+000C"),
                Arguments.of("too deep", "[".repeat(StrictJson.MAX_DEPTH + 1) + "]".repeat(StrictJson.MAX_DEPTH + 1),
                        "nesting deeper than 64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedJsonWithAClearMessage(String what, String json, String messagePart) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> StrictJson.parse(json));
        assertTrue(e.getMessage().contains(messagePart), what + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(" at offset " + e.offset() + " (line "), e.getMessage());
    }

    @Test
    void reportsLineAndColumn() {
        JsonFormatException e = assertThrows(JsonFormatException.class,
                () -> StrictJson.parse("{\n  \"a\": 1,\n  \"a\": 2\n}"));
        assertEquals("duplicate property name \"a\" at offset 14 (line 3, column 3)", e.getMessage());
        assertEquals(14, e.offset());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "22c32822",     // C3 followed by a non-continuation byte
        "22eda08022",   // UTF-8 encoded surrogate U+D800
        "22c0af22",     // overlong '/'
        "22e0808022",   // overlong NUL
        "22f888808080", // five-byte form
        "22e28222",     // truncated three-byte sequence
        "22f4908080",   // above U+10FFFF
        "ff",           // never valid
    })
    void rejectsInvalidUtf8(String hex) {
        JsonFormatException e = assertThrows(JsonFormatException.class,
                () -> StrictJson.parse(HexFormat.of().parseHex(hex)));
        assertTrue(e.getMessage().startsWith("invalid UTF-8 at byte offset"), e.getMessage());
    }

    @Test
    void rejectsAUtf8ByteOrderMark() {
        JsonFormatException e = assertThrows(JsonFormatException.class,
                () -> StrictJson.parse(HexFormat.of().parseHex("efbbbf7b7d")));
        assertTrue(e.getMessage().contains("byte order mark"), e.getMessage());
    }
}
