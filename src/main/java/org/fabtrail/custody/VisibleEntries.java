package org.fabtrail.custody;

import org.fabtrail.ledger.LedgerStore;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of the log entries an organisation may see, newest first (the explorer, the home page's recent activity) or
 * in log order (the feed), with a cost that does not grow with the log (issue 14).
 *
 * <p>Walking {@code log_entries} by index and testing each entry against the visibility rule reads the whole log for
 * an organisation that sees little of it; merging the organisation's own streams reads every unit it is a party of,
 * which for an inspector or a large data centre is most of the units (822,216 streams, 9.9 s at 10 M entries). So a
 * page takes whichever of the two is cheaper, without knowing in advance: it walks the entries next to the cursor in
 * windows that grow fourfold ({@link #WINDOW}, then 4,000, 16,000 …), and after each window counts, up to a bound,
 * the streams the organisation has; once the streams would cost less than the walk so far (a stream costs about
 * {@link #STREAM_COST} walked entries), the rest of the page comes from them. The streams, each read through an
 * index in page order and merged, are: its own entries ({@code log_entries (actor, idx)}), the public registry
 * entries (a partial index of them), and the entries about the units it made ({@code units} by manufacturer) or is a
 * party of ({@code unit_parties} by organisation), at most a page per unit ({@code unit_entries} by unit and index).
 * A page so costs at most a few times the cheaper of the two ways, never the log's length nor, for an organisation
 * whose entries are recent, its number of units. Both ways return exactly the entries of the rule in
 * {@link CustodyQueries}: the union of the streams is the rule's disjunction. In log order (the feed) a page never
 * skips an entry that commits while it is read: it stops before the log's end as it was when the page began.
 */
final class VisibleEntries {

    /** The first window of entries next to the cursor walked one by one; each next window is four times larger. */
    static final int WINDOW = 1_000;

    /**
     * What reading one unit's stream costs, in entries walked: an index descent and up to a page of rows to sort
     * against about three index probes per walked entry (measured at 10 M entries: 12 µs per stream, 2.9 µs per
     * walked entry).
     */
    static final int STREAM_COST = 4;

    /** Which rule and which direction. */
    enum Kind {
        /** The explorer: any time a party ({@code canSeeEntry}), public registry entries included, newest first. */
        EXPLORER(true, false, true),
        /** Recent activity: as the explorer without the public registry entries. */
        RECENT(false, false, true),
        /** The feed: a party's unit entries from {@code since_idx} on, public entries included, in log order. */
        FEED(true, true, false);

        final boolean publicTypes;
        final boolean sinceParty;
        final boolean newestFirst;

        Kind(boolean publicTypes, boolean sinceParty, boolean newestFirst) {
            this.publicTypes = publicTypes;
            this.sinceParty = sinceParty;
            this.newestFirst = newestFirst;
        }

        String cmp() {
            return newestFirst ? "<" : ">";
        }

        String order() {
            return newestFirst ? " DESC" : "";
        }
    }

    /** The public registry types as an SQL list, as in the partial index {@code log_entries_public_idx} (V19). */
    static final String PUBLIC_IN = String.join(", ",
            CustodyQueries.PUBLIC_TYPES.stream().map(t -> "'" + t + "'").toList());

    private VisibleEntries() {
    }

    /**
     * The entry-by-entry walk of a window of entries from the cursor: {@code idx <cmp> ?} and within the window
     * ({@code idx >= ?} newest first, {@code idx <= ?} in log order). Parameters: cursor, window end, org, [public
     * types], org, org, limit.
     */
    static String windowSql(Kind k) {
        String party = "EXISTS (SELECT 1 FROM unit_parties p WHERE p.org_id = ? AND p.manufacturer = ue.manufacturer "
                + "AND p.serial = ue.serial" + (k.sinceParty ? " AND p.since_idx <= e.idx)" : ")");
        return "SELECT e.idx FROM log_entries e WHERE e.idx " + k.cmp() + " ? AND e.idx " + (k.newestFirst ? ">=" : "<=")
                + " ? AND (e.actor = ? " + (k.publicTypes ? "OR e.entry_type = ANY (?) " : "")
                + "OR EXISTS (SELECT 1 FROM unit_entries ue WHERE ue.idx = e.idx AND (ue.manufacturer = ? OR " + party
                + "))) ORDER BY e.idx" + k.order() + " LIMIT ?";
    }

    /**
     * The merged streams beyond a cursor. Parameters: org, cursor, limit, [cursor, limit], cursor, limit, org, cursor,
     * limit, org, limit.
     */
    static String streamsSql(Kind k) {
        String cmp = k.cmp();
        String order = k.order();
        String perUnit = "CROSS JOIN LATERAL (SELECT ue.idx FROM unit_entries ue WHERE ue.manufacturer = %s.manufacturer "
                + "AND ue.serial = %s.serial AND ue.idx " + cmp + " ?%s ORDER BY ue.idx" + order + " LIMIT ?) x";
        StringBuilder sql = new StringBuilder("SELECT idx FROM (");
        sql.append("(SELECT idx FROM log_entries WHERE actor = ? AND idx ").append(cmp).append(" ? ORDER BY idx")
                .append(order).append(" LIMIT ?)");
        if (k.publicTypes) {
            sql.append(" UNION (SELECT idx FROM log_entries WHERE entry_type IN (").append(PUBLIC_IN)
                    .append(") AND idx ").append(cmp)
                    .append(" ? ORDER BY idx").append(order).append(" LIMIT ?)");
        }
        sql.append(" UNION (SELECT x.idx FROM units u ").append(String.format(perUnit, "u", "u", ""))
                .append(" WHERE u.manufacturer = ?)");
        sql.append(" UNION (SELECT x.idx FROM unit_parties p ")
                .append(String.format(perUnit, "p", "p", k.sinceParty ? " AND ue.idx >= p.since_idx" : ""))
                .append(" WHERE p.org_id = ?)");
        return sql.append(") v ORDER BY idx").append(order).append(" LIMIT ?").toString();
    }

    /**
     * Up to {@code limit} indexes beyond {@code cursor} ({@code below} newest first, {@code above} in log order) that
     * {@code org} may see under rule {@code k}.
     */
    static List<Long> page(Connection c, Kind k, String org, long from, int limit) throws SQLException {
        // Read before anything else: every index below it is committed (batches commit whole, in index order).
        long end = end(c);
        long cursor = k.newestFirst ? Math.min(from, end) : Math.max(from, -1);
        List<Long> out = new ArrayList<>();
        if (!k.newestFirst && cursor >= end - 1) {
            return out;
        }
        Array types = c.createArrayOf("text", CustodyQueries.PUBLIC_TYPES.toArray());
        long walked = 0;
        for (long window = WINDOW; ; window *= 4) {
            long windowEnd = k.newestFirst ? Math.max(0, cursor - window) : Math.min(end, cursor + window);
            walk(c, k, org, types, cursor, windowEnd, limit - out.size(), out);
            walked += window;
            cursor = windowEnd;
            if (out.size() == limit || (k.newestFirst ? windowEnd == 0 : windowEnd >= end)) {
                break;
            }
            if (streamsWithin(c, org, walked / STREAM_COST)) {
                try (PreparedStatement ps = LedgerStore.plannedForArguments(c, streamsSql(k))) {
                    streamParameters(ps, k, org, cursor, limit - out.size());
                    read(ps, out);
                }
                break;
            }
        }
        if (!k.newestFirst) {
            // In log order the statements see different moments: a batch committed in between may reach past the
            // window, and what it put inside the window was not seen. Entries from `end` on are the next page's.
            out.removeIf(idx -> idx >= end);
        }
        return out;
    }

    /** The entry-by-entry walk from {@code cursor} (exclusive) to {@code windowEnd} (inclusive). */
    private static void walk(Connection c, Kind k, String org, Array types, long cursor, long windowEnd, int limit,
                             List<Long> out) throws SQLException {
        try (PreparedStatement ps = LedgerStore.plannedForArguments(c, windowSql(k))) {
            int i = 1;
            ps.setLong(i++, cursor);
            ps.setLong(i++, windowEnd);
            ps.setString(i++, org);
            if (k.publicTypes) {
                ps.setArray(i++, types);
            }
            ps.setString(i++, org);
            ps.setString(i++, org);
            ps.setInt(i, limit);
            read(ps, out);
        }
    }

    /**
     * Whether {@code org} has at most {@code bound} unit streams (units it made and units it is a party of), counted
     * through the indexes and never beyond the bound, so the count costs no more than the walk it is compared with.
     */
    static boolean streamsWithin(Connection c, String org, long bound) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM (SELECT 1 FROM units WHERE "
                + "manufacturer = ? LIMIT ?) m) + (SELECT count(*) FROM (SELECT 1 FROM unit_parties WHERE org_id = ? "
                + "LIMIT ?) p)")) {
            ps.setString(1, org);
            ps.setLong(2, bound + 1);
            ps.setString(3, org);
            ps.setLong(4, bound + 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) <= bound;
            }
        }
    }

    /** Binds {@link #streamsSql}: beyond {@code cursor} (exclusive), {@code limit} rows. */
    static void streamParameters(PreparedStatement ps, Kind k, String org, long cursor, int limit)
            throws SQLException {
        int i = 1;
        ps.setString(i++, org);
        ps.setLong(i++, cursor);
        ps.setInt(i++, limit);
        if (k.publicTypes) {
            ps.setLong(i++, cursor);
            ps.setInt(i++, limit);
        }
        for (int s = 0; s < 2; s++) {
            ps.setLong(i++, cursor);
            ps.setInt(i++, limit);
            ps.setString(i++, org);
        }
        ps.setInt(i, limit);
    }

    /** One past the newest index: where a newest-first page without a cursor starts. */
    private static long end(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(idx), -1) + 1 FROM log_entries");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void read(PreparedStatement ps, List<Long> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
    }
}
