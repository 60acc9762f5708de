package org.fabtrail.witness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteSignature;
import org.fabtrail.testing.ParserFuzzTest;

/**
 * Fuzzes both sides of c2sp.org/tlog-witness with what the other side controls. Each input is used three ways:
 * <ol>
 *   <li>as an {@code add-checkpoint} body for a witness that holds the checkpoint of tree size 10 of its log;</li>
 *   <li>split at its first empty line into a request head and a checkpoint text that the test's log SIGNS, so the
 *       fuzzer gets past the signature check to the sizes, root hashes, proofs, split views and extension lines;</li>
 *   <li>as a witness's answer (200, 409 and 500) to the log's client ({@link WitnessClient#answer}).</li>
 * </ol>
 * The witness never throws; it answers only the spec's codes, a 409 with the size it holds, a 200 with one
 * cosignature line that verifies, and it never moves back nor to a checkpoint of the same size with another root; a
 * request it parses encodes back to the same bytes. The client takes a cosignature only when it verifies, a size only
 * when it is canonical decimal, and shows a refusal's message without control characters. Seeds:
 * {@code WitnessFuzzTestInputs/input}.
 */
class WitnessFuzzTest {

    static final String ORIGIN = "example.org/log";
    static final MemoryLog LOG = new MemoryLog(ORIGIN, SigningKey.ed25519FromSeed(WitnessTest.seed(1)), 1).grow(40);
    static final Cosigner COSIGNER = new Cosigner("witness.example.org/w1",
            SigningKey.ed25519FromSeed(WitnessTest.seed(2)));
    static final String HELD = LOG.signedText(10);
    static final Set<Integer> STATUSES = Set.of(200, 400, 403, 404, 409, 422);

    /** The witness's store, in memory. */
    static final class MemoryStore implements WitnessStore {
        final Map<String, String> notes = new HashMap<>();
        int evidence;

        @Override
        public Map<String, String> load() {
            return Map.copyOf(notes);
        }

        @Override
        public void save(String origin, String note) {
            notes.put(origin, note);
        }

        @Override
        public String keepEvidence(String kind, String text) {
            assertTrue(text.contains(HELD), "the evidence holds the checkpoint the witness cosigned");
            return kind + "-" + ++evidence;
        }
    }

    @ParserFuzzTest
    void input(byte[] input) throws IOException {
        submit(input);
        int split = indexOf(input, new byte[] {'\n', '\n'});
        if (split >= 0) {
            String text = new String(input, split + 2, input.length - split - 2, StandardCharsets.UTF_8);
            byte[] signed;
            try {
                signed = Note.sign(text, LOG.signer);
            } catch (NoteFormatException e) {
                signed = null; // not a note text: nothing for the log to sign
            }
            if (signed != null) {
                byte[] body = Arrays.copyOf(input, split + 2 + signed.length);
                System.arraycopy(signed, 0, body, split + 2, signed.length);
                submit(body);
            }
        }
        answer(input);
    }

    private static void submit(byte[] body) throws IOException {
        MemoryStore store = new MemoryStore();
        store.save(ORIGIN, HELD);
        Witness witness = new Witness(COSIGNER, List.of(new Witness.Log(ORIGIN, List.of(LOG.vkey()))), store,
                () -> 1_700_000_000L, Witness.Observer.NONE);
        WitnessAnswer a = witness.addCheckpoint(body);
        String text = new String(a.body(), StandardCharsets.UTF_8);
        assertTrue(STATUSES.contains(a.status()), a.status() + " " + text);
        String held = witness.latest(ORIGIN).orElseThrow();
        Checkpoint now = Checkpoint.parse(Note.parse(held.getBytes(StandardCharsets.UTF_8)).text(), ORIGIN);

        Optional<AddCheckpoint> request;
        try {
            request = Optional.of(AddCheckpoint.parse(body));
            assertArrayEquals(body, request.get().encode(), "a request reads back to its own bytes");
        } catch (AddCheckpoint.Malformed e) {
            request = Optional.empty();
            assertEquals(400, a.status(), "a malformed request is 400");
        }
        switch (a.status()) {
            case 200 -> {
                assertEquals(10, request.orElseThrow().oldSize(), "cosigned only from the size the witness holds");
                String note = new String(request.get().checkpoint(), StandardCharsets.UTF_8);
                Checkpoint cp = Checkpoint.parse(Note.parse(request.get().checkpoint()).text(), ORIGIN);
                assertTrue(cp.size() >= 10);
                if (cp.size() == 10) {
                    assertArrayEquals(LOG.root(10), cp.rootHash(), "the same size is cosigned with the same root only");
                } else {
                    assertEquals(note, held, "the witness moved to the checkpoint it cosigned");
                }
                assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line: " + text);
                WitnessClient.Cosigned c = assertInstanceOf(WitnessClient.Cosigned.class,
                        WitnessClient.answer(200, a.body(), request.get().checkpoint(), COSIGNER.verifier()),
                        "the log's client takes the witness's cosignature");
                assertEquals(1_700_000_000L, c.timestamp());
            }
            case 409 -> {
                assertEquals(WitnessAnswer.TLOG_SIZE, a.contentType());
                assertEquals("10\n", text, "409 carries the size the witness holds");
                assertEquals(HELD, held);
            }
            default -> {
                assertEquals(HELD, held, "a refusal changes nothing");
                assertTrue(text.endsWith("\n"));
                assertTrue(text.substring(0, text.length() - 1).codePoints().noneMatch(Character::isISOControl),
                        "a refusal is one line of text: " + text);
            }
        }
        assertTrue(now.size() >= 10, "the witness never moves back");
    }

    private static void answer(byte[] input) {
        byte[] submitted = LOG.signed(20);
        WitnessClient.Result ok = WitnessClient.answer(200, input, submitted, COSIGNER.verifier());
        if (ok instanceof WitnessClient.Cosigned c) {
            NoteSignature s = c.cosignature();
            assertTrue(COSIGNER.verifier().verify(LOG.checkpoint(20).body().getBytes(StandardCharsets.UTF_8),
                    s.signature()), "only a cosignature that verifies is taken");
            assertTrue(c.timestamp() >= 0);
        } else {
            assertNotNull(assertInstanceOf(WitnessClient.Failed.class, ok).why());
        }
        WitnessClient.Result conflict = WitnessClient.answer(409, input, submitted, COSIGNER.verifier());
        if (conflict instanceof WitnessClient.Conflict c) {
            assertTrue(c.witnessSize() >= 0);
            String canonical = Long.toString(c.witnessSize());
            String body = new String(input, StandardCharsets.UTF_8);
            assertTrue(body.equals(canonical) || body.equals(canonical + "\n"), body);
        } else {
            assertInstanceOf(WitnessClient.Failed.class, conflict);
        }
        WitnessClient.Refused refused = assertInstanceOf(WitnessClient.Refused.class,
                WitnessClient.answer(500, input, submitted, COSIGNER.verifier()));
        assertTrue(refused.message().codePoints().noneMatch(Character::isISOControl), refused.message());
        assertTrue(refused.message().length() <= 303);
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
