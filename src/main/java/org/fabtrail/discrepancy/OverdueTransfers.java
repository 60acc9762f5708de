package org.fabtrail.discrepancy;

import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Dispatched but not received: a dispatch with units still in transit after its expected arrival (or, when it names
 * none, its dispatch time plus {@code default-transit}) plus {@code overdue-grace}. A scheduled check, not a
 * reaction to an entry: the evidence is the dispatch itself.
 */
final class OverdueTransfers {

    static final String RULE = "transfer-overdue";

    private OverdueTransfers() {
    }

    static List<Finding> find(Connection c, Instant now, DiscrepancySettings settings) throws SQLException {
        Map<UUID, Finding> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.dispatch_idx, t.sender, t.receiver, "
                + "t.receiver_site, t.expected_arrival, t.dispatched_at, "
                + "array_agg(tu.manufacturer ORDER BY tu.manufacturer, tu.serial), "
                + "array_agg(tu.serial ORDER BY tu.manufacturer, tu.serial) "
                + "FROM transfers t JOIN transfer_units tu ON tu.transfer_id = t.id AND tu.state = 'in_transit' "
                + "WHERE t.state IN ('pending', 'partial') "
                + "AND coalesce(t.expected_arrival, t.dispatched_at + ?::interval) + ?::interval < ? "
                + "AND NOT EXISTS (SELECT 1 FROM discrepancy_outbox o WHERE o.finding = 'transfer-overdue:' || t.id::text) "
                + "GROUP BY t.id ORDER BY t.dispatch_idx LIMIT 1000")) {
            ps.setString(1, settings.defaultTransit().getSeconds() + " seconds");
            ps.setString(2, settings.overdueGrace().getSeconds() + " seconds");
            ps.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    String[] man = (String[]) rs.getArray(8).getArray();
                    String[] ser = (String[]) rs.getArray(9).getArray();
                    List<UnitKey> units = new ArrayList<>();
                    for (int i = 0; i < man.length; i++) {
                        units.add(new UnitKey(man[i], ser[i]));
                    }
                    Timestamp expected = rs.getTimestamp(6);
                    Instant due = expected != null ? expected.toInstant()
                            : rs.getTimestamp(7).toInstant().plus(settings.defaultTransit());
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("transfer", id.toString());
                    details.put("due", due.toString());
                    details.put("inTransit", units.size());
                    out.put(id, new Finding(RULE, RULE + ":" + id, "medium",
                            "Dispatch " + id + " from " + rs.getString(3) + " to " + rs.getString(4) + "/"
                                    + rs.getString(5) + " was due " + due + " (" + (expected != null
                                    ? "its expected arrival" : "no expected arrival given; default transit")
                                    + "); " + units.size() + " unit(s) still in transit",
                            units, List.of(rs.getString(3), rs.getString(4)), List.of(rs.getLong(2)), details));
                }
            }
        }
        return List.copyOf(out.values());
    }
}
