package org.fabtrail.custody;

import org.fabtrail.ledger.LedgerStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Read-side queries over the custody projections, with the visibility rule applied in SQL: an organisation sees
 * the units it made (it is their manufacturer), holds, held or was sent ({@code unit_parties}) and the entries
 * about them, plus its own
 * entries and the public registry entries (organisations, keys, sites); {@code visibleTo == null} sees all
 * (operator, inspectors, regulators). The feed shows the entries about a unit only from the one that made the
 * organisation a party ({@code since_idx}) on, so that it never grows behind a cursor; the unit's history and
 * receipts show all of them. Stateless; works on the caller's connection.
 */
public final class CustodyQueries {

    /** Entry types about the registry, visible to every organisation (needed to check signatures). */
    public static final List<String> PUBLIC_TYPES = List.of("org.register", "key.add", "key.revoke", "site.register");

    public record UnitRecord(UnitKey key, String kind, String model, String eccn, String status, String custodian,
                             String site, UnitKey parent, UUID pendingTransfer, byte[] deviceCertificate,
                             long registeredIdx, Instant registeredAt, long lastIdx, Instant updatedAt) {
    }

    public record TransferRecord(UUID id, long dispatchIdx, String sender, String senderSite, String receiver,
                                 String receiverSite, String carrier, String shipmentRef, String licenceRef,
                                 Instant expectedArrival, String state, Instant dispatchedAt, Long closedIdx,
                                 Instant closedAt, List<TransferUnit> units) {

        /** The same transfer listing only {@code shown} of its units. */
        public TransferRecord withUnits(List<TransferUnit> shown) {
            return new TransferRecord(id, dispatchIdx, sender, senderSite, receiver, receiverSite, carrier, shipmentRef,
                    licenceRef, expectedArrival, state, dispatchedAt, closedIdx, closedAt, shown);
        }
    }

    public record TransferUnit(UnitKey unit, String state, Long receivedIdx, String receivedSite) {
    }

    public record OrgRecord(String id, String name, String country, List<String> roles, long registeredIdx) {
    }

    public record KeyRecord(String keyId, String org, String algorithm, byte[] spki, long addedIdx, Long revokedIdx) {
    }

    /** One inspection of a unit and what it found (the {@code unit_inspections} projection). */
    public record InspectionRecord(long index, Instant at, String inspector, String result, String siteOrg, String site,
                                   String custodian, String recordedCustodian, String recordedSite, String attestation,
                                   List<String> reasons, List<String> findings) {
    }

    public record SiteRecord(String org, String id, String name, String country, String address, Double latitude,
                             Double longitude, long registeredIdx) {
    }

    /**
     * Filters for listing transfers; null means any. {@code visibleTo} restricts to the transfers that organisation
     * sends or receives (null: all); {@code incoming}: {@code me} receives it (false: sends it); {@code counterparty}:
     * the other party of {@code visibleTo} (with no {@code visibleTo}: an organisation that sends or receives it);
     * {@code since}: sent, received in part or closed at a log index above it; {@code beforeIdx}: dispatched below
     * that index (the cursor of a newest-first page).
     */
    public record TransferFilter(String visibleTo, String me, Boolean incoming, String counterparty,
                                 List<String> states, Long since, Long beforeIdx) {
    }

    /** One holder in a unit's custody: the organisation and the entry that made it the custodian. */
    public record CustodyStop(String org, long sinceIdx, Instant since) {
    }

    /** Filters for listing units; null means any. */
    public record UnitFilter(String custodian, String site, String status, String kind, String model,
                             String manufacturer) {
    }

    private static final String UNIT_COLUMNS = "u.manufacturer, u.serial, u.kind, u.model, u.eccn, u.status, "
            + "u.custodian, u.site, u.parent_manufacturer, u.parent_serial, u.pending_transfer, u.device_certificate, "
            + "u.registered_idx, u.registered_at, u.last_idx, u.updated_at";

    public boolean canSee(Connection c, String visibleTo, UnitKey unit) throws SQLException {
        // a manufacturer sees its own units; everyone else through unit_parties (held, holds, was sent)
        String sql = visibleTo == null || visibleTo.equals(unit.manufacturer())
                ? "SELECT 1 FROM units WHERE manufacturer = ? AND serial = ?"
                : "SELECT 1 FROM unit_parties WHERE manufacturer = ? AND serial = ? AND org_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, unit.manufacturer());
            ps.setString(2, unit.serial());
            if (visibleTo != null && !visibleTo.equals(unit.manufacturer())) {
                ps.setString(3, visibleTo);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<UnitRecord> unit(Connection c, UnitKey key) throws SQLException {
        return unitRows(c, "SELECT " + UNIT_COLUMNS + " FROM units u WHERE u.manufacturer = ? AND u.serial = ?",
                List.of(key.manufacturer(), key.serial())).stream().findFirst();
    }

    public List<UnitKey> components(Connection c, UnitKey parent) throws SQLException {
        List<UnitKey> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer, serial FROM units "
                + "WHERE parent_manufacturer = ? AND parent_serial = ? ORDER BY manufacturer, serial")) {
            ps.setString(1, parent.manufacturer());
            ps.setString(2, parent.serial());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UnitKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** The unit's inspections, newest first. */
    public List<InspectionRecord> inspections(Connection c, UnitKey unit, int limit) throws SQLException {
        List<InspectionRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, inspected_at, inspector, result, site_org, site, "
                + "custodian, recorded_custodian, recorded_site, attestation, reasons, findings FROM unit_inspections "
                + "WHERE manufacturer = ? AND serial = ? ORDER BY idx DESC LIMIT ?")) {
            ps.setString(1, unit.manufacturer());
            ps.setString(2, unit.serial());
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new InspectionRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), List.of((String[]) rs.getArray(11).getArray()),
                            List.of((String[]) rs.getArray(12).getArray())));
                }
            }
        }
        return out;
    }

    /** Log indexes of every entry about the unit, in log order. */
    public List<Long> entryIndexes(Connection c, UnitKey unit) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT idx FROM unit_entries WHERE manufacturer = ? AND serial = ? ORDER BY idx")) {
            ps.setString(1, unit.manufacturer());
            ps.setString(2, unit.serial());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Units matching the filter and visible to the caller, in (manufacturer, serial) order after the cursor. */
    public List<UnitRecord> units(Connection c, UnitFilter f, String visibleTo, UnitKey after, int limit)
            throws SQLException {
        return units(c, f, visibleTo, after, true, limit);
    }

    /**
     * The page before a cursor: the last {@code limit} units matching the filter and visible to the caller that
     * sort before {@code before}, in (manufacturer, serial) order (for a "previous page" link).
     */
    public List<UnitRecord> unitsBefore(Connection c, UnitFilter f, String visibleTo, UnitKey before, int limit)
            throws SQLException {
        List<UnitRecord> out = new ArrayList<>(units(c, f, visibleTo, before, false, limit));
        java.util.Collections.reverse(out);
        return out;
    }

    private List<UnitRecord> units(Connection c, UnitFilter f, String visibleTo, UnitKey cursor, boolean forward,
                                   int limit) throws SQLException {
        if (visibleTo != null) {
            return visibleUnits(c, f, visibleTo, cursor, forward, limit);
        }
        StringBuilder sql = new StringBuilder("SELECT " + UNIT_COLUMNS + " FROM units u");
        List<Object> params = new ArrayList<>();
        sql.append(" WHERE true");
        addVisible(sql, params, visibleTo);
        addFilters(sql, params, f);
        if (cursor != null) {
            sql.append(forward ? " AND (u.manufacturer, u.serial) > (?, ?)" : " AND (u.manufacturer, u.serial) < (?, ?)");
            params.add(cursor.manufacturer());
            params.add(cursor.serial());
        }
        sql.append(forward ? " ORDER BY u.manufacturer, u.serial LIMIT ?"
                : " ORDER BY u.manufacturer DESC, u.serial DESC LIMIT ?");
        params.add(limit);
        return unitRows(c, sql.toString(), params);
    }

    /**
     * A page of the units an organisation may see, read from its two ordered streams and merged (issue 14): the units
     * it made (the primary key of {@code units} from its name) and those it is a party of (the primary key of
     * {@code unit_parties}), each read in page order up to a page. Walking all units in key order and testing each
     * read every unit for an organisation that sees few of them.
     */
    private List<UnitRecord> visibleUnits(Connection c, UnitFilter f, String org, UnitKey cursor, boolean forward,
                                          int limit) throws SQLException {
        String cmp = forward ? ">" : "<";
        String desc = forward ? "" : " DESC";
        StringBuilder filters = new StringBuilder();
        List<Object> filterParams = new ArrayList<>();
        addFilters(filters, filterParams, f);
        String after = cursor == null ? "" : " AND (%1$s.manufacturer, %1$s.serial) " + cmp + " (?, ?)";
        String sql = "SELECT * FROM ((SELECT " + UNIT_COLUMNS + " FROM units u WHERE u.manufacturer = ?" + filters
                + after.formatted("u") + " ORDER BY u.manufacturer" + desc + ", u.serial" + desc + " LIMIT ?) "
                + "UNION ALL (SELECT " + UNIT_COLUMNS + " FROM unit_parties p JOIN units u ON u.manufacturer = "
                + "p.manufacturer AND u.serial = p.serial WHERE p.org_id = ? AND p.manufacturer <> ?" + filters
                + after.formatted("p") + " ORDER BY p.manufacturer" + desc + ", p.serial" + desc + " LIMIT ?)) v "
                + "ORDER BY manufacturer" + desc + ", serial" + desc + " LIMIT ?";
        List<Object> params = new ArrayList<>();
        params.add(org);
        params.addAll(filterParams);
        addCursor(params, cursor);
        params.add(limit);
        params.add(org);
        params.add(org);
        params.addAll(filterParams);
        addCursor(params, cursor);
        params.add(limit);
        params.add(limit);
        try (PreparedStatement ps = LedgerStore.plannedForArguments(c, sql)) {
            return unitRows(ps, params);
        }
    }

    /** The unit filter's conditions on alias {@code u}. */
    private static void addFilters(StringBuilder sql, List<Object> params, UnitFilter f) {
        addFilter(sql, params, "u.custodian", f.custodian());
        addFilter(sql, params, "u.site", f.site());
        addFilter(sql, params, "u.status", f.status());
        addFilter(sql, params, "u.kind", f.kind());
        addFilter(sql, params, "u.model", f.model());
        addFilter(sql, params, "u.manufacturer", f.manufacturer());
    }

    private static void addCursor(List<Object> params, UnitKey cursor) {
        if (cursor != null) {
            params.add(cursor.manufacturer());
            params.add(cursor.serial());
        }
    }

    /**
     * Units the custodian holds at the site that may move on their own (be dispatched or assembled into another):
     * not in transit, not inside another unit, not destroyed or decommissioned; in (manufacturer, serial) order
     * after the cursor.
     */
    public List<UnitRecord> movable(Connection c, String custodian, String site, UnitKey after, int limit)
            throws SQLException {
        String sql = "SELECT " + UNIT_COLUMNS + " FROM units u WHERE u.custodian = ? AND u.site = ? "
                + "AND u.pending_transfer IS NULL AND u.parent_serial IS NULL "
                + "AND u.status NOT IN ('destroyed', 'decommissioned')"
                + (after == null ? "" : " AND (u.manufacturer, u.serial) > (?, ?)")
                + " ORDER BY u.manufacturer, u.serial LIMIT ?";
        List<UnitRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, custodian);
            ps.setString(i++, site);
            if (after != null) {
                ps.setString(i++, after.manufacturer());
                ps.setString(i++, after.serial());
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(unit(rs));
                }
            }
        }
        return out;
    }

    /** Which of these serials the manufacturer has already registered. */
    public java.util.Set<String> registeredSerials(Connection c, String manufacturer, java.util.Collection<String> serials)
            throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (serials.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT serial FROM units WHERE manufacturer = ? AND serial = ANY (?)")) {
            ps.setString(1, manufacturer);
            ps.setArray(2, c.createArrayOf("text", serials.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Only the units (alias {@code u}) the organisation may see: its own, or those it is a party of. */
    private static void addVisible(StringBuilder sql, List<Object> params, String visibleTo) {
        if (visibleTo != null) {
            sql.append(" AND (u.manufacturer = ? OR EXISTS (SELECT 1 FROM unit_parties p WHERE p.org_id = ? "
                    + "AND p.manufacturer = u.manufacturer AND p.serial = u.serial))");
            params.add(visibleTo);
            params.add(visibleTo);
        }
    }

    /**
     * The units {@code sql} selects with {@code params} (its conditions so far) that the caller may see, in
     * {@code order}, at most {@code limit}.
     */
    private static List<UnitRecord> visibleUnitPage(Connection c, StringBuilder sql, List<Object> params,
                                                    String visibleTo, String order, int limit) throws SQLException {
        addVisible(sql, params, visibleTo);
        sql.append(" ORDER BY ").append(order).append(" LIMIT ?");
        params.add(limit);
        return unitRows(c, sql.toString(), params);
    }

    private static List<UnitRecord> unitRows(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return unitRows(ps, params);
        }
    }

    private static List<UnitRecord> unitRows(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        List<UnitRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(unit(rs));
            }
        }
        return out;
    }

    /**
     * The units among {@code keys} that the caller may see, in no particular order; the others (absent or not
     * visible) are simply missing. One query for all of them.
     */
    public List<UnitRecord> units(Connection c, java.util.Collection<UnitKey> keys, String visibleTo)
            throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + UNIT_COLUMNS + " FROM unnest(?::text[], ?::text[]) AS w(m, s) "
                + "JOIN units u ON u.manufacturer = w.m AND u.serial = w.s WHERE true");
        List<Object> params = new ArrayList<>();
        params.add(c.createArrayOf("text", keys.stream().map(UnitKey::manufacturer).toArray()));
        params.add(c.createArrayOf("text", keys.stream().map(UnitKey::serial).toArray()));
        addVisible(sql, params, visibleTo);
        return unitRows(c, sql.toString(), params);
    }

    /**
     * The units the caller may see whose last change ({@code last_idx}) comes after the position
     * ({@code afterIdx}, {@code afterKey}) in (last index, manufacturer, serial) order; {@code afterKey} null means
     * after every unit changed at {@code afterIdx}. A unit changed again moves to its new place, so a poller that
     * keeps the last position misses no change: batches commit whole and in index order.
     */
    public List<UnitRecord> changedUnits(Connection c, String visibleTo, long afterIdx, UnitKey afterKey, int limit)
            throws SQLException {
        // every change is also a unit_entries row at the unit's new last_idx: walk them in index order (their idx
        // index) and keep the one that is the unit's last, so each unit comes once and a page reads only its part
        StringBuilder sql = new StringBuilder("SELECT " + UNIT_COLUMNS + " FROM unit_entries ue JOIN units u "
                + "ON u.manufacturer = ue.manufacturer AND u.serial = ue.serial AND u.last_idx = ue.idx WHERE ");
        List<Object> params = new ArrayList<>();
        if (afterKey == null) {
            sql.append("ue.idx > ?");
            params.add(afterIdx);
        } else {
            sql.append("ue.idx >= ? AND (ue.idx, ue.manufacturer, ue.serial) > (?, ?, ?)");
            params.add(afterIdx);
            params.add(afterIdx);
            params.add(afterKey.manufacturer());
            params.add(afterKey.serial());
        }
        return visibleUnitPage(c, sql, params, visibleTo, "ue.idx, ue.manufacturer, ue.serial", limit);
    }

    /**
     * The units the caller may see whose serial is {@code serial} ({@code prefix} false) or starts with it, in
     * (serial, manufacturer) order compared byte by byte, after the cursor {@code after} (null: from the first): the
     * search of the UI and the API. {@code serial} must match {@link UnitKey#SERIAL}.
     */
    public List<UnitRecord> serialSearch(Connection c, String visibleTo, String serial, boolean prefix, UnitKey after,
                                         int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + UNIT_COLUMNS + " FROM units u WHERE ");
        List<Object> params = new ArrayList<>();
        if (prefix) {
            // a range rather than LIKE: '_' is a serial character, and the range uses units_serial_c_idx
            sql.append("u.serial COLLATE \"C\" >= ? AND u.serial COLLATE \"C\" < ?");
            params.add(serial);
            params.add(serial.substring(0, serial.length() - 1) + (char) (serial.charAt(serial.length() - 1) + 1));
        } else {
            sql.append("u.serial COLLATE \"C\" = ?");
            params.add(serial);
        }
        if (after != null) {
            sql.append(" AND (u.serial COLLATE \"C\", u.manufacturer COLLATE \"C\") > (? COLLATE \"C\", ? COLLATE \"C\")");
            params.add(after.serial());
            params.add(after.manufacturer());
        }
        return visibleUnitPage(c, sql, params, visibleTo, "u.serial COLLATE \"C\", u.manufacturer COLLATE \"C\"",
                limit);
    }

    private static void addFilter(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    /**
     * Whether the entry {@code e} is in an organisation's feed: its own entry, a public registry entry, or an entry
     * about a unit it made or was already a party of at that entry. Parameters: {@link #inFeedParameters}.
     */
    private static final String IN_FEED = "(e.actor = ? OR e.entry_type = ANY (?) "
            + "OR EXISTS (SELECT 1 FROM unit_entries ue WHERE ue.idx = e.idx AND (ue.manufacturer = ? "
            + "OR EXISTS (SELECT 1 FROM unit_parties p WHERE p.org_id = ? AND p.manufacturer = ue.manufacturer "
            + "AND p.serial = ue.serial AND p.since_idx <= e.idx))))";

    private static int inFeedParameters(Connection c, PreparedStatement ps, int from, String org) throws SQLException {
        ps.setString(from, org);
        ps.setArray(from + 1, c.createArrayOf("text", PUBLIC_TYPES.toArray()));
        ps.setString(from + 2, org);
        ps.setString(from + 3, org);
        return from + 4;
    }

    /**
     * Whether the entry at {@code idx} is in the organisation's feed (the rule of {@link #feed}): what may be pushed
     * to it, for instance by a webhook.
     */
    public boolean inFeed(Connection c, String org, long idx) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM log_entries e WHERE e.idx = ? AND " + IN_FEED)) {
            ps.setLong(1, idx);
            inFeedParameters(c, ps, 2, org);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Indexes of the entries the caller may see with index > {@code after}, in log order. Gap-free while writes
     * continue: batches commit whole and in index order, and an entry about a unit is in an organisation's feed only
     * if the organisation was already a party of the unit at that entry ({@code since_idx <= idx}), so becoming a
     * party later (a dispatch to it) never makes older entries appear below a returned index.
     */
    public List<Long> feed(Connection c, String visibleTo, long after, int limit) throws SQLException {
        if (visibleTo != null) {
            return VisibleEntries.page(c, VisibleEntries.Kind.FEED, visibleTo, after, limit);
        }
        return everyEntry(c, "SELECT idx FROM log_entries WHERE idx > ? ORDER BY idx LIMIT ?", after, limit);
    }

    /** The newest entries the caller may see, newest first (for a "recent activity" list). */
    public List<Long> recent(Connection c, String visibleTo, int limit) throws SQLException {
        return visibleTo == null ? visibleEntries(c, null, null, limit)
                : VisibleEntries.page(c, VisibleEntries.Kind.RECENT, visibleTo, Long.MAX_VALUE, limit);
    }

    /** Units with this serial (any manufacturer) that the caller may see: a search by serial alone. */
    public List<UnitKey> bySerial(Connection c, String visibleTo, String serial) throws SQLException {
        return serialSearch(c, visibleTo, serial, false, null, Integer.MAX_VALUE).stream().map(UnitRecord::key).toList();
    }

    /**
     * Whether the caller may see the entry at {@code index}: its own, a public registry entry, or an entry about a
     * unit it is a party of (at any time, as in the unit's history).
     */
    public boolean canSeeEntry(Connection c, String visibleTo, long index) throws SQLException {
        if (visibleTo == null) {
            return true;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM log_entries e WHERE e.idx = ? AND (e.actor = ? "
                + "OR e.entry_type = ANY (?) OR EXISTS (SELECT 1 FROM unit_entries ue WHERE ue.idx = e.idx AND "
                + "(ue.manufacturer = ? OR EXISTS (SELECT 1 FROM unit_parties p WHERE p.org_id = ? AND "
                + "p.manufacturer = ue.manufacturer AND p.serial = ue.serial))))")) {
            ps.setLong(1, index);
            ps.setString(2, visibleTo);
            ps.setArray(3, c.createArrayOf("text", PUBLIC_TYPES.toArray()));
            ps.setString(4, visibleTo);
            ps.setString(5, visibleTo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Indexes of the entries the caller may see ({@link #canSeeEntry}) below {@code before} (null: from the newest),
     * newest first: the pages of a log explorer.
     */
    public List<Long> visibleEntries(Connection c, String visibleTo, Long before, int limit) throws SQLException {
        long below = before == null ? Long.MAX_VALUE : before;
        if (visibleTo != null) {
            return VisibleEntries.page(c, VisibleEntries.Kind.EXPLORER, visibleTo, below, limit);
        }
        return everyEntry(c, "SELECT idx FROM log_entries WHERE idx < ? ORDER BY idx DESC LIMIT ?", below, limit);
    }

    /** The indexes {@code sql} selects from all entries (a viewer who sees them all), beyond {@code bound}. */
    private static List<Long> everyEntry(Connection c, String sql, long bound, int limit) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, bound);
            ps.setInt(2, limit);
            VisibleEntries.read(ps, out);
        }
        return out;
    }

    public Optional<TransferRecord> transfer(Connection c, UUID id) throws SQLException {
        List<TransferRecord> list = transfers(c, "t.id = ?", List.of(id), 1);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** The transfer, if the organisation sends or receives it ({@code visibleTo} null: any). */
    public Optional<TransferRecord> transfer(Connection c, UUID id, String visibleTo) throws SQLException {
        return transfer(c, id).filter(t -> visibleTo == null || visibleTo.equals(t.sender())
                || visibleTo.equals(t.receiver()));
    }

    /** States of a transfer that is still open: nothing or only part of it received. */
    public static final List<String> OPEN = List.of("pending", "partial");

    /** Transfers matching the filter, newest dispatch first. */
    public List<TransferRecord> transfers(Connection c, TransferFilter f, int limit) throws SQLException {
        StringBuilder where = new StringBuilder("true");
        List<Object> params = new ArrayList<>();
        if (f.visibleTo() != null) {
            where.append(" AND (t.sender = ? OR t.receiver = ?)");
            params.add(f.visibleTo());
            params.add(f.visibleTo());
        }
        if (f.incoming() != null) {
            where.append(f.incoming() ? " AND t.receiver = ?" : " AND t.sender = ?");
            params.add(f.me());
        }
        if (f.counterparty() != null) {
            if (f.visibleTo() == null) {
                where.append(" AND (t.sender = ? OR t.receiver = ?)");
                params.add(f.counterparty());
                params.add(f.counterparty());
            } else {
                where.append(" AND ((t.sender = ? AND t.receiver = ?) OR (t.receiver = ? AND t.sender = ?))");
                params.addAll(List.of(f.visibleTo(), f.counterparty(), f.visibleTo(), f.counterparty()));
            }
        }
        if (f.states() != null) {
            where.append(" AND t.state = ANY (?)");
            params.add(c.createArrayOf("text", f.states().toArray()));
        }
        if (f.since() != null) {
            where.append(" AND (t.dispatch_idx > ? OR t.closed_idx > ? OR EXISTS (SELECT 1 FROM transfer_units tu "
                    + "WHERE tu.transfer_id = t.id AND tu.received_idx > ?))");
            params.addAll(List.of(f.since(), f.since(), f.since()));
        }
        if (f.beforeIdx() != null) {
            where.append(" AND t.dispatch_idx < ?");
            params.add(f.beforeIdx());
        }
        if (f.visibleTo() == null) {
            return transfers(c, where.toString(), params, limit);
        }
        // An organisation's transfers as two streams in dispatch order, a page of each (V19's indexes by sender and
        // by receiver with the dispatch index): sorting all of a busy distributor's transfers for one page does not
        // stay flat as the log grows (issue 14).
        String sql = "SELECT * FROM ((" + TRANSFER_SELECT + where + " AND t.sender = ?" + TRANSFER_PAGE + ") UNION ALL ("
                + TRANSFER_SELECT + where + " AND t.receiver = ? AND t.sender <> ?" + TRANSFER_PAGE + ")) t"
                + TRANSFER_PAGE;
        List<Object> all = new ArrayList<>(params);
        all.add(f.visibleTo());
        all.add(limit);
        all.addAll(params);
        all.add(f.visibleTo());
        all.add(f.visibleTo());
        all.add(limit);
        return transferRows(c, LedgerStore.plannedForArguments(c, sql), all, limit);
    }

    private static final String TRANSFER_SELECT = "SELECT t.id, t.dispatch_idx, t.sender, t.sender_site, t.receiver, "
            + "t.receiver_site, t.carrier, t.shipment_ref, t.licence_ref, t.expected_arrival, t.state, t.dispatched_at, "
            + "t.closed_idx, t.closed_at FROM transfers t WHERE ";
    private static final String TRANSFER_PAGE = " ORDER BY dispatch_idx DESC LIMIT ?";

    private List<TransferRecord> transfers(Connection c, String where, List<Object> params, int limit) throws SQLException {
        return transferRows(c, c.prepareStatement(TRANSFER_SELECT + where + " ORDER BY t.dispatch_idx DESC LIMIT ?"),
                params, limit);
    }

    /** Runs a page of transfers (closing the statement) and adds their units: parameters, then the limit. */
    private List<TransferRecord> transferRows(Connection c, PreparedStatement statement, List<Object> params, int limit)
            throws SQLException {
        List<TransferRecord> out = new ArrayList<>();
        try (PreparedStatement ps = statement) {
            int i = 1;
            for (Object p : params) {
                ps.setObject(i++, p);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    out.add(new TransferRecord(id, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), instant(rs, 10),
                            rs.getString(11), instant(rs, 12), (Long) rs.getObject(13), instant(rs, 14), List.of()));
                }
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        // the units of the whole page in one query
        java.util.Map<UUID, List<TransferUnit>> units = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT transfer_id, manufacturer, serial, state, received_idx, "
                + "received_site FROM transfer_units WHERE transfer_id = ANY (?) ORDER BY manufacturer, serial")) {
            ps.setArray(1, c.createArrayOf("uuid", out.stream().map(TransferRecord::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    units.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new TransferUnit(new UnitKey(rs.getString(2), rs.getString(3)), rs.getString(4),
                                    (Long) rs.getObject(5), rs.getString(6)));
                }
            }
        }
        List<TransferRecord> withUnits = new ArrayList<>(out.size());
        for (TransferRecord t : out) {
            withUnits.add(new TransferRecord(t.id(), t.dispatchIdx(), t.sender(), t.senderSite(), t.receiver(),
                    t.receiverSite(), t.carrier(), t.shipmentRef(), t.licenceRef(), t.expectedArrival(), t.state(),
                    t.dispatchedAt(), t.closedIdx(), t.closedAt(), units.getOrDefault(t.id(), List.of())));
        }
        return withUnits;
    }

    /**
     * Open transfers (pending or partly received) that the organisation receives ({@code inbound}) or sends, newest
     * dispatch first, dispatched before the log index {@code beforeIdx} (null: from the newest).
     */
    public List<TransferRecord> openTransfers(Connection c, String org, boolean inbound, Long beforeIdx, int limit)
            throws SQLException {
        return transfers(c, new TransferFilter(org, org, inbound, null, OPEN, null, beforeIdx), limit);
    }

    /**
     * Each unit's custodians in order: its manufacturer from the registration, then each organisation that received
     * it (itself, or inside the unit it was assembled into) with the receipt's index and time. Units with no
     * registration are absent. One query for all of them.
     */
    public java.util.Map<UnitKey, List<CustodyStop>> custodyChains(Connection c, java.util.Collection<UnitKey> keys)
            throws SQLException {
        java.util.Map<UnitKey, List<CustodyStop>> out = new java.util.LinkedHashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        Object[] m = keys.stream().map(UnitKey::manufacturer).toArray();
        Object[] s = keys.stream().map(UnitKey::serial).toArray();
        // a receipt is an index in the unit's history at which some unit of a transfer was received (the unit itself,
        // or the unit it travelled inside): its receiver became the custodian
        try (PreparedStatement ps = c.prepareStatement("SELECT m, s, org, idx, at FROM ("
                + "SELECT u.manufacturer AS m, u.serial AS s, u.manufacturer AS org, u.registered_idx AS idx, "
                + "u.registered_at AS at FROM unnest(?::text[], ?::text[]) AS w(m, s) "
                + "JOIN units u ON u.manufacturer = w.m AND u.serial = w.s "
                + "UNION ALL SELECT ue.manufacturer, ue.serial, r.receiver, ue.idx, le.integrated_time "
                + "FROM unnest(?::text[], ?::text[]) AS w(m, s) "
                + "JOIN unit_entries ue ON ue.manufacturer = w.m AND ue.serial = w.s "
                + "JOIN LATERAL (SELECT t.receiver FROM transfer_units tu JOIN transfers t ON t.id = tu.transfer_id "
                + "WHERE tu.received_idx = ue.idx LIMIT 1) r ON true "
                + "JOIN log_entries le ON le.idx = ue.idx) x ORDER BY m, s, idx")) {
            ps.setArray(1, c.createArrayOf("text", m));
            ps.setArray(2, c.createArrayOf("text", s));
            ps.setArray(3, c.createArrayOf("text", m));
            ps.setArray(4, c.createArrayOf("text", s));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(new UnitKey(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                            .add(new CustodyStop(rs.getString(3), rs.getLong(4), instant(rs, 5)));
                }
            }
        }
        return out;
    }

    /** How many open transfers the organisation receives ({@code inbound}) or sends. */
    public long countOpenTransfers(Connection c, String org, boolean inbound) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM transfers t WHERE "
                + (inbound ? "t.receiver = ?" : "t.sender = ?") + " AND t.state IN ('pending', 'partial')")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A page of the registered organisations in id order: those after {@code afterId} (null: from the first). */
    public List<OrgRecord> orgPage(Connection c, String afterId, int limit) throws SQLException {
        return orgs(c, " WHERE id > ? ORDER BY id LIMIT ?", limit, afterId == null ? "" : afterId);
    }

    public List<OrgRecord> orgs(Connection c, String id) throws SQLException {
        return id == null ? orgs(c, " ORDER BY id", null) : orgs(c, " WHERE id = ? ORDER BY id", null, id);
    }

    /** Binds {@code params} in order, then {@code limit} unless it is null. */
    private static void bind(PreparedStatement ps, Integer limit, String... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setString(i + 1, params[i]);
        }
        if (limit != null) {
            ps.setInt(params.length + 1, limit);
        }
    }

    /** The organisations {@code tail} selects, its parameters {@code params} and then {@code limit} (unless null). */
    private List<OrgRecord> orgs(Connection c, String tail, Integer limit, String... params) throws SQLException {
        List<OrgRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, country, roles, registered_idx FROM orgs" + tail)) {
            bind(ps, limit, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OrgRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            List.of((String[]) rs.getArray(4).getArray()), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /** Keys of an organisation, or the keys with the given ids (for bundles). */
    public List<KeyRecord> keys(Connection c, String org, List<String> keyIds) throws SQLException {
        String sql = "SELECT key_id, org_id, algorithm, spki, added_idx, revoked_idx FROM org_keys WHERE "
                + (org != null ? "org_id = ?" : "key_id = ANY (?)") + " ORDER BY added_idx";
        List<KeyRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (org != null) {
                ps.setString(1, org);
            } else {
                ps.setArray(1, c.createArrayOf("text", keyIds.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(keyRecord(rs));
                }
            }
        }
        return out;
    }

    /** A key row: key_id, org_id, algorithm, spki, added_idx, revoked_idx. */
    private static KeyRecord keyRecord(ResultSet rs) throws SQLException {
        return new KeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getLong(5),
                (Long) rs.getObject(6));
    }

    /** A page of an organisation's keys in the order they were added: those added after index {@code afterIdx}. */
    public List<KeyRecord> keys(Connection c, String org, long afterIdx, int limit) throws SQLException {
        List<KeyRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id, org_id, algorithm, spki, added_idx, revoked_idx "
                + "FROM org_keys WHERE org_id = ? AND added_idx > ? ORDER BY added_idx LIMIT ?")) {
            ps.setString(1, org);
            ps.setLong(2, afterIdx);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(keyRecord(rs));
                }
            }
        }
        return out;
    }

    /** A page of an organisation's sites in id order: those after {@code afterId} (null: from the first). */
    public List<SiteRecord> sites(Connection c, String org, String afterId, int limit) throws SQLException {
        return sites(c, "org_id = ? AND id > ? ORDER BY id LIMIT ?", limit, org, afterId == null ? "" : afterId);
    }

    public Optional<SiteRecord> site(Connection c, String org, String id) throws SQLException {
        List<SiteRecord> list = sites(c, "org_id = ? AND id = ?", null, org, id);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** The sites {@code where} selects, its parameters {@code params} and then {@code limit} (unless null). */
    private List<SiteRecord> sites(Connection c, String where, Integer limit, String... params) throws SQLException {
        List<SiteRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT org_id, id, name, country, address, latitude, longitude, "
                + "registered_idx FROM sites WHERE " + where)) {
            bind(ps, limit, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SiteRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), (Double) rs.getObject(6), (Double) rs.getObject(7), rs.getLong(8)));
                }
            }
        }
        return out;
    }

    public List<SiteRecord> sites(Connection c, String org) throws SQLException {
        return sites(c, "org_id = ? ORDER BY id", null, org);
    }

    private static UnitRecord unit(ResultSet rs) throws SQLException {
        return new UnitRecord(new UnitKey(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9) == null ? null : new UnitKey(rs.getString(9), rs.getString(10)),
                rs.getObject(11, UUID.class), rs.getBytes(12), rs.getLong(13), instant(rs, 14), rs.getLong(15),
                instant(rs, 16));
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        var t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
