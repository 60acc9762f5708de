package org.fabtrail.discrepancy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listed addresses as tie-breakers of fuzzy party matching: a receiving site at a listed address picks that row among
 * equally similar names, lifts a name just under the threshold over it, and is named in the finding.
 */
class ScreeningAddressesTest {

    static final String WAN_CHAI = "8 Harbour Road, Wan Chai";
    static final String NATHAN_ROAD = "12 Nathan Road, Tsim Sha Tsui";

    /** Two rows whose names are equally like "Harbor Lights Trading (Hong Kong) Limited", at different addresses. */
    static final String LIST = """
            name,country,aliases,source_list,identifiers,addresses
            "Harbor Lights Trading Co., Ltd.",HK,,Entity List,,"%s"
            "Harbour Lights Trading Limited",HK,,Other List,,"%s;Kowloon Bay"
            """.formatted(WAN_CHAI, NATHAN_ROAD);

    @Test
    void anAddressIsTheSameAddressWrittenAnotherWayButNotAnotherBuilding() {
        assertTrue(RestrictedList.sameAddress("Unit 5, 8 Harbour Rd., Wanchai, Hong Kong", WAN_CHAI));
        assertTrue(RestrictedList.sameAddress("8 HARBOUR ROAD WAN CHAI", WAN_CHAI));
        assertFalse(RestrictedList.sameAddress("18 Harbour Road, Wan Chai", WAN_CHAI), "another building number");
        assertFalse(RestrictedList.sameAddress("8 Gloucester Road, Wan Chai", WAN_CHAI), "another street");
        assertFalse(RestrictedList.sameAddress("1 Kowloon Bay", "Kowloon"), "one word identifies no address");
        assertFalse(RestrictedList.sameAddress(null, WAN_CHAI));
    }

    @Test
    void theListedAddressPicksTheRowAmongEquallySimilarNames() throws Exception {
        try (DiscrepancyFixture x = new DiscrepancyFixture("addr_tie", DiscrepancySettings.DEFAULTS)) {
            x.restricted.importCsv(LIST);
            String name = "Harbor Lights Trading (Hong Kong) Limited";
            RestrictedList.Match plain = x.restricted.party("hlt", name, "HK", List.of("1 Main St"));
            assertNotNull(plain);
            assertNull(plain.address());
            RestrictedList.Match atNathan = x.restricted.party("hlt", name, "HK", List.of("Floor 3, " + NATHAN_ROAD));
            assertEquals("Other List", atNathan.party().sourceList());
            assertEquals(NATHAN_ROAD, atNathan.address());
            assertTrue(atNathan.detail().contains("at the listed address \"" + NATHAN_ROAD + "\""), atNathan.detail());
            assertTrue(atNathan.score() > plain.score(), atNathan.score() + " > " + plain.score());
            RestrictedList.Match atWanChai = x.restricted.party("hlt", name, "HK", List.of("1 Main St", WAN_CHAI));
            assertEquals("Entity List", atWanChai.party().sourceList());
            assertEquals(WAN_CHAI, atWanChai.address());
        }
    }

    @Test
    void aListedAddressLiftsANameJustUnderTheThreshold() throws Exception {
        String name = "Harbor Lights Logistics";
        double score = NameMatcher.score(name, "Harbor Lights Trading Co., Ltd.");
        double threshold = score + RestrictedList.ADDRESS_BONUS / 2;
        try (DiscrepancyFixture x = new DiscrepancyFixture("addr_lift",
                DiscrepancySettings.DEFAULTS.withMatchThreshold(threshold))) {
            x.restricted.importCsv(LIST);
            assertNull(x.restricted.party("hll", name, null, List.of("1 Main St")), "under the threshold: " + score);
            RestrictedList.Match m = x.restricted.party("hll", name, null, List.of(WAN_CHAI));
            assertNotNull(m, "the listed address adds " + RestrictedList.ADDRESS_BONUS + " to " + score);
            assertEquals(WAN_CHAI, m.address());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDispatchToASiteAtAListedAddressNamesItInTheFinding() throws Exception {
        try (DiscrepancyFixture x = new DiscrepancyFixture("addr_finding",
                DiscrepancySettings.DEFAULTS.withRestrictedParty(DiscrepancySettings.Action.FLAG))) {
            x.onboard("hlt", "Harbor Lights Trading (Hong Kong) Limited", "HK", "distributor");
            x.site("hlt", "kowloon", "HK", null, null, "Unit 9, 12 Nathan Rd, Tsim Sha Tsui, Kowloon");
            x.restricted.importCsv(LIST);
            String a = x.unit("accelerator", "EAR99");
            long before = x.mark();
            x.dispatch("fab", List.of(a), "hlt", "kowloon", Map.of());
            List<DiscrepancyFixture.Row> rows = x.findings(before);
            assertEquals(List.of("restricted-party"), rules(rows));
            Map<String, Object> details = x.details(rows.get(0).id());
            assertEquals(NATHAN_ROAD, details.get("matchedAddress"));
            Map<String, Object> row = (Map<String, Object>) details.get("listRow");
            assertEquals(List.of(NATHAN_ROAD, "Kowloon Bay"), row.get("addresses"));
            assertEquals("Other List", row.get("sourceList"));
        }
    }

    @Test
    void theAddressesColumnIsOptionalAndBelongsToANamedParty() throws Exception {
        List<RestrictedList.Row> rows = RestrictedList.parse(LIST);
        assertEquals(List.of(NATHAN_ROAD, "Kowloon Bay"), rows.get(1).addresses());
        List<RestrictedList.Row> old = RestrictedList.parse("""
                name,country,aliases,source_list,identifiers
                Acme Trading,HK,,Entity List,
                """);
        assertEquals(List.of(), old.get(0).addresses(), "a list without the column still imports");
        RestrictedList.ImportProblem countryRow = assertThrows(RestrictedList.ImportProblem.class,
                () -> RestrictedList.parse("name,country,aliases,source_list,identifiers,addresses\n"
                        + ",KP,,Embargo,,1 Main Street\n"));
        assertEquals(List.of("row 2: addresses without a name (a country row restricts the whole country)"),
                countryRow.problems());
        RestrictedList.ImportProblem nul = assertThrows(RestrictedList.ImportProblem.class,
                () -> RestrictedList.parse("name,country,aliases,source_list,identifiers,addresses\n"
                        + "Acme,HK,,Entity List,,\"8 Road\u0000\"\n"));
        assertTrue(nul.problems().get(0).startsWith("row 2: addresses holds"), nul.problems().toString());
        RestrictedList.ImportProblem shortRow = assertThrows(RestrictedList.ImportProblem.class,
                () -> RestrictedList.parse("name,country,aliases,source_list,identifiers,addresses\n"
                        + "Acme,HK,,Entity List,\n"));
        assertEquals(List.of("row 2: 5 fields, expected 6"), shortRow.problems());
    }
}
