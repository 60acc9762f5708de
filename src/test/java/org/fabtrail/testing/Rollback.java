package org.fabtrail.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consistent rollback, as someone who owns the database does it: the append-only triggers switched off, the
 * newest entries deleted together with their tree nodes and checkpoints, and the tree head set back to an older
 * checkpoint. What is left is a complete, well-signed log of that older size: nothing inside the database says it
 * was ever larger.
 */
public final class Rollback {

    private Rollback() {
    }

    /**
     * Rolls the log back to {@code size}, which must be the size of a stored checkpoint.
     *
     * @param owner a connection of the database owner or a superuser (one that may switch triggers off)
     */
    public static void toCheckpoint(Connection owner, long size) throws SQLException {
        try (Statement st = owner.createStatement()) {
            st.execute("SET session_replication_role = replica"); // the append-only triggers no longer fire
            try (PreparedStatement ps = owner.prepareStatement("SELECT count(*) FROM checkpoints WHERE tree_size = ?")) {
                ps.setLong(1, size);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(1, rs.getLong(1), "a rollback goes back to a stored checkpoint, " + size + " is none");
                }
            }
            st.execute("DELETE FROM log_entries WHERE idx >= " + size);
            st.execute("DELETE FROM tree_nodes WHERE (idx + 1) * power(2::numeric, level) > " + size);
            st.execute("DELETE FROM checkpoint_cosignatures WHERE tree_size > " + size);
            st.execute("DELETE FROM checkpoints WHERE tree_size > " + size);
            int moved = st.executeUpdate("UPDATE tree_head SET tree_size = c.tree_size, root_hash = c.root_hash, "
                    + "updated_at = c.created_at FROM checkpoints c WHERE tree_head.id = 1 AND c.tree_size = " + size);
            assertTrue(moved == 1, "the tree head was moved back");
            st.execute("SET session_replication_role = origin");
        }
    }
}
