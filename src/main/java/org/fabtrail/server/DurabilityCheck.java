package org.fabtrail.server;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An acknowledged entry must survive a crash, so Fabtrail refuses to run on a PostgreSQL that may lose
 * committed transactions.
 */
public final class DurabilityCheck {

    private DurabilityCheck() {
    }

    /** What makes this server unsafe; empty when it is durable. */
    public static List<String> problems(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        String fsync = show(c, "fsync");
        if (!"on".equals(fsync)) {
            out.add("fsync is " + fsync + " (committed data may be lost on a crash; set fsync = on)");
        }
        String sync = show(c, "synchronous_commit");
        if ("off".equals(sync)) {
            out.add("synchronous_commit is off (acknowledged transactions may be lost; set synchronous_commit = on)");
        }
        return out;
    }

    /** Throws with a message naming every problem. */
    public static void require(Connection c) throws SQLException {
        List<String> problems = problems(c);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Fabtrail refuses to start: PostgreSQL is not durable: "
                    + String.join("; ", problems));
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
