package org.fabtrail.discrepancy;

import org.fabtrail.custody.CustodyQueries;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restricted-party finding is not shown to the listed party itself — not in its findings (the API's and the UI's
 * lists, the webhooks, all of which follow the finding's organisations), not in its units' histories or its feed —
 * while the sender, inspectors, regulators and the operator see it; a finding about anything else still names the
 * receiver.
 */
class ListedPartyVisibilityTest {

    @Test
    void theListedPartyDoesNotLearnOfItsFinding() throws Exception {
        DiscrepancySettings flag = DiscrepancySettings.DEFAULTS.withRestrictedParty(DiscrepancySettings.Action.FLAG);
        try (DiscrepancyFixture x = new DiscrepancyFixture("listed_visibility", flag)) {
            x.party("shady", "SHADY TRADING LIMITED", "HK", "distributor", "hk-1");
            x.restricted.importCsv("""
                    name,country,aliases,source_list,identifiers
                    "Shady Trading Co., Ltd.",HK,,Entity List,
                    """);
            String a = x.unit("accelerator", "EAR99");
            String b = x.unit("accelerator", "EAR99");
            long start = x.mark();
            UUID t = x.dispatch("fab", List.of(a, b), "shady", "hk-1", Map.of());
            x.receive("shady", t, "hk-1", List.of(a)); // and a short receipt: a finding the receiver may see
            List<DiscrepancyFixture.Row> rows = x.findings(start);
            assertEquals(List.of("restricted-party", "short-receipt"), rules(rows));
            DiscrepancyFixture.Row party = rows.stream().filter(r -> r.rule().equals("restricted-party")).findFirst()
                    .orElseThrow();
            DiscrepancyFixture.Row shortReceipt = rows.stream().filter(r -> r.rule().equals("short-receipt"))
                    .findFirst().orElseThrow();
            DiscrepancyQueries q = new DiscrepancyQueries();
            CustodyQueries custody = new CustodyQueries();
            try (Connection c = x.f.dataSource.getConnection()) {
                List<UUID> shadySees = q.list(c, DiscrepancyQueries.Filter.ALL, "shady", null, 100).stream()
                        .map(DiscrepancyQueries.Discrepancy::id).toList();
                assertEquals(List.of(shortReceipt.id()), shadySees, "the listed party sees only the short receipt");
                assertTrue(q.get(c, party.id(), "shady").isEmpty());
                assertTrue(q.get(c, party.id(), "fab").isPresent(), "the sender sees it");
                assertTrue(q.get(c, party.id(), null).isPresent(), "the operator, inspectors and regulators see it");
                assertFalse(custody.canSeeEntry(c, "shady", party.openedIdx()), "not in the listed party's log view");
                assertFalse(custody.feed(c, "shady", start, 1000).contains(party.openedIdx()), "nor in its feed");
                assertTrue(custody.canSeeEntry(c, "shady", shortReceipt.openedIdx()));
                assertTrue(custody.feed(c, "shady", start, 1000).contains(shortReceipt.openedIdx()));
            }
            x.assertRebuildIdentical();
        }
    }
}
