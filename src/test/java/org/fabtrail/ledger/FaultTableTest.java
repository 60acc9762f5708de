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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fault table (style guide point 12): whichever step of the sequencing transaction fails, the submitter is told
 * UNAVAILABLE, nothing of the batch is written, no checkpoint is published, and the log carries on afterwards.
 */
class FaultTableTest {

    private static LedgerFixture f;

    @BeforeAll
    static void setUp() throws SQLException {
        f = new LedgerFixture("faults");
        f.genesis();
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
