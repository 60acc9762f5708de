package org.fabtrail.discrepancy;

import org.fabtrail.ledger.LedgerException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workflow rules of discrepancy.note and discrepancy.resolve, and export-control screening: blocking refuses
 * the dispatch and writes nothing, flagging lets it through and opens a finding.
 */
class WorkflowAndScreeningTest {

    private static DiscrepancyFixture blocking;
    private static DiscrepancyFixture flagging;

    static final String LIST = """
            name,country,aliases,source_list,identifiers
            "Shady Trading Co., Ltd.",HK,Shady Trade HK;ShadyTrade Holdings,Entity List,"Website: shady.example"
            "Müller Präzision GmbH",DE,,Entity List,
            ,KP,,Embargoed destinations,
            """;

    @BeforeAll
    static void setUp() throws Exception {
        blocking = new DiscrepancyFixture("screen_block", DiscrepancySettings.DEFAULTS);
        DiscrepancySettings flag = new DiscrepancySettings(Duration.ofHours(24), Duration.ofDays(14), 900,
                Duration.ofHours(6), DiscrepancySettings.Action.FLAG, DiscrepancySettings.Action.FLAG,
                DiscrepancySettings.Action.FLAG);
        flagging = new DiscrepancyFixture("screen_flag", flag);
        for (DiscrepancyFixture x : List.of(blocking, flagging)) {
            x.party("shady", "SHADY TRADING LIMITED", "HK", "distributor", "hk-1");
            x.onboard("pyong", "Korea Computer Center Trading", "CN", "distributor");
            x.site("pyong", "kp-1", "KP", null, null);
            assertEquals(3, x.restricted.importCsv(LIST));
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (DiscrepancyFixture x : List.of(blocking, flagging)) {
            x.assertRebuildIdentical();
            x.close();
        }
    }

    @Test
    void namesMatchAfterNormalisingCaseAccentsPunctuationAndLegalForms() {
        assertEquals("shady trading", RestrictedList.normalise("Shady Trading Co., Ltd."));
        assertEquals("shady trading", RestrictedList.normalise("SHADY TRADING LIMITED"));
        assertEquals("muller prazision", RestrictedList.normalise("Müller-Präzision GmbH"));
        assertEquals("acme semiconductor", RestrictedList.normalise("The ACME Semiconductor, Inc."));
    }

    @Test
    void aBadListIsRefusedWholeAndChangesNothing() throws Exception {
        RestrictedList.ImportProblem p = assertThrows(RestrictedList.ImportProblem.class, () ->
                blocking.restricted.importCsv("""
                        name,country,aliases,source_list,identifiers
                        Good Name,US,,Entity List,
                        Bad Country,USA,,Entity List,
                        ,,,Entity List,
                        "Inc.",US,,Entity List,
                        No Source,US,,,
                        """));
        assertEquals(4, p.problems().size(), p.problems().toString());
        assertTrue(p.problems().get(0).startsWith("row 3: country \"USA\""), p.problems().get(0));
        assertEquals(3, blocking.restricted.size(), "the old list stays");
        assertThrows(RestrictedList.ImportProblem.class, () -> blocking.restricted.importCsv("name,country\nx,US\n"));
        assertEquals(3, blocking.restricted.all().size());
    }

    @Test
    void blockingRefusesTheDispatchAndWritesNothing() throws Exception {
        String a = blocking.unit("accelerator", "3A001.a"); // an ECCN the licence table does not name: every border
        long before = blocking.mark();
        LedgerException party = blocking.refused("fab", "transfer.dispatch", Map.of("units",
                List.of(DiscrepancyFixture.ref("fab", a)), "to", "shady", "toSite", "hk-1", "licenceRef", "TW-1"));
        assertEquals("restricted-party", party.code());
        assertEquals(LedgerException.Kind.RULE, party.kind());
        assertTrue(party.getMessage().contains("Entity List"), party.getMessage());
        LedgerException country = blocking.refused("fab", "transfer.dispatch", Map.of("units",
                List.of(DiscrepancyFixture.ref("fab", a)), "to", "pyong", "toSite", "kp-1", "licenceRef", "TW-2"));
        assertEquals("restricted-destination", country.code());
        assertEquals(before, blocking.mark(), "nothing written");
        try (Connection c = blocking.f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pending_transfer FROM units WHERE serial = ?")) {
            ps.setString(1, a);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(null, rs.getObject(1), "the unit is not in transit");
            }
        }
        // without a licence across a border: flagged by default (not blocked)
        UUID t = blocking.dispatch("fab", List.of(a), "dist", "ams", Map.of());
        List<DiscrepancyFixture.Row> rows = blocking.findings(before);
        assertEquals(List.of("export-without-licence"), rules(rows));
        assertEquals("export-without-licence:" + t, rows.get(0).finding());
        assertEquals("high", rows.get(0).severity());
        blocking.receive("dist", t, "ams", List.of(a));
        // with a licence, or within one country, or without an ECCN: nothing
        long next = blocking.mark();
        String b = blocking.unit("accelerator", "3A090.a");
        String plain = blocking.unit("accelerator", null);
        blocking.dispatch("fab", List.of(b), "dist", "ams", Map.of("licenceRef", "TW-EXP-1"));
        blocking.dispatch("fab", List.of(plain), "dist", "ams", Map.of());
        UUID inCountry = blocking.dispatch("dist", List.of(a), "dist", "rtm", Map.of());
        assertEquals(List.of(), blocking.findings(next), "nothing flagged");
        blocking.receive("dist", inCountry, "rtm", List.of(a));
    }

    @Test
    void flaggingLetsTheDispatchThroughAndOpensAFinding() throws Exception {
        String a = flagging.unit("accelerator", "3A090.a");
        long before = flagging.mark();
        UUID t = flagging.dispatch("fab", List.of(a), "shady", "hk-1", Map.of());
        List<DiscrepancyFixture.Row> rows = flagging.findings(before);
        assertEquals(List.of("export-without-licence", "restricted-party"), rules(rows));
        DiscrepancyFixture.Row party = rows.stream().filter(r -> r.rule().equals("restricted-party")).findFirst()
                .orElseThrow();
        assertEquals("critical", party.severity());
        assertEquals(List.of("fab"), party.orgs(), "the listed party is not told");
        assertEquals("restricted-party:" + t, party.finding());
    }

    @Test
    void theWorkflowMovesForwardOnlyAndEndsWithAnOutcome() throws Exception {
        DiscrepancyFixture x = blocking;
        String a = x.unit("accelerator", null);
        String b = x.unit("accelerator", null);
        long start = x.mark();
        UUID t = x.dispatch("fab", List.of(a, b), "dist", "ams", Map.of());
        x.receive("dist", t, "ams", List.of(a));
        UUID id = x.findings(start).get(0).id();
        String d = id.toString();

        // the organisations involved add notes; others may not
        x.append("dist", "discrepancy.note", Map.of("discrepancy", d, "note", "one crate still at the airport"));
        // to an organisation the finding does not name, it is as if it did not exist
        assertEquals("unknown-discrepancy", x.refused("dc", "discrepancy.note", Map.of("discrepancy", d,
                "note", "hi")).code());
        assertEquals("role-required", x.refused("dist", "discrepancy.note", Map.of("discrepancy", d, "note", "done",
                "state", "acknowledged")).code());
        assertEquals("role-required", x.refused("dist", "discrepancy.resolve", Map.of("discrepancy", d,
                "outcome", "explained", "reason", "arrived")).code());
        assertEquals("role-required", x.refused("dist", "discrepancy.open", Map.of("rule", "manual", "finding", "x",
                "severity", "low", "summary", "x", "units", List.of(), "orgs", List.of("dist"), "evidence", List.of())).code());

        x.append("insp", "discrepancy.note", Map.of("discrepancy", d, "note", "looking", "state", "investigating"));
        assertEquals("state-not-forward", x.refused("reg", "discrepancy.note", Map.of("discrepancy", d,
                "note", "ack", "state", "acknowledged")).code());
        assertEquals("invalid-evidence", x.refused("reg", "discrepancy.note", Map.of("discrepancy", d,
                "note", "future", "evidence", List.of(x.mark() + 5))).code());
        assertEquals("invalid-outcome", x.refused("reg", "discrepancy.resolve", Map.of("discrepancy", d,
                "outcome", "whatever", "reason", "x")).code());
        x.receive("dist", t, "ams", List.of(b));
        long receipt = x.mark() - 1;
        x.append("reg", "discrepancy.resolve", Map.of("discrepancy", d, "outcome", "explained",
                "reason", "the second unit arrived a day later"));
        assertEquals("discrepancy-resolved", x.refused("insp", "discrepancy.note", Map.of("discrepancy", d,
                "note", "late", "evidence", List.of(receipt))).code());
        assertEquals("unknown-discrepancy", x.refused("insp", "discrepancy.note", Map.of("discrepancy",
                UUID.randomUUID().toString(), "note", "x")).code());

        try (Connection c = x.f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT kind, state, actor FROM discrepancy_events "
                     + "WHERE discrepancy_id = ? ORDER BY idx")) {
            ps.setObject(1, id);
            StringBuilder history = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    history.append(rs.getString(1)).append('/').append(rs.getString(2)).append('/')
                            .append(rs.getString(3)).append(' ');
                }
            }
            assertEquals("open/open/operator note/open/dist note/investigating/insp resolve/resolved/reg ",
                    history.toString());
        }
        try (Connection c = x.f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state, outcome FROM discrepancies WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals("resolved", rs.getString(1));
                assertEquals("explained", rs.getString(2));
            }
        }
    }

    @Test
    void countsAndTheTrendAgreeWithTheFindings() throws Exception {
        DiscrepancyFixture x = flagging;
        String a = x.unit("accelerator", null);
        String b = x.unit("accelerator", null);
        UUID t = x.dispatch("fab", List.of(a, b), "dist", "ams", Map.of());
        x.receive("dist", t, "ams", List.of(a));
        UUID id = x.findings(x.mark() - 3).stream().filter(r -> r.rule().equals("short-receipt")).findFirst()
                .orElseThrow().id();
        x.append("reg", "discrepancy.resolve", Map.of("discrepancy", id.toString(), "outcome", "other", "reason", "test"));
        DiscrepancyQueries q = new DiscrepancyQueries();
        try (Connection c = x.f.dataSource.getConnection()) {
            long all = q.list(c, DiscrepancyQueries.Filter.ALL, null, null, 1000).size();
            Map<String, Long> byState = q.countBy(c, DiscrepancyQueries.Filter.ALL, null, "state");
            assertEquals(all, byState.values().stream().mapToLong(Long::longValue).sum());
            assertEquals(1L, byState.get("resolved"));
            assertEquals(all, q.countBy(c, DiscrepancyQueries.Filter.ALL, null, "rule").values().stream()
                    .mapToLong(Long::longValue).sum());
            Map<String, Long> byOrg = q.countBy(c, DiscrepancyQueries.Filter.ALL, null, "org");
            assertEquals(q.list(c, new DiscrepancyQueries.Filter(null, null, null, "dist", null, null, null), null, null,
                    1000).size(), byOrg.get("dist"));
            assertEquals(List.of(id), q.list(c, new DiscrepancyQueries.Filter(null, null, "resolved", null, null, null,
                    null), "dist", null, 10).stream().map(DiscrepancyQueries.Discrepancy::id).toList());
            assertEquals(List.of(), q.list(c, DiscrepancyQueries.Filter.ALL, "dc", null, 10), "dc is named in none");
            List<DiscrepancyQueries.Day> trend = q.trend(c, DiscrepancyQueries.Filter.ALL, null, 7, java.time.Instant.now());
            assertEquals(7, trend.size());
            DiscrepancyQueries.Day today = trend.get(6);
            assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC), today.day());
            assertEquals(all, trend.stream().mapToLong(DiscrepancyQueries.Day::opened).sum(), "every day counted");
            assertEquals(1, trend.stream().mapToLong(DiscrepancyQueries.Day::resolved).sum());
            assertEquals(0, trend.get(0).opened());
        }
    }
}
