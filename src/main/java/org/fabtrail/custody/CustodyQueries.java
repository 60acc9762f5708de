package org.fabtrail.custody;

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
        try (PreparedStatement ps = c.prepareStatement("SELECT " + UNIT_COLUMNS
                + " FROM units u WHERE u.manufacturer = ? AND u.serial = ?")) {
            ps.setString(1, key.manufacturer());
            ps.setString(2, key.serial());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(unit(rs)) : Optional.empty();
            }
        }
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
        StringBuilder sql = new StringBuilder("SELECT " + UNIT_COLUMNS + " FROM units u");
        List<Object> params = new ArrayList<>();
        sql.append(" WHERE true");
        if (visibleTo != null) {
            sql.append(" AND (u.manufacturer = ? OR EXISTS (SELECT 1 FROM unit_parties p WHERE p.org_id = ? "
                    + "AND p.manufacturer = u.manufacturer AND p.serial = u.serial))");
            params.add(visibleTo);
            params.add(visibleTo);
        }
        addFilter(sql, params, "u.custodian", f.custodian());
        addFilter(sql, params, "u.site", f.site());
        addFilter(sql, params, "u.status", f.status());
        addFilter(sql, params, "u.kind", f.kind());
        addFilter(sql, params, "u.model", f.model());
        addFilter(sql, params, "u.manufacturer", f.manufacturer());
        if (cursor != null) {
            sql.append(forward ? " AND (u.manufacturer, u.serial) > (?, ?)" : " AND (u.manufacturer, u.serial) < (?, ?)");
            params.add(cursor.manufacturer());
            params.add(cursor.serial());
        }
        sql.append(forward ? " ORDER BY u.manufacturer, u.serial LIMIT ?"
                : " ORDER BY u.manufacturer DESC, u.serial DESC LIMIT ?");
        params.add(limit);
        List<UnitRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(unit(rs));
                }
            }
        }
        return out;
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
        String sql = visibleTo == null
                ? "SELECT idx FROM log_entries WHERE idx > ? ORDER BY idx LIMIT ?"
                : "SELECT e.idx FROM log_entries e WHERE e.idx > ? AND " + IN_FEED + " ORDER BY e.idx LIMIT ?";
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, after);
            if (visibleTo == null) {
                ps.setInt(2, limit);
            } else {
                int i = inFeedParameters(c, ps, 2, visibleTo);
                ps.setInt(i, limit);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** The newest entries the caller may see, newest first (for a "recent activity" list). */
    public List<Long> recent(Connection c, String visibleTo, int limit) throws SQLException {
        String sql = visibleTo == null
                ? "SELECT idx FROM log_entries ORDER BY idx DESC LIMIT ?"
                : "SELECT e.idx FROM log_entries e WHERE (e.actor = ? OR EXISTS (SELECT 1 FROM unit_entries ue WHERE "
                        + "ue.idx = e.idx AND (ue.manufacturer = ? OR EXISTS (SELECT 1 FROM unit_parties p WHERE "
                        + "p.org_id = ? AND p.manufacturer = ue.manufacturer AND p.serial = ue.serial)))) "
                        + "ORDER BY e.idx DESC LIMIT ?";
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (visibleTo != null) {
                ps.setString(i++, visibleTo);
                ps.setString(i++, visibleTo);
                ps.setString(i++, visibleTo);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Units with this serial (any manufacturer) that the caller may see: a search by serial alone. */
    public List<UnitKey> bySerial(Connection c, String visibleTo, String serial) throws SQLException {
        List<UnitKey> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer FROM units WHERE serial = ? ORDER BY manufacturer")) {
            ps.setString(1, serial);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new UnitKey(rs.getString(1), serial));
                }
            }
        }
        List<UnitKey> visible = new ArrayList<>();
        for (UnitKey k : found) {
            if (canSee(c, visibleTo, k)) {
                visible.add(k);
            }
        }
        return visible;
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
        String sql = visibleTo == null
                ? "SELECT idx FROM log_entries WHERE idx < ? ORDER BY idx DESC LIMIT ?"
                : "SELECT e.idx FROM log_entries e WHERE e.idx < ? AND (e.actor = ? OR e.entry_type = ANY (?) "
                        + "OR EXISTS (SELECT 1 FROM unit_entries ue WHERE ue.idx = e.idx AND (ue.manufacturer = ? "
                        + "OR EXISTS (SELECT 1 FROM unit_parties p WHERE p.org_id = ? AND p.manufacturer = ue.manufacturer "
                        + "AND p.serial = ue.serial)))) ORDER BY e.idx DESC LIMIT ?";
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, below);
            if (visibleTo != null) {
                ps.setString(i++, visibleTo);
                ps.setArray(i++, c.createArrayOf("text", PUBLIC_TYPES.toArray()));
                ps.setString(i++, visibleTo);
                ps.setString(i++, visibleTo);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    public Optional<TransferRecord> transfer(Connection c, UUID id) throws SQLException {
        List<TransferRecord> list = transfers(c, "t.id = ?", List.of(id), 1);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Transfers the organisation sends or receives (all, for null), newest first. */
    public List<TransferRecord> transfers(Connection c, String org, String state, int limit) throws SQLException {
        StringBuilder where = new StringBuilder("true");
        List<Object> params = new ArrayList<>();
        if (org != null) {
            where.append(" AND (t.sender = ? OR t.receiver = ?)");
            params.add(org);
            params.add(org);
        }
        if (state != null) {
            where.append(" AND t.state = ?");
            params.add(state);
        }
        return transfers(c, where.toString(), params, limit);
    }

    private List<TransferRecord> transfers(Connection c, String where, List<Object> params, int limit) throws SQLException {
        List<TransferRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.dispatch_idx, t.sender, t.sender_site, t.receiver, "
                + "t.receiver_site, t.carrier, t.shipment_ref, t.licence_ref, t.expected_arrival, t.state, t.dispatched_at, "
                + "t.closed_idx, t.closed_at FROM transfers t WHERE " + where + " ORDER BY t.dispatch_idx DESC LIMIT ?")) {
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
        List<TransferRecord> withUnits = new ArrayList<>(out.size());
        for (TransferRecord t : out) {
            List<TransferUnit> units = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer, serial, state, received_idx, received_site "
                    + "FROM transfer_units WHERE transfer_id = ? ORDER BY manufacturer, serial")) {
                ps.setObject(1, t.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        units.add(new TransferUnit(new UnitKey(rs.getString(1), rs.getString(2)), rs.getString(3),
                                (Long) rs.getObject(4), rs.getString(5)));
                    }
                }
            }
            withUnits.add(new TransferRecord(t.id(), t.dispatchIdx(), t.sender(), t.senderSite(), t.receiver(),
                    t.receiverSite(), t.carrier(), t.shipmentRef(), t.licenceRef(), t.expectedArrival(), t.state(),
                    t.dispatchedAt(), t.closedIdx(), t.closedAt(), units));
        }
        return withUnits;
    }

    /**
     * Open transfers (pending or partly received) that the organisation receives ({@code inbound}) or sends, newest
     * dispatch first, dispatched before the log index {@code beforeIdx} (null: from the newest).
     */
    public List<TransferRecord> openTransfers(Connection c, String org, boolean inbound, Long beforeIdx, int limit)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(org);
        String where = (inbound ? "t.receiver = ?" : "t.sender = ?") + " AND t.state IN ('pending', 'partial')";
        if (beforeIdx != null) {
            where += " AND t.dispatch_idx < ?";
            params.add(beforeIdx);
        }
        return transfers(c, where, params, limit);
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
        List<OrgRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, country, roles, registered_idx FROM orgs "
                + "WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setString(1, afterId == null ? "" : afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OrgRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            List.of((String[]) rs.getArray(4).getArray()), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    public List<OrgRecord> orgs(Connection c, String id) throws SQLException {
        List<OrgRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, country, roles, registered_idx FROM orgs"
                + (id == null ? "" : " WHERE id = ?") + " ORDER BY id")) {
            if (id != null) {
                ps.setString(1, id);
            }
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
        return sites(c, "org_id = ? AND id > ? ORDER BY id LIMIT ?", org, afterId == null ? "" : afterId, limit);
    }

    public Optional<SiteRecord> site(Connection c, String org, String id) throws SQLException {
        List<SiteRecord> list = sites(c, "org_id = ? AND id = ?", org, id, null);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    private List<SiteRecord> sites(Connection c, String where, String org, String id, Integer limit) throws SQLException {
        List<SiteRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT org_id, id, name, country, address, latitude, longitude, "
                + "registered_idx FROM sites WHERE " + where)) {
            ps.setString(1, org);
            ps.setString(2, id);
            if (limit != null) {
                ps.setInt(3, limit);
            }
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
        List<SiteRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT org_id, id, name, country, address, latitude, longitude, "
                + "registered_idx FROM sites WHERE org_id = ? ORDER BY id")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SiteRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), (Double) rs.getObject(6), (Double) rs.getObject(7), rs.getLong(8)));
                }
            }
        }
        return out;
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
