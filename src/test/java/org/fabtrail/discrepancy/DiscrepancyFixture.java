package org.fabtrail.discrepancy;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A log with the discrepancy engine attached, as the server wires it: organisations in several countries, sites
 * with and without coordinates, and helpers for the custody entries the detectors watch.
 */
final class DiscrepancyFixture implements AutoCloseable, AfterAllCallback {

    final LedgerFixture f;
    final DiscrepancyEngine engine;
    final RestrictedList restricted;
    final Map<String, SigningKey> keys = new HashMap<>();
    private int serials;

    DiscrepancyFixture(String name, DiscrepancySettings settings) {
        f = new LedgerFixture(name);
        restricted = new RestrictedList(f.dataSource, f.clock, settings);
        engine = new DiscrepancyEngine(f.dataSource, f.clock, settings, restricted);
        f.policy.observe(engine);
        f.policy.screening(restricted);
        engine.publishTo(f.ledger, f.operator);
        f.genesis();
        onboard("fab", "TW", "manufacturer");
        onboard("dist", "NL", "distributor");
        onboard("dc", "US", "datacenter");
        onboard("dc2", "DE", "datacenter");
        onboard("insp", "US", "inspector");
        onboard("reg", "BE", "regulator");
        site("fab", "fab-1", "TW", 24.78, 120.99);
        site("dist", "ams", "NL", 52.37, 4.90);
        site("dist", "rtm", "NL", 51.92, 4.48);
        site("dc", "dc-east", "US", 39.04, -77.49);
        site("dc", "dc-west", "US", 37.37, -121.92);
        site("dc2", "fra", "DE", null, null);
        site("dc2", "ber", "DE", null, null);
    }

    void onboard(String org, String country, String role) {
        onboard(org, "Org " + org, country, role);
    }

    void onboard(String org, String name, String country, String role) {
        keys.put(org, f.onboard(org, name, country, role));
    }

    /** Onboards {@code org} and registers its one site, without coordinates, in its own country. */
    void party(String org, String name, String country, String role, String site) {
        onboard(org, name, country, role);
        site(org, site, country, null, null);
    }

    void site(String org, String site, String country, Double lat, Double lon) {
        site(org, site, country, lat, lon, "1 Main St");
    }

    void site(String org, String site, String country, Double lat, Double lon, String address) {
        Map<String, Object> p = new LinkedHashMap<>(Map.of("site", site, "name", site, "country", country,
                "address", address));
        if (lat != null) {
            p.put("latitude", lat);
            p.put("longitude", lon);
        }
        append(org, "site.register", p);
    }

    /**
     * The time the organisations' entries claim ({@code payload.time}): ten years ago at first, a day later for each
     * entry unless a test says otherwise ({@link #after}, {@link #claim}), so a unit's journey takes plausible time
     * and the integrated time (now) never bounds it.
     */
    private Instant claimed = Instant.now().minus(Duration.ofDays(3650));
    private Duration nextGap;
    private Instant nextClaim;

    /** The next organisation entry claims to be this long after the previous one (instead of a day). */
    DiscrepancyFixture after(Duration gap) {
        nextGap = gap;
        return this;
    }

    /** The next organisation entry claims this time (which may be earlier than the previous one's). */
    DiscrepancyFixture claim(Instant at) {
        nextClaim = at;
        return this;
    }

    /** The time the last organisation entry claimed. */
    Instant claimed() {
        return claimed;
    }

    Envelope entry(String org, String type, Map<String, Object> fields) {
        Instant at = nextClaim != null ? nextClaim : claimed.plus(nextGap != null ? nextGap : Duration.ofDays(1));
        nextGap = null;
        nextClaim = null;
        claimed = at;
        return OperatorEntries.signAs(keys.get(org), org, UUID.randomUUID(), type, fields, f.parser,
                Clock.fixed(at, ZoneOffset.UTC));
    }

    Receipt append(String org, String type, Map<String, Object> fields) {
        return f.append(entry(org, type, fields));
    }

    LedgerException refused(String org, String type, Map<String, Object> fields) {
        return assertThrows(LedgerException.class, () -> append(org, type, fields));
    }

    static Map<String, Object> ref(String m, String s) {
        return LedgerFixture.ref(m, s);
    }

    /** Registers a unit at fab-1 and returns its serial. */
    String unit(String kind, String eccn) {
        String serial = "U-" + (++serials);
        Map<String, Object> p = new LinkedHashMap<>(Map.of("serial", serial, "kind", kind, "model", "H200-SXM",
                "site", "fab-1"));
        if (eccn != null) {
            p.put("eccn", eccn);
        }
        append("fab", "unit.register", p);
        return serial;
    }

    /** Dispatches the fab's units; returns the dispatch id. */
    UUID dispatch(String from, List<String> serials, String to, String toSite, Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("units", serials.stream().map(s -> ref("fab", s)).toList());
        p.put("to", to);
        p.put("toSite", toSite);
        p.putAll(extra);
        Envelope e = entry(from, "transfer.dispatch", p);
        f.append(e);
        return e.id();
    }

    Receipt receive(String org, UUID transfer, String site, List<String> serials) {
        return append(org, "transfer.receive", Map.of("transfer", transfer.toString(), "site", site,
                "units", serials.stream().map(s -> ref("fab", s)).toList()));
    }

    Receipt inspect(String serial, Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>(Map.of("unit", ref("fab", serial), "result", "consistent",
                "notes", "checked on site"));
        p.putAll(extra);
        return append("insp", "unit.inspect", p);
    }

    /** Publishes waiting findings and returns the discrepancies opened since {@code sinceIdx}, by rule. */
    List<Row> findings(long sinceIdx) throws SQLException {
        engine.publish();
        List<Row> out = new ArrayList<>();
        try (Connection c = f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, rule, finding, severity, state, units::text, orgs, "
                     + "evidence, opened_by, opened_idx FROM discrepancies WHERE opened_idx > ? ORDER BY opened_idx")) {
            ps.setLong(1, sinceIdx);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), List.of((String[]) rs.getArray(7).getArray()),
                            List.of((Long[]) rs.getArray(8).getArray()), rs.getString(9), rs.getLong(10)));
                }
            }
        }
        return out;
    }

    record Row(UUID id, String rule, String finding, String severity, String state, String units, List<String> orgs,
               List<Long> evidence, String openedBy, long openedIdx) {
    }

    /** Publishes what earlier steps found and returns the log size: findings opened after it are the next step's. */
    long mark() throws SQLException {
        engine.publish();
        return f.ledger.head().size();
    }

    static List<String> rules(List<Row> rows) {
        return rows.stream().map(Row::rule).sorted().toList();
    }

    /**
     * Registered as a test class's extension ({@code @RegisterExtension}), the fixture checks after the class's last
     * test that a replay rebuilds every projection as the class left it, and closes.
     */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            assertRebuildIdentical();
        } finally {
            close();
        }
    }

    void assertRebuildIdentical() throws SQLException {
        f.assertRebuildIdentical("rebuild", f.types);
    }

    static Instant now() {
        return Instant.now();
    }

    void assertCount(String table, long expected) throws SQLException {
        try (Connection c = f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(expected, rs.getLong(1), table);
        }
    }

    /** A finding's details, parsed. */
    @SuppressWarnings("unchecked")
    Map<String, Object> details(UUID id) throws SQLException {
        try (Connection c = f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT details::text FROM discrepancies WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return (Map<String, Object>) StrictJson.parse(rs.getString(1));
            }
        }
    }

    @Override
    public void close() {
        f.close();
    }
}
