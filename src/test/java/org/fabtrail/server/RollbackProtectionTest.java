package org.fabtrail.server;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.KeyReplay;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.LogVerifier;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.ledger.Sequencer;
import org.fabtrail.testing.Appends;
import org.fabtrail.testing.LedgerFixture;
import org.fabtrail.testing.Rollback;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback protection (issue 9, finding 7) on a real PostgreSQL: the sequencer keeps every committed checkpoint in
 * {@code <data dir>/latest-checkpoint} before it answers, the start refuses a database that does not extend it, and
 * {@code verify --checkpoint} fails on a log that does not extend a receipt's checkpoint.
 */
class RollbackProtectionTest {

    @TempDir
    Path dataDir;

    private LedgerFixture f;
    private CheckpointFile file;
    private Sequencer sequencer;
    /** The ledger as the server runs it: its sequencer keeps checkpoints in the data directory. */
    private Ledger ledger;
    private int orgs;

    @BeforeEach
    void startLog() {
        f = new LedgerFixture("rollback");
        file = new CheckpointFile(dataDir);
        sequencer = f.newSequencer(f.policy, Sequencer.Settings.defaults(), file);
        ledger = new Ledger(f.dataSource, f.store, f.policy, sequencer);
        append(f.operator.genesis());
    }

    @AfterEach
    void stop() {
        sequencer.close();
        f.close();
    }

    private Receipt append(Envelope e) {
        try {
            return ledger.append(e).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ex.getCause());
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Appends {@code batches} batches of {@code perBatch} org registrations; returns the last receipt. */
    private Receipt grow(int batches, int perBatch) throws Exception {
        Receipt last = null;
        for (int b = 0; b < batches; b++) {
            List<Envelope> run = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                run.add(f.orgRegister("org-" + (orgs++)));
            }
            for (CompletableFuture<Receipt> r : ledger.appendAll(run)) {
                last = r.get(60, TimeUnit.SECONDS);
            }
        }
        return last;
    }

    private long head() {
        return ledger.head().size();
    }

    private String check(TestDatabase.Database db, OptionalLong acceptTo) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            return new RollbackGuard(file, LedgerFixture.ORIGIN, f.signer.verifier(), Clock.systemUTC())
                    .check(c, acceptTo);
        }
    }

    private IllegalStateException refused(TestDatabase.Database db, OptionalLong acceptTo) {
        return assertThrows(IllegalStateException.class, () -> check(db, acceptTo));
    }

    private long fileSize() throws Exception {
        return CheckpointFile.sizeOf(Files.readString(file.path()));
    }

    private void rollBack(long to) throws SQLException {
        try (Connection owner = f.database.dataSource().getConnection()) {
            Rollback.toCheckpoint(owner, to);
        }
    }

    private LogVerifier.Result verify(TestDatabase.Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return new LogVerifier(new EnvelopeParser(65536), KeyReplay::new, 2).verify(c, n -> { });
        }
    }

    /** {@code verify --checkpoint} as the command runs it: exit status and what it printed. */
    private record Run(int status, String out) {
    }

    private Run verifyCommand(TestDatabase.Database db, String checkpointFileText) throws Exception {
        Path held = Files.writeString(dataDir.resolve("held-checkpoint"), checkpointFileText);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = VerifyCommand.verify(db.url(), db.user(), db.password(), Optional.empty(),
                Optional.of(VerifyCommand.readCheckpoint(held)), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommittedCheckpointIsInTheFileVerbatim() throws Exception {
        assertEquals(ledger.latestCheckpoint().orElseThrow().note(), Files.readString(file.path()),
                "the genesis batch's checkpoint");
        Receipt last = grow(3, 5);
        assertEquals(last.checkpoint(), Files.readString(file.path()));
        assertEquals(head(), fileSize());
        assertFalse(Files.exists(dataDir.resolve(CheckpointFile.NAME + ".tmp")), "no temporary file left behind");
    }

    /**
     * Issue 9, finding 7, reproduced: the newest entries deleted with their nodes, checkpoints and head. The log
     * still verifies on its own (nothing in the database remembers its size), but the start refuses, naming both
     * sizes, and {@code verify --checkpoint} with a receipt's checkpoint fails naming the first missing index.
     */
    @Test
    void aConsistentRollbackIsRefusedAtStartAndByVerifyWithAReceipt() throws Exception {
        grow(4, 3);
        long rolledBackTo = head();
        Receipt receipt = grow(3, 4);
        long size = head();
        assertEquals(size, receipt.inclusionProof().treeSize());

        rollBack(rolledBackTo);
        LogVerifier.Result alone = verify(f.database);
        assertTrue(alone.ok(), "nothing inside the database shows the rollback: " + alone.describe());

        IllegalStateException e = refused(f.database, OptionalLong.empty());
        assertTrue(e.getMessage().contains("tree size " + rolledBackTo) && e.getMessage().contains("tree size " + size),
                "names both sizes: " + e.getMessage());
        assertTrue(e.getMessage().contains("FABTRAIL_ACCEPT_ROLLBACK_TO=" + rolledBackTo), e.getMessage());
        assertEquals(size, fileSize(), "a refused start leaves the file alone");

        Run run = verifyCommand(f.database, receipt.checkpoint());
        assertEquals(1, run.status(), run.out());
        assertTrue(run.out().contains("FAIL at index " + rolledBackTo + ": the log ends at index " + (rolledBackTo - 1)
                + " but the trusted checkpoint covers up to index " + (size - 1)), run.out());
        // The instance's own file serves as the trusted checkpoint too.
        Run own = verifyCommand(f.database, Files.readString(file.path()));
        assertEquals(1, own.status(), own.out());
    }

    @Test
    void verifyTakesAReceiptAsAnsweredToAWrite() throws Exception {
        Receipt receipt = grow(2, 3);
        String answer = "{\"index\": " + receipt.index() + ", \"checkpoint\": \""
                + receipt.checkpoint().replace("\n", "\\n") + "\"}";
        Run run = verifyCommand(f.database, answer);
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("the log extends the trusted checkpoint of tree size " + head()), run.out());
    }

    /** The running instance notices too: it does not acknowledge writes on a log that went backwards under it. */
    @Test
    void aRunningInstanceStopsAcknowledgingWhenTheLogGoesBackwards() throws Exception {
        grow(2, 3);
        long rolledBackTo = head();
        grow(2, 3);
        long size = head();
        rollBack(rolledBackTo);
        for (int i = 0; i < 2; i++) {
            LedgerException e = assertThrows(LedgerException.class, () -> append(f.orgRegister("late-" + orgs++)));
            assertEquals(LedgerException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
        }
        assertEquals(size, fileSize(), "the larger checkpoint is kept");
        IllegalStateException refused = refused(f.database, OptionalLong.empty());
        assertTrue(refused.getMessage().contains("tree size " + size), refused.getMessage());
    }

    @Test
    void aDeliberateRestoreIsAcceptedOnlyAtTheSizeTheOperatorNames() throws Exception {
        grow(2, 3);
        long restored = head();
        String restoredCheckpoint = ledger.latestCheckpoint().orElseThrow().note();
        grow(2, 3);
        long size = head();
        String newest = Files.readString(file.path());
        rollBack(restored);

        IllegalStateException wrong = refused(f.database, OptionalLong.of(restored + 1));
        assertTrue(wrong.getMessage().contains("accepts only a database of that tree size"), wrong.getMessage());

        check(f.database, OptionalLong.of(restored));
        assertEquals(restoredCheckpoint, Files.readString(file.path()), "the file now holds the restored head");
        try (var aside = Files.list(dataDir)) {
            List<Path> kept = aside.filter(p -> p.getFileName().toString()
                    .startsWith(CheckpointFile.NAME + ".rolled-back-" + size + "-")).toList();
            assertEquals(1, kept.size(), "the previous checkpoint is kept for the record");
            assertEquals(newest, Files.readString(kept.get(0)));
        }
        Receipt after = append(f.orgRegister("after-restore"));
        assertEquals(restored + 1, after.inclusionProof().treeSize(), "the log goes on from the restored size");
        assertEquals(restored + 1, fileSize());
        assertTrue(check(f.database, OptionalLong.empty()).contains("extends"));
    }

    /**
     * A forked database: another history of the same size, or larger, signed with the operator key (as someone
     * holding both the database and the key could make). It verifies on its own, and is refused.
     */
    @Test
    void aForkedDatabaseIsRefused() throws Exception {
        grow(3, 3);
        long size = head();
        String ours = Files.readString(file.path());
        try (LedgerFixture fork = new LedgerFixture(TestDatabase.create("fork").migrated(), f.operatorKey)) {
            fork.genesis();
            List<Envelope> other = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                other.add(fork.orgRegister("fork-" + i));
            }
            for (CompletableFuture<Receipt> r : fork.ledger.appendAll(other)) {
                r.get(60, TimeUnit.SECONDS);
            }
            assertEquals(size, fork.ledger.head().size());
            assertTrue(verify(fork.database).ok(), "the fork verifies on its own");

            IllegalStateException same = refused(fork.database, OptionalLong.empty());
            assertTrue(same.getMessage().contains("tree size " + size) && same.getMessage().contains("another root"),
                    same.getMessage());
            Run run = verifyCommand(fork.database, ours);
            assertEquals(1, run.status(), run.out());
            assertTrue(run.out().startsWith("FAIL at index " + (size - 1) + ": the log's root at tree size " + size),
                    run.out());

            fork.append(fork.orgRegister("fork-more"));
            IllegalStateException longer = refused(fork.database, OptionalLong.empty());
            assertTrue(longer.getMessage().contains("tree size " + (size + 1)) && longer.getMessage()
                    .contains("does not extend the checkpoint of tree size " + size), longer.getMessage());
        }
    }

    /** A crash after the commit and before the file write leaves the database ahead of the file: that is fine. */
    @Test
    void aDatabaseAheadOfTheFileIsAcceptedAndTheFileCatchesUp() throws Exception {
        grow(2, 3);
        long kept = fileSize();
        // Batches committed by a sequencer that never got to write the file (as if it crashed right after commit).
        for (int i = 0; i < 3; i++) {
            f.append(f.orgRegister("unkept-" + i));
        }
        assertEquals(kept, fileSize());
        assertTrue(head() > kept);
        check(f.database, OptionalLong.empty());
        assertEquals(head(), fileSize(), "the file caught up with the database");
        assertEquals(ledger.latestCheckpoint().orElseThrow().note(), Files.readString(file.path()));
    }

    @Test
    void aDataDirectoryWithoutTheFileGetsItFromTheDatabase() throws Exception {
        grow(2, 2);
        Files.delete(file.path());
        check(f.database, OptionalLong.empty());
        assertEquals(ledger.latestCheckpoint().orElseThrow().note(), Files.readString(file.path()));
    }

    @Test
    void aFileThatThisLogDidNotSignIsRefused() throws Exception {
        grow(1, 2);
        SigningKey other = SigningKey.generate(SignatureAlgorithm.ED25519);
        Files.writeString(file.path(), new CheckpointSigner(LedgerFixture.ORIGIN, other).sign(1, new byte[32]));
        IllegalStateException e = refused(f.database, OptionalLong.empty());
        assertTrue(e.getMessage().contains("no operator key of this log signed"), e.getMessage());
        Files.writeString(file.path(), "not a checkpoint\n");
        assertTrue(refused(f.database, OptionalLong.empty()).getMessage().contains("is not a signed checkpoint"));
    }

    /**
     * The file is written before anyone is answered: every receipt a concurrent writer holds is covered by the file
     * at the moment the writer holds it.
     */
    @Test
    void theFileCoversEveryReceiptWhenItIsAnswered() throws Exception {
        Appends.concurrently(8, 25, (writer, i) -> {
            Receipt r = append(f.orgRegister("w" + writer + "-" + i));
            long held = fileSize();
            assertTrue(held >= r.inclusionProof().treeSize(), "writer " + writer + " was answered with "
                    + "a checkpoint of size " + r.inclusionProof().treeSize() + " while the file held " + held);
        });
        assertEquals(head(), fileSize());
    }

    @Test
    void theFileOnlyMovesForward() throws Exception {
        grow(1, 3);
        long size = fileSize();
        String note = Files.readString(file.path());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> file.keep(size - 1, "older"));
        assertTrue(e.getMessage().contains("went backwards"), e.getMessage());
        assertEquals(note, Files.readString(file.path()));
        // Once the log went backwards under it, the instance keeps refusing, even larger sizes.
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class,
                () -> file.keep(size + 100, note)));
        assertEquals(note, Files.readString(file.path()));
    }
}
