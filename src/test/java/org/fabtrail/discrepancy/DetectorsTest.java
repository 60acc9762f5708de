package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.ref;
import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each detector firing and not firing, through the real sequencer on a real PostgreSQL: the entries that are the
 * evidence are appended, the engine publishes, and the discrepancies projection holds exactly the expected findings.
 */
class DetectorsTest {

    @RegisterExtension
    static final DiscrepancyFixture x = new DiscrepancyFixture("detectors", DiscrepancySettings.DEFAULTS);

    /** Two new accelerators dispatched from fab to dist, of which dist received only the first. */
    record ShortReceipt(String a, String b, long start, UUID t, Receipt receipt) {
    }

    /** Registers two units, marks the log, dispatches both to dist and has dist receive only {@code a}. */
    static ShortReceipt shortReceipt() throws Exception {
        String a = x.unit("accelerator", null);
        String b = x.unit("accelerator", null);
        long start = x.mark();
        UUID t = x.dispatch("fab", List.of(a, b), "dist", "ams", Map.of());
        return new ShortReceipt(a, b, start, t, x.receive("dist", t, "ams", List.of(a)));
    }

    @Test
    void aShortReceiptIsFlaggedAndAFullOneIsNot() throws Exception {
        ShortReceipt s = shortReceipt();
        List<DiscrepancyFixture.Row> rows = x.findings(s.start());
        assertEquals(List.of("short-receipt"), rules(rows));
        DiscrepancyFixture.Row f = rows.get(0);
        assertEquals("medium", f.severity());
        assertEquals("open", f.state());
        assertEquals("operator", f.openedBy());
        assertEquals(List.of("fab", "dist"), f.orgs());
        assertTrue(has(f, s.b()), f.units());
        assertTrue(f.evidence().contains(s.receipt().index()), f.evidence().toString());

        long next = x.mark();
        x.receive("dist", s.t(), "ams", List.of(s.b())); // the rest arrives: the dispatch closes, nothing new is flagged
        String c = x.unit("accelerator", null);
        UUID t2 = x.dispatch("fab", List.of(c), "dist", "ams", Map.of());
        x.receive("dist", t2, "ams", List.of(c));
        assertEquals(List.of(), x.findings(next));
    }

    @Test
    void aReceiptAtAnotherSiteIsFlagged() throws Exception {
        String a = x.unit("accelerator", null);
        long start = x.mark();
        UUID t = x.dispatch("fab", List.of(a), "dist", "ams", Map.of());
        x.receive("dist", t, "rtm", List.of(a));
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("receipt-other-site"), rules(rows));
        assertEquals("low", rows.get(0).severity(), "same country: low");
    }

    @Test
    void anInspectionElsewhereOrWithAnotherCustodianIsFlaggedAndAConsistentOneIsNot() throws Exception {
        String a = x.unit("accelerator", null);
        long start = x.mark();
        x.inspect(a, Map.of("site", Map.of("org", "fab", "site", "fab-1"), "custodian", "fab"));
        assertEquals(List.of(), x.findings(start));

        long next = x.mark();
        Receipt r = x.after(Duration.ofMinutes(30)).inspect(a, Map.of("site", Map.of("org", "dist", "site", "ams"),
                "custodian", "dist"));
        List<DiscrepancyFixture.Row> rows = x.findings(next);
        assertEquals(List.of("impossible-travel", "inspection-other-custodian", "inspection-other-site"), rules(rows));
        rows.forEach(f -> assertTrue(f.evidence().contains(r.index())));
        assertEquals(List.of("insp", "fab", "dist"), rows.stream().filter(f -> f.rule().equals("inspection-other-site"))
                .findFirst().orElseThrow().orgs());
    }

    @Test
    void impossibleTravelUsesDistanceWithCoordinatesAndCountriesWithout() throws Exception {
        String a = x.unit("accelerator", null);
        x.inspect(a, Map.of("site", Map.of("org", "dc2", "site", "fra")));
        long start = x.mark();
        // both German sites have no coordinates: same country, not impossible (but not the recorded site)
        x.inspect(a, Map.of("site", Map.of("org", "dc2", "site", "ber")));
        assertEquals(List.of("inspection-other-site"), rules(x.findings(start)));
        long next = x.mark();
        // Berlin (no coordinates) to Amsterdam within minutes: two countries, closer than 6 hours
        x.after(Duration.ofMinutes(20)).inspect(a, Map.of("site", Map.of("org", "dist", "site", "ams")));
        assertEquals(List.of("impossible-travel", "inspection-other-site"), rules(x.findings(next)));

        // the detector itself, with times far enough apart: Amsterdam to Virginia in 12 hours is possible, in 1 not
        ImpossibleTravel d = new ImpossibleTravel();
        Fact.Place east = new Fact.Place("dc", "dc-east", "US", 39.04, -77.49);
        try (Connection c = x.f.dataSource.getConnection()) {
            c.setAutoCommit(false); // the detector records each sighting: roll back so the next sees Amsterdam again
            Instant last = x.claimed();
            assertEquals(0, d.detect(sighting(a, east, last.plus(Duration.ofHours(12))), c,
                    DiscrepancySettings.DEFAULTS).size());
            c.rollback();
            List<Finding> found = d.detect(sighting(a, east, last.plus(Duration.ofHours(1))), c,
                    DiscrepancySettings.DEFAULTS);
            c.rollback();
            assertEquals(1, found.size());
            assertTrue(found.get(0).summary().contains("km"), found.get(0).summary());
        }
        double km = ImpossibleTravel.distanceKm(new Fact.Place("a", "a", "NL", 52.37, 4.90), east);
        assertEquals(6230, km, 60, "Amsterdam to Ashburn");
    }

    /**
     * A batch reads its units' last sightings once and writes them once (issue 14): it must find exactly what the
     * entries find one by one, and leave the same working state, also when a unit is seen twice in the batch, is
     * registered and moved in it, or is back-dated in it.
     */
    @Test
    void aBatchOfSightingsFindsWhatItsEntriesFindOneByOne() throws Exception {
        String a = x.unit("accelerator", null);
        x.inspect(a, Map.of("site", Map.of("org", "dist", "site", "ams")));
        String b = "BATCH-" + UUID.randomUUID();
        Instant t = x.claimed();
        Fact.Place east = new Fact.Place("dc", "dc-east", "US", 39.04, -77.49);
        Fact.Place ams = new Fact.Place("dist", "ams", "NL", 52.37, 4.90);
        long i = Long.MAX_VALUE / 2;
        List<Fact> facts = List.of(
                seen(i, a, east, t.plus(Duration.ofHours(1)), "unit.inspect"),      // Amsterdam to Virginia in 1 h
                seen(i + 1, a, east, t.plus(Duration.ofHours(2)), "unit.inspect"),  // the same site again
                seen(i + 2, a, ams, t.minus(Duration.ofDays(2)), "unit.inspect"),   // back-dated
                seen(i + 3, b, ams, t, "unit.register"),                            // registered in the batch
                seen(i + 4, b, east, t.plus(Duration.ofMinutes(30)), "unit.inspect")); // and moved too fast
        ImpossibleTravel d = new ImpossibleTravel();
        try (Connection c = x.f.dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Finding> oneByOne = new java.util.ArrayList<>();
            for (Fact f : facts) {
                oneByOne.addAll(d.detect(f, c, DiscrepancySettings.DEFAULTS));
            }
            List<String> stateOneByOne = sightings(c, a, b);
            c.rollback();
            List<Finding> batch = d.detectAll(facts, c, DiscrepancySettings.DEFAULTS).stream()
                    .flatMap(List::stream).toList();
            List<String> stateBatch = sightings(c, a, b);
            c.rollback();
            assertEquals(List.of("impossible-travel", "time-backwards", "impossible-travel"),
                    oneByOne.stream().map(Finding::rule).toList());
            assertEquals(oneByOne, batch);
            assertEquals(2, stateOneByOne.size(), stateOneByOne.toString());
            assertEquals(stateOneByOne, stateBatch);
        }
    }

    private static Fact.Sighting seen(long index, String serial, Fact.Place site, Instant claimed, String event) {
        return new Fact.Sighting(index, claimed.plus(Duration.ofDays(3)), claimed, event, "insp",
                List.of(new UnitKey("fab", serial)), site);
    }

    private static List<String> sightings(Connection c, String... serials) throws java.sql.SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var ps = c.prepareStatement("SELECT serial, idx, event, seen_at, site_org, site, country, latitude, "
                + "longitude FROM discrepancy_sightings WHERE manufacturer = 'fab' AND serial = ANY (?) ORDER BY serial")) {
            ps.setArray(1, c.createArrayOf("text", serials));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int col = 1; col <= 9; col++) {
                        row.append(rs.getString(col)).append('|');
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    private static boolean has(DiscrepancyFixture.Row r, String serial) {
        return r.units().contains("\"serial\": \"" + serial + "\"");
    }

    private static Fact.Sighting sighting(String serial, Fact.Place site, Instant at) {
        return new Fact.Sighting(Long.MAX_VALUE / 2, at, at, "unit.inspect", "insp", List.of(new UnitKey("fab", serial)),
                site);
    }

    @Test
    void activityOnALostUnitIsFlaggedAndStopsOnceRecovered() throws Exception {
        String a = x.unit("accelerator", null);
        x.append("fab", "unit.status", Map.of("unit", ref("fab", a), "status", "stolen", "reason", "truck hijacked"));
        long start = x.mark();
        Receipt r = x.inspect(a, Map.of());
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("activity-after-loss"), rules(rows));
        assertEquals(List.of(r.index()), rows.get(0).evidence());
        x.append("fab", "unit.status", Map.of("unit", ref("fab", a), "status", "recovered", "reason", "found"));
        long next = x.mark();
        x.inspect(a, Map.of());
        assertEquals(List.of(), x.findings(next));
    }

    @Test
    void componentsFoundElsewhereOrMissingAreFlagged() throws Exception {
        String server = x.unit("server", "4A090.a");
        String other = x.unit("server", "4A090.a");
        String g1 = x.unit("accelerator", "3A090.a");
        String g2 = x.unit("accelerator", "3A090.a");
        String g3 = x.unit("accelerator", "3A090.a");
        String loose = x.unit("accelerator", "3A090.a");
        x.append("fab", "unit.assemble", Map.of("parent", ref("fab", server), "components",
                List.of(ref("fab", g1), ref("fab", g2))));
        x.append("fab", "unit.assemble", Map.of("parent", ref("fab", other), "components", List.of(ref("fab", g3))));
        long start = x.mark();
        x.inspect(server, Map.of("components", List.of(ref("fab", g1), ref("fab", g2))));
        assertEquals(List.of(), x.findings(start), "the recorded components: nothing to flag");

        long next = x.mark();
        x.inspect(server, Map.of("components", List.of(ref("fab", g1), ref("fab", g3), ref("fab", loose))));
        List<DiscrepancyFixture.Row> rows = x.findings(next);
        assertEquals(List.of("component-elsewhere", "component-elsewhere", "component-missing"), rules(rows));
        assertTrue(rows.stream().anyMatch(r -> has(r, other) && has(r, g3)), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.rule().equals("component-missing") && has(r, g2)), rows.toString());
    }

    @Test
    void attestationFailuresAndClonedIdentitiesAreFlagged() throws Exception {
        AttestationFailed d = new AttestationFailed();
        UnitKey unit = new UnitKey("fab", "GPU-1");
        UnitKey twin = new UnitKey("fab", "GPU-2");
        Fact.Place site = new Fact.Place("fab", "fab-1", "TW", null, null);
        Fact.Inspection failed = new Fact.Inspection(10, Instant.now(), "insp", unit, site, null, "fab", site,
                "consistent", "fail", List.of("challenge-used", "certificate-not-registered"), "", twin, List.of(), null);
        List<Finding> found = d.detect(failed, null, DiscrepancySettings.DEFAULTS);
        assertEquals(List.of("attestation-failed", "identity-on-two-serials"), found.stream().map(Finding::rule).toList());
        assertEquals(List.of("challenge-used", "certificate-not-registered"), found.get(0).details().get("reasons"));
        assertEquals(List.of(unit, twin), found.get(1).units());
        Fact.Inspection passed = new Fact.Inspection(11, Instant.now(), "insp", unit, site, null, "fab", site,
                "consistent", "pass", List.of(), "", null, List.of(), null);
        assertEquals(List.of(), d.detect(passed, null, DiscrepancySettings.DEFAULTS));
        Fact.Inspection none = new Fact.Inspection(12, Instant.now(), "insp", unit, site, null, "fab", site,
                "consistent", null, List.of(), "", null, List.of(), null);
        assertEquals(List.of(), d.detect(none, null, DiscrepancySettings.DEFAULTS));
    }

    @Test
    void anOverdueDispatchIsFlaggedOnceAndOneStillOnTimeIsNot() throws Exception {
        String late = x.unit("accelerator", null);
        String onTime = x.unit("accelerator", null);
        long start = x.mark();
        UUID t = x.dispatch("fab", List.of(late), "dist", "ams",
                Map.of("expectedArrival", Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        x.dispatch("fab", List.of(onTime), "dist", "ams",
                Map.of("expectedArrival", Instant.now().plus(Duration.ofDays(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        assertEquals(List.of(), x.findings(start), "not an entry's fact: only the scheduled check finds it");
        assertEquals(1, x.engine.scanOverdue());
        assertEquals(0, x.engine.scanOverdue(), "found once");
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("transfer-overdue"), rules(rows));
        assertEquals("transfer-overdue:" + t, rows.get(0).finding());
        assertEquals(0, x.engine.publish(), "published once");
    }

    @Test
    void aFindingIsNeverOpenedTwice() throws Exception {
        DiscrepancyFixture.Row f = x.findings(shortReceipt().start()).get(0);
        LedgerException e = x.refused("insp", "discrepancy.open", Map.of("rule", "short-receipt", "finding",
                f.finding(), "severity", "low", "summary", "again", "units", List.of(), "orgs", List.of("dist"),
                "evidence", List.of()));
        assertEquals("finding-exists", e.code());
        assertEquals(LedgerException.Kind.CONFLICT, e.kind());
    }

    @Test
    void theSameFactSeenAgainIsANoteOnTheOpenFindingAndAfterResolutionANewFinding() throws Exception {
        String a = x.unit("accelerator", null);
        Map<String, Object> elsewhere = Map.of("site", Map.of("org", "dc2", "site", "fra"));
        long start = x.mark();
        Receipt first = x.inspect(a, elsewhere);
        List<DiscrepancyFixture.Row> opened = x.findings(start);
        assertEquals(List.of("inspection-other-site"), rules(opened));
        assertEquals("inspection-other-site:fab/" + a + ":dc2/fra", opened.get(0).finding());

        long next = x.mark();
        Receipt again = x.inspect(a, elsewhere);
        assertEquals(List.of(), x.findings(next), "no second finding for the same fact");
        try (Connection c = x.f.dataSource.getConnection()) {
            var q = new DiscrepancyQueries();
            var d = q.get(c, opened.get(0).id(), null).orElseThrow();
            assertEquals(List.of(first.index(), again.index()), d.evidence(), "the new sighting is evidence");
            var events = q.events(c, d.id());
            assertEquals(List.of("open", "note"), events.stream().map(DiscrepancyQueries.Event::kind).toList());
            assertEquals("operator", events.get(1).actor());
            assertTrue(events.get(1).note().startsWith("Seen again: "), events.get(1).note());
        }
        assertEquals(0, x.engine.publish(), "nothing left to publish");

        x.append("insp", "discrepancy.resolve", Map.of("discrepancy", opened.get(0).id().toString(),
                "outcome", "explained", "reason", "loaned to dc2 for a demo"));
        long later = x.mark();
        Receipt third = x.inspect(a, elsewhere);
        List<DiscrepancyFixture.Row> recurrence = x.findings(later);
        assertEquals(List.of("inspection-other-site"), rules(recurrence));
        assertEquals("inspection-other-site:fab/" + a + ":dc2/fra@" + third.index(), recurrence.get(0).finding());
    }
}
