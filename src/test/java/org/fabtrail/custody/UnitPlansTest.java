package org.fabtrail.custody;

import org.fabtrail.testing.PlanProbe;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequencer's per-batch reads and writes of units and sites keep index plans while the tables grow from
 * nothing, never analysed (or analysed only while tiny), through statements prepared and run before the growth
 * (issue 14: one sequential scan of units per batch once a generic plan from an empty table was cached).
 */
class UnitPlansTest {

    private static final int GROWN = 200_000;
    private static final String KEYS = "ARRAY['fab','fab']::text[], ARRAY['G1','G2']::text[]";

    @ParameterizedTest(name = "analysed while tiny: {0}")
    @ValueSource(booleans = {false, true})
    void unitAndSitePlansStayIndexedAsTheTablesGrow(boolean analysedWhileTiny) throws SQLException {
        TestDatabase.Database db = TestDatabase.create("unitplans").migrated();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            PlanProbe.asInABatch(c, "units", "sites");
            st.execute(insertUnits(0, 3));
            st.execute(insertSites(0, 2));
            if (analysedWhileTiny) {
                st.execute("ANALYZE units");
                st.execute("ANALYZE sites");
            }
            List<PlanProbe> probes = List.of(
                    new PlanProbe(c, "by_key", CustodyState.UNITS_BY_KEY, KEYS),
                    new PlanProbe(c, "by_parent", CustodyState.UNITS_BY_PARENT, KEYS),
                    new PlanProbe(c, "sites_by_key", CustodyState.SITES_BY_KEY, "ARRAY['o1','o1']::text[], ARRAY['s1','s2']::text[]"),
                    new PlanProbe(c, "update_units", CustodyState.UPDATE_UNITS, KEYS + ", ARRAY['active','active']::text[], "
                            + "ARRAY['fab','fab']::text[], ARRAY['f1','f1']::text[], ARRAY[NULL,NULL]::text[], "
                            + "ARRAY[NULL,NULL]::text[], ARRAY[NULL,NULL]::uuid[], ARRAY[NULL,NULL]::bytea[], "
                            + "ARRAY[7,7]::bigint[], ARRAY[now(),now()]::timestamptz[]"));
            for (PlanProbe p : probes) {
                p.execute(10);
            }
            st.execute(insertUnits(3, GROWN));
            st.execute(insertSites(2, GROWN / 10));
            for (PlanProbe p : probes) {
                p.execute(10);
            }
            // and statements first prepared after the growth
            List<String> byKeyLate = new PlanProbe(c, "by_key_late", CustodyState.UNITS_BY_KEY, KEYS).execute(10).scans();
            List<String> byParentLate = new PlanProbe(c, "by_parent_late", CustodyState.UNITS_BY_PARENT, KEYS).execute(10).scans();
            List<String> byKey = probes.get(0).scans();
            List<String> byParent = probes.get(1).scans();
            List<String> sites = probes.get(2).scans();
            List<String> update = probes.get(3).scans();
            assertAll(
                    () -> assertIndexed(byKey, "units", "units by key"),
                    () -> assertIndexed(byParent, "units", "units by parent"),
                    () -> assertIndexed(sites, "sites", "sites by key"),
                    () -> assertIndexed(update, "units", "units update"),
                    () -> assertIndexed(byKeyLate, "units", "units by key, prepared late"),
                    () -> assertIndexed(byParentLate, "units", "units by parent, prepared late"));
            c.rollback();
        }
    }

    static void assertIndexed(List<String> scans, String table, String what) {
        assertFalse(scans.contains("Seq Scan on " + table), what + " scans " + table + ": " + scans);
        assertTrue(scans.stream().anyMatch(s -> s.matches("(Index|Index Only|Bitmap Heap) Scan on " + table)),
                what + " does not read " + table + " through an index: " + scans);
    }

    /** Units G{from}..G{to-1} of manufacturer fab; every eighth one assembled into the one before it. */
    private static String insertUnits(int from, int to) {
        return "INSERT INTO units (manufacturer, serial, kind, model, status, custodian, site, parent_manufacturer, "
                + "parent_serial, registered_idx, registered_at, last_idx, updated_at) SELECT 'fab', 'G' || i, "
                + "'accelerator', 'B200', 'active', 'fab', 'f1', CASE WHEN i % 8 = 7 THEN 'fab' END, "
                + "CASE WHEN i % 8 = 7 THEN 'G' || (i - 1) END, i, now(), i, now() "
                + "FROM generate_series(" + from + ", " + (to - 1) + ") i";
    }

    private static String insertSites(int from, int to) {
        return "INSERT INTO sites (org_id, id, name, country, address, registered_idx, registered_at) "
                + "SELECT 'o' || (i % 100), 's' || i, 'Site', 'TW', 'x', i, now() FROM generate_series(" + from + ", "
                + (to - 1) + ") i";
    }
}
