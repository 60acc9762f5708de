package org.fabtrail.ledger;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.OperatorEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission refuses, naming the field, every envelope string that PostgreSQL or a reader cannot hold, wherever it
 * sits: payload values at any depth, member names, the signature's members (issue 9, finding 1).
 */
class EnvelopeTextTest {

    private static final EnvelopeParser PARSER = new EnvelopeParser(65536);
    private static final SigningKey KEY = SigningKey.generate(SignatureAlgorithm.ED25519);

    /** The canonical bytes of a validly signed unit.assemble with three components. */
    private static byte[] envelopeBytes() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("parent", unit("SRV-1"));
        fields.put("components", List.of(unit("GPU-1"), unit("GPU-2"), unit("GPU-3")));
        return OperatorEntries.signAs(KEY, "acme-fab", UUID.randomUUID(), "unit.assemble", fields, PARSER,
                Clock.systemUTC()).canonicalEnvelope();
    }

    /** The same envelope parsed from the wire, as the parser gets it (mutable maps and lists). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> envelope() {
        return (Map<String, Object>) StrictJson.parse(envelopeBytes());
    }

    private static Map<String, Object> unit(String serial) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("manufacturer", "acme-fab");
        m.put("serial", serial);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> env, String member) {
        return (Map<String, Object>) env.get(member);
    }

    /** The call is refused as invalid text, naming the field. */
    private static void assertInvalidText(String field, Executable call) {
        LedgerException e = assertThrows(LedgerException.class, call);
        assertEquals("invalid-text", e.code());
        assertEquals(field, e.details().get("field"));
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> placements() {
        return Stream.of(
                Arguments.of("a payload value", "payload.name", (Placement) env -> at(env, "payload").put("name", "Fab\u0000One")),
                Arguments.of("a value in an array of objects", "payload.components[2].serial", (Placement) env ->
                        ((Map<String, Object>) ((List<Object>) at(env, "payload").get("components")).get(2))
                                .put("serial", "GPU\u00003")),
                Arguments.of("a string in an array", "payload.notes[1]", (Placement) env ->
                        at(env, "payload").put("notes", List.of("fine", "bell\u0007"))),
                Arguments.of("a C1 control", "payload.name", (Placement) env -> at(env, "payload").put("name", "c1\u0085")),
                Arguments.of("a noncharacter", "payload.name", (Placement) env -> at(env, "payload").put("name", "\uFFFF")),
                Arguments.of("a lone surrogate", "payload.parent.serial", (Placement) env ->
                        at(at(env, "payload"), "parent").put("serial", "SRV\uD800")),
                Arguments.of("a payload member name", "payload", (Placement) env -> at(env, "payload").put("na\u0000me", "x")),
                Arguments.of("a line break in a member name", "payload.parent", (Placement) env ->
                        at(at(env, "payload"), "parent").put("a\nb", "x")),
                Arguments.of("an envelope member name", "envelope", (Placement) env -> env.put("\u0000", "x")),
                Arguments.of("the signature's key id", "signature.keyId", (Placement) env ->
                        at(env, "signature").put("keyId", "\u0000" + "a".repeat(63))),
                Arguments.of("the signature value", "signature.value", (Placement) env ->
                        at(env, "signature").put("value", "AAAA\u0000")));
    }

    interface Placement {
        void put(Map<String, Object> envelope);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void textPostgresOrAReaderCannotHoldIsRefusedNamingItsPath(String where, String field, Placement placement) {
        Map<String, Object> env = envelope();
        placement.put(env);
        LedgerException e = assertThrows(LedgerException.class, () -> PARSER.fromJson(env));
        assertEquals("invalid-text", e.code(), where);
        assertEquals(LedgerException.Kind.MALFORMED, e.kind());
        assertEquals(field, e.details().get("field"), where);
        assertTrue(e.detail().startsWith(field + " holds "), e.detail());
    }

    @Test
    void theRefusalComesFromTheWireToo() {
        // What a client puts on the wire: a JSON escape for U+0000 inside a component serial.
        String wire = new String(envelopeBytes(), StandardCharsets.UTF_8).replace("\"GPU-2\"", "\"GPU\\u0000-2\"");
        assertInvalidText("payload.components[1].serial", () -> PARSER.parse(wire));
    }

    @Test
    void anEnvelopeAlreadyInTheLogIsReadWithoutTheAdmissionRule() {
        Map<String, Object> env = envelope();
        at(env, "payload").put("note", "bell\u0007");
        assertThrows(LedgerException.class, () -> PARSER.fromJson(env));
        assertEquals("bell\u0007", PARSER.fromLog(env).payload().get("note"));
    }

    @Test
    void entriesTheServerSignsItselfAreCheckedBeforeSigning() {
        // The admin calls and the web forms build entries from client text and sign them with a server-held key; a
        // lone surrogate there must be a refusal naming the field, not an exception from the canonicaliser.
        assertInvalidText("payload.name", () -> OperatorEntries.signAs(KEY, "operator", UUID.randomUUID(),
                "org.register", Map.of("org", "x", "name", "Shell\uD800", "country", "DE",
                        "roles", List.of("distributor")), PARSER, Clock.systemUTC()));
    }

    @Test
    void tabsAndLineBreaksInValuesAndAnyOtherUnicodeAreAccepted() {
        Map<String, Object> env = envelope();
        at(env, "payload").put("note", "line one\r\nline two\tand Zürich, 東京, \uD83D\uDE80");
        assertEquals("unit.assemble", PARSER.fromJson(env).type());
    }
}
