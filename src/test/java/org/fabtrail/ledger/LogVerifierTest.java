package org.fabtrail.ledger;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.KeyReplay;
import org.fabtrail.testing.LedgerFixture;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline verifier finds every kind of tampering done by direct SQL (with the append-only triggers
 * switched off, as a database superuser could) and names the first bad index.
 */
class LogVerifierTest {

    /** Entries in the base log. */
    private static long size;
    private static org.fabtrail.ledger.checkpoint.NoteVerifier logKey;
    /** The base log's operator key: what signs its checkpoints. */
    private static SigningKey operatorKey;
    private static TestDatabase.Database base;
    private static EnvelopeParser parser = new EnvelopeParser(65536);

    @BeforeAll
    static void buildLog() throws Exception {
        LedgerFixture f = new LedgerFixture("verify_base");
        try {
            f.genesis();
            SigningKey ed = SigningKey.generate(SignatureAlgorithm.ED25519);
            SigningKey ec = SigningKey.generate(SignatureAlgorithm.ES256);
            f.append(f.orgRegister("acme"));
            f.append(f.keyAdd("acme", ed));
            f.append(f.orgRegister("northwind"));
            f.append(f.keyAdd("northwind", ec));
            // Many entries in few batches (so checkpoints land mid-tree), signed with both algorithms.
            List<Envelope> run = new ArrayList<>();
            for (int i = 0; i < 260; i++) {
                SigningKey signer = i % 2 == 0 ? ed : ec;
                String org = i % 2 == 0 ? "acme" : "northwind";
                run.add(f.signed(signer, org, "key.add", Map.of("org", org,
                        "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem())));
                if (i % 37 == 0) {
                    run.add(f.orgRegister("org-" + i));
                }
            }
            for (int from = 0; from < run.size(); from += 50) {
                for (CompletableFuture<Receipt> fu : f.ledger.appendAll(run.subList(from, Math.min(run.size(), from + 50)))) {
                    fu.get();
                }
            }
            base = f.database;
            logKey = f.signer.verifier();
            operatorKey = f.operatorKey;
        } finally {
            f.close();
        }
        size = countEntries(base);
    }

    private static long countEntries(TestDatabase.Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM log_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static LogVerifier.Result verify(TestDatabase.Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return new LogVerifier(parser, KeyReplay::new, 2).verify(c, n -> { });
        }
    }

    @Test
    void anUntouchedLogVerifies() throws Exception {
        LogVerifier.Result r = verify(base);
        assertTrue(r.ok(), r.describe());
        assertEquals(size, r.entries());
        assertTrue(r.checkpoints() > 5, "several checkpoints checked: " + r.checkpoints());
    }

    @Test
    void aPinnedLogKeyRefusesALogSignedByAnyOtherKey() throws Exception {
        try (Connection c = base.dataSource().getConnection()) {
            LogVerifier.Result pinned = new LogVerifier(parser, KeyReplay::new, 2, java.util.Optional.of(logKey))
                    .verify(c, n -> { });
            assertTrue(pinned.ok(), pinned.describe());
            var stranger = org.fabtrail.ledger.checkpoint.NoteVerifier.ed25519(logKey.name(),
                    SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey());
            LogVerifier.Result other = new LogVerifier(parser, KeyReplay::new, 2, java.util.Optional.of(stranger))
                    .verify(c, n -> { });
            assertFalse(other.ok());
            assertEquals(0, other.index(), "the first checkpoint (size 1) already fails");
        }
    }

    @Test
    void aFailureFoundLateInAnEarlierChunkIsStillTheOneReported() throws Exception {
        // Small chunks: a forged checkpoint signature early in the log (checked asynchronously) must win over a
        // changed column later on (found synchronously in a later chunk).
        TestDatabase.Database copy = TestDatabase.copyOf(base, "chunks");
        long forgedSize = tamper(copy, "SELECT max(tree_size) FROM checkpoints WHERE tree_size <= 60", (c, st, size) -> {
            String note;
            try (var q = c.prepareStatement("SELECT note FROM checkpoints WHERE tree_size = ?")) {
                q.setLong(1, size);
                var r2 = q.executeQuery();
                r2.next();
                note = r2.getString(1);
            }
            int sigStart = note.lastIndexOf(' ') + 1;
            byte[] sig = java.util.Base64.getDecoder().decode(note.substring(sigStart).trim());
            sig[sig.length - 1] ^= 1;
            try (var u = c.prepareStatement("UPDATE checkpoints SET note = ? WHERE tree_size = ?")) {
                u.setString(1, note.substring(0, sigStart) + java.util.Base64.getEncoder().encodeToString(sig) + "\n");
                u.setLong(2, size);
                u.executeUpdate();
            }
            st.execute("UPDATE log_entries SET actor = 'mallory' WHERE idx = 100"); // the very next chunk
        });
        assertTrue(forgedSize > 0 && forgedSize <= 60, "a checkpoint inside the first chunk: " + forgedSize);
        try (Connection c = copy.dataSource().getConnection()) {
            LogVerifier.Result r = new LogVerifier(parser, KeyReplay::new, 2, java.util.Optional.empty(), 64)
                    .verify(c, n -> { });
            assertFalse(r.ok());
            assertEquals(forgedSize - 1, r.index(), r.describe());
        }
        try (Connection c = base.dataSource().getConnection()) {
            LogVerifier.Result clean = new LogVerifier(parser, KeyReplay::new, 2, java.util.Optional.empty(), 64)
                    .verify(c, n -> { });
            assertTrue(clean.ok(), "small chunks verify an untouched log: " + clean.describe());
        }
    }

    /** The stored checkpoint note of exactly this size, or of the first size above it. */
    private static String checkpointFrom(TestDatabase.Database db, long atLeast) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); var ps = c.prepareStatement(
                "SELECT note FROM checkpoints WHERE tree_size >= ? ORDER BY tree_size LIMIT 1")) {
            ps.setLong(1, atLeast);
            var rs = ps.executeQuery();
            assertTrue(rs.next(), "a checkpoint of size >= " + atLeast);
            return rs.getString(1);
        }
    }

    private static long sizeOf(String note) {
        return org.fabtrail.ledger.checkpoint.Checkpoint.parse(org.fabtrail.ledger.checkpoint.Note.parse(
                note.getBytes(java.nio.charset.StandardCharsets.UTF_8)).text()).size();
    }

    static LogVerifier.Result verifyAgainst(TestDatabase.Database db, String trustedCheckpoint,
                                            java.util.Optional<org.fabtrail.ledger.checkpoint.NoteVerifier> vkey)
            throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return new LogVerifier(parser, KeyReplay::new, 2, vkey, java.util.Optional.of(trustedCheckpoint), 64)
                    .verify(c, n -> { });
        }
    }

    @Test
    void aLogExtendsEveryCheckpointItSigned() throws Exception {
        for (long at : new long[]{1, 2, 100, size}) {
            String note = checkpointFrom(base, at);
            LogVerifier.Result r = verifyAgainst(base, note, java.util.Optional.empty());
            assertTrue(r.ok(), "the log extends its checkpoint of size " + sizeOf(note) + ": " + r.describe());
            LogVerifier.Result pinned = verifyAgainst(base, note, java.util.Optional.of(logKey));
            assertTrue(pinned.ok(), pinned.describe());
        }
    }

    /**
     * Issue 9, finding 7: the newest entries deleted together with their nodes, checkpoints and head leave a log
     * that verifies on its own. A checkpoint from a receipt, held outside the database, shows the rollback and
     * names the first missing index.
     */
    @Test
    void aConsistentRollbackIsFoundWithAReceiptsCheckpoint() throws Exception {
        String receipt = checkpointFrom(base, size); // what the last writer was answered with
        TestDatabase.Database copy = TestDatabase.copyOf(base, "rollback");
        long to = sizeOf(checkpointFrom(base, 150));
        try (Connection c = copy.dataSource().getConnection()) {
            org.fabtrail.testing.Rollback.toCheckpoint(c, to);
        }
        LogVerifier.Result alone = verify(copy);
        assertTrue(alone.ok(), "nothing inside the database shows the rollback: " + alone.describe());
        assertEquals(to, alone.entries());

        LogVerifier.Result r = verifyAgainst(copy, receipt, java.util.Optional.empty());
        assertFalse(r.ok(), "the rollback went unnoticed");
        assertEquals(to, r.index(), r.describe());
        assertTrue(r.describe().contains("the log ends at index " + (to - 1) + " but the trusted checkpoint covers "
                + "up to index " + (size - 1)), r.describe());
        LogVerifier.Result pinned = verifyAgainst(copy, receipt, java.util.Optional.of(logKey));
        assertFalse(pinned.ok());
        assertEquals(to, pinned.index(), pinned.describe());
    }

    /** A partner holds a checkpoint of the log's size with another root: what a forked log signed for it. */
    @Test
    void aLogThatForkedFromATrustedCheckpointFailsAtItsSize() throws Exception {
        long at = sizeOf(checkpointFrom(base, 120));
        byte[] otherRoot = java.security.MessageDigest.getInstance("SHA-256").digest("another history".getBytes());
        String fork = new CheckpointSigner(logKey.name(), operatorKey).sign(at, otherRoot);
        LogVerifier.Result r = verifyAgainst(base, fork, java.util.Optional.of(logKey));
        assertFalse(r.ok(), "a checkpoint of another history went unnoticed");
        assertEquals(at - 1, r.index(), r.describe());
        assertTrue(r.describe().contains("root at tree size " + at + " differs"), r.describe());
    }

    @Test
    void aTrustedCheckpointMustBeSignedByTheLog() throws Exception {
        String real = checkpointFrom(base, 120);
        long at = sizeOf(real);
        // The same body signed by a stranger under the log's name, and one claiming more entries than the log has.
        SigningKey stranger = SigningKey.generate(SignatureAlgorithm.ED25519);
        CheckpointSigner strangerSigner = new CheckpointSigner(logKey.name(), stranger);
        byte[] root = org.fabtrail.ledger.checkpoint.Checkpoint.parse(org.fabtrail.ledger.checkpoint.Note.parse(
                real.getBytes(java.nio.charset.StandardCharsets.UTF_8)).text()).rootHash();
        LogVerifier.Result r = verifyAgainst(base, strangerSigner.sign(at, root), java.util.Optional.empty());
        assertFalse(r.ok());
        assertEquals(at - 1, r.index(), r.describe());
        assertTrue(r.describe().contains("not validly signed"), r.describe());
        LogVerifier.Result beyond = verifyAgainst(base, strangerSigner.sign(size + 10, root), java.util.Optional.empty());
        assertFalse(beyond.ok());
        assertEquals(size, beyond.index(), beyond.describe());
        assertTrue(beyond.describe().contains("not validly signed"), beyond.describe());
        // Signed by the log but not by the key pinned with --vkey.
        var pinnedStranger = strangerSigner.verifier();
        LogVerifier.Result pinned = verifyAgainst(base, real, java.util.Optional.of(pinnedStranger));
        assertFalse(pinned.ok());
        assertTrue(pinned.index() >= 0, pinned.describe());
    }

    /** A change made behind the ledger's back. */
    interface Tamper {
        void apply(Connection c) throws Exception;
    }

    /** A change to a copied log that knows the size of the checkpoint it is about. */
    interface SizedTamper {
        void apply(Connection c, Statement st, long size) throws Exception;
    }

    /**
     * Reads the checkpoint size that {@code sizeQuery} answers in {@code copy}, switches the append-only triggers off
     * and applies {@code tamper} to that size; answers the size.
     */
    static long tamper(TestDatabase.Database copy, String sizeQuery, SizedTamper tamper) throws Exception {
        try (Connection c = copy.dataSource().getConnection(); Statement st = c.createStatement()) {
            var rs = st.executeQuery(sizeQuery);
            rs.next();
            long size = rs.getLong(1);
            st.execute("SET session_replication_role = replica"); // switches the append-only triggers off
            tamper.apply(c, st, size);
            return size;
        }
    }

    static Tamper sql(String... statements) {
        return c -> {
            try (Statement st = c.createStatement()) {
                for (String s : statements) {
                    st.execute(s);
                }
            }
        };
    }

    /** Flips one bit of the Ed25519 signature in the first checkpoint after size 100: a forged signature. */
    static Tamper forgeCheckpointSignature() {
        return c -> {
            long size;
            String note;
            try (Statement st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT tree_size, note FROM checkpoints WHERE tree_size > 100 ORDER BY tree_size LIMIT 1")) {
                rs.next();
                size = rs.getLong(1);
                note = rs.getString(2);
            }
            int sigStart = note.lastIndexOf(' ') + 1;
            byte[] sig = java.util.Base64.getDecoder().decode(note.substring(sigStart).trim());
            sig[sig.length - 1] ^= 1;
            String forged = note.substring(0, sigStart) + java.util.Base64.getEncoder().encodeToString(sig) + "\n";
            try (var ps = c.prepareStatement("UPDATE checkpoints SET note = ? WHERE tree_size = ?")) {
                ps.setString(1, forged);
                ps.setLong(2, size);
                assertEquals(1, ps.executeUpdate());
            }
        };
    }

    static Stream<Arguments> tampering() {
        return Stream.of(
                Arguments.of("a leaf's bytes changed", 100L, sql(
                        "UPDATE log_entries SET leaf = convert_to(replace(convert_from(leaf, 'UTF8'), '\"index\":100', "
                                + "'\"index\":100 '), 'UTF8') WHERE idx = 100")),
                Arguments.of("a leaf changed together with its hash", 120L, sql(
                        "UPDATE log_entries SET leaf = convert_to(replace(convert_from(leaf, 'UTF8'), '\"actor\":\"', "
                                + "'\"actor\":\"m'), 'UTF8') WHERE idx = 120",
                        "UPDATE log_entries SET leaf_hash = sha256('\\x00'::bytea || leaf) WHERE idx = 120")),
                Arguments.of("a row deleted", 77L, sql("DELETE FROM log_entries WHERE idx = 77")),
                Arguments.of("two rows swapped", 50L, sql(
                        "UPDATE log_entries SET idx = 999999999 WHERE idx = 50",
                        "UPDATE log_entries SET idx = 50 WHERE idx = 51",
                        "UPDATE log_entries SET idx = 51 WHERE idx = 999999999")),
                Arguments.of("a row appended behind the log's back", -2L, sql(
                        "INSERT INTO log_entries SELECT (SELECT max(idx) + 1 FROM log_entries), gen_random_uuid(), "
                                + "entry_type, actor, key_id, payload_hash, leaf, leaf_hash, integrated_time "
                                + "FROM log_entries WHERE idx = 10")),
                Arguments.of("the integrated time column changed", 33L, sql(
                        "UPDATE log_entries SET integrated_time = integrated_time + interval '1 day' WHERE idx = 33")),
                Arguments.of("the actor column changed", 34L, sql(
                        "UPDATE log_entries SET actor = 'mallory' WHERE idx = 34")),
                Arguments.of("a tree node changed", 64L, sql(
                        "UPDATE tree_nodes SET hash = sha256(hash) WHERE level = 5 AND idx = 2")),
                Arguments.of("a tree node deleted", 128L, sql(
                        "DELETE FROM tree_nodes WHERE level = 1 AND idx = 64")),
                Arguments.of("a checkpoint signature forged", -3L, forgeCheckpointSignature()),
                Arguments.of("a checkpoint root replaced", -3L, sql(
                        "UPDATE checkpoints SET root_hash = sha256(root_hash) "
                                + "WHERE tree_size = (SELECT min(tree_size) FROM checkpoints WHERE tree_size > 100)")),
                // Every failure names an index, a truncated log included.
                Arguments.of("the newest entries deleted, their checkpoints kept", 200L, sql(
                        "DELETE FROM log_entries WHERE idx >= 200",
                        "DELETE FROM tree_nodes WHERE (idx + 1) * power(2::numeric, level) > 200",
                        "UPDATE tree_head SET tree_size = 200")),
                Arguments.of("the newest entries deleted with their checkpoints, the head kept", 200L, sql(
                        "DELETE FROM log_entries WHERE idx >= 200",
                        "DELETE FROM tree_nodes WHERE (idx + 1) * power(2::numeric, level) > 200",
                        "DELETE FROM checkpoints WHERE tree_size > 200")),
                Arguments.of("a tree node beyond the end of the log", -4L, sql(
                        "INSERT INTO tree_nodes (level, idx, hash) VALUES (1, 1000000, sha256('x'::bytea))")),
                Arguments.of("the tree head's root changed", -5L, sql(
                        "UPDATE tree_head SET root_hash = sha256(root_hash)")));
    }

    /**
     * @param expectedIndex the index the verifier must name; -2 = the first index past the original log,
     *                      -3 = the last index covered by the tampered checkpoint, -4 = the first index past the
     *                      log (an index it does not hold), -5 = the last index of the log
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tampering")
    void tamperingIsFoundAtTheFirstBadIndex(String name, long expectedIndex, Tamper tamper) throws Exception {
        TestDatabase.Database copy = TestDatabase.copyOf(base, "tamper");
        long checkpointSize = tamper(copy, "SELECT min(tree_size) FROM checkpoints WHERE tree_size > 100",
                (c, st, size) -> tamper.apply(c));
        LogVerifier.Result r = verify(copy);
        assertFalse(r.ok(), name + " went unnoticed");
        long expected = expectedIndex == -2 || expectedIndex == -4 ? size : expectedIndex == -3 ? checkpointSize - 1
                : expectedIndex == -5 ? size - 1 : expectedIndex;
        assertEquals(expected, r.index(), name + ": " + r.describe());
    }

}
