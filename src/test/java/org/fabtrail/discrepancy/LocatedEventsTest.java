package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Impossible travel across every located event of a unit (registration, dispatch origin, receipt, inspection), timed
 * by the actor's claimed time bounded by the integrated time, and a claimed time that goes backwards.
 */
class LocatedEventsTest {

    @RegisterExtension
    static final DiscrepancyFixture x = new DiscrepancyFixture("located", DiscrepancySettings.DEFAULTS);

    @BeforeAll
    static void setUp() {
        x.onboard("sg", "Lion City Compute Pte. Ltd.", "SG", "datacenter");
        x.site("sg", "sin", "SG", 1.35, 103.82);
    }

    /** Ships a unit from Hsinchu to Ashburn in plausible time; returns the receipt's index. */
    private static long shipToAshburn(String serial) {
        UUID t = x.dispatch("fab", List.of(serial), "dc", "dc-east", Map.of("licenceRef", "TW-EXP-1"));
        return x.receive("dc", t, "dc-east", List.of(serial)).index();
    }

    @Test
    void aReceiptInAshburnThenAnInspectionInSingaporeHalfAnHourLaterIsFlagged() throws Exception {
        String a = x.unit("accelerator", null);
        long receiptIdx = shipToAshburn(a);
        long start = x.mark();
        Receipt inspection = x.after(Duration.ofMinutes(30)).inspect(a, Map.of("site", Map.of("org", "sg", "site", "sin")));
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("impossible-travel", "inspection-other-site"), rules(rows), rows.toString());
        DiscrepancyFixture.Row travel = rows.stream().filter(r -> r.rule().equals("impossible-travel")).findFirst()
                .orElseThrow();
        assertEquals(List.of(receiptIdx, inspection.index()), travel.evidence(), "the receipt and the inspection");
        assertEquals("high", travel.severity());
    }

    @Test
    void thirtyHoursLaterTheSameJourneyIsPossible() throws Exception {
        String a = x.unit("accelerator", null);
        shipToAshburn(a);
        long start = x.mark();
        x.after(Duration.ofHours(30)).inspect(a, Map.of("site", Map.of("org", "sg", "site", "sin")));
        assertEquals(List.of("inspection-other-site"), rules(x.findings(start)));
    }

    @Test
    void aDispatchFromTaiwanReceivedInAmsterdamTwoHoursLaterIsFlaggedAndADayLaterIsNot() throws Exception {
        String a = x.unit("accelerator", null);
        String b = x.unit("accelerator", null);
        long start = x.mark();
        UUID t = x.dispatch("fab", List.of(a), "dist", "ams", Map.of());
        Receipt fast = x.after(Duration.ofHours(2)).receive("dist", t, "ams", List.of(a));
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("impossible-travel"), rules(rows));
        assertEquals(List.of(fast.index() - 1, fast.index()), rows.get(0).evidence(), "the dispatch and the receipt");

        long next = x.mark();
        UUID t2 = x.dispatch("fab", List.of(b), "dist", "ams", Map.of());
        x.after(Duration.ofHours(24)).receive("dist", t2, "ams", List.of(b));
        assertEquals(List.of(), x.findings(next));
    }

    @Test
    void theRegistrationSiteCounts() throws Exception {
        String a = x.unit("accelerator", null); // registered at fab-1, Hsinchu
        long start = x.mark();
        x.after(Duration.ofHours(1)).inspect(a, Map.of("site", Map.of("org", "sg", "site", "sin")));
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("impossible-travel", "inspection-other-site"), rules(rows));
    }

    @Test
    void aClaimedTimeBeforeTheUnitsPreviousEventIsFlaggedAndSmallSkewIsNot() throws Exception {
        String a = x.unit("accelerator", null);
        Instant registered = x.claimed();
        long start = x.mark();
        // the inspection claims to be three hours before the registration, at the same site
        Receipt back = x.claim(registered.minus(Duration.ofHours(3))).inspect(a,
                Map.of("site", Map.of("org", "fab", "site", "fab-1")));
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("time-backwards"), rules(rows));
        assertEquals(back.index(), rows.get(0).evidence().get(1));
        assertEquals("medium", rows.get(0).severity());
        assertEquals(List.of("insp"), rows.get(0).orgs());

        String b = x.unit("accelerator", null);
        Instant bRegistered = x.claimed();
        long next = x.mark();
        // two minutes earlier: within the clock skew, and the same site
        x.claim(bRegistered.minus(Duration.ofMinutes(2))).inspect(b, Map.of("site", Map.of("org", "fab", "site", "fab-1")));
        assertEquals(List.of(), x.findings(next));
    }

    @Test
    void theClaimedTimeIsBoundedByTheIntegratedTime() {
        Instant integrated = Instant.parse("2026-01-01T00:00:00Z");
        Fact.Place p = new Fact.Place("o", "s", "DE", null, null);
        List<UnitKey> u = List.of(new UnitKey("fab", "S"));
        assertEquals(integrated, new Fact.Sighting(1, integrated, integrated.plusSeconds(240), "unit.inspect", "o", u, p)
                .seenAt(), "a claim after the log saw the entry counts as the integrated time");
        Instant earlier = integrated.minus(Duration.ofDays(2));
        assertEquals(earlier, new Fact.Sighting(1, integrated, earlier, "unit.inspect", "o", u, p).seenAt());
        assertTrue(new Fact.Sighting(1, integrated, null, "unit.inspect", "o", u, p).seenAt().equals(integrated));
    }
}
