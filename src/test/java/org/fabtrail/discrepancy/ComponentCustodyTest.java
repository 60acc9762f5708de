package org.fabtrail.discrepancy;

import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.ref;
import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What travels inside a server is checked too (issue 11): every rule for a listed unit holds for the units assembled
 * in it, at any depth. A destroyed or decommissioned GPU inside refuses the server's dispatch (and receipt) as a listed
 * one would; a lost or stolen GPU inside raises {@code activity-after-loss} naming the GPU. Each with a clean server
 * beside it that must pass without a finding.
 */
class ComponentCustodyTest {

    @RegisterExtension
    static final DiscrepancyFixture x = new DiscrepancyFixture("components", DiscrepancySettings.DEFAULTS);

    /** A server with {@code gpus} GPUs assembled in it, at the fab; answers the server's serial, then the GPUs'. */
    static List<String> server(int gpus) {
        String server = x.unit("server", "4A090.a");
        List<String> out = new java.util.ArrayList<>(List.of(server));
        for (int i = 0; i < gpus; i++) {
            out.add(x.unit("accelerator", "3A090.a"));
        }
        x.append("fab", "unit.assemble", Map.of("parent", ref("fab", server),
                "components", out.subList(1, out.size()).stream().map(s -> ref("fab", s)).toList()));
        return out;
    }

    static long notes() throws java.sql.SQLException {
        try (java.sql.Connection c = x.f.dataSource.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM log_entries WHERE entry_type = 'discrepancy.note'");
             java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void report(String serial, String status) {
        x.append("fab", "unit.status", Map.of("unit", ref("fab", serial), "status", status, "reason", "reported"));
    }

    static Map<String, Object> dispatch(String serial) {
        return Map.of("units", List.of(ref("fab", serial)), "to", "dist", "toSite", "ams", "licenceRef", "LIC-1");
    }

    @Test
    void aRetiredComponentRefusesTheDispatchOfItsServer() throws Exception {
        for (String status : List.of("destroyed", "decommissioned")) {
            List<String> s = server(2);
            List<String> clean = server(2);
            report(s.get(2), status);
            long size = x.f.ledger.head().size();
            LedgerException e = x.refused("fab", "transfer.dispatch", dispatch(s.get(0)));
            assertEquals("unit-retired", e.code(), status);
            assertEquals(ref("fab", s.get(2)), e.details().get("unit"), "the refusal names the component");
            assertEquals(size, x.f.ledger.head().size(), "nothing written");
            // not firing: the clean server travels
            x.dispatch("fab", List.of(clean.get(0)), "dist", "ams", Map.of("licenceRef", "LIC-1"));
        }
    }

    @Test
    void aRetiredComponentDeepInsideRefusesTheDispatch() {
        List<String> s = server(1);
        String rack = x.unit("module", null);
        x.append("fab", "unit.assemble", Map.of("parent", ref("fab", rack), "components", List.of(ref("fab", s.get(0)))));
        report(s.get(1), "destroyed");
        LedgerException e = x.refused("fab", "transfer.dispatch", dispatch(rack));
        assertEquals("unit-retired", e.code());
        assertEquals(ref("fab", s.get(1)), e.details().get("unit"));
    }

    @Test
    void aComponentRetiredInTransitRefusesTheReceipt() throws Exception {
        List<String> s = server(2);
        UUID t = x.dispatch("fab", List.of(s.get(0)), "dist", "ams", Map.of("licenceRef", "LIC-1"));
        report(s.get(1), "destroyed"); // the sender is still its custodian
        LedgerException e = x.refused("dist", "transfer.receive", Map.of("transfer", t.toString(), "site", "ams",
                "units", List.of(ref("fab", s.get(0)))));
        assertEquals("unit-retired", e.code());
        assertEquals(ref("fab", s.get(1)), e.details().get("unit"));
        // not firing: a clean server is received
        List<String> clean = server(2);
        UUID ok = x.dispatch("fab", List.of(clean.get(0)), "dist", "ams", Map.of("licenceRef", "LIC-1"));
        x.receive("dist", ok, "ams", List.of(clean.get(0)));
    }

    @Test
    void aLostOrStolenComponentInsideRaisesActivityAfterLossNamingIt() throws Exception {
        List<String> s = server(3);
        List<String> clean = server(3);
        report(s.get(2), "stolen");
        report(s.get(3), "lost");
        long start = x.mark();
        UUID t = x.dispatch("fab", List.of(s.get(0)), "dist", "ams", Map.of("licenceRef", "LIC-1"));
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("activity-after-loss", "activity-after-loss"), rules(rows));
        for (DiscrepancyFixture.Row r : rows) {
            assertTrue(r.units().contains("\"serial\": \"" + s.get(0) + "\""), "names the server it travelled in: "
                    + r.units());
        }
        assertEquals(List.of("activity-after-loss:fab/" + s.get(2) + ":stolen",
                        "activity-after-loss:fab/" + s.get(3) + ":lost"),
                rows.stream().map(DiscrepancyFixture.Row::finding).sorted().toList());
        // the receipt is activity on them too: seen again, a note on the open findings, no new finding
        long afterDispatch = x.mark();
        long notes = notes();
        Receipt r = x.receive("dist", t, "ams", List.of(s.get(0)));
        assertEquals(List.of(), x.findings(afterDispatch));
        assertEquals(notes + 2, notes(), "the receipt at index " + r.index() + " is seen again on both findings");

        // not firing: the clean server's dispatch and receipt
        long cleanStart = x.mark();
        UUID c = x.dispatch("fab", List.of(clean.get(0)), "dist", "ams", Map.of("licenceRef", "LIC-1"));
        x.receive("dist", c, "ams", List.of(clean.get(0)));
        assertEquals(List.of(), rules(x.findings(cleanStart)).stream().filter(f -> f.equals("activity-after-loss"))
                .toList());
    }
}
