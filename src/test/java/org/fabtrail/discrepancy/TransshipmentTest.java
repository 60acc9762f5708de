package org.fabtrail.discrepancy;

import org.fabtrail.ledger.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transshipment after a legal first hop, and screening at receipt: a unit shipped with a licence to a distributor
 * and sent on without one to a destination that needed one, or received in a restricted country, or by a party
 * listed while it was in transit (RescreeningTest).
 */
class TransshipmentTest {

    private static DiscrepancyFixture x;
    private static DiscrepancyFixture shortWindow;

    static final String LIST = """
            name,country,aliases,source_list,identifiers
            ,KP,,Embargoed destinations,
            """;

    @BeforeAll
    static void setUp() throws Exception {
        x = new DiscrepancyFixture("transship", DiscrepancySettings.DEFAULTS);
        shortWindow = new DiscrepancyFixture("transship_window",
                DiscrepancySettings.DEFAULTS.withTransshipmentWindow(Duration.ofMillis(1)));
        for (DiscrepancyFixture f : List.of(x, shortWindow)) {
            f.party("cnb", "Pearl River Compute", "CN", "datacenter", "szx");
            f.party("trans", "Harbour Transit Services", "HK", "distributor", "hk");
            f.site("trans", "kp", "KP", null, null);
            f.restricted.importCsv(LIST);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (DiscrepancyFixture f : List.of(x, shortWindow)) {
            f.assertRebuildIdentical();
            f.close();
        }
    }

    /** A server shipped from Taiwan to the Dutch distributor with a licence, and received. */
    private static String licensedToAmsterdam(DiscrepancyFixture f) {
        String server = f.unit("server", "4A090.a");
        UUID t = f.dispatch("fab", List.of(server), "dist", "ams", Map.of("licenceRef", "TW-EXP-2026-1"));
        f.receive("dist", t, "ams", List.of(server));
        return server;
    }

    @Test
    void aServerSentOnToChinaWithoutALicenceAfterALicensedFirstHopIsTransshipment() throws Exception {
        long start = x.mark();
        String server = licensedToAmsterdam(x);
        long first = start + 1;
        UUID onward = x.dispatch("dist", List.of(server), "cnb", "szx", Map.of());
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("export-without-licence", "transshipment"), rules(rows));
        DiscrepancyFixture.Row t = rows.stream().filter(r -> r.rule().equals("transshipment")).findFirst().orElseThrow();
        assertEquals("critical", t.severity());
        assertEquals(3, t.evidence().size(), "the licensed dispatch, its receipt and the onward dispatch: " + t.evidence());
        assertTrue(t.evidence().get(0) >= first && t.evidence().get(0) < t.evidence().get(1)
                && t.evidence().get(1) < t.evidence().get(2), t.evidence().toString());
        assertEquals(List.of("fab", "dist", "cnb"), t.orgs());
        assertTrue(t.finding().endsWith(onward.toString()), t.finding());
    }

    @Test
    void onwardToAUsDataCentreOrWithItsOwnLicenceIsNot() throws Exception {
        long start = x.mark();
        String a = licensedToAmsterdam(x);
        x.dispatch("dist", List.of(a), "dc", "dc-east", Map.of("licenceRef", "NL-US-3"));
        String b = licensedToAmsterdam(x);
        x.dispatch("dist", List.of(b), "cnb", "szx", Map.of("licenceRef", "NL-CN-2026-77"));
        assertEquals(List.of(), x.findings(start));
    }

    @Test
    void outsideTheWindowTheOnwardHopIsOnlyItsOwnFinding() throws Exception {
        long start = shortWindow.mark();
        String server = licensedToAmsterdam(shortWindow);
        shortWindow.dispatch("dist", List.of(server), "cnb", "szx", Map.of());
        assertEquals(List.of("export-without-licence"), rules(shortWindow.findings(start)));
    }

    @Test
    void aReceiptInARestrictedCountryIsScreenedAndEndsATransshipment() throws Exception {
        String server = licensedToAmsterdam(x);
        long start = x.mark();
        UUID t = x.dispatch("dist", List.of(server), "trans", "hk", Map.of("licenceRef", "NL-HK-2026-9"));
        Receipt r = x.receive("trans", t, "kp", List.of(server)); // named Hong Kong, received in North Korea
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("receipt-other-site", "restricted-destination", "transshipment"), rules(rows));
        for (DiscrepancyFixture.Row row : rows) {
            assertTrue(row.evidence().contains(r.index()), row.rule());
        }
        DiscrepancyFixture.Row screened = rows.stream().filter(x -> x.rule().equals("restricted-destination"))
                .findFirst().orElseThrow();
        assertEquals("critical", screened.severity());
        assertEquals(List.of(r.index() - 1, r.index()), screened.evidence(), "the dispatch and the receipt");
        DiscrepancyFixture.Row chain = rows.stream().filter(x -> x.rule().equals("transshipment")).findFirst()
                .orElseThrow();
        assertEquals(4, chain.evidence().size(), "both hops, dispatch and receipt: " + chain.evidence());

        // received where it was sent: nothing
        String other = licensedToAmsterdam(x);
        long next = x.mark();
        UUID t2 = x.dispatch("dist", List.of(other), "trans", "hk", Map.of("licenceRef", "NL-HK-2026-10"));
        x.receive("trans", t2, "hk", List.of(other));
        assertEquals(List.of(), x.findings(next));
    }
}
