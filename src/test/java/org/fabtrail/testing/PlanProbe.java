package org.fabtrail.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fabtrail.ledger.LedgerStore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan PostgreSQL keeps for a server-side prepared statement, as the application's statements get it: pgjdbc
 * turns a statement into a named server-side one after five executions, and PostgreSQL's plan cache may then settle
 * on a generic plan and keep it until something invalidates it (DDL or ANALYZE, not growth). A probe PREPAREs the
 * application's SQL text under a name, so the tests see exactly the plan a long-running sequencer would run.
 */
public final class PlanProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Readies {@code c} as in a sequencer batch (and a rebuild): one transaction, planned as the sequencer has it
     * planned; and keeps autovacuum off {@code tables} (it may or may not get round to them during a run; here it
     * never does).
     */
    public static void asInABatch(Connection c, String... tables) throws SQLException {
        c.setAutoCommit(false);
        LedgerStore.planForCurrentSizes(c);
        try (Statement st = c.createStatement()) {
            for (String table : tables) {
                st.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
            }
        }
    }

    private final Connection c;
    private final String name;
    private final String args;

    /**
     * Prepares {@code sql} (JDBC {@code ?} placeholders, each with an explicit cast so its type is known) as
     * {@code name}; {@code args} are SQL expressions for its parameters, comma-separated, used on every execution.
     */
    public PlanProbe(Connection c, String name, String sql, String args) throws SQLException {
        this.c = c;
        this.name = name;
        this.args = args;
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                numbered.append('$').append(++n);
            } else {
                numbered.append(ch);
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("PREPARE " + name + " AS " + numbered);
        }
    }

    /** Runs the prepared statement {@code times} times (as the sequencer does, batch after batch). */
    public PlanProbe execute(int times) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < times; i++) {
                st.execute("EXECUTE " + name + "(" + args + ")");
            }
        }
        return this;
    }

    /** The scans of the plan the next execution would run, each as "Node Type on relation" (e.g. "Seq Scan on units"). */
    public List<String> scans() throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE " + name + "(" + args + ")")) {
            rs.next();
            JsonNode plan = JSON.readTree(rs.getString(1)).get(0).get("Plan");
            List<String> out = new ArrayList<>();
            walk(plan, out);
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable plan", e);
        }
    }

    /**
     * Runs the statement once under {@code EXPLAIN (ANALYZE, BUFFERS)} and counts the rows its scans read: the rows
     * each scan returned plus those its filter removed, over all its loops. A count, not a timing: it says whether a
     * query reads a page or the whole table.
     */
    public long rowsRead() throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE " + name + "(" + args + ")")) {
            rs.next();
            return rowsRead(JSON.readTree(rs.getString(1)).get(0).get("Plan"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable plan", e);
        }
    }

    private static long rowsRead(JsonNode node) {
        long n = 0;
        if (node.has("Relation Name")) {
            long loops = node.path("Actual Loops").asLong(1);
            n += (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong()) * loops;
        }
        if (node.has("Plans")) {
            for (JsonNode p : node.get("Plans")) {
                n += rowsRead(p);
            }
        }
        return n;
    }

    private static void walk(JsonNode node, List<String> out) {
        if (node.has("Relation Name")) {
            out.add(node.get("Node Type").asText() + " on " + node.get("Relation Name").asText());
        }
        if (node.has("Plans")) {
            node.get("Plans").forEach(p -> walk(p, out));
        }
    }
}
