package org.fabtrail.ledger;

import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database itself refuses to rewrite history, even for the superuser the embedded server runs as. */
class AppendOnlyTest {

    private static LedgerFixture f;

    @BeforeAll
    static void setUp() {
        f = new LedgerFixture("appendonly");
        f.genesis();
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
            "TRUNCATE checkpoints",
            "DELETE FROM tree_head",
            "TRUNCATE tree_head",
            "UPDATE tree_head SET tree_size = 1",
            "UPDATE tree_head SET tree_size = tree_size",
    })
    void changesToLedgerTablesAreRefused(String sql) throws SQLException {
        long before = f.ledger.head().size();
        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute(sql));
            assertTrue(e.getMessage().contains("append-only") || e.getMessage().contains("may only grow"),
                    e.getMessage());
        }
        assertEquals(before, f.ledger.head().size());
        org.fabtrail.testing.LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }
}
