package org.fabtrail.ledger;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sequencer against a real PostgreSQL: group commit, receipts, idempotency, and two writers on one log. */
class SequencerTest {

    private LedgerFixture f;

    @BeforeEach
    void setUp() {
        f = LedgerFixture.withGenesis("seq");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** Every receipt's proof leads to the root its own checkpoint signs. */
    static void assertReceiptProves(Receipt r, LedgerFixture f) throws Exception {
        byte[] note = r.checkpoint().getBytes(StandardCharsets.UTF_8);
        org.fabtrail.ledger.checkpoint.Notes.open(note, List.of(f.signer.verifier()));
        Checkpoint cp = Checkpoint.parse(Note.parse(note).text());
        assertEquals(LedgerFixture.ORIGIN, cp.origin());
        assertEquals(cp.size(), r.inclusionProof().treeSize(), "proof is against the checkpoint's size");
        assertEquals(r.index(), r.inclusionProof().leafIndex());
        byte[] root = LedgerAssertions.rootFromInclusion(r.index(), cp.size(), r.leafHash(), r.inclusionProof().hashes());
        assertArrayEquals(cp.rootHash(), root, "inclusion proof of index " + r.index());
    }

    @Test
    void genesisRegistersTheOperatorKeyAtIndexZero() throws Exception {
        try (var c = f.dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT entry_type, actor, key_id FROM log_entries WHERE idx = 0")) {
            assertTrue(rs.next());
            assertEquals("key.add", rs.getString(1));
            assertEquals("operator", rs.getString(2));
            assertEquals(f.operatorKey.keyId(), rs.getString(3));
        }
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    @Test
    void concurrentSubmissionsAreBatchedAndEachIsAnsweredWithItsProof() throws Exception {
        int n = 300;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Receipt>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Envelope e = f.orgRegister("org-" + i);
            futures.add(pool.submit(() -> f.append(e)));
        }
        Set<Long> indexes = new HashSet<>();
        Set<Long> checkpointSizes = new HashSet<>();
        for (Future<Receipt> fu : futures) {
            Receipt r = fu.get(60, TimeUnit.SECONDS);
            assertFalse(r.duplicate());
            assertTrue(indexes.add(r.index()), "indexes are unique");
            checkpointSizes.add(r.inclusionProof().treeSize());
            assertReceiptProves(r, f);
        }
        pool.shutdown();
        assertEquals(n, indexes.size());
        assertTrue(indexes.stream().allMatch(i -> i >= 1 && i <= n), "indexes 1.." + n);
        assertTrue(checkpointSizes.size() < n, "group commit: fewer checkpoints (" + checkpointSizes.size()
                + ") than entries (" + n + ")");
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    @Test
    void identicalResubmissionGetsTheOriginalReceiptAndDifferentPayloadConflicts() throws Exception {
        Envelope e = f.orgRegister("acme");
        Receipt first = f.append(e);
        f.append(f.orgRegister("other")); // the log moves on
        Receipt again = f.append(f.parser.fromJson(e.json()));
        assertTrue(again.duplicate());
        assertEquals(first.index(), again.index());
        assertEquals(first.checkpoint(), again.checkpoint(), "the original checkpoint, not the latest");
        assertEquals(first.integratedTime(), again.integratedTime());
        assertEquals(first.inclusionProof().treeSize(), again.inclusionProof().treeSize());
        for (int i = 0; i < first.inclusionProof().hashes().size(); i++) {
            assertArrayEquals(first.inclusionProof().hashes().get(i), again.inclusionProof().hashes().get(i));
        }

        Envelope changed = f.operator.sign(e.id(), "org.register",
                Map.of("org", "acme", "name", "Another name", "country", "DE", "roles", List.of("distributor")));
        LedgerException conflict = assertThrows(LedgerException.class, () -> f.append(changed));
        assertEquals("id-conflict", conflict.code());
        assertEquals(LedgerException.Kind.CONFLICT, conflict.kind());
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    @Test
    void resubmissionsInsideOneBatchShareTheReceipt() throws Exception {
        Envelope e = f.orgRegister("twin");
        List<CompletableFuture<Receipt>> both = f.ledger.appendAll(List.of(e, f.parser.fromJson(e.json())));
        Receipt a = both.get(0).get(30, TimeUnit.SECONDS);
        Receipt b = both.get(1).get(30, TimeUnit.SECONDS);
        assertFalse(a.duplicate());
        assertTrue(b.duplicate());
        assertEquals(a.index(), b.index());
        assertEquals(2, f.ledger.head().size());
    }

    @Test
    void aRefusedEntryDoesNotBlockTheOthersInItsBatch() throws Exception {
        List<Envelope> run = List.of(f.orgRegister("a1"), f.orgRegister("a1"), f.orgRegister("a2"));
        List<CompletableFuture<Receipt>> out = f.ledger.appendAll(run);
        Receipt first = out.get(0).get(30, TimeUnit.SECONDS);
        ExecutionException dup = assertThrows(ExecutionException.class, () -> out.get(1).get(30, TimeUnit.SECONDS));
        assertEquals("org-exists", ((LedgerException) dup.getCause()).code());
        Receipt third = out.get(2).get(30, TimeUnit.SECONDS);
        assertEquals(first.index() + 1, third.index(), "a refused entry takes no index");
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    @Test
    void laterEntriesOfABatchSeeEarlierOnesBeforeAnythingIsWritten() throws Exception {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey second = SigningKey.generate(SignatureAlgorithm.ES256);
        List<Envelope> run = List.of(
                f.orgRegister("batchy"),
                f.keyAdd("batchy", key),
                // signed with the key added just above, in the same batch
                f.signed(key, "batchy", "key.add", Map.of("org", "batchy", "publicKey", second.verificationKey().toPem())),
                f.signed(second, "batchy", "key.revoke", Map.of("org", "batchy", "keyId", key.keyId())),
                // refused: the key was revoked two entries earlier in this batch
                f.signed(key, "batchy", "key.add", Map.of("org", "batchy",
                        "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem())),
                f.keyAdd("batchy", key)); // refused: already registered
        List<CompletableFuture<Receipt>> out = f.ledger.appendAll(run);
        for (int i = 0; i < 4; i++) {
            assertNotNull(out.get(i).get(30, TimeUnit.SECONDS));
        }
        ExecutionException revoked = assertThrows(ExecutionException.class, () -> out.get(4).get(30, TimeUnit.SECONDS));
        assertEquals("key-revoked", ((LedgerException) revoked.getCause()).code());
        ExecutionException exists = assertThrows(ExecutionException.class, () -> out.get(5).get(30, TimeUnit.SECONDS));
        assertEquals("key-exists", ((LedgerException) exists.getCause()).code());
        try (var c = f.dataSource.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT key_id, revoked_idx IS NOT NULL FROM org_keys WHERE org_id = 'batchy' ORDER BY added_idx")) {
            assertTrue(rs.next());
            assertEquals(key.keyId(), rs.getString(1));
            assertTrue(rs.getBoolean(2), "revoked in the projection");
            assertTrue(rs.next());
            assertEquals(second.keyId(), rs.getString(1));
            assertFalse(rs.getBoolean(2));
            assertFalse(rs.next());
        }
        assertTrue(verify().ok());
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    @Test
    void twoSequencersOnOneDatabaseNeverForkTheLog() throws Exception {
        Sequencer second = f.newSequencer(f.policy, new Sequencer.Settings(50, 10_000));
        Ledger other = new Ledger(f.dataSource, f.store, f.policy, second);
        try {
            int perWriter = 250;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Receipt>> futures = new ArrayList<>();
            for (int i = 0; i < perWriter; i++) {
                Envelope a = f.orgRegister("w1-" + i);
                Envelope b = f.orgRegister("w2-" + i);
                futures.add(pool.submit(() -> f.ledger.append(a).get(60, TimeUnit.SECONDS)));
                futures.add(pool.submit(() -> other.append(b).get(60, TimeUnit.SECONDS)));
            }
            Set<Long> indexes = new HashSet<>();
            for (Future<Receipt> fu : futures) {
                Receipt r = fu.get(120, TimeUnit.SECONDS);
                assertTrue(indexes.add(r.index()), "index " + r.index() + " handed out twice");
                assertReceiptProves(r, f);
            }
            pool.shutdown();
            assertEquals(2 * perWriter, indexes.size());
            assertEquals(2L * perWriter + 1, f.ledger.head().size());
            LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
        } finally {
            second.close();
        }
    }

    @Test
    void aRevokedKeySignsNothingMoreButItsEarlierEntriesStayValid() throws Exception {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256);
        f.append(f.orgRegister("acme"));
        f.append(f.keyAdd("acme", key));
        SigningKey rotated = SigningKey.generate(SignatureAlgorithm.ED25519);
        Receipt byOldKey = f.append(f.signed(key, "acme", "key.add",
                Map.of("org", "acme", "publicKey", rotated.verificationKey().toPem())));
        assertNotNull(byOldKey);
        f.append(f.signed(rotated, "acme", "key.revoke", Map.of("org", "acme", "keyId", key.keyId())));
        LedgerException refused = assertThrows(LedgerException.class, () -> f.append(f.signed(key, "acme", "key.add",
                Map.of("org", "acme", "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem()))));
        assertEquals("key-revoked", refused.code());
        LogVerifier.Result result = verify();
        assertTrue(result.ok(), result.describe());
    }

    private LogVerifier.Result verify() throws Exception {
        try (var c = f.dataSource.getConnection()) {
            return new LogVerifier(f.parser, org.fabtrail.custody.KeyReplay::new, 2).verify(c, n -> { });
        }
    }
}
