package org.fabtrail.discrepancy;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The read side of findings, with the visibility rule of units: inspectors, regulators and the operator see every
 * finding ({@code visibleTo} null); an organisation sees the findings that name it.
 */
public final class DiscrepancyQueries {

    public static final List<String> STATES = List.of("open", "acknowledged", "investigating", "resolved");
    public static final List<String> OUTCOMES = List.of("explained", "data-error", "confirmed-diversion",
            "counterfeit", "other");

    /** One finding and where it stands. */
    public record Discrepancy(UUID id, String rule, String finding, String severity, String state, String summary,
                              long openedIdx, Instant openedAt, String openedBy, long updatedIdx, Instant updatedAt,
                              String outcome, List<UnitKey> units, List<String> orgs, List<Long> evidence,
                              Map<String, Object> details) {
    }

    /** One change of a finding (open, note, resolve), from its entry. */
    public record Event(long index, Instant at, String actor, String kind, String state, String note, String outcome,
                        List<Long> evidence, List<Map<String, Object>> documents) {
    }

    /**
     * Filters; null or empty fields do not filter. {@code state} may also be {@code unresolved} (every state but
     * resolved). {@code from}/{@code to} bound the opening time (inclusive, exclusive).
     */
    public record Filter(String rule, String severity, String state, String org, UnitKey unit, Instant from,
                         Instant to) {
        public static final Filter ALL = new Filter(null, null, null, null, null, null, null);
    }

    private static final String COLUMNS = "d.id, d.rule, d.finding, d.severity, d.state, d.summary, d.opened_idx, "
            + "d.opened_at, d.opened_by, d.updated_idx, d.updated_at, d.outcome, d.units::text, d.orgs, d.evidence, "
            + "d.details::text";

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(Filter f, String visibleTo) {
        StringBuilder sql = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (visibleTo != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM discrepancy_orgs o WHERE o.discrepancy_id = d.id AND o.org = ?)");
            params.add(visibleTo);
        }
        if (notEmpty(f.rule())) {
            sql.append(" AND d.rule = ?");
            params.add(f.rule());
        }
        if (notEmpty(f.severity())) {
            sql.append(" AND d.severity = ?");
            params.add(f.severity());
        }
        if ("unresolved".equals(f.state())) {
            sql.append(" AND d.state <> 'resolved'");
        } else if (notEmpty(f.state())) {
            sql.append(" AND d.state = ?");
            params.add(f.state());
        }
        if (notEmpty(f.org())) {
            sql.append(" AND EXISTS (SELECT 1 FROM discrepancy_orgs o2 WHERE o2.discrepancy_id = d.id AND o2.org = ?)");
            params.add(f.org());
        }
        if (f.unit() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM discrepancy_units u WHERE u.discrepancy_id = d.id "
                    + "AND u.manufacturer = ? AND u.serial = ?)");
            params.add(f.unit().manufacturer());
            params.add(f.unit().serial());
        }
        if (f.from() != null) {
            sql.append(" AND d.opened_at >= ?");
            params.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND d.opened_at < ?");
            params.add(Timestamp.from(f.to()));
        }
        return new Where(sql.toString(), params);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    /** Newest first; {@code before} (an opening index from a previous page) continues after it. */
    public List<Discrepancy> list(Connection c, Filter f, String visibleTo, Long before, int limit) throws SQLException {
        Where w = where(f, visibleTo);
        String sql = "SELECT " + COLUMNS + " FROM discrepancies d" + w.sql()
                + (before != null ? " AND d.opened_idx < ?" : "") + " ORDER BY d.opened_idx DESC LIMIT ?";
        List<Object> params = new ArrayList<>(w.params());
        if (before != null) {
            params.add(before);
        }
        params.add(limit);
        List<Discrepancy> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    public Optional<Discrepancy> get(Connection c, UUID id, String visibleTo) throws SQLException {
        Where w = where(Filter.ALL, visibleTo);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM discrepancies d" + w.sql()
                + " AND d.id = ?")) {
            List<Object> params = new ArrayList<>(w.params());
            params.add(id);
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public List<Event> events(Connection c, UUID id) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, at, actor, kind, state, note, outcome, evidence, "
                + "documents::text FROM discrepancy_events WHERE discrepancy_id = ? ORDER BY idx")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), longs(rs, 8), documents(rs.getString(9))));
                }
            }
        }
        return out;
    }

    /** Counts of the filtered findings by one column: rule, severity, state, or org. */
    public Map<String, Long> countBy(Connection c, Filter f, String visibleTo, String column) throws SQLException {
        Where w = where(f, visibleTo);
        String sql = switch (column) {
            case "rule", "severity", "state" -> "SELECT d." + column + ", count(*) FROM discrepancies d" + w.sql()
                    + " GROUP BY 1 ORDER BY 2 DESC, 1";
            case "org" -> "SELECT o.org, count(*) FROM discrepancies d JOIN discrepancy_orgs o ON o.discrepancy_id = d.id"
                    + w.sql() + " GROUP BY 1 ORDER BY 2 DESC, 1";
            default -> throw new IllegalArgumentException(column);
        };
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, w.params());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** One day of the trend: findings opened and resolved that day (UTC). */
    public record Day(LocalDate day, long opened, long resolved) {
    }

    /** The last {@code days} days (UTC) ending today, every day present (zeros included). */
    public List<Day> trend(Connection c, Filter f, String visibleTo, int days, Instant now) throws SQLException {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        Map<LocalDate, long[]> byDay = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            byDay.put(d, new long[2]);
        }
        Where w = where(f, visibleTo);
        Timestamp since = Timestamp.from(first.atStartOfDay(ZoneOffset.UTC).toInstant());
        countByDay(c, "SELECT (d.opened_at AT TIME ZONE 'UTC')::date, count(*) FROM discrepancies d" + w.sql()
                + " AND d.opened_at >= ? GROUP BY 1", w, since, byDay, 0);
        countByDay(c, "SELECT (e.at AT TIME ZONE 'UTC')::date, count(*) FROM discrepancies d JOIN discrepancy_events e "
                + "ON e.discrepancy_id = d.id AND e.kind = 'resolve'" + w.sql() + " AND e.at >= ? GROUP BY 1", w, since,
                byDay, 1);
        List<Day> out = new ArrayList<>();
        byDay.forEach((d, v) -> out.add(new Day(d, v[0], v[1])));
        return out;
    }

    private static void countByDay(Connection c, String sql, Where w, Timestamp since, Map<LocalDate, long[]> byDay,
                                   int slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            List<Object> params = new ArrayList<>(w.params());
            params.add(since);
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] v = byDay.get(rs.getObject(1, LocalDate.class));
                    if (v != null) {
                        v[slot] = rs.getLong(2);
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String json) {
        if (json == null) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) StrictJson.parse(json)) {
            Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) o);
            if (d.get("size") instanceof Number n) {
                d.put("size", n.longValue());
            }
            out.add(d);
        }
        return out;
    }

    private static List<Long> longs(ResultSet rs, int col) throws SQLException {
        return List.of((Long[]) rs.getArray(col).getArray());
    }

    @SuppressWarnings("unchecked")
    private static Discrepancy row(ResultSet rs) throws SQLException {
        List<UnitKey> units = DiscrepancyEngine.units(StrictJson.parse(rs.getString(13)));
        String details = rs.getString(16);
        return new Discrepancy(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getTimestamp(8).toInstant(), rs.getString(9),
                rs.getLong(10), rs.getTimestamp(11).toInstant(), rs.getString(12), units,
                List.of((String[]) rs.getArray(14).getArray()), longs(rs, 15),
                details == null ? Map.of() : (Map<String, Object>) StrictJson.parse(details));
    }
}
