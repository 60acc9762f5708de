package org.fabtrail.custody;

import org.fabtrail.testing.PlanProbe;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The explorer's, the home page's and the feed's pages of the entries an organisation may see read a page, not the
 * log, for an organisation that sees little of a large log (issue 14: the explorer's list walked the log newest
 * first), and return exactly the entries of the visibility rule, for a sparse organisation and a busy one.
 * Counts rows, never time.
 */
class VisibleEntriesPlansTest {

    private static final int LOG = 200_000;
    private static final int UNITS = LOG / 10;
    private static final int DENSE_UNITS = 18_000;
    private static Connection c;

    /** The rule as the queries had it before (one walk of log_entries): the reference. */
    private static final String EXPLORER_RULE = "(e.actor = ? OR e.entry_type = ANY (?) OR EXISTS (SELECT 1 FROM "
            + "unit_entries ue WHERE ue.idx = e.idx AND (ue.manufacturer = ? OR EXISTS (SELECT 1 FROM unit_parties p "
            + "WHERE p.org_id = ? AND p.manufacturer = ue.manufacturer AND p.serial = ue.serial))))";

    @BeforeAll
    static void grow() throws SQLException {
        c = TestDatabase.create("visibleentries").migrated().dataSource().getConnection();
        try (Statement st = c.createStatement()) {
            // the busy manufacturer "big": every entry from 10 on is about one of its units, ten per unit
            st.execute(entries("CASE WHEN i < 5 THEN 'org.register' ELSE 'unit.status' END",
                    "CASE WHEN i < 5 THEN 'op' WHEN i IN (7, 8) THEN 'small' ELSE 'big' END", 0, LOG));
            st.execute("INSERT INTO units (manufacturer, serial, kind, model, status, custodian, site, registered_idx, "
                    + "registered_at, last_idx, updated_at) SELECT 'big', 'U' || u, 'accelerator', 'B200', 'active', "
                    + "'big', 'f1', u * 10 + 10, now(), u * 10 + 19, now() FROM generate_series(0, " + (UNITS - 2) + ") u");
            st.execute("INSERT INTO unit_entries SELECT 'big', 'U' || ((i - 10) / 10), i FROM generate_series(10, "
                    + (LOG - 1) + ") i");
            st.execute("INSERT INTO unit_parties SELECT 'big', 'U' || u, 'big', u * 10 + 10 FROM generate_series(0, "
                    + (UNITS - 2) + ") u");
            // "dc", a party of big's units 100..199 from their fifth entry on
            st.execute("INSERT INTO unit_parties SELECT 'big', 'U' || u, 'dc', u * 10 + 15 FROM generate_series(100, 199) u");
            // "small": two entries of its own (7, 8), far back; a party of unit U5 (entries 60..69) from its third on
            st.execute("INSERT INTO unit_parties VALUES ('big', 'U5', 'small', 62)");
            // "insp", dense: a party of big's units 0..17,999 (entries 10..180,009) from their third entry on; the
            // newest 19,990 entries are about units it has nothing to do with
            st.execute("INSERT INTO unit_parties SELECT 'big', 'U' || u, 'insp', u * 10 + 12 FROM generate_series(0, "
                    + (DENSE_UNITS - 1) + ") u");
            st.execute("ANALYZE log_entries, units, unit_entries, unit_parties");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    @Test
    void pagesHoldExactlyTheRulesEntries() throws SQLException {
        CustodyQueries q = new CustodyQueries();
        for (String org : List.of("small", "dc", "nobody")) {
            List<Long> all = rule(org, EXPLORER_RULE, " DESC");
            assertEquals(all, walk(q, org), "explorer pages of " + org);
            List<Long> feed = rule(org, EXPLORER_RULE.replace("p.serial = ue.serial", "p.serial = ue.serial AND "
                    + "p.since_idx <= e.idx"), "");
            assertEquals(feed.subList(0, Math.min(feed.size(), 40)), q.feed(c, org, -1, 40), "feed of " + org);
        }
        assertEquals(List.of(69L, 68L, 67L, 66L, 65L, 64L, 63L, 62L, 61L, 60L, 8L, 7L), q.recent(c, "small", 20));
        assertEquals(rule("big", EXPLORER_RULE, " DESC").subList(0, 50), q.visibleEntries(c, "big", null, 50));
        assertEquals(rule("big", EXPLORER_RULE, " DESC").subList(100, 150),
                q.visibleEntries(c, "big", (long) LOG - 100, 50));
    }

    @Test
    void aSparseOrganisationsPageReadsAPageNotTheLog() throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // as VisibleEntries runs them: planned for their arguments every time
            st.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            for (VisibleEntries.Kind k : VisibleEntries.Kind.values()) {
                long cursor = k.newestFirst ? LOG - VisibleEntries.WINDOW : 0;
                PlanProbe window = new PlanProbe(c, "w_" + k, VisibleEntries.windowSql(k), "'" + (k.newestFirst
                        ? LOG : 0) + "', '" + (k.newestFirst ? cursor : VisibleEntries.WINDOW) + "', 'small'"
                        + (k.publicTypes ? ", ARRAY['org.register']" : "") + ", 'small', 'small', 50");
                PlanProbe streams = new PlanProbe(c, "s_" + k, VisibleEntries.streamsSql(k), "'small', '" + cursor
                        + "', 50" + (k.publicTypes ? ", '" + cursor + "', 50" : "") + ", '" + cursor + "', 50, 'small', '"
                        + cursor + "', 50, 'small', 50");
                for (PlanProbe p : List.of(window, streams)) {
                    List<String> scans = p.scans();
                    assertFalse(scans.stream().anyMatch(s -> s.startsWith("Seq Scan")), k + " scans a table: " + scans);
                    long read = p.rowsRead();
                    assertTrue(read <= 4 * VisibleEntries.WINDOW, k + " reads " + read + " rows of a log of " + LOG
                            + ": " + scans);
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * An organisation that is a party of most units (an inspector, a large data centre) whose latest entries are not
     * next to the cursor: merging its 18,000 unit streams reads 180,000 rows, walking back to its entries reads about
     * 20,000 entries. The page takes the walk (at 10 M entries the streams took 9.9 s for an inspector).
     */
    @Test
    void aDenseOrganisationsPageWalksToItsEntriesInsteadOfReadingEveryUnit() throws SQLException {
        CustodyQueries q = new CustodyQueries();
        List<Long> explorer = rule("insp", EXPLORER_RULE, " DESC");
        assertEquals(explorer.subList(0, 50), q.visibleEntries(c, "insp", null, 50));
        assertEquals(explorer.subList(50, 100), q.visibleEntries(c, "insp", explorer.get(49), 50));
        List<Long> feed = rule("insp", EXPLORER_RULE.replace("p.serial = ue.serial", "p.serial = ue.serial AND "
                + "p.since_idx <= e.idx"), "");
        assertEquals(feed.subList(0, 50), q.feed(c, "insp", -1, 50), "the feed from the start");
        long tail = feed.get(feed.size() - 20);
        assertEquals(feed.subList(feed.size() - 19, feed.size()), q.feed(c, "insp", tail, 50),
                "the feed's last page walks to the log's end and finds nothing more");
        assertEquals(List.of(), q.feed(c, "insp", Long.MAX_VALUE, 50), "a cursor past the end");
        assertEquals(feed.subList(0, 50), q.feed(c, "insp", Long.MIN_VALUE, 50), "a cursor before the start");

        long before = indexRowsRead();
        q.visibleEntries(c, "insp", null, 50);
        long paged = indexRowsRead() - before;
        before = indexRowsRead();
        try (PreparedStatement ps = c.prepareStatement(VisibleEntries.streamsSql(VisibleEntries.Kind.EXPLORER))) {
            VisibleEntries.streamParameters(ps, VisibleEntries.Kind.EXPLORER, "insp", LOG, 50);
            VisibleEntries.read(ps, new ArrayList<>());
        }
        long streams = indexRowsRead() - before;
        assertTrue(streams >= 10 * DENSE_UNITS, "the instrument counts the streams' rows: " + streams);
        assertTrue(paged <= 5 * (LOG - explorer.get(49)), "the first page of a dense organisation read " + paged
                + " index rows; its entries start " + (LOG - explorer.get(0)) + " entries back");
        assertTrue(paged < streams / 2, "the page read " + paged + " index rows, the streams " + streams);
    }

    @Test
    void unitPagesHoldExactlyTheVisibleUnitsAndReadOnlyThose() throws SQLException {
        CustodyQueries q = new CustodyQueries();
        CustodyQueries.UnitFilter any = new CustodyQueries.UnitFilter(null, null, null, null, null, null);
        for (String org : List.of("small", "dc", "nobody")) {
            List<UnitKey> all = new ArrayList<>();
            UnitKey after = null;
            while (true) {
                List<CustodyQueries.UnitRecord> page = q.units(c, any, org, after, 30);
                page.forEach(u -> all.add(u.key()));
                if (page.size() < 30) {
                    break;
                }
                after = page.get(page.size() - 1).key();
            }
            assertEquals(visibleUnits(org), all, "unit pages of " + org);
        }
        List<UnitKey> big = visibleUnits("big");
        assertEquals(big.subList(0, 50), q.units(c, any, "big", null, 50).stream().map(CustodyQueries.UnitRecord::key).toList());
        assertEquals(big.subList(50, 100), q.unitsBefore(c, any, "big", big.get(100), 50).stream()
                .map(CustodyQueries.UnitRecord::key).toList());
        long before = unitRowsRead();
        q.units(c, any, "small", null, 50);
        long read = unitRowsRead() - before;
        assertTrue(read <= 50, "a page of units of an organisation that sees one of " + UNITS + " read " + read + " rows");
        // the instrument counts: the rule walked unit by unit reads them all
        before = unitRowsRead();
        visibleUnits("small");
        assertTrue(unitRowsRead() - before >= UNITS - 1, "the walk of all units is counted");
    }

    @Test
    void transferPagesHoldTheOrganisationsTransfersAndReadAPage() throws SQLException {
        try (Statement st = c.createStatement()) {
            // 30,000 dispatches from big to dc, five from small to big, dispatch index = i
            st.execute("INSERT INTO transfers (id, dispatch_idx, sender, sender_site, receiver, receiver_site, state, "
                    + "dispatched_at) SELECT gen_random_uuid(), i, CASE WHEN i % 6000 = 0 THEN 'small' ELSE 'big' END, "
                    + "'s', CASE WHEN i % 6000 = 0 THEN 'big' ELSE 'dc' END, 'r', 'pending', now() "
                    + "FROM generate_series(1, 30000) i");
            st.execute("ANALYZE transfers");
        }
        CustodyQueries q = new CustodyQueries();
        for (String org : List.of("big", "dc", "small")) {
            List<Long> all = dispatches(org);
            CustodyQueries.TransferFilter first = new CustodyQueries.TransferFilter(org, null, null, null, null, null, null);
            assertEquals(all.subList(0, Math.min(50, all.size())),
                    q.transfers(c, first, 50).stream().map(CustodyQueries.TransferRecord::dispatchIdx).toList(), org);
            if (all.size() > 150) {
                CustodyQueries.TransferFilter later = new CustodyQueries.TransferFilter(org, null, null, null, null, null,
                        all.get(99));
                assertEquals(all.subList(100, 150), q.transfers(c, later, 50).stream()
                        .map(CustodyQueries.TransferRecord::dispatchIdx).toList(), org + ", a later page");
            }
        }
        long before = rowsRead("transfers");
        q.transfers(c, new CustodyQueries.TransferFilter("dc", null, null, null, null, null, null), 50);
        long read = rowsRead("transfers") - before;
        assertTrue(read <= 150, "a page of a busy receiver's 30,000 transfers read " + read + " rows");
        before = rowsRead("transfers");
        dispatches("dc");
        assertTrue(rowsRead("transfers") - before >= 29_000, "the instrument counts reading them all");
    }

    private static List<Long> dispatches(String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT dispatch_idx FROM transfers WHERE sender = ? OR "
                + "receiver = ? ORDER BY dispatch_idx DESC")) {
            ps.setString(1, org);
            ps.setString(2, org);
            List<Long> out = new ArrayList<>();
            VisibleEntries.read(ps, out);
            return out;
        }
    }

    private static List<UnitKey> visibleUnits(String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer, serial FROM units u WHERE u.manufacturer = ? "
                + "OR EXISTS (SELECT 1 FROM unit_parties p WHERE p.org_id = ? AND p.manufacturer = u.manufacturer AND "
                + "p.serial = u.serial) ORDER BY manufacturer, serial")) {
            ps.setString(1, org);
            ps.setString(2, org);
            List<UnitKey> out = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UnitKey(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        }
    }

    /** Index entries read so far from the indexes of the tables a page reads, and their sequential scans' rows. */
    private static long indexRowsRead() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_force_next_flush()");
            st.execute("SELECT pg_stat_clear_snapshot()");
            try (var rs = st.executeQuery("SELECT (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes "
                    + "WHERE relname IN ('log_entries', 'unit_entries', 'unit_parties', 'units')) + (SELECT "
                    + "coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE relname IN ('log_entries', "
                    + "'unit_entries', 'unit_parties', 'units'))")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long unitRowsRead() throws SQLException {
        return rowsRead("units");
    }

    /** Rows of a table read so far, by scans and index fetches (the statistics, flushed first). */
    private static long rowsRead(String table) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_force_next_flush()");
            st.execute("SELECT pg_stat_clear_snapshot()");
            try (var rs = st.executeQuery("SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
                    + "FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aFeedPageSkipsNothingThatCommitsWhileItIsRead() throws SQLException {
        CustodyQueries q = new CustodyQueries();
        c.setAutoCommit(false);
        try {
            // a batch of 3,000 entries of "late" lands between the page's window and its streams
            Connection racing = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{Connection.class}, (proxy, m, args) -> {
                        if (m.getName().equals("prepareStatement") && args[0].equals(
                                VisibleEntries.streamsSql(VisibleEntries.Kind.FEED))) {
                            try (Statement st = c.createStatement()) {
                                st.execute(entries("'unit.status'", "'late'", LOG, LOG + 3 * VisibleEntries.WINDOW));
                            }
                        }
                        try {
                            return m.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            // from two windows back: the first window finds nothing, the streams run after the batch committed
            long cursor = LOG - 2 * VisibleEntries.WINDOW;
            List<Long> page = q.feed(racing, "late", cursor, 50);
            assertTrue(page.isEmpty() || page.get(0) == LOG, "the page skips entries from " + LOG + ": " + page);
            assertEquals((long) LOG, q.feed(c, "late", cursor, 50).get(0), "the next read starts where the log did");
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static List<Long> walk(CustodyQueries q, String org) throws SQLException {
        List<Long> out = new ArrayList<>();
        Long before = null;
        while (true) {
            List<Long> page = q.visibleEntries(c, org, before, 50);
            out.addAll(page);
            if (page.size() < 50) {
                return out;
            }
            before = page.get(page.size() - 1);
        }
    }

    private static List<Long> rule(String org, String rule, String order) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT e.idx FROM log_entries e WHERE " + rule
                + " ORDER BY e.idx" + order)) {
            ps.setString(1, org);
            ps.setArray(2, c.createArrayOf("text", CustodyQueries.PUBLIC_TYPES.toArray()));
            ps.setString(3, org);
            ps.setString(4, org);
            List<Long> out = new ArrayList<>();
            VisibleEntries.read(ps, out);
            return out;
        }
    }

    private static String entries(String type, String actor, int from, int to) {
        return "INSERT INTO log_entries (idx, entry_id, entry_type, actor, key_id, payload_hash, leaf, leaf_hash, "
                + "integrated_time) SELECT i, gen_random_uuid(), " + type + ", " + actor + ", 'k', "
                + "sha256(int8send(i)), int8send(i), sha256(int8send(i)), now() FROM generate_series(" + from + ", "
                + (to - 1) + ") i";
    }
}
