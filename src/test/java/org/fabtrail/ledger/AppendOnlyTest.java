package org.fabtrail.ledger;

import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database itself refuses to rewrite history, even for the superuser the embedded server runs as. */
class AppendOnlyTest {

    private static LedgerFixture f;

    @BeforeAll
    static void setUp() {
        f = LedgerFixture.withGenesis("appendonly");
        f.append(f.orgRegister("acme"));
    }

    @AfterAll
    static void tearDown() {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE log_entries SET actor = 'mallory' WHERE idx = 0",
            "UPDATE log_entries SET leaf = leaf || '\\x00'::bytea",
            "DELETE FROM log_entries WHERE idx = 1",
            "TRUNCATE log_entries CASCADE",
            "UPDATE tree_nodes SET hash = hash",
            "DELETE FROM tree_nodes",
            "TRUNCATE tree_nodes",
            "UPDATE checkpoints SET note = 'forged'",
            "DELETE FROM checkpoints",
            // CASCADE: checkpoint_cosignatures refers to checkpoints, and without it the refusal is the foreign key's
            "TRUNCATE checkpoints CASCADE",
            "DELETE FROM tree_head",
            "TRUNCATE tree_head",
            "UPDATE tree_head SET tree_size = 1",
            "UPDATE tree_head SET tree_size = tree_size",
            "UPDATE tree_head SET tree_size = tree_size + 1000000",
    })
    void changesToLedgerTablesAreRefused(String sql) throws SQLException {
        long before = f.ledger.head().size();
        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute(sql));
            assertTrue(e.getMessage().contains("append-only") || e.getMessage().contains("may only grow")
                            || e.getMessage().contains("may only cover entries that are in the log"), e.getMessage());
        }
        assertEquals(before, f.ledger.head().size());
        org.fabtrail.testing.LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    private static final String ENTRY = "INSERT INTO log_entries (idx, entry_id, entry_type, actor, key_id, payload_hash, "
            + "leaf, leaf_hash, integrated_time) VALUES (%s, gen_random_uuid(), 'site.register', 'mallory', 'k', "
            + "sha256('p'), 'leaf', sha256('leaf'), now())";
    private static final String CHECKPOINT = "INSERT INTO checkpoints (tree_size, root_hash, note, created_at) "
            + "VALUES (%s, sha256('forged'), 'forged', now())";
    private static final String HEAD = "UPDATE tree_head SET tree_size = %s, root_hash = sha256('forged')";

    /**
     * The tree head moves only together with the entries it covers and a checkpoint of exactly that tree, as the
     * sequencer moves it; a forged head over missing entries, over a hole, short of an entry or without its
     * checkpoint is refused (even for the superuser, who can only get past it by switching triggers off).
     */
    @ParameterizedTest
    @ValueSource(strings = {"over entries that are not there", "over a hole", "leaving an entry out",
            "without its checkpoint"})
    void theTreeHeadCoversExactlyTheEntriesThatAreThere(String scenario) throws SQLException {
        long size = f.ledger.head().size();
        List<String> statements = switch (scenario) {
            case "over entries that are not there" -> List.of(CHECKPOINT.formatted(size + 1000000),
                    HEAD.formatted(size + 1000000));
            // an entry one place beyond the head, and the head moved past it
            case "over a hole" -> List.of(ENTRY.formatted(size + 1), CHECKPOINT.formatted(size + 2),
                    HEAD.formatted(size + 2));
            case "leaving an entry out" -> List.of(ENTRY.formatted(size), ENTRY.formatted(size + 1),
                    CHECKPOINT.formatted(size + 1), HEAD.formatted(size + 1));
            default -> List.of(ENTRY.formatted(size), HEAD.formatted(size + 1));
        };
        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < statements.size() - 1; i++) {
                    st.execute(statements.get(i));
                }
                SQLException e = assertThrows(SQLException.class,
                        () -> st.execute(statements.get(statements.size() - 1)), scenario);
                assertTrue(e.getMessage().contains("fabtrail: the tree head"), e.getMessage());
            } finally {
                c.rollback();
            }
        }
        assertEquals(size, f.ledger.head().size());
        org.fabtrail.testing.LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }
}
