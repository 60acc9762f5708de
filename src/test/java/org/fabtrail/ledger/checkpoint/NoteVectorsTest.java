package org.fabtrail.ledger.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.crypto.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of vectors/signed-note/note-vectors.json, plus the C2SP example and the sum.golang.org checkpoint. */
class NoteVectorsTest {

    private static final Map<?, ?> VECTORS =
            (Map<?, ?>) StrictJson.parse(TestResources.bytes("vectors/signed-note/note-vectors.json"));
    private static final Map<?, ?> KEYS = (Map<?, ?>) VECTORS.get("keys");

    static Stream<String> keyNames() {
        return KEYS.keySet().stream().map(String.class::cast);
    }

    static Stream<Map<?, ?>> validNotes() {
        return cases("valid_notes");
    }

    static Stream<Map<?, ?>> invalidNotes() {
        return cases("invalid_notes");
    }

    static Stream<Map<?, ?>> invalidNoteBytes() {
        return cases("invalid_note_bytes_hex");
    }

    static Stream<Map<?, ?>> invalidVkeys() {
        return cases("invalid_vkeys");
    }

    @ParameterizedTest
    @MethodSource("keyNames")
    void everyVkeyParsesAndReEncodesIdentically(String keyName) {
        String vkey = vkey(keyName);
        NoteVerifier verifier = NoteVerifier.parse(vkey);

        assertEquals(keyName, verifier.name());
        assertEquals(vkey.split("\\+")[1], String.format("%08x", verifier.keyHash()));
        assertEquals(vkey, verifier.vkey());
        assertEquals(verifier, NoteVerifier.ed25519(keyName, verifier.key()));
    }

    @ParameterizedTest
    @MethodSource("invalidVkeys")
    void invalidVkeysAreRejected(Map<?, ?> testCase) {
        assertThrows(NoteFormatException.class, () -> NoteVerifier.parse((String) testCase.get("vkey")),
                (String) testCase.get("why"));
    }

    @Test
    void everyStrictPrefixOfAValidVkeyIsRejected() {
        String vkey = vkey("PeterNeumann");
        for (int i = 0; i < vkey.length(); i++) {
            String prefix = vkey.substring(0, i);
            assertThrows(NoteFormatException.class, () -> NoteVerifier.parse(prefix), prefix);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validNotes")
    void validNotesOpenWithTheExpectedSigners(Map<?, ?> testCase) {
        byte[] note = utf8((String) testCase.get("note"));

        VerifiedNote opened = Notes.open(note, verifiers(testCase));

        assertEquals(testCase.get("expect_verified"),
                opened.verifiedBy().stream().map(NoteVerifier::name).collect(Collectors.toList()));
        assertEquals(testCase.containsKey("expect_unverified") ? testCase.get("expect_unverified") : List.of(),
                opened.unverified().stream().map(NoteSignature::name).collect(Collectors.toList()));
        if (testCase.containsKey("expect_text")) {
            assertEquals(testCase.get("expect_text"), opened.text());
        }
        assertTrue(opened.text().endsWith("\n"));
        assertArrayEquals(note, Note.parse(note).encode(), "parse and encode round-trip");
    }

    @Test
    void signingWithThePeterNeumannSkeyReproducesGoSignPeterByteForByte() {
        Map<?, ?> goSignPeter = validNotes().filter(c -> c.get("name").equals("go-sign-peter")).findFirst().orElseThrow();
        NoteSigner peter = NoteSigner.fromSkey((String) ((Map<?, ?>) KEYS.get("PeterNeumann")).get("skey"));

        byte[] signed = Note.sign((String) goSignPeter.get("expect_text"), peter);

        assertArrayEquals(utf8((String) goSignPeter.get("note")), signed);
        assertEquals(vkey("PeterNeumann"), peter.verifier().vkey());
        assertEquals("PeterNeumann", peter.name());
        assertEquals(0xc74f20a3, peter.keyHash());
    }

    @Test
    void theSumdbCheckpointCarriesTheStatedOriginSizeAndRoot() {
        Map<?, ?> sumdb = validNotes().filter(c -> c.get("name").equals("sumdb-real-checkpoint")).findFirst().orElseThrow();
        Map<?, ?> expected = (Map<?, ?>) sumdb.get("checkpoint");

        Checkpoint checkpoint = Checkpoint.parse(Notes.open(utf8((String) sumdb.get("note")), verifiers(sumdb)).text());

        assertEquals(expected.get("origin"), checkpoint.origin());
        assertEquals(((Double) expected.get("size")).longValue(), checkpoint.size());
        assertArrayEquals(Base64.getDecoder().decode((String) expected.get("root_hash_b64")), checkpoint.rootHash());
        assertEquals(List.of(), checkpoint.extensions());
        assertThrows(NoteFormatException.class,
                () -> Checkpoint.open(utf8((String) sumdb.get("note")), "go.sum database tree2", verifiers(sumdb)),
                "a wrong expected origin must fail");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNotes")
    void invalidNotesAreRejected(Map<?, ?> testCase) {
        byte[] note = utf8((String) testCase.get("note"));
        Class<? extends RuntimeException> expected = "malformed note".equals(testCase.get("expect_error"))
                ? NoteFormatException.class : NoteVerificationException.class;

        RuntimeException e = assertThrows(expected, () -> Notes.open(note, verifiers(testCase)));
        assertFalse(e.getMessage().isEmpty());
        if (expected == NoteFormatException.class) {
            assertThrows(NoteFormatException.class, () -> Note.parse(note));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidNoteBytes")
    void notesThatAreNotUtf8AreRejected(Map<?, ?> testCase) {
        byte[] note = HexFormat.of().parseHex((String) testCase.get("note_hex"));

        NoteFormatException e = assertThrows(NoteFormatException.class, () -> Notes.open(note, verifiers(testCase)));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void theC2spExampleNoteVerifiesWithItsVkey() {
        byte[] note = TestResources.bytes("vectors/c2sp/example-signed-note.txt");
        NoteVerifier verifier = NoteVerifier.parse(TestResources.utf8("vectors/c2sp/example-signed-note.vkey").strip());

        VerifiedNote opened = Notes.open(note, List.of(verifier));

        assertEquals("This is an example message.\n", opened.text());
        assertEquals(List.of(verifier), opened.verifiedBy());
        assertEquals(0x530d903a, verifier.keyHash());
    }

    @Test
    void theSumdbCheckpointFileVerifiesWithItsVkeyFile() {
        byte[] note = TestResources.bytes("vectors/signed-note/sumdb-checkpoint.txt");
        NoteVerifier verifier = NoteVerifier.parse(TestResources.utf8("vectors/signed-note/sumdb-checkpoint.vkey").strip());

        Checkpoint checkpoint = Checkpoint.open(note, "go.sum database tree", List.of(verifier));

        assertEquals(6476701, checkpoint.size());
        assertEquals("mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=", Base64.getEncoder().encodeToString(checkpoint.rootHash()));
        assertEquals("sum.golang.org", verifier.name());
    }

    private static Stream<Map<?, ?>> cases(String section) {
        List<Map<?, ?>> list = new ArrayList<>();
        for (Object o : (List<?>) VECTORS.get(section)) {
            list.add((Map<?, ?>) o);
        }
        return list.stream();
    }

    private static String vkey(String keyName) {
        return (String) ((Map<?, ?>) KEYS.get(keyName)).get("vkey");
    }

    private static List<NoteVerifier> verifiers(Map<?, ?> testCase) {
        List<NoteVerifier> list = new ArrayList<>();
        for (Object name : (List<?>) testCase.get("verifiers")) {
            list.add(NoteVerifier.parse(vkey((String) name)));
        }
        return list;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
