package org.fabtrail.discrepancy;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.CustodyObserver;
import org.fabtrail.custody.Fact;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
                new PlatformMismatch(), new ScreeningDetector(list), new Transshipment(list), new StaleCrl());
    }

    /** Where findings are published (set once the ledger exists: it needs this engine's policy first). */
    public void publishTo(Ledger ledger, OperatorEntries operator) {
        this.ledger = ledger;
        this.operator = operator;
    }

    /** The rules of the catalogue (for the dashboard's filters and the docs). */
    public static final List<String> RULES = List.of(OverdueTransfers.RULE, ShortReceipt.RULE, ReceiptElsewhere.RULE,
            InspectionElsewhere.SITE, InspectionElsewhere.CUSTODIAN, AttestationFailed.RULE, AttestationFailed.CLONED,
            ImpossibleTravel.RULE, ImpossibleTravel.BACKWARDS, ActivityAfterLoss.RULE, ComponentMismatch.ELSEWHERE, ComponentMismatch.MISSING,
            PlatformMismatch.RULE, PlatformMismatch.FAILED, StaleCrl.RULE,
            RestrictedList.PARTY, RestrictedList.DESTINATION,
            RestrictedList.NO_LICENCE, RestrictedList.OUTSIDE_TERMS, Transshipment.RULE, "manual");

    @Override
    public void observe(List<Fact> facts, BatchContext context) throws SQLException {
        List<List<List<Finding>>> byDetector = new ArrayList<>(detectors.size());
        for (Detector d : detectors) {
            byDetector.add(d.detectAll(facts, context.connection(), settings));
        }
        // entry by entry, each entry's findings in the detectors' order
        List<Finding> found = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            for (List<List<Finding>> perFact : byDetector) {
                found.addAll(perFact.get(i));
            }
        }
        if (!found.isEmpty()) {
            enqueue(context.connection(), found, clock.instant());
        }
    }

    /** What a detector finds on one fact of a batch, with whatever per-batch state it keeps. */
    interface PerFact {
        List<Finding> find(Fact fact) throws SQLException;
    }

    /** A detector's findings on each fact of a batch, in order, each {@link #guarded}. */
    static List<List<Finding>> eachFact(Detector d, List<Fact> facts, PerFact find) throws SQLException {
        List<List<Finding>> out = new ArrayList<>(facts.size());
        for (Fact f : facts) {
            out.add(guarded(d, f, find));
        }
        return out;
    }

    /** A detector's findings on one fact; none, logged, when a bug in the detector throws on it. */
    static List<Finding> guarded(Detector d, Fact f, PerFact find) throws SQLException {
        try {
            return find.find(f);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "detector " + d.rule() + " failed on index " + f.index(), e);
            return List.of();
        }
    }

    /** The observation's key: the finding and its evidence (one row per sighting). */
    static String observation(Finding f) {
        String key = f.key() + "@" + String.join(",", f.evidence().stream().map(String::valueOf).toList());
        return key.length() <= 1000 ? key : f.key() + "@" + f.evidence().get(f.evidence().size() - 1) + "+";
    }

    static void enqueue(Connection c, List<Finding> found, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_outbox (observation, finding, rule, "
                + "severity, summary, units, orgs, evidence, details, detected_at) "
                + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?) ON CONFLICT (observation) DO NOTHING")) {
            for (Finding f : found) {
                ps.setString(1, observation(f));
                ps.setString(2, f.key());
                ps.setString(3, f.rule());
                ps.setString(4, f.severity());
                ps.setString(5, f.summary());
                ps.setString(6, Jcs.canonicalString(PayloadRecord.json(f.units())));
                ps.setArray(7, c.createArrayOf("text", f.orgs().toArray()));
                ps.setArray(8, c.createArrayOf("bigint", f.evidence().toArray()));
                ps.setString(9, f.details().isEmpty() ? null : Jcs.canonicalString(f.details()));
                ps.setTimestamp(10, Timestamp.from(at));
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

    /** A waiting observation: its finding as discrepancy.open gives it. */
    private record Pending(String observation, String finding, DiscrepancyOpening opening, List<Long> evidence) {
    }

    /** The latest finding with this key or one of its recurrences ({@code key@<index>}). */
    private record Known(UUID id, String finding, String state, List<Long> evidence) {
    }

    /** What the round does with one observation. */
    private record Step(Pending pending, String as, Envelope envelope) {
    }

    /**
     * Publishes every waiting observation: opens its finding (signed by the operator), or, when a finding with
     * that key is open, adds the new evidence to it as the operator's note, or, when that finding was resolved,
     * opens a recurrence ({@code <key>@<index>}). An observation that adds nothing is marked known.
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
            List<Step> steps = steps(pending);
            if (steps.isEmpty()) {
                continue;
            }
            List<Ledger.Outcome> outcomes = ledger.submitAllAndWait(steps.stream().map(Step::envelope).toList());
            int progress = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                LedgerException refusal = outcomes.get(i).refusal();
                if (refusal == null) {
                    done(step.pending().observation(), outcomes.get(i).receipt().index(), step.as());
                    appended++;
                    progress++;
                    continue;
                }
                if ("interrupted".equals(refusal.code())) {
                    return appended;
                }
                String why = refusal.code() + ": " + refusal.getMessage();
                if (!"finding-exists".equals(refusal.code())) {
                    LOG.log(System.Logger.Level.WARNING, "finding " + step.pending().finding() + " not published: "
                            + why);
                }
                failed(step.pending().observation(), why); // another instance opened it first: a note next round
            }
            if (progress == 0) {
                return appended; // everything failed: try again on the next round
            }
        }
    }

    /**
     * What to write for this round's pending findings: a new finding opened, a known open one noted with its fresh
     * evidence (none fresh: done), a resolved one opened again; a finding opened twice in one round waits a round.
     */
    private List<Step> steps(List<Pending> pending) throws SQLException {
        List<Step> steps = new ArrayList<>();
        java.util.Set<String> openedThisRound = new java.util.HashSet<>();
        for (Pending p : pending) {
            Known k = known(p.finding());
            if (k == null) {
                if (!openedThisRound.add(p.finding())) {
                    continue; // a second sighting of a finding opened in this round: next round makes it a note
                }
                steps.add(new Step(p, "open", operator.sign("discrepancy.open", p.opening())));
            } else if (!"resolved".equals(k.state())) {
                List<Long> fresh = p.evidence().stream().filter(e -> !k.evidence().contains(e)).toList();
                if (fresh.isEmpty()) {
                    done(p.observation(), -1, "known");
                    continue;
                }
                DiscrepancyNote note = new DiscrepancyNote(k.id(), trim("Seen again: " + p.opening().summary()),
                        null, fresh, null);
                steps.add(new Step(p, "note", operator.sign("discrepancy.note", note)));
            } else {
                String recurrence = p.finding() + "@" + p.evidence().get(p.evidence().size() - 1);
                if (!openedThisRound.add(recurrence)) {
                    continue;
                }
                DiscrepancyOpening o = p.opening();
                String key = recurrence.length() <= 300 ? recurrence
                        : new Finding(o.rule(), recurrence, o.severity(), "", List.of(), List.of(), List.of(), Map.of())
                        .key();
                DiscrepancyOpening again = o.as(key, trim("Again after " + k.id() + " was resolved: " + o.summary()));
                steps.add(new Step(p, "open", operator.sign("discrepancy.open", again)));
            }
        }
        return steps;
    }

    private static String trim(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private Known known(String finding) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, finding, state, evidence FROM discrepancies "
                     + "WHERE finding = ? OR starts_with(finding, ? || '@') ORDER BY opened_idx DESC LIMIT 1")) {
            ps.setString(1, finding);
            ps.setString(2, finding);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Known(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        List.of((Long[]) rs.getArray(4).getArray()));
            }
        }
    }

    private List<Pending> pending() throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT observation, finding, rule, severity, summary, units::text, "
                     + "orgs, evidence, details::text FROM discrepancy_outbox WHERE published_idx IS NULL AND attempts < 20 "
                     + "ORDER BY detected_at, observation LIMIT " + PUBLISH_BATCH)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Long> evidence = List.of((Long[]) rs.getArray(8).getArray());
                    DiscrepancyOpening o = new DiscrepancyOpening(rs.getString(3), rs.getString(2), rs.getString(4),
                            rs.getString(5), units(StrictJson.parse(rs.getString(6))),
                            List.of((String[]) rs.getArray(7).getArray()), evidence, details(rs.getString(9)));
                    out.add(new Pending(rs.getString(1), rs.getString(2), o, evidence));
                }
            }
        }
        return out;
    }

    private void done(String observation, long index, String as) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE discrepancy_outbox SET published_idx = ?, published_as = ?, "
                     + "last_error = NULL, attempts = attempts + 1 WHERE observation = ?")) {
            ps.setLong(1, index);
            ps.setString(2, as);
            ps.setString(3, observation);
            ps.executeUpdate();
        }
    }

    private void failed(String observation, String error) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE discrepancy_outbox SET attempts = attempts + 1, "
                     + "last_error = ? WHERE observation = ?")) {
            ps.setString(1, error.length() > 1000 ? error.substring(0, 1000) : error);
            ps.setString(2, observation);
            ps.executeUpdate();
        }
    }

    /** Findings waiting to be published (for health and the operator's page). */
    public long waiting() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM discrepancy_outbox WHERE published_idx IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The outbox's details (JSON text, null for none) as the finding's details object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> details(String json) {
        return json == null ? null : (Map<String, Object>) StrictJson.parse(json);
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
