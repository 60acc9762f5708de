package org.fabtrail.ledger.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes signed notes, checkpoints, vkeys and witness cosignatures (c2sp.org/signed-note, tlog-checkpoint,
 * tlog-cosignature): what a log, a witness or a client hands a verifier. Each input is used three ways:
 * <ol>
 *   <li>as a signed note: {@link Note#parse} accepts it only in a form that encodes back to the same bytes, its text
 *       parses as a checkpoint only in a form whose body is that text, a cosignature's timestamp is read without an
 *       exception, and a 2-of-2 witness policy either refuses the note with a format or verification error or takes
 *       only cosignatures that verify;</li>
 *   <li>as a checkpoint text that the test's log signs and two witnesses cosign (timestamps from the input): the
 *       policy is met exactly when the text is a checkpoint of the log, with both timestamps read back;</li>
 *   <li>as a vkey: {@link NoteVerifier#parse} accepts only the text its {@code vkey()} gives back.</li>
 * </ol>
 * Nothing else may be thrown. Seeds: {@code NoteFuzzTestInputs/note}.
 */
class NoteFuzzTest {

    static final String ORIGIN = "example.org/log";
    static final NoteSigner LOG = new NoteSigner(ORIGIN, SigningKey.ed25519FromSeed(seed(1)));
    static final Cosigner W1 = new Cosigner("witness.example.org/w1", SigningKey.ed25519FromSeed(seed(2)));
    static final Cosigner W2 = new Cosigner("witness.example.org/w2", SigningKey.ed25519FromSeed(seed(3)));
    static final WitnessPolicy POLICY = new WitnessPolicy(List.of(W1.verifier(), W2.verifier()), 2);

    static byte[] seed(int n) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) n);
        return s;
    }

    @ParserFuzzTest
    void note(byte[] input) {
        asNote(input);
        asCheckpointText(input);
        asVkey(new String(input, StandardCharsets.UTF_8));
    }

    /** What {@code parse} answers, or nothing where it refuses the input with NoteFormatException. */
    private static <T> Optional<T> parsed(Supplier<T> parse) {
        try {
            return Optional.of(parse.get());
        } catch (NoteFormatException e) {
            return Optional.empty();
        }
    }

    private static void asNote(byte[] input) {
        Optional<Note> parsed = parsed(() -> Note.parse(input));
        if (parsed.isEmpty()) {
            return;
        }
        Note note = parsed.get();
        assertArrayEquals(input, note.encode(), "a note reads back to its own bytes");
        assertTrue(note.text().endsWith("\n"));
        assertTrue(note.signatures().size() >= 1 && note.signatures().size() <= Note.MAX_SIGNATURES);
        for (NoteSignature s : note.signatures()) {
            long t = Cosignatures.timestampOf(s);
            assertTrue(t >= -1);
        }
        try {
            Checkpoint cp = Checkpoint.parse(note.text());
            assertEquals(note.text(), cp.body(), "a checkpoint reads back to its own text");
            assertTrue(cp.size() >= 0);
        } catch (NoteFormatException e) {
            // not a checkpoint
        }
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        try {
            for (WitnessPolicy.Cosignature c : POLICY.cosignatures(input)) {
                assertTrue(c.witness().verify(text, c.signature().signatureUnsafe()), "only a valid cosignature counts");
                assertTrue(c.timestamp() >= 0);
            }
        } catch (NoteVerificationException e) {
            // a line that claims a listed witness's key and does not verify rejects the note
        }
        try {
            WitnessPolicy.Verdict v = POLICY.check(input, ORIGIN, List.of(LOG.verifier()));
            assertTrue(LOG.verifier().verify(text, v.note().signatures().stream()
                    .filter(s -> s.name().equals(ORIGIN) && s.keyHash() == LOG.keyHash()).findFirst().orElseThrow()
                    .signatureUnsafe()), "a verdict needs the log's signature");
            for (WitnessPolicy.Cosignature c : v.cosigned()) {
                assertTrue(c.witness().verify(text, c.signature().signatureUnsafe()));
            }
        } catch (NoteFormatException | NoteVerificationException e) {
            // refused as a whole
        }
    }

    private static void asCheckpointText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        byte[] signed;
        try {
            signed = Note.sign(text, LOG);
        } catch (NoteFormatException e) {
            return;
        }
        long t1 = input.length == 0 ? 0 : (input[0] & 0xff) * 1_000_003L;
        long t2 = Long.MAX_VALUE - input.length; // the largest timestamps the spec allows
        byte[] cosigned = WitnessPolicy.withCosignatures(signed, List.of(W1.cosign(text, t1), W2.cosign(text, t2)));
        boolean isCheckpoint;
        try {
            Checkpoint.parse(text, ORIGIN);
            isCheckpoint = true;
        } catch (NoteFormatException e) {
            isCheckpoint = false;
        }
        try {
            WitnessPolicy.Verdict v = POLICY.check(cosigned, ORIGIN, List.of(LOG.verifier()));
            assertTrue(isCheckpoint, "only a checkpoint of the log gets a verdict");
            assertTrue(v.satisfied(), "two valid cosignatures meet 2 of 2");
            assertEquals(List.of(t1, t2), v.cosigned().stream().map(WitnessPolicy.Cosignature::timestamp).toList());
        } catch (NoteFormatException e) {
            assertTrue(!isCheckpoint, "a checkpoint of the log, signed and cosigned, is refused: " + e.getMessage());
        }
    }

    private static void asVkey(String text) {
        parsed(() -> NoteVerifier.parse(text)).ifPresent(v ->
                assertEquals(text, v.vkey(), "a vkey reads back to its own text"));
    }
}
