package org.fabtrail.discrepancy;

import org.fabtrail.ledger.LedgerException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Screening with scored name matching: a listed party under another legal form is caught, a near-miss is not. */
class FuzzyScreeningTest {

    static final String LIST = """
            name,country,aliases,source_list,identifiers
            "Harbor Lights Trading Co., Ltd.",HK,HLT Trading,Entity List,"Address: 8 Harbour Road, Wan Chai"
            """;

    private static DiscrepancySettings flagging() {
        return DiscrepancySettings.DEFAULTS.withRestrictedParty(DiscrepancySettings.Action.FLAG);
    }

    @Test
    void aListedPartyUnderAnotherLegalFormIsBlockedByDefault() throws Exception {
        try (DiscrepancyFixture x = new DiscrepancyFixture("fuzzy_block", DiscrepancySettings.DEFAULTS)) {
            x.party("hlt", "Harbor Lights Trading (Hong Kong) Limited", "HK", "distributor", "hk");
            x.party("hbt", "Harbor Trading Company", "HK", "distributor", "hk");
            x.restricted.importCsv(LIST);
            String a = x.unit("accelerator", "EAR99");
            long before = x.mark();
            LedgerException e = x.refused("fab", "transfer.dispatch", Map.of("units",
                    List.of(DiscrepancyFixture.ref("fab", a)), "to", "hlt", "toSite", "hk"));
            assertEquals("restricted-party", e.code());
            assertTrue(e.getMessage().contains("resembles (score"), e.getMessage());
            assertEquals(before, x.mark(), "nothing written");
            // a near-miss goes through
            x.dispatch("fab", List.of(a), "hbt", "hk", Map.of());
            assertEquals(List.of(), x.findings(before));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFlaggedMatchRecordsItsScoreAndTheListRow() throws Exception {
        try (DiscrepancyFixture x = new DiscrepancyFixture("fuzzy_flag", flagging())) {
            x.party("hlt", "Harbor Lights Trading (Hong Kong) Limited", "HK", "distributor", "hk");
            x.restricted.importCsv(LIST);
            String a = x.unit("accelerator", "EAR99");
            long before = x.mark();
            UUID t = x.dispatch("fab", List.of(a), "hlt", "hk", Map.of());
            List<DiscrepancyFixture.Row> rows = x.findings(before);
            assertEquals(List.of("restricted-party"), rules(rows));
            Map<String, Object> details = x.details(rows.get(0).id());
            double score = ((Number) details.get("score")).doubleValue();
            assertTrue(score >= DiscrepancySettings.MATCH_THRESHOLD && score < 1.0, "score " + score);
            assertEquals("Harbor Lights Trading Co., Ltd.", details.get("matchedName"));
            Map<String, Object> row = (Map<String, Object>) details.get("listRow");
            assertEquals("Entity List", row.get("sourceList"));
            assertEquals("HK", row.get("country"));
            assertEquals(List.of("HLT Trading"), row.get("aliases"));
            assertEquals("hlt", details.get("listedOrg"));
            assertEquals(t.toString(), details.get("transfer"));
        }
    }

    @Test
    void theThresholdIsASetting() throws Exception {
        DiscrepancySettings strict = DiscrepancySettings.DEFAULTS.withMatchThreshold(0.99);
        try (DiscrepancyFixture x = new DiscrepancyFixture("fuzzy_strict", strict)) {
            x.restricted.importCsv(LIST);
            assertNull(x.restricted.party("hlt", "Harbor Lights Trading (Hong Kong) Limited", "HK", List.of()));
            assertEquals(1.0, x.restricted.party("hlt", "HARBOR LIGHTS TRADING LIMITED", "HK", List.of()).score(),
                    "an exact match after normalising scores 1");
        }
    }
}
