package org.fabtrail.ledger;

import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fault table (style guide point 12): whichever step of the sequencing transaction fails, the submitter is told
 * UNAVAILABLE, nothing of the batch is written, no checkpoint is published, and the log carries on afterwards.
 * A fault that lies in one entry's data fails that entry alone (docs/adr/0007-sequencer-isolation.md).
 */
class FaultTableTest {

    private static LedgerFixture f;

    @BeforeAll
    static void setUp() throws SQLException {
        f = LedgerFixture.withGenesis("faults");
        sql("CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$");
    }

    @AfterAll
    static void tearDown() {
        f.close();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("appending the entries fails", "CREATE TRIGGER fault BEFORE INSERT ON log_entries "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION test_fail()", "log_entries"),
                Arguments.of("storing tree nodes fails", "CREATE TRIGGER fault BEFORE INSERT ON tree_nodes "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION test_fail()", "tree_nodes"),
                Arguments.of("storing the checkpoint fails", "CREATE TRIGGER fault BEFORE INSERT ON checkpoints "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION test_fail()", "checkpoints"),
                Arguments.of("moving the tree head fails", "CREATE TRIGGER fault BEFORE UPDATE ON tree_head "
                        + "FOR EACH ROW EXECUTE FUNCTION test_fail()", "tree_head"),
                Arguments.of("writing a projection fails", "CREATE TRIGGER fault BEFORE INSERT ON orgs "
                        + "FOR EACH ROW EXECUTE FUNCTION test_fail()", "orgs"),
                Arguments.of("the commit itself fails", "CREATE CONSTRAINT TRIGGER fault AFTER INSERT ON checkpoints "
                        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail()", "checkpoints"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFailedAppendPublishesNothing(String name, String installFault, String table) throws Exception {
        if (f.ledger.head().size() % 2 == 0) {
            f.append(f.orgRegister("filler-" + f.ledger.head().size())); // so the next append stores a tree node
        }
        long size = f.ledger.head().size();
        long checkpoints = count("checkpoints");
        long nodes = count("tree_nodes");
        long orgs = count("orgs");
        var envelope = f.orgRegister("victim-" + size);
        sql(installFault);
        try {
            LedgerException e = assertThrows(LedgerException.class, () -> f.append(envelope));
            assertEquals(LedgerException.Kind.UNAVAILABLE, e.kind(), name);
            assertEquals("ledger-unavailable", e.code());
        } finally {
            sql("DROP TRIGGER fault ON " + table);
        }
        assertEquals(size, f.ledger.head().size(), "tree head unchanged");
        assertEquals(checkpoints, count("checkpoints"), "no checkpoint published");
        assertEquals(nodes, count("tree_nodes"), "no tree node written");
        assertEquals(orgs, count("orgs"), "no projection written");
        assertFalse(f.ledger.receipt(envelope.id()).isPresent());

        // The retry the client is told to make succeeds, at the index the failed attempt would have had.
        Receipt retry = f.append(f.parser.fromJson(envelope.json()));
        assertFalse(retry.duplicate());
        assertEquals(size, retry.index());
        SequencerTest.assertReceiptProves(retry, f);
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    /**
     * Faults that come with one entry of a batch [filler, poison, filler]: a real PostgreSQL error raised while that
     * entry's rows are written. An error about the entry's data fails the entry alone and the others are written; a
     * lost connection fails the whole batch, UNAVAILABLE, and writes nothing.
     */
    static Stream<Arguments> entryFaults() {
        return Stream.of(
                Arguments.of("PostgreSQL refuses one entry's projection row (data exception)",
                        poisonRow("orgs", "NEW.id LIKE 'poison%'", "RAISE EXCEPTION 'injected' USING ERRCODE = '22P05'"),
                        "orgs", "entry-not-storable"),
                Arguments.of("one entry's projection row breaks a constraint no rule checks",
                        poisonRow("orgs", "NEW.id LIKE 'poison%'", "RAISE EXCEPTION 'injected' USING ERRCODE = '23514'"),
                        "orgs", "entry-failed"),
                Arguments.of("PostgreSQL refuses one entry's log row",
                        poisonRow("log_entries", "position('poison'::bytea in NEW.leaf) > 0",
                                "RAISE EXCEPTION 'injected' USING ERRCODE = '22023'"),
                        "log_entries", "entry-not-storable"),
                Arguments.of("the connection is lost while one entry's row is written",
                        poisonRow("orgs", "NEW.id LIKE 'poison%'", "PERFORM pg_terminate_backend(pg_backend_pid())"),
                        "orgs", "ledger-unavailable"));
    }

    private static String poisonRow(String table, String condition, String action) {
        return "CREATE OR REPLACE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + condition
                + " THEN " + action + "; END IF; RETURN NEW; END $$; CREATE TRIGGER fault BEFORE INSERT ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION test_poison()";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entryFaults")
    void aFaultOfOneEntryFailsThatEntryAloneUnlessTheDatabaseIsGone(String name, String installFault, String table,
                                                                    String code) throws Exception {
        long size = f.ledger.head().size();
        long checkpoints = count("checkpoints");
        List<Envelope> batch = List.of(f.orgRegister("before-" + size), f.orgRegister("poison-" + size),
                f.orgRegister("after-" + size));
        sql(installFault);
        List<CompletableFuture<Receipt>> out;
        try {
            out = f.ledger.appendAll(batch);
            for (CompletableFuture<Receipt> r : out) {
                try {
                    r.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ignored) {
                    // checked below
                }
            }
        } finally {
            sql("DROP TRIGGER fault ON " + table);
        }
        LedgerException poison = failure(out.get(1));
        assertEquals(code, poison.code(), name);
        if (poison.kind() == LedgerException.Kind.UNAVAILABLE) {
            // The database is gone: nobody's entry can be written, so the batch fails whole and writes nothing.
            assertEquals("ledger-unavailable", failure(out.get(0)).code());
            assertEquals("ledger-unavailable", failure(out.get(2)).code());
            assertEquals(size, f.ledger.head().size(), "tree head unchanged");
            assertEquals(checkpoints, count("checkpoints"), "no checkpoint published");
            for (Envelope e : batch) {
                assertFalse(f.ledger.receipt(e.id()).isPresent());
                assertFalse(f.append(f.parser.fromJson(e.json())).duplicate(), "the retry writes it");
            }
        } else {
            Receipt before = out.get(0).get();
            Receipt after = out.get(2).get();
            assertEquals(size, before.index());
            assertEquals(size + 1, after.index(), "the failed entry takes no index");
            assertEquals(before.checkpoint(), after.checkpoint(), "one checkpoint for the batch");
            assertEquals(size + 2, after.inclusionProof().treeSize(), "covering exactly the written entries");
            assertEquals(checkpoints + 1, count("checkpoints"));
            SequencerTest.assertReceiptProves(before, f);
            SequencerTest.assertReceiptProves(after, f);
            assertFalse(f.ledger.receipt(batch.get(1).id()).isPresent(), "nothing of the failed entry is written");
            assertFalse(f.append(f.parser.fromJson(batch.get(1).json())).duplicate(),
                    "without the fault, the same entry is written");
        }
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    private static LedgerException failure(CompletableFuture<Receipt> r) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(60, TimeUnit.SECONDS));
        return (LedgerException) e.getCause();
    }

    private static long count(String table) throws SQLException {
        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String sql) throws SQLException {
        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
