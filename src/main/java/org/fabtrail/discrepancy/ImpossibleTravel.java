package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.ColumnArrays;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every located event of a unit (its registration site, a dispatch's origin, a receipt's site, an inspection's site:
 * {@link Fact.Sighting}) compared with the unit's previous one. The time of an event is the actor's
 * {@code payload.time}, no later than the entry's integrated time ({@link Fact.Sighting#seenAt()}).
 *
 * <ul>
 *   <li>{@code impossible-travel}: two different sites within an impossible time: faster than {@code max-travel-kmh}
 *   over the great-circle distance when both sites have coordinates, else in two different countries less than
 *   {@code min-cross-border-travel} apart;</li>
 *   <li>{@code time-backwards}: the claimed time is earlier than the unit's previous event by more than
 *   {@code clock-skew} (an event back-dated, or events told out of order).</li>
 * </ul>
 * The last sighting of each unit is kept in {@code discrepancy_sightings} (the detectors' working state, written in
 * the sequencing transaction). A batch reads the last sightings of all its units in one statement, compares its
 * entries in order with what it has read or seen earlier in the batch, and writes each unit's newest sighting in one
 * statement batch: two round trips per batch instead of two per entry (issue 14).
 */
final class ImpossibleTravel extends FactDetector<Fact.Sighting> {

    static final String RULE = "impossible-travel";
    static final String BACKWARDS = "time-backwards";
    private static final double EARTH_KM = 6371.0088;

    ImpossibleTravel() {
        super(RULE, Fact.Sighting.class);
    }

    record Previous(long index, Instant at, String event, Fact.Place site) {
    }

    @Override
    List<Finding> find(Fact.Sighting s, Connection c, DiscrepancySettings settings) throws SQLException {
        if (s.place() == null) {
            return List.of();
        }
        // a registration is a unit's first sighting: nothing to compare it with
        Map<UnitKey, Previous> previous = "unit.register".equals(s.event()) ? Map.of() : previous(c, s.units(), s.index());
        Map<UnitKey, Previous> seen = new LinkedHashMap<>();
        s.units().forEach(u -> seen.put(u, sighting(s)));
        record(c, seen);
        return compare(s, previous, settings);
    }

    @Override
    public List<List<Finding>> detectAll(List<Fact> facts, Connection c, DiscrepancySettings settings)
            throws SQLException {
        Set<UnitKey> compared = new LinkedHashSet<>();
        for (Fact f : facts) {
            if (f instanceof Fact.Sighting s && s.place() != null && !"unit.register".equals(s.event())) {
                compared.addAll(s.units());
            }
        }
        Map<UnitKey, Previous> last = compared.isEmpty() ? new HashMap<>()
                : new HashMap<>(previous(c, List.copyOf(compared), Long.MAX_VALUE));
        Map<UnitKey, Previous> seen = new LinkedHashMap<>();
        List<List<Finding>> out = new ArrayList<>(facts.size());
        for (Fact f : facts) {
            if (!(f instanceof Fact.Sighting s) || s.place() == null) {
                out.add(List.of());
                continue;
            }
            Map<UnitKey, Previous> previous = new HashMap<>();
            if (!"unit.register".equals(s.event())) {
                for (UnitKey u : s.units()) {
                    Previous p = last.get(u);
                    if (p != null && p.index() < s.index()) {
                        previous.put(u, p);
                    }
                }
            }
            Previous now = sighting(s);
            for (UnitKey u : s.units()) {
                Previous p = last.get(u);
                if (p == null || p.index() < s.index()) {
                    last.put(u, now);
                    seen.put(u, now);
                }
            }
            out.add(DiscrepancyEngine.guarded(this, s, fact -> compare(s, previous, settings)));
        }
        record(c, seen);
        return out;
    }

    /** The sighting as {@code discrepancy_sightings} keeps it (and {@link #previous} reads it back). */
    private static Previous sighting(Fact.Sighting s) {
        Fact.Place p = s.place();
        Instant at = s.seenAt();
        // PostgreSQL keeps microseconds, rounded
        Instant micros = Instant.ofEpochSecond(at.getEpochSecond(), Math.round(at.getNano() / 1000.0) * 1000);
        return new Previous(s.index(), micros, s.event(),
                new Fact.Place(p.org(), p.site(), p.country(), p.latitude(), p.longitude()));
    }

    /** The findings of sighting {@code s} against the units' previous sightings. */
    private static List<Finding> compare(Fact.Sighting s, Map<UnitKey, Previous> previous,
                                         DiscrepancySettings settings) {
        Instant now = s.seenAt();
        List<UnitKey> travelled = new ArrayList<>();
        List<UnitKey> backwards = new ArrayList<>();
        Previous firstTravel = null;
        Previous firstBackwards = null;
        String why = null;
        Map<String, Object> travelDetails = null;
        for (UnitKey u : s.units()) {
            Previous prev = previous.get(u);
            if (prev == null) {
                continue;
            }
            Duration between = Duration.between(prev.at(), now);
            if (between.negated().compareTo(settings.clockSkew()) > 0) {
                backwards.add(u);
                firstBackwards = firstBackwards == null ? prev : firstBackwards;
                continue;
            }
            if (prev.site().ref().equals(s.place().ref())) {
                continue;
            }
            String reason = impossible(prev.site(), s.place(), between.abs(), settings);
            if (reason != null) {
                travelled.add(u);
                if (firstTravel == null) {
                    firstTravel = prev;
                    why = reason;
                    travelDetails = travelDetails(prev, s, between);
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        if (!travelled.isEmpty()) {
            out.add(new Finding(RULE, RULE + ":" + s.index(), "high",
                    describe(travelled) + " was seen at " + firstTravel.site().ref() + " (" + firstTravel.event()
                            + ") and at " + s.place().ref() + " (" + s.event() + "): " + why,
                    travelled, List.of(s.actor(), s.place().org(), firstTravel.site().org()),
                    List.of(firstTravel.index(), s.index()), travelDetails));
        }
        if (!backwards.isEmpty()) {
            out.add(backwards(s, backwards, firstBackwards));
        }
        return out;
    }

    /** Where from and to, by which events, in how many minutes over how many km (when both places have a position). */
    private static Map<String, Object> travelDetails(Previous prev, Fact.Sighting s, Duration between) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", prev.site().ref());
        details.put("fromEvent", prev.event());
        details.put("to", s.place().ref());
        details.put("toEvent", s.event());
        details.put("minutes", between.abs().toMinutes());
        Double km = distanceKm(prev.site(), s.place());
        if (km != null) {
            details.put("km", Math.round(km));
        }
        return details;
    }

    /** The finding of units dated before their previous event ({@code first}: the first such unit's). */
    private static Finding backwards(Fact.Sighting s, List<UnitKey> backwards, Previous first) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("claimed", s.claimed() == null ? null : s.claimed().toString());
        details.put("integrated", s.at().toString());
        details.put("previous", first.at().toString());
        details.put("previousEvent", first.event());
        return new Finding(BACKWARDS, BACKWARDS + ":" + s.index(), "medium",
                s.actor() + " dated its " + s.event() + " of " + describe(backwards) + " " + s.seenAt()
                        + ", before the unit's previous event (" + first.event() + " at " + first.at() + ")",
                backwards, List.of(s.actor()), List.of(first.index(), s.index()), details);
    }

    private static String describe(List<UnitKey> units) {
        return units.size() == 1 ? units.get(0).toString() : units.get(0) + " and " + (units.size() - 1) + " more";
    }

    /** Why travelling between the two places in this time is impossible, or null when it is possible. */
    static String impossible(Fact.Place from, Fact.Place to, Duration between, DiscrepancySettings settings) {
        Double km = distanceKm(from, to);
        if (km != null) {
            double hours = Math.max(between.toMillis() / 3_600_000.0, 1e-9);
            if (km / hours <= settings.maxTravelKmh()) {
                return null;
            }
            return Math.round(km) + " km in " + between.toMinutes() + " minutes (over "
                    + Math.round(settings.maxTravelKmh()) + " km/h)";
        }
        if (from.country() != null && to.country() != null && !from.country().equals(to.country())
                && between.compareTo(settings.minCrossBorderTravel()) < 0) {
            return from.country() + " to " + to.country() + " in " + between.toMinutes() + " minutes";
        }
        return null;
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

    /** The units' last sightings before {@code before}, read in one statement. */
    private static Map<UnitKey, Previous> previous(Connection c, List<UnitKey> units, long before) throws SQLException {
        Map<UnitKey, Previous> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.manufacturer, s.serial, s.idx, s.seen_at, s.event, "
                + "s.site_org, s.site, s.country, s.latitude, s.longitude FROM discrepancy_sightings s "
                + "JOIN unnest(?::text[], ?::text[]) AS k(m, n) ON s.manufacturer = k.m AND s.serial = k.n "
                + "WHERE s.idx < ?")) {
            ps.setArray(1, c.createArrayOf("text", units.stream().map(UnitKey::manufacturer).toArray()));
            ps.setArray(2, c.createArrayOf("text", units.stream().map(UnitKey::serial).toArray()));
            ps.setLong(3, before);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new UnitKey(rs.getString(1), rs.getString(2)), new Previous(rs.getLong(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), new Fact.Place(rs.getString(6),
                            rs.getString(7), rs.getString(8), (Double) rs.getObject(9), (Double) rs.getObject(10))));
                }
            }
        }
        return out;
    }

    /**
     * Keeps this sighting as the unit's last. A back-dated one replaces it too: the next event is compared with the
     * latest claim, so one back-dated entry raises one finding, not one for every entry after it.
     */
    private static void record(Connection c, Map<UnitKey, Previous> seen) throws SQLException {
        if (seen.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_sightings (manufacturer, serial, idx, "
                + "event, seen_at, site_org, site, country, latitude, longitude) SELECT * FROM unnest(?::text[], "
                + "?::text[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::float8[], "
                + "?::float8[]) ON CONFLICT (manufacturer, serial) DO UPDATE SET idx = EXCLUDED.idx, "
                + "event = EXCLUDED.event, seen_at = EXCLUDED.seen_at, site_org = EXCLUDED.site_org, "
                + "site = EXCLUDED.site, country = EXCLUDED.country, latitude = EXCLUDED.latitude, "
                + "longitude = EXCLUDED.longitude WHERE discrepancy_sightings.idx < EXCLUDED.idx")) {
            // one row per unit (a map), so the upsert never meets the same key twice
            ColumnArrays.of(List.copyOf(seen.entrySet())).text(e -> e.getKey().manufacturer())
                    .text(e -> e.getKey().serial()).bigint(e -> e.getValue().index()).text(e -> e.getValue().event())
                    .timestamptz(e -> e.getValue().at()).text(e -> e.getValue().site().org())
                    .text(e -> e.getValue().site().site()).text(e -> e.getValue().site().country())
                    .float8(e -> e.getValue().site().latitude()).float8(e -> e.getValue().site().longitude())
                    .executeUpdate(c, ps);
        }
    }
}
