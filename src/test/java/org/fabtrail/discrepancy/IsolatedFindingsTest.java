package org.fabtrail.discrepancy;

import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.testing.LedgerAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detectors run inside the sequencing transaction, so an attempt that is rolled back to isolate a failing entry
 * has already queued findings, about that entry and about the others at the indexes they had then. None of that may
 * survive: only the findings of the written entries, at their written indexes, reach the outbox and the log.
 */
class IsolatedFindingsTest {

    @RegisterExtension
    static final DiscrepancyFixture x = new DiscrepancyFixture("isolatedfindings", DiscrepancySettings.DEFAULTS);

    private static Envelope inspectionElsewhere(String serial) {
        return x.entry("insp", "unit.inspect", Map.of("unit", DiscrepancyFixture.ref("fab", serial),
                "result", "consistent", "notes", "checked on site", "site", Map.of("org", "dist", "site", "ams")));
    }

    @Test
    void findingsOfARolledBackAttemptAreNeitherQueuedNorPublished() throws Exception {
        List<String> serials = List.of(x.unit("accelerator", null), x.unit("accelerator", null),
                x.unit("accelerator", null));
        long start = x.mark();
        List<Envelope> batch = new ArrayList<>();
        serials.forEach(s -> batch.add(inspectionElsewhere(s)));
        // The middle inspection's log row is refused by PostgreSQL: after the detectors queued its findings and
        // those of the third inspection at the index it had in that attempt.
        try (Connection c = x.f.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.entry_id = '"
                    + batch.get(1).id() + "' THEN RAISE EXCEPTION 'injected' USING ERRCODE = '22023'; END IF; "
                    + "RETURN NEW; END $$; CREATE TRIGGER poison BEFORE INSERT ON log_entries FOR EACH ROW "
                    + "EXECUTE FUNCTION test_poison()");
        }
        List<CompletableFuture<Receipt>> out;
        try {
            out = x.f.ledger.appendAll(batch);
            out.get(0).get(60, TimeUnit.SECONDS);
        } finally {
            try (Connection c = x.f.dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER poison ON log_entries");
            }
        }
        Receipt first = out.get(0).get(60, TimeUnit.SECONDS);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> out.get(1).get(60, TimeUnit.SECONDS));
        assertEquals("entry-not-storable", ((LedgerException) failed.getCause()).code());
        Receipt third = out.get(2).get(60, TimeUnit.SECONDS);
        assertEquals(first.index() + 1, third.index(), "the third inspection took the failed one's index");

        // The outbox holds observations of the written inspections only, with their written indexes as evidence.
        List<Long> evidence = new ArrayList<>();
        try (Connection c = x.f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT units::text, evidence FROM discrepancy_outbox "
                        + "WHERE evidence && ?::bigint[]")) {
            ps.setArray(1, c.createArrayOf("bigint", new Long[]{first.index(), third.index(), third.index() + 1}));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertFalse(rs.getString(1).contains("\"" + serials.get(1) + "\""), "no finding of the failed "
                            + "inspection: " + rs.getString(1));
                    for (Long e : (Long[]) rs.getArray(2).getArray()) {
                        if (e >= first.index()) {
                            evidence.add(e);
                        }
                    }
                }
            }
        }
        assertTrue(evidence.contains(first.index()) && evidence.contains(third.index()), evidence.toString());
        assertFalse(evidence.contains(third.index() + 1), "nothing at the index the third had in the failed attempt");

        List<DiscrepancyFixture.Row> found = x.findings(start);
        assertFalse(found.isEmpty());
        for (DiscrepancyFixture.Row row : found) {
            assertFalse(row.units().contains("\"" + serials.get(1) + "\""), row.units());
            assertTrue(row.evidence().contains(first.index()) || row.evidence().contains(third.index()),
                    row.evidence().toString());
        }
        assertTrue(found.stream().anyMatch(r -> r.units().contains("\"" + serials.get(0) + "\"")));
        assertTrue(found.stream().anyMatch(r -> r.units().contains("\"" + serials.get(2) + "\"")));
        LedgerAssertions.assertConsistent(x.f.dataSource, x.f.signer.verifier());
    }
}
