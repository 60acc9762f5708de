package org.fabtrail.ledger;

import org.fabtrail.testing.PlanProbe;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotency lookup of every sequencer batch, and the Merkle node read it makes when it (re)loads the tree's
 * border, keep index plans on log_entries and tree_nodes while they grow from nothing, never analysed, through
 * statements prepared and run before the growth (issue 14; ADR 0018).
 */
class LedgerPlansTest {

    @Test
    void nodeReadsStayIndexedAsTheLogGrows() throws SQLException {
        TestDatabase.Database db = TestDatabase.create("ledgerplans").migrated();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            PlanProbe.asInABatch(c, "log_entries", "tree_nodes");
            st.execute(insert(0, 4));
            PlanProbe nodes = new PlanProbe(c, "nodes", LedgerStore.NODES,
                    "ARRAY[0, 0, 1]::smallint[], ARRAY[1, 2, 1]::bigint[]").execute(10);
            PlanProbe byId = new PlanProbe(c, "by_id", LedgerStore.ENTRIES_BY_ID,
                    "ARRAY[gen_random_uuid(), gen_random_uuid()]::uuid[]").execute(10);
            st.execute(insert(4, 200_000));
            List<String> dedupe = byId.execute(10).scans();
            assertFalse(dedupe.contains("Seq Scan on log_entries"), "idempotency lookup scans log_entries: " + dedupe);
            List<String> scans = nodes.execute(10).scans();
            for (String table : List.of("log_entries", "tree_nodes")) {
                assertFalse(scans.contains("Seq Scan on " + table), "node read scans " + table + ": " + scans);
                assertTrue(scans.stream().anyMatch(s -> s.matches("(Index|Index Only|Bitmap Heap) Scan on " + table)),
                        "node read does not use an index on " + table + ": " + scans);
            }
            c.rollback();
        }
    }

    /** Leaves from..to-1 and as many level-1 nodes (contents irrelevant to the plan). */
    private static String insert(int from, int to) {
        String range = "generate_series(" + from + ", " + (to - 1) + ") i";
        return "INSERT INTO log_entries (idx, entry_id, entry_type, actor, key_id, payload_hash, leaf, leaf_hash, "
                + "integrated_time) SELECT i, gen_random_uuid(), 'unit.register', 'fab', 'k', sha256(int8send(i)), "
                + "int8send(i), sha256(int8send(i)), now() FROM " + range + "; "
                + "INSERT INTO tree_nodes (level, idx, hash) SELECT 1, i, sha256(int8send(i)) FROM " + range;
    }
}
