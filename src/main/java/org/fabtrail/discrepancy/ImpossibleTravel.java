package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One serial inspected at two different sites within an impossible time: faster than
 * {@code max-travel-kmh} over the great-circle distance when both sites have coordinates, else in two different
 * countries less than {@code min-cross-border-travel} apart. Compares each inspection with the unit's previous one
 * that named a site.
 */
final class ImpossibleTravel implements Detector {

    static final String RULE = "impossible-travel";
    private static final double EARTH_KM = 6371.0088;

    @Override
    public String rule() {
        return RULE;
    }

    record Previous(long index, Instant at, Fact.Place site) {
    }

    @Override
    public List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) throws SQLException {
        if (!(fact instanceof Fact.Inspection i) || i.site() == null) {
            return List.of();
        }
        Previous prev = previous(c, i);
        if (prev == null || prev.site().ref().equals(i.site().ref())) {
            return List.of();
        }
        Duration between = Duration.between(prev.at(), i.at()).abs();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", prev.site().ref());
        details.put("to", i.site().ref());
        details.put("minutes", between.toMinutes());
        String why;
        Double km = distanceKm(prev.site(), i.site());
        if (km != null) {
            double hours = Math.max(between.toMillis() / 3_600_000.0, 1e-9);
            double kmh = km / hours;
            if (kmh <= settings.maxTravelKmh()) {
                return List.of();
            }
            details.put("km", Math.round(km));
            why = Math.round(km) + " km in " + between.toMinutes() + " minutes (over " + Math.round(settings.maxTravelKmh())
                    + " km/h)";
        } else if (prev.site().country() != null && i.site().country() != null
                && !prev.site().country().equals(i.site().country())
                && between.compareTo(settings.minCrossBorderTravel()) < 0) {
            why = prev.site().country() + " to " + i.site().country() + " in " + between.toMinutes() + " minutes";
        } else {
            return List.of();
        }
        return List.of(new Finding(RULE, RULE + ":" + i.index(), "high",
                i.unit() + " was inspected at " + prev.site().ref() + " and at " + i.site().ref() + ": " + why,
                List.of(i.unit()), List.of(i.inspector(), i.recordedCustodian()), List.of(prev.index(), i.index()),
                details));
    }

    static Double distanceKm(Fact.Place a, Fact.Place b) {
        if (a.latitude() == null || a.longitude() == null || b.latitude() == null || b.longitude() == null) {
            return null;
        }
        double p1 = Math.toRadians(a.latitude());
        double p2 = Math.toRadians(b.latitude());
        double dp = p2 - p1;
        double dl = Math.toRadians(b.longitude() - a.longitude());
        double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    private static Previous previous(Connection c, Fact.Inspection i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ui.idx, ui.inspected_at, s.org_id, s.id, s.country, "
                + "s.latitude, s.longitude FROM unit_inspections ui JOIN sites s ON s.org_id = ui.site_org AND s.id = ui.site "
                + "WHERE ui.manufacturer = ? AND ui.serial = ? AND ui.idx < ? ORDER BY ui.idx DESC LIMIT 1")) {
            ps.setString(1, i.unit().manufacturer());
            ps.setString(2, i.unit().serial());
            ps.setLong(3, i.index());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Previous(rs.getLong(1), rs.getTimestamp(2).toInstant(), new Fact.Place(rs.getString(3),
                        rs.getString(4), rs.getString(5), (Double) rs.getObject(6), (Double) rs.getObject(7)));
            }
        }
    }
}
