package org.fabtrail.ledger.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.TestResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NoteTest {

    private static final String TEXT = "fabtrail.local/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    private static final NoteSigner LOG = new NoteSigner("fabtrail.local/log", SigningKey.ed25519FromSeed(seed(1)));
    private static final NoteSigner WITNESS = new NoteSigner("witness.example/w1", SigningKey.ed25519FromSeed(seed(2)));

    @Test
    void signedNotesOpenWithTheSignersVerifiers() {
        byte[] note = Note.sign(TEXT, LOG, WITNESS);

        VerifiedNote both = Notes.open(note, List.of(LOG.verifier(), WITNESS.verifier()));
        VerifiedNote logOnly = Notes.open(note, List.of(LOG.verifier()));

        assertEquals(TEXT, both.text());
        assertEquals(List.of(LOG.verifier(), WITNESS.verifier()), both.verifiedBy());
        assertEquals(List.of(), both.unverified());
        assertEquals(List.of(LOG.verifier()), logOnly.verifiedBy());
        assertEquals("witness.example/w1", logOnly.unverified().get(0).name());
        assertTrue(logOnly.isVerifiedBy(LOG.verifier()));
        assertFalse(logOnly.isVerifiedBy(WITNESS.verifier()));
    }

    @Test
    void encodingHasTheSpecifiedLayout() {
        String note = new String(Note.sign(TEXT, LOG), StandardCharsets.UTF_8);
        String[] parts = note.substring(TEXT.length()).split("\n", -1);

        assertTrue(note.startsWith(TEXT + "\n\u2014 fabtrail.local/log "), note);
        assertEquals(List.of("", "\u2014 fabtrail.local/log " + parts[1].substring(parts[1].lastIndexOf(' ') + 1), ""),
                List.of(parts));
        byte[] raw = Base64.getDecoder().decode(parts[1].substring(parts[1].lastIndexOf(' ') + 1));
        assertEquals(68, raw.length);
        assertEquals(LOG.keyHash(), java.nio.ByteBuffer.wrap(raw).getInt());
    }

    @Test
    void textMayContainEmptyLinesAsTheSpecSays() {
        String text = "first\n\nthird after an empty line\n";
        byte[] note = Note.sign(text, LOG);

        assertEquals(text, Notes.open(note, List.of(LOG.verifier())).text());
        assertEquals(text, Note.parse(note).text());
    }

    @Test
    void theQuasimodoExampleOfTheSpecParsesWithItsEmptyLine() {
        String block = firstFencedBlock(TestResources.utf8("vectors/c2sp/released/signed-note@v1.0.0.md"));

        Note note = Note.parse(block.getBytes(StandardCharsets.UTF_8));

        assertEquals("Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n",
                note.text());
        assertEquals(1, note.signatures().size());
        assertEquals("quasimodo.example/salvatore", note.signatures().get(0).name());
        assertArrayEquals(block.getBytes(StandardCharsets.UTF_8), note.encode());
        NoteVerificationException unknown = assertThrows(NoteVerificationException.class,
                () -> Notes.open(block.getBytes(StandardCharsets.UTF_8), List.of(LOG.verifier())));
        assertTrue(unknown.getMessage().contains("quasimodo.example/salvatore"), unknown.getMessage());
    }

    @Test
    void aBadSignatureFromAKnownKeyRejectsTheNoteEvenIfAnotherKnownKeyVerified() {
        Note good = Note.parse(Note.sign(TEXT, LOG, WITNESS));
        byte[] bad = good.signatures().get(1).signature();
        bad[0] ^= 1;
        Note tampered = new Note(TEXT, List.of(good.signatures().get(0),
                new NoteSignature(WITNESS.name(), WITNESS.keyHash(), bad)));

        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> Notes.open(tampered.encode(), List.of(LOG.verifier(), WITNESS.verifier())));
        assertEquals("invalid signature for key witness.example/w1+" + String.format("%08x", WITNESS.keyHash()),
                e.getMessage());
        // With the witness unknown, its bad signature is ignored.
        assertEquals(List.of(LOG.verifier()), Notes.open(tampered.encode(), List.of(LOG.verifier())).verifiedBy());
    }

    @Test
    void signaturesMatchingOnlyTheNameOrOnlyTheKeyHashOfAKnownKeyAreIgnored() {
        NoteSignature real = Note.parse(Note.sign(TEXT, LOG)).signatures().get(0);
        NoteSignature sameNameOtherHash = new NoteSignature(LOG.name(), LOG.keyHash() + 1, new byte[64]);
        NoteSignature sameHashOtherName = new NoteSignature("impostor.example", LOG.keyHash(), new byte[64]);
        byte[] note = new Note(TEXT, List.of(sameNameOtherHash, sameHashOtherName, real)).encode();

        VerifiedNote opened = Notes.open(note, List.of(LOG.verifier()));

        assertEquals(List.of(LOG.verifier()), opened.verifiedBy());
        assertEquals(List.of(sameNameOtherHash, sameHashOtherName), opened.unverified());
    }

    @Test
    void duplicateSignaturesAreAllCheckedAndReportedOnce() {
        NoteSignature real = Note.parse(Note.sign(TEXT, LOG)).signatures().get(0);
        NoteSignature unknown = new NoteSignature("other.example", 7, new byte[64]);
        byte[] note = new Note(TEXT, List.of(real, unknown, real, unknown)).encode();

        VerifiedNote opened = Notes.open(note, List.of(LOG.verifier()));

        assertEquals(List.of(LOG.verifier()), opened.verifiedBy());
        assertEquals(List.of(unknown), opened.unverified());
    }

    @Test
    void ambiguousKnownKeysAreAConfigurationError() {
        // Seeds found by a birthday search: two different keys whose key hashes collide under one name.
        NoteSigner a = new NoteSigner("collide.example", SigningKey.ed25519FromSeed(littleEndianSeed(45443)));
        NoteSigner b = new NoteSigner("collide.example", SigningKey.ed25519FromSeed(littleEndianSeed(67610)));
        byte[] note = Note.sign(TEXT, a);

        assertEquals(0x158e4e71, a.keyHash());
        assertEquals(a.keyHash(), b.keyHash());
        assertFalse(a.verifier().equals(b.verifier()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Notes.open(note, List.of(a.verifier(), b.verifier())));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
        assertEquals(List.of(a.verifier()), Notes.open(note, List.of(a.verifier(), NoteVerifier.parse(a.verifier().vkey())))
                .verifiedBy(), "the same key twice is not ambiguous");
        // As the spec says, a colliding key only gets a verification failure.
        assertThrows(NoteVerificationException.class, () -> Notes.open(note, List.of(b.verifier())));
    }

    @Test
    void signingChecksItsArguments() {
        assertThrows(NoteFormatException.class, () -> Note.sign("no newline", LOG));
        assertThrows(NoteFormatException.class, () -> Note.sign("", LOG));
        assertThrows(NoteFormatException.class, () -> Note.sign("tab\there\n", LOG));
        assertThrows(IllegalArgumentException.class, () -> Note.sign(TEXT));
        assertThrows(IllegalArgumentException.class, () -> Note.sign(TEXT, LOG, LOG));
        assertArrayEquals(Note.sign(TEXT, LOG), Note.sign(TEXT, LOG), "deterministic");
    }

    @Test
    void theRecordEnforcesTheFormat() {
        NoteSignature sig = new NoteSignature("a", 1, new byte[] {1});
        assertThrows(NoteFormatException.class, () -> new Note("no newline", List.of(sig)));
        assertThrows(NoteFormatException.class, () -> new Note("text\n", List.of()));
        assertThrows(NoteFormatException.class, () -> new Note("cr\r\n", List.of(sig)));
        List<NoteSignature> tooMany = new ArrayList<>();
        for (int i = 0; i <= Note.MAX_SIGNATURES; i++) {
            tooMany.add(sig);
        }
        assertThrows(NoteFormatException.class, () -> new Note("text\n", tooMany));
        assertEquals(Note.MAX_SIGNATURES, new Note("text\n", tooMany.subList(0, Note.MAX_SIGNATURES)).signatures().size());
        assertThrows(NoteFormatException.class, () -> new NoteSignature("has space", 1, new byte[] {1}));
        assertThrows(NoteFormatException.class, () -> new NoteSignature("has+plus", 1, new byte[] {1}));
        assertThrows(NoteFormatException.class, () -> new NoteSignature("", 1, new byte[] {1}));
        assertThrows(NoteFormatException.class, () -> new NoteSignature("a", 1, new byte[0]));
    }

    @Test
    void sixteenSignaturesAreAcceptedAsTheSpecRequires() {
        List<NoteSigner> signers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            signers.add(new NoteSigner("w" + i + ".example", SigningKey.ed25519FromSeed(seed(10 + i))));
        }
        byte[] note = Note.sign(TEXT, signers.toArray(new NoteSigner[0]));

        assertEquals(16, Notes.open(note, List.of(signers.get(15).verifier())).unverified().size() + 1);
    }

    static Stream<Arguments> malformedNotes() {
        String sig = new String(Note.sign(TEXT, LOG), StandardCharsets.UTF_8).substring(TEXT.length() + 1);
        String b64 = sig.substring(sig.lastIndexOf(' ') + 1, sig.length() - 1);
        return Stream.of(
                Arguments.of("hyphen instead of em dash", TEXT + "\n- fabtrail.local/log " + b64 + "\n", "em dash"),
                Arguments.of("en dash instead of em dash", TEXT + "\n\u2013 fabtrail.local/log " + b64 + "\n", "em dash"),
                Arguments.of("no space after dash", TEXT + "\n\u2014fabtrail.local/log " + b64 + "\n", "em dash"),
                Arguments.of("empty name", TEXT + "\n\u2014  " + b64 + "\n", "key name is empty"),
                Arguments.of("name with plus", TEXT + "\n\u2014 a+b " + b64 + "\n", "'+'"),
                Arguments.of("name with no-break space", TEXT + "\n\u2014 a\u00a0b " + b64 + "\n", "space character"),
                Arguments.of("name with ideographic space", TEXT + "\n\u2014 a\u3000b " + b64 + "\n", "space character"),
                Arguments.of("name with a space, final newline", TEXT + "\n\u2014 Bad Name " + b64 + "\n", "base64"),
                Arguments.of("no signature after the name", TEXT + "\n\u2014 fabtrail.local/log\n", "no space"),
                Arguments.of("empty signature", TEXT + "\n\u2014 fabtrail.local/log \n", "base64"),
                Arguments.of("unpadded base64", TEXT + "\n\u2014 fabtrail.local/log " + b64.replace("=", "") + "\n", "base64"),
                Arguments.of("non-base64", TEXT + "\n\u2014 fabtrail.local/log ***=\n", "base64"),
                Arguments.of("signature of four bytes", TEXT + "\n\u2014 fabtrail.local/log AAAAAA==\n", "shorter"),
                Arguments.of("trailing space", TEXT + "\n\u2014 fabtrail.local/log " + b64 + " \n", "base64"),
                Arguments.of("CRLF line endings", (TEXT + "\n" + sig).replace("\n", "\r\n"), "U+000D"),
                Arguments.of("tab in text", "a\tb\n\n" + sig, "U+0009"),
                Arguments.of("no blank line", TEXT + sig, "no blank line"),
                Arguments.of("blank line at the end", TEXT + "\n" + sig + "\n", "no signature lines"),
                Arguments.of("empty note", "", "no blank line"),
                Arguments.of("too large", "x".repeat(Note.MAX_NOTE_BYTES) + "\n\n" + sig, "larger than"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedNotes")
    void malformedNotesAreRejectedWithAClearMessage(String what, String note, String messagePart) {
        NoteFormatException e = assertThrows(NoteFormatException.class,
                () -> Note.parse(note.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(messagePart), what + ": " + e.getMessage());
    }

    @Test
    void controlCharacterDeleteAndNonAsciiAreAllowedInText() {
        String text = "del \u007f, \u00e9, \ud83d\ude00\n";
        assertEquals(text, Notes.open(Note.sign(text, LOG), List.of(LOG.verifier())).text());
    }

    static String firstFencedBlock(String markdown) {
        int start = markdown.indexOf("```\n") + 4;
        int end = markdown.indexOf("```", start);
        return markdown.substring(start, end);
    }

    static byte[] littleEndianSeed(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        seed[1] = (byte) (n >> 8);
        seed[2] = (byte) (n >> 16);
        seed[3] = (byte) (n >> 24);
        return seed;
    }

    static byte[] seed(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        return seed;
    }
}
