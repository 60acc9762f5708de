package org.fabtrail.witness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteSignature;
import org.fabtrail.ledger.checkpoint.NoteSigner;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The witness's rules (c2sp.org/tlog-witness@v1.0.0, "add-checkpoint"), without HTTP: every status code the spec
 * names, the order of the checks, durability before the answer, the atomic check-and-save, and evidence of a fork.
 */
class WitnessTest {

    static final String ORIGIN = "example.org/log";

    @TempDir
    Path dir;
    MemoryLog log;
    Cosigner cosigner;
    FileWitnessStore store;
    Witness witness;
    final List<Witness.Misbehaviour> reported = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        log = new MemoryLog(ORIGIN, SigningKey.ed25519FromSeed(seed(1)), 1).grow(40);
        cosigner = new Cosigner("witness.example.org/w1", SigningKey.ed25519FromSeed(seed(9)));
        store = new FileWitnessStore(dir);
        witness = witness(store);
    }

    Witness witness(WitnessStore s) throws IOException {
        return new Witness(cosigner, List.of(new Witness.Log(ORIGIN, List.of(log.vkey()))), s, () -> 1_767_225_600L,
                reported::add);
    }

    static byte[] seed(int n) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) n);
        return s;
    }

    /** The cosignature in a 200 answer verifies on the checkpoint under a 1-of-1 policy of this witness. */
    void assertCosigned(WitnessAnswer a, long size) {
        assertEquals(200, a.status(), a.bodyText());
        assertEquals("text/plain; charset=utf-8", a.contentType());
        assertTrue(a.bodyText().startsWith("\u2014 witness.example.org/w1 ") && a.bodyText().endsWith("\n"));
        byte[] cosigned = (log.signedText(size) + a.bodyText()).getBytes(StandardCharsets.UTF_8);
        WitnessPolicy.Verdict v = new WitnessPolicy(List.of(cosigner.verifier()), 1).check(cosigned, ORIGIN,
                List.of(log.vkey()));
        assertTrue(v.satisfied());
        assertEquals(size, v.checkpoint().size());
        assertEquals(1_767_225_600L, v.cosigned().get(0).timestamp());
    }

    @Test
    void aFirstCheckpointFromOldSizeZeroIsCosignedAndKeptAcrossARestart() throws IOException {
        assertCosigned(witness.addCheckpoint(log.request(0, 10)), 10);
        assertEquals(log.signedText(10), witness.latest(ORIGIN).orElseThrow());

        store.close();
        FileWitnessStore reopened = new FileWitnessStore(dir);
        Witness restarted = witness(reopened);
        assertEquals(log.signedText(10), restarted.latest(ORIGIN).orElseThrow());
        WitnessAnswer again = restarted.addCheckpoint(log.request(0, 20));
        assertEquals(409, again.status());
        assertEquals("10\n", again.bodyText(), "the restarted witness still holds size 10");
        reopened.close();
    }

    @Test
    void eachNextCheckpointNeedsTheProofFromTheHeldOne() {
        assertCosigned(witness.addCheckpoint(log.request(0, 10)), 10);
        assertCosigned(witness.addCheckpoint(log.request(10, 25)), 25);
        assertCosigned(witness.addCheckpoint(log.request(25, 25)), 25); // the same checkpoint again
        assertCosigned(witness.addCheckpoint(log.request(25, 40)), 40);
        assertEquals(List.of(), reported);
    }

    @Test
    void aWrongOldSizeIs409WithTheHeldSizeAsTlogSize() {
        WitnessAnswer first = witness.addCheckpoint(log.request(5, 10));
        assertEquals(409, first.status());
        assertEquals("text/x.tlog.size", first.contentType());
        assertEquals("0\n", first.bodyText(), "a witness that never cosigned holds size 0");
        witness.addCheckpoint(log.request(0, 10));
        WitnessAnswer stale = witness.addCheckpoint(log.request(0, 30));
        assertEquals(409, stale.status());
        assertEquals("10\n", stale.bodyText());
        assertEquals(List.of(), reported, "a stale client is not misbehaviour");
    }

    @Test
    void anOldSizeLargerThanTheCheckpointIs400() {
        witness.addCheckpoint(log.request(0, 10));
        WitnessAnswer a = witness.addCheckpoint(new AddCheckpoint(10, List.of(), log.signed(5)).encode());
        assertEquals(400, a.status());
    }

    @Test
    void anUnknownOriginIs404AndAnUnknownOrBadSignatureIs403() {
        MemoryLog other = new MemoryLog("other.example/log", SigningKey.ed25519FromSeed(seed(2)), 2).grow(3);
        assertEquals(404, witness.addCheckpoint(other.request(0, 3)).status());

        MemoryLog impostor = new MemoryLog(ORIGIN, SigningKey.ed25519FromSeed(seed(3)), 3).grow(3);
        assertEquals(403, witness.addCheckpoint(impostor.request(0, 3)).status(), "signed by another key");

        byte[] good = log.signed(3);
        Note n = Note.parse(good);
        NoteSignature s = n.signatures().get(0);
        byte[] bad = s.signature();
        bad[0] ^= 1;
        byte[] tampered = new Note(n.text(), List.of(new NoteSignature(s.name(), s.keyHash(), bad))).encode();
        assertEquals(403, witness.addCheckpoint(new AddCheckpoint(0, List.of(), tampered).encode()).status());

        // Other signatures (other witnesses' cosignatures, say) are ignored.
        NoteSigner stranger = new NoteSigner("stranger.example", SigningKey.ed25519FromSeed(seed(4)));
        byte[] extra = new Note(n.text(), List.of(n.signatures().get(0), new NoteSignature("stranger.example",
                stranger.keyHash(), stranger.sign(n.text().getBytes(StandardCharsets.UTF_8))))).encode();
        assertCosigned(witness.addCheckpoint(new AddCheckpoint(0, List.of(), extra).encode()), 3);
    }

    @Test
    void aProofThatDoesNotVerifyIs422AndIsKeptAsEvidence() throws IOException {
        witness.addCheckpoint(log.request(0, 10));
        List<byte[]> proof = new ArrayList<>(log.consistency(10, 30));
        byte[] flipped = proof.get(0).clone();
        flipped[5] ^= 1;
        proof.set(0, flipped);
        WitnessAnswer a = witness.addCheckpoint(new AddCheckpoint(10, proof, log.signed(30)).encode());
        assertEquals(422, a.status());
        assertEquals(log.signedText(10), witness.latest(ORIGIN).orElseThrow(), "nothing changed");
        assertEquals(1, reported.size());
        assertEquals("inconsistent", reported.get(0).kind());
        String evidence = Files.readString(store.evidenceDirectory().resolve(reported.get(0).evidence()));
        assertTrue(evidence.contains(log.signedText(10)), "the held checkpoint is in the evidence");
        assertTrue(evidence.contains(log.signedText(30)), "the submitted one too");
        // The same request again makes no second file.
        witness.addCheckpoint(new AddCheckpoint(10, proof, log.signed(30)).encode());
        try (Stream<Path> files = Files.list(store.evidenceDirectory())) {
            assertEquals(1, files.count());
        }
    }

    /** A log that forked after a common prefix, both branches signed with its key. */
    @Test
    void aForkIsRefusedAndBothCheckpointsAreKept() throws IOException {
        MemoryLog branchB = log.fork(20, 77).grow(20); // same key, same first 20 leaves, then different
        witness.addCheckpoint(log.request(0, 20));
        assertCosigned(witness.addCheckpoint(log.request(20, 30)), 30); // the witness follows branch A

        // Branch B of the same size: the spec's 409, and evidence of a split view.
        WitnessAnswer same = witness.addCheckpoint(branchB.request(30, 30));
        assertEquals(409, same.status());
        assertEquals("30\n", same.bodyText());
        assertEquals("split-view", reported.get(0).kind());
        String evidence = Files.readString(store.evidenceDirectory().resolve(reported.get(0).evidence()));
        assertTrue(evidence.contains(log.signedText(30)) && evidence.contains(branchB.signedText(30)));

        // Branch B, larger, with its own honest proof from size 30 of ITS tree: the proof fails against A's root.
        WitnessAnswer larger = witness.addCheckpoint(branchB.request(30, 40));
        assertEquals(422, larger.status());
        assertEquals("inconsistent", reported.get(1).kind());
        assertEquals(log.signedText(30), witness.latest(ORIGIN).orElseThrow());
        assertCosigned(witness.addCheckpoint(log.request(30, 40)), 40); // branch A goes on
    }

    @Test
    void theCheckpointIsSavedBeforeTheAnswerAndAFailedSaveCosignsNothing() throws IOException {
        List<String> saved = new ArrayList<>();
        boolean[] fail = {false};
        WitnessStore recording = new WitnessStore() {
            @Override
            public Map<String, String> load() {
                return Map.of();
            }

            @Override
            public void save(String origin, String note) throws IOException {
                if (fail[0]) {
                    throw new IOException("disk full");
                }
                saved.add(note);
            }

            @Override
            public String keepEvidence(String kind, String text) {
                return kind;
            }
        };
        Witness w = witness(recording);
        assertCosigned(w.addCheckpoint(log.request(0, 10)), 10);
        assertEquals(List.of(log.signedText(10)), saved, "saved before the answer came back");
        fail[0] = true;
        WitnessAnswer a = w.addCheckpoint(log.request(10, 20));
        assertEquals(500, a.status());
        assertTrue(!a.bodyText().contains("\u2014"), "no cosignature");
        fail[0] = false;
        assertEquals("10\n", w.addCheckpoint(log.request(0, 20)).bodyText(), "still holds size 10");
    }

    /** The spec's race: two requests from the same old size; only one may be cosigned, the other is 409. */
    @Test
    void concurrentRequestsFromTheSameOldSizeNeverRollTheWitnessBack() throws Exception {
        witness.addCheckpoint(log.request(0, 1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            long held = 1;
            for (int round = 0; round < 19; round++) {
                long small = held + 1;
                long large = held + 2 > 40 ? held + 1 : held + 2;
                byte[] a = log.request(held, small);
                byte[] b = log.request(held, large);
                CountDownLatch go = new CountDownLatch(1);
                Future<WitnessAnswer> fa = pool.submit(() -> {
                    go.await();
                    return witness.addCheckpoint(a);
                });
                Future<WitnessAnswer> fb = pool.submit(() -> {
                    go.await();
                    return witness.addCheckpoint(b);
                });
                go.countDown();
                WitnessAnswer ra = fa.get();
                WitnessAnswer rb = fb.get();
                if (small == large) {
                    assertEquals(200, ra.status());
                    assertEquals(200, rb.status());
                } else {
                    assertEquals(1, (ra.status() == 200 ? 1 : 0) + (rb.status() == 200 ? 1 : 0),
                            "exactly one of two racing requests is cosigned");
                    assertTrue(ra.status() == 409 || rb.status() == 409);
                }
                long now = Long.parseLong(witness.latest(ORIGIN).orElseThrow().split("\n")[1]);
                assertEquals(ra.status() == 200 ? small : large, now);
                held = now;
                if (held >= 39) {
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Stream<Arguments> malformed() {
        String cp = new String(new MemoryLog(ORIGIN, SigningKey.ed25519FromSeed(seed(1)), 1).grow(4).signed(4),
                StandardCharsets.UTF_8);
        String h = Base64.getEncoder().encodeToString(new byte[32]);
        return Stream.of(
                Arguments.of("no old line", "\n" + cp),
                Arguments.of("old without a size", "old \n\n" + cp),
                Arguments.of("a leading zero", "old 01\n" + h + "\n\n" + cp),
                Arguments.of("a sign", "old +1\n" + h + "\n\n" + cp),
                Arguments.of("a size beyond 2^63", "old 9223372036854775808\n" + h + "\n\n" + cp),
                Arguments.of("a proof from 0", "old 0\n" + h + "\n\n" + cp),
                Arguments.of("64 proof lines", "old 1\n" + (h + "\n").repeat(64) + "\n" + cp),
                Arguments.of("a 31-byte hash", "old 1\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n\n" + cp),
                Arguments.of("non-canonical base64", "old 1\n" + h.substring(0, 42) + "B=\n\n" + cp),
                Arguments.of("no empty line", "old 0\n" + cp),
                Arguments.of("no checkpoint", "old 0\n\n"),
                Arguments.of("CRLF line ends", "old 0\r\n\r\n" + cp),
                Arguments.of("not a note", "old 0\n\nhello\n"),
                Arguments.of("a note that is no checkpoint", "old 0\n\n" + cp.replaceFirst("\n4\n", "\nfour\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestsAre400AndChangeNothing(String what, String body) {
        witness.addCheckpoint(log.request(0, 1));
        WitnessAnswer a = witness.addCheckpoint(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, a.status(), what + ": " + a.bodyText());
        assertEquals("1\n", witness.addCheckpoint(log.request(0, 2)).bodyText());
    }

    @Test
    void theRequestBodyRoundTrips() throws Exception {
        byte[] body = log.request(10, 25);
        AddCheckpoint parsed = AddCheckpoint.parse(body);
        assertEquals(10, parsed.oldSize());
        assertEquals(log.consistency(10, 25).size(), parsed.proof().size());
        assertArrayEquals(body, parsed.encode());
        assertArrayEquals(log.signed(25), parsed.checkpoint());
    }

    @Test
    void twoWitnessesCannotShareADataDirectory() {
        assertThrows(IOException.class, () -> new FileWitnessStore(dir));
    }
}
