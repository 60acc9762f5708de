package org.fabtrail.discrepancy;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.custody.CustodyObserver;
import org.fabtrail.custody.Fact;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the detectors and turns their findings into {@code discrepancy.open} entries signed by the operator.
 *
 * <p>Detection happens inside the sequencing transaction of the entries that are the evidence (as a
 * {@link CustodyObserver}), so a detector sees exactly the state the rules saw and a finding commits with its
 * evidence or not at all: findings go to an outbox ({@code discrepancy_outbox}, keyed by the finding, so the same
 * finding is kept once). {@link #publish()} then signs and appends an entry for each waiting finding; the log refuses
 * a finding opened before ({@code finding-exists}), which marks it done. Time-based rules (an overdue dispatch) are
 * checked by {@link #scanOverdue()}. Both run in the background every few seconds, and can be called directly.
 */
public final class DiscrepancyEngine implements CustodyObserver {

    private static final System.Logger LOG = System.getLogger(DiscrepancyEngine.class.getName());
    private static final int PUBLISH_BATCH = 500;

    private final List<Detector> detectors;
    private final DiscrepancySettings settings;
    private final DataSource dataSource;
    private final Clock clock;
    private Ledger ledger;
    private OperatorEntries operator;

    public DiscrepancyEngine(DataSource dataSource, Clock clock, DiscrepancySettings settings, RestrictedList list) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.settings = settings;
        this.detectors = List.of(new ShortReceipt(), new ReceiptElsewhere(), new InspectionElsewhere(),
                new AttestationFailed(), new ImpossibleTravel(), new ActivityAfterLoss(), new ComponentMismatch(),
                new PlatformMismatch(), new ScreeningDetector(list));
    }

    /** Where findings are published (set once the ledger exists: it needs this engine's policy first). */
    public void publishTo(Ledger ledger, OperatorEntries operator) {
        this.ledger = ledger;
        this.operator = operator;
    }

    /** The rules of the catalogue (for the dashboard's filters and the docs). */
    public static final List<String> RULES = List.of(OverdueTransfers.RULE, ShortReceipt.RULE, ReceiptElsewhere.RULE,
            InspectionElsewhere.SITE, InspectionElsewhere.CUSTODIAN, AttestationFailed.RULE, AttestationFailed.CLONED,
            ImpossibleTravel.RULE, ActivityAfterLoss.RULE, ComponentMismatch.ELSEWHERE, ComponentMismatch.MISSING,
            PlatformMismatch.RULE, PlatformMismatch.FAILED,
            RestrictedList.PARTY, RestrictedList.DESTINATION,
            RestrictedList.NO_LICENCE, "manual");

    @Override
    public void observe(List<Fact> facts, BatchContext context) throws SQLException {
        List<Finding> found = new ArrayList<>();
        for (Fact f : facts) {
            for (Detector d : detectors) {
                try {
                    found.addAll(d.detect(f, context.connection(), settings));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "detector " + d.rule() + " failed on index " + f.index(), e);
                }
            }
        }
        if (!found.isEmpty()) {
            enqueue(context.connection(), found, clock.instant());
        }
    }

    static void enqueue(Connection c, List<Finding> found, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_outbox (finding, rule, severity, summary, "
                + "units, orgs, evidence, details, detected_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?) "
                + "ON CONFLICT (finding) DO NOTHING")) {
            for (Finding f : found) {
                ps.setString(1, f.key());
                ps.setString(2, f.rule());
                ps.setString(3, f.severity());
                ps.setString(4, f.summary());
                ps.setString(5, Jcs.canonicalString(f.payload().get("units")));
                ps.setArray(6, c.createArrayOf("text", f.orgs().toArray()));
                ps.setArray(7, c.createArrayOf("bigint", f.evidence().toArray()));
                ps.setString(8, f.details().isEmpty() ? null : Jcs.canonicalString(f.details()));
                ps.setTimestamp(9, Timestamp.from(at));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Checks for overdue dispatches and queues a finding for each new one. */
    public int scanOverdue() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Finding> found = OverdueTransfers.find(c, clock.instant(), settings);
            if (!found.isEmpty()) {
                enqueue(c, found, clock.instant());
            }
            return found.size();
        }
    }

    private record Pending(String finding, Map<String, Object> fields) {
    }

    /**
     * Signs and appends a {@code discrepancy.open} for every waiting finding, and marks each done.
     *
     * @return how many entries were appended
     */
    public int publish() throws SQLException {
        if (ledger == null) {
            return 0;
        }
        int appended = 0;
        while (true) {
            List<Pending> pending = pending();
            if (pending.isEmpty()) {
                return appended;
            }
            List<Envelope> envelopes = new ArrayList<>();
            for (Pending p : pending) {
                envelopes.add(operator.sign("discrepancy.open", p.fields()));
            }
            var futures = ledger.appendAll(envelopes);
            int progress = 0;
            for (int i = 0; i < pending.size(); i++) {
                String finding = pending.get(i).finding();
                try {
                    Receipt r = futures.get(i).get(60, TimeUnit.SECONDS);
                    done(finding, r.index(), null);
                    appended++;
                    progress++;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof LedgerException le && "finding-exists".equals(le.code())) {
                        done(finding, -1, null);
                        progress++;
                    } else {
                        String why = e.getCause() instanceof LedgerException le ? le.code() + ": " + le.getMessage()
                                : String.valueOf(e.getCause());
                        LOG.log(System.Logger.Level.WARNING, "finding " + finding + " not published: " + why);
                        failed(finding, why);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return appended;
                } catch (TimeoutException e) {
                    failed(finding, "timed out waiting for the sequencer");
                }
            }
            if (progress == 0) {
                return appended; // everything failed: try again on the next round
            }
        }
    }

    private List<Pending> pending() throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT finding, rule, severity, summary, units::text, orgs, "
                     + "evidence, details::text FROM discrepancy_outbox WHERE opened_idx IS NULL AND attempts < 20 "
                     + "ORDER BY detected_at, finding LIMIT " + PUBLISH_BATCH)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("rule", rs.getString(2));
                    f.put("finding", rs.getString(1));
                    f.put("severity", rs.getString(3));
                    f.put("summary", rs.getString(4));
                    f.put("units", org.fabtrail.crypto.StrictJson.parse(rs.getString(5)));
                    f.put("orgs", List.of((String[]) rs.getArray(6).getArray()));
                    f.put("evidence", List.of((Long[]) rs.getArray(7).getArray()));
                    if (rs.getString(8) != null) {
                        f.put("details", org.fabtrail.crypto.StrictJson.parse(rs.getString(8)));
                    }
                    out.add(new Pending(rs.getString(1), f));
                }
            }
        }
        return out;
    }

    private void done(String finding, long index, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE discrepancy_outbox SET opened_idx = ?, last_error = ?, "
                     + "attempts = attempts + 1 WHERE finding = ?")) {
            ps.setLong(1, index);
            ps.setString(2, error);
            ps.setString(3, finding);
            ps.executeUpdate();
        }
    }

    private void failed(String finding, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE discrepancy_outbox SET attempts = attempts + 1, "
                     + "last_error = ? WHERE finding = ?")) {
            ps.setString(1, error.length() > 1000 ? error.substring(0, 1000) : error);
            ps.setString(2, finding);
            ps.executeUpdate();
        }
    }

    /** Findings waiting to be published (for health and the operator's page). */
    public long waiting() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM discrepancy_outbox WHERE opened_idx IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<UnitKey> units(Object json) {
        List<UnitKey> out = new ArrayList<>();
        if (json instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(new UnitKey((String) m.get("manufacturer"), (String) m.get("serial")));
                }
            }
        }
        return out;
    }
}
