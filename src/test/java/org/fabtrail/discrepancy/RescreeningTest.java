package org.fabtrail.discrepancy;

import org.fabtrail.ledger.Receipt;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Importing a new restricted-party list screens every held and in-transit unit: a party that became listed raises
 * findings for what it holds and what is on its way to it, and the receipt of a unit by a party listed while it was
 * in transit is flagged.
 */
class RescreeningTest {

    static final String LIST = """
            name,country,aliases,source_list,identifiers
            "Harbor Lights Trading Co., Ltd.",HK,,Entity List,
            ,MM,,Embargoed destinations,
            """;

    @Test
    void aPartyListedAfterTheFactIsFlaggedForWhatItHoldsAndWhatIsOnItsWay() throws Exception {
        try (DiscrepancyFixture x = new DiscrepancyFixture("rescreen", DiscrepancySettings.DEFAULTS)) {
            x.party("hl", "Harbor Lights Trading (Hong Kong) Limited", "HK", "distributor", "hk");
            x.party("mm", "Golden Land Compute", "MM", "datacenter", "ygn");
            String held = x.unit("accelerator", "EAR99");
            String travelling = x.unit("accelerator", "EAR99");
            String toMyanmar = x.unit("accelerator", "EAR99");
            String clean = x.unit("accelerator", "EAR99");
            UUID t1 = x.dispatch("fab", List.of(held), "hl", "hk", Map.of());
            x.receive("hl", t1, "hk", List.of(held));
            UUID t2 = x.dispatch("fab", List.of(travelling), "hl", "hk", Map.of());
            UUID t3 = x.dispatch("fab", List.of(toMyanmar), "mm", "ygn", Map.of());
            UUID t4 = x.dispatch("fab", List.of(clean), "dist", "ams", Map.of());
            x.receive("dist", t4, "ams", List.of(clean));
            long before = x.mark();
            assertEquals(List.of(), x.findings(0), "nothing is listed yet");

            x.restricted.importCsv(LIST);
            List<DiscrepancyFixture.Row> rows = x.findings(before - 1); // a finding is the first entry after the mark
            assertEquals(List.of("restricted-destination", "restricted-party", "restricted-party"), rules(rows));
            DiscrepancyFixture.Row holds = row(rows, "restricted-party:listed:hl");
            assertTrue(holds.units().contains("\"serial\": \"" + held + "\"") && !holds.units().contains(travelling),
                    holds.units());
            assertEquals(List.of("fab"), holds.orgs(), "the manufacturer, not the listed party");
            DiscrepancyFixture.Row onItsWay = row(rows, "restricted-party:" + t2);
            assertTrue(onItsWay.units().contains("\"serial\": \"" + travelling + "\""), onItsWay.units());
            assertEquals(List.of("fab"), onItsWay.orgs(), "the sender, not the listed party");
            DiscrepancyFixture.Row destination = row(rows, "restricted-destination:" + t3);
            assertEquals("critical", destination.severity());
            assertTrue(rows.stream().noneMatch(r -> r.units().contains("\"serial\": \"" + clean + "\"")),
                    "the clean unit is not named");

            // the receipt of the unit in transit is flagged: further evidence on the transit's finding
            Receipt r = x.receive("hl", t2, "hk", List.of(travelling));
            assertEquals(List.of(), x.findings(r.index()), "no second finding: the receipt is a note on the first");
            assertTrue(evidence(x, onItsWay.id()).contains(r.index()), "the receipt is evidence on " + onItsWay.finding());

            // importing the same list again finds nothing new
            long again = x.mark();
            x.restricted.importCsv(LIST);
            assertEquals(List.of(), x.findings(again - 1));
            x.assertRebuildIdentical();
        }
    }

    private static DiscrepancyFixture.Row row(List<DiscrepancyFixture.Row> rows, String finding) {
        return rows.stream().filter(r -> r.finding().equals(finding)).findFirst()
                .orElseThrow(() -> new AssertionError(finding + " not among " + rows));
    }

    private static List<Long> evidence(DiscrepancyFixture x, UUID id) throws Exception {
        try (Connection c = x.f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT evidence FROM discrepancies WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of((Long[]) rs.getArray(1).getArray());
            }
        }
    }
}
