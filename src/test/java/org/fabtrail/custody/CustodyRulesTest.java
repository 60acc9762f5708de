package org.fabtrail.custody;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.fabtrail.testing.LedgerFixture.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Custody rules against a real PostgreSQL, through the real sequencer. */
class CustodyRulesTest {

    private static LedgerFixture f;
    private static SigningKey fab;
    private static SigningKey dist;
    private static SigningKey dc;
    private static SigningKey insp;
    private static SigningKey reg;
    private static int serials;

    @BeforeAll
    static void setUp() {
        f = LedgerFixture.withGenesis("custody");
        fab = onboard("fab", "TW", "manufacturer");
        dist = onboard("dist", "NL", "distributor");
        dc = onboard("dc", "US", "datacenter");
        insp = onboard("insp", "US", "inspector");
        reg = onboard("reg", "BE", "regulator");
        f.append(site(fab, "fab", "fab-1", "TW"));
        f.append(site(dist, "dist", "ams", "NL"));
        f.append(site(dist, "dist", "rtm", "NL"));
        f.append(site(dc, "dc", "dc-east", "US"));
    }

    @AfterAll
    static void tearDown() {
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
        f.close();
    }

    static SigningKey onboard(String org, String country, String role) {
        return f.onboard(org, org, country, role);
    }

    static Envelope site(SigningKey key, String org, String site, String country) {
        return f.signed(key, org, "site.register", Map.of("site", site, "name", site, "country", country,
                "address", "1 Main St"));
    }

    static String newUnit(String kind) {
        String serial = "SN-" + (++serials);
        f.append(f.signed(fab, "fab", "unit.register", Map.of("serial", serial, "kind", kind, "model", "H200",
                "eccn", "3A090.a", "site", "fab-1")));
        return serial;
    }

    static Receipt dispatch(SigningKey key, String from, String to, String toSite, String... serials) {
        List<Object> units = new ArrayList<>();
        for (String s : serials) {
            units.add(ref("fab", s));
        }
        Map<String, Object> fields = new LinkedHashMap<>(Map.of("units", units, "to", to, "toSite", toSite));
        fields.put("licenceRef", "EXP-2026-001");
        return f.append(f.signed(key, from, "transfer.dispatch", fields));
    }

    static String dispatchId(Receipt r) throws Exception {
        try (Connection c = f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT entry_id FROM log_entries WHERE idx = ?")) {
            ps.setLong(1, r.index());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The one value {@code sql}, with one string parameter, selects. */
    static String queryOne(String sql, String param) throws SQLException {
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static Map<String, Object> unitRow(String serial) throws Exception {
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT custodian, site, status, pending_transfer, parent_serial FROM units WHERE manufacturer = 'fab' AND serial = ?")) {
            ps.setString(1, serial);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "unit " + serial + " exists");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("custodian", rs.getString(1));
                m.put("site", rs.getString(2));
                m.put("status", rs.getString(3));
                m.put("pending", rs.getString(4));
                m.put("parent", rs.getString(5));
                return m;
            }
        }
    }

    static void refused(String code, Envelope e) {
        LedgerException x = assertThrows(LedgerException.class, () -> f.append(e));
        assertEquals(code, x.code(), x.getMessage());
    }

    @Test
    void aServerWithItsGpusTravelsFromFabToDataCentre() throws Exception {
        String server = newUnit("server");
        String gpu1 = newUnit("accelerator");
        String gpu2 = newUnit("accelerator");
        f.append(f.signed(fab, "fab", "unit.assemble", Map.of("parent", ref("fab", server),
                "components", List.of(ref("fab", gpu1), ref("fab", gpu2)))));
        assertEquals(server, unitRow(gpu1).get("parent"));
        refused("unit-assembled", f.signed(fab, "fab", "transfer.dispatch", Map.of("units", List.of(ref("fab", gpu1)),
                "to", "dist", "toSite", "ams")));

        Receipt d1 = dispatch(fab, "fab", "dist", "ams", server);
        String t1 = dispatchId(d1);
        assertEquals("fab", unitRow(gpu2).get("custodian"), "custody moves only on receipt");
        assertEquals(t1, unitRow(gpu2).get("pending"), "components travel inside their parent");
        refused("unit-in-transit", f.signed(fab, "fab", "transfer.dispatch", Map.of("units", List.of(ref("fab", server)),
                "to", "dc", "toSite", "dc-east")));
        // dc may not see the dispatch (it neither sends nor receives it): to dc it does not exist
        refused("unknown-transfer", f.signed(dc, "dc", "transfer.receive", Map.of("transfer", t1, "site", "dc-east",
                "units", List.of(ref("fab", server)))));
        f.append(f.signed(dist, "dist", "transfer.receive", Map.of("transfer", t1, "site", "ams",
                "units", List.of(ref("fab", server)))));
        assertEquals(Map.of("custodian", "dist", "site", "ams", "status", "active"),
                Map.of("custodian", unitRow(gpu1).get("custodian"), "site", unitRow(gpu1).get("site"),
                        "status", unitRow(gpu1).get("status")));
        assertNull(unitRow(gpu1).get("pending"));

        String t2 = dispatchId(dispatch(dist, "dist", "dc", "dc-east", server));
        f.append(f.signed(dc, "dc", "transfer.receive", Map.of("transfer", t2, "site", "dc-east",
                "units", List.of(ref("fab", server)))));
        assertEquals("dc", unitRow(gpu2).get("custodian"));
        f.append(f.signed(dc, "dc", "unit.status", Map.of("unit", ref("fab", server), "status", "decommissioned",
                "reason", "end of life")));
        refused("unit-retired", f.signed(dc, "dc", "unit.disassemble", Map.of("parent", ref("fab", server),
                "components", List.of(ref("fab", gpu1)))));
        // every later holder is a party; the manufacturer sees its units as their manufacturer
        assertEquals("dc,dist", queryOne("SELECT string_agg(org_id, ',' ORDER BY org_id) FROM unit_parties "
                + "WHERE manufacturer='fab' AND serial=?", gpu1));
    }

    @Test
    void aPartialReceiptLeavesTheRestInTransitAndRejectReturnsIt() throws Exception {
        String a = newUnit("accelerator");
        String b = newUnit("accelerator");
        String t = dispatchId(dispatch(fab, "fab", "dist", "ams", a, b));
        // received at another of its own sites: allowed and recorded (flagged by the discrepancy engine)
        f.append(f.signed(dist, "dist", "transfer.receive", Map.of("transfer", t, "site", "rtm",
                "units", List.of(ref("fab", a)))));
        assertEquals("rtm", unitRow(a).get("site"));
        assertEquals(t, unitRow(b).get("pending"), "the missing unit stays in transit");
        refused("unit-not-on-transfer", f.signed(dist, "dist", "transfer.receive", Map.of("transfer", t, "site", "ams",
                "units", List.of(ref("fab", a)))));
        refused("not-sender", f.signed(dist, "dist", "transfer.cancel", Map.of("transfer", t, "reason", "x")));
        f.append(f.signed(dist, "dist", "transfer.reject", Map.of("transfer", t, "reason", "damaged")));
        assertEquals(Map.of("custodian", "fab", "site", "fab-1"),
                Map.of("custodian", unitRow(b).get("custodian"), "site", unitRow(b).get("site")));
        assertNull(unitRow(b).get("pending"));
        refused("transfer-closed", f.signed(dist, "dist", "transfer.reject", Map.of("transfer", t, "reason", "again")));
        assertEquals("rejected", queryOne("SELECT state FROM transfers WHERE id = ?::uuid", t));
    }

    @Test
    void registrationRules() {
        String s = newUnit("accelerator");
        refused("unit-exists", f.signed(fab, "fab", "unit.register", Map.of("serial", s, "kind", "accelerator",
                "model", "H200", "site", "fab-1")));
        refused("role-required", f.signed(dist, "dist", "unit.register", Map.of("serial", "X1", "kind", "accelerator",
                "model", "H200", "site", "ams")));
        refused("unknown-site", f.signed(fab, "fab", "unit.register", Map.of("serial", "X2", "kind", "accelerator",
                "model", "H200", "site", "nowhere")));
        refused("invalid-serial", f.signed(fab, "fab", "unit.register", Map.of("serial", "sn 1", "kind", "accelerator",
                "model", "H200", "site", "fab-1")));
        refused("invalid-kind", f.signed(fab, "fab", "unit.register", Map.of("serial", "X3", "kind", "toaster",
                "model", "H200", "site", "fab-1")));
        refused("invalid-eccn", f.signed(fab, "fab", "unit.register", Map.of("serial", "X4", "kind", "accelerator",
                "model", "H200", "site", "fab-1", "eccn", "not an eccn")));
        // serials are case-sensitive: a different case is a different unit
        f.append(f.signed(fab, "fab", "unit.register", Map.of("serial", s.toLowerCase(), "kind", "accelerator",
                "model", "H200", "site", "fab-1")));
        // dist never saw the unit: to dist it does not exist (StrangerRefusalsTest: who keeps not-custodian)
        refused("unknown-unit", f.signed(dist, "dist", "unit.status", Map.of("unit", ref("fab", s),
                "status", "lost", "reason", "x")));
        refused("unknown-unit", f.signed(fab, "fab", "unit.status", Map.of("unit", ref("fab", "NOPE"),
                "status", "lost", "reason", "x")));
        refused("not-missing", f.signed(fab, "fab", "unit.status", Map.of("unit", ref("fab", s),
                "status", "recovered", "reason", "x")));
        refused("site-exists", site(fab, "fab", "fab-1", "TW"));
    }

    static Map<String, Object> inspection(String serial, String result) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("unit", ref("fab", serial));
        fields.put("site", Map.of("org", "fab", "site", "fab-1"));
        fields.put("custodian", "fab");
        fields.put("result", result);
        fields.put("notes", "Seal intact, serial label matches");
        return fields;
    }

    static List<String> unitEntryTypes(String serial) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT e.entry_type FROM unit_entries ue JOIN log_entries e ON e.idx = ue.idx "
                        + "WHERE ue.manufacturer = 'fab' AND ue.serial = ? ORDER BY ue.idx")) {
            ps.setString(1, serial);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void inspectorsAndRegulatorsRecordInspectionsWhichJoinTheHistoryAndChangeNothing() throws Exception {
        String s = newUnit("accelerator");
        Map<String, Object> before = unitRow(s);
        Receipt r = f.append(f.signed(insp, "insp", "unit.inspect", inspection(s, "consistent")));
        assertEquals(before, unitRow(s), "an inspection changes nothing about the unit");
        assertEquals(List.of("unit.register", "unit.inspect"), unitEntryTypes(s));
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT since_idx FROM unit_parties WHERE manufacturer = 'fab' AND serial = ? AND org_id = 'insp'")) {
            ps.setString(1, s);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the inspecting organisation is a party");
                assertEquals(r.index(), rs.getLong(1));
            }
        }
        // a finding that contradicts the ledger is recorded, not refused; so is one without site and custodian
        Map<String, Object> elsewhere = inspection(s, "discrepancy");
        elsewhere.put("site", Map.of("org", "dist", "site", "ams"));
        elsewhere.put("custodian", "dist");
        f.append(f.signed(reg, "reg", "unit.inspect", elsewhere));
        f.append(f.signed(insp, "insp", "unit.inspect", Map.of("unit", ref("fab", s), "result", "consistent",
                "notes", "Label photographed")));
        f.append(f.operator.sign("unit.inspect", inspection(s, "consistent")));
        assertEquals(List.of("unit.register", "unit.inspect", "unit.inspect", "unit.inspect", "unit.inspect"),
                unitEntryTypes(s));
        // retired units can still be inspected (activity on them is what a detector looks for)
        f.append(f.signed(fab, "fab", "unit.status", Map.of("unit", ref("fab", s), "status", "destroyed", "reason", "x")));
        f.append(f.signed(insp, "insp", "unit.inspect", inspection(s, "discrepancy")));
    }

    @Test
    void inspectionRules() {
        String s = newUnit("accelerator");
        refused("role-required", f.signed(dist, "dist", "unit.inspect", inspection(s, "consistent")));
        refused("role-required", f.signed(fab, "fab", "unit.inspect", inspection(s, "consistent")));
        refused("unknown-unit", f.signed(insp, "insp", "unit.inspect", inspection("NOPE", "consistent")));
        Map<String, Object> badSite = inspection(s, "discrepancy");
        badSite.put("site", Map.of("org", "dist", "site", "nowhere"));
        refused("unknown-site", f.signed(insp, "insp", "unit.inspect", badSite));
        Map<String, Object> badRef = inspection(s, "discrepancy");
        badRef.put("site", Map.of("org", "dist", "site", "ams", "room", "b"));
        refused("invalid-site-ref", f.signed(insp, "insp", "unit.inspect", badRef));
        Map<String, Object> badCustodian = inspection(s, "discrepancy");
        badCustodian.put("custodian", "nobody");
        refused("unknown-org", f.signed(insp, "insp", "unit.inspect", badCustodian));
        refused("invalid-result", f.signed(insp, "insp", "unit.inspect", inspection(s, "fine")));
        Map<String, Object> longNotes = inspection(s, "consistent");
        longNotes.put("notes", "x".repeat(2001));
        refused("invalid-field", f.signed(insp, "insp", "unit.inspect", longNotes));
        Map<String, Object> noNotes = inspection(s, "consistent");
        noNotes.remove("notes");
        refused("missing-field", f.signed(insp, "insp", "unit.inspect", noNotes));
        Map<String, Object> extra = inspection(s, "consistent");
        extra.put("seal", "intact");
        refused("unknown-field", f.signed(insp, "insp", "unit.inspect", extra));
        Map<String, Object> notEvidence = inspection(s, "consistent");
        notEvidence.put("attestation", "later");
        refused("invalid-attestation", f.signed(insp, "insp", "unit.inspect", notEvidence));
    }

    @Test
    void aDeadComponentCanBeTakenOutButNotPutBack() throws Exception {
        String server = newUnit("server");
        String gpu = newUnit("accelerator");
        f.append(f.signed(fab, "fab", "unit.assemble", Map.of("parent", ref("fab", server), "components", List.of(ref("fab", gpu)))));
        f.append(f.signed(fab, "fab", "unit.status", Map.of("unit", ref("fab", gpu), "status", "destroyed", "reason", "burnt")));
        f.append(f.signed(fab, "fab", "unit.disassemble", Map.of("parent", ref("fab", server), "components", List.of(ref("fab", gpu)))));
        assertNull(unitRow(gpu).get("parent"));
        refused("unit-retired", f.signed(fab, "fab", "unit.assemble", Map.of("parent", ref("fab", server),
                "components", List.of(ref("fab", gpu)))));
    }

    @Test
    void aHundredParallelDispatchesOfOneUnitLetExactlyOneWin() throws Exception {
        String s = newUnit("accelerator");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Envelope e = f.signed(fab, "fab", "transfer.dispatch", Map.of("units", List.of(ref("fab", s)),
                    "to", i % 2 == 0 ? "dist" : "dc", "toSite", i % 2 == 0 ? "ams" : "dc-east"));
            outcomes.add(pool.submit(() -> {
                try {
                    f.ledger.append(e).get(60, TimeUnit.SECONDS);
                    return "ok";
                } catch (ExecutionException x) {
                    return ((LedgerException) x.getCause()).code();
                }
            }));
        }
        int ok = 0;
        for (Future<String> o : outcomes) {
            String r = o.get();
            if (r.equals("ok")) {
                ok++;
            } else {
                assertEquals("unit-in-transit", r);
            }
        }
        pool.shutdown();
        assertEquals(1, ok);
    }

    @Test
    void batchEntriesSeeEachOtherAndNothingIsWrittenForRefusals() throws Exception {
        List<Envelope> run = List.of(
                f.signed(fab, "fab", "unit.register", Map.of("serial", "B-1", "kind", "server", "model", "HGX", "site", "fab-1")),
                f.signed(fab, "fab", "unit.register", Map.of("serial", "B-2", "kind", "accelerator", "model", "H200", "site", "fab-1")),
                f.signed(fab, "fab", "unit.assemble", Map.of("parent", ref("fab", "B-1"), "components", List.of(ref("fab", "B-2")))),
                f.signed(fab, "fab", "transfer.dispatch", Map.of("units", List.of(ref("fab", "B-2")), "to", "dist", "toSite", "ams")),
                f.signed(fab, "fab", "transfer.dispatch", Map.of("units", List.of(ref("fab", "B-1")), "to", "dist", "toSite", "ams")));
        List<CompletableFuture<Receipt>> out = f.ledger.appendAll(run);
        out.get(0).get();
        out.get(1).get();
        out.get(2).get();
        ExecutionException x = assertThrows(ExecutionException.class, () -> out.get(3).get());
        assertEquals("unit-assembled", ((LedgerException) x.getCause()).code());
        Receipt d = out.get(4).get();
        assertEquals(dispatchId(d), unitRow("B-2").get("pending"));
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM unit_entries WHERE manufacturer = 'fab' AND serial = 'B-2'")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(3, rs.getLong(1), "register, assemble, dispatch (inside its server)");
            }
        }
    }
}
