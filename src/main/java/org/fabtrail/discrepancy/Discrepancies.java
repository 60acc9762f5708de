package org.fabtrail.discrepancy;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.AbstractEntryType;
import org.fabtrail.custody.EntryType;
import org.fabtrail.custody.Operator;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.PayloadSchema;
import org.fabtrail.custody.Roles;
import org.fabtrail.custody.Rules;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Findings as facts in the log. {@code discrepancy.open} (the operator for a detector's finding; an inspector or
 * regulator for one of their own) names the rule, a finding key that is never opened twice, a severity, a summary,
 * the units, the organisations involved and the evidence (earlier entries' indexes). {@code discrepancy.note} adds a
 * note (and, by the operator, an inspector or a regulator, moves the finding on to {@code acknowledged} or
 * {@code investigating}); the organisations involved may add notes and evidence. {@code discrepancy.resolve} (the
 * operator, an inspector or a regulator) ends it with an outcome. States only move forward; a resolved finding is
 * final. A finding's id is its open entry's {@code payload.id}.
 */
public final class Discrepancies {

    static final String OPEN = "discrepancy.open";
    static final String NOTE = "discrepancy.note";
    static final String RESOLVE = "discrepancy.resolve";

    static final List<String> STATES = List.of("open", "acknowledged", "investigating", "resolved");
    static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
    static final List<String> OUTCOMES = List.of("explained", "data-error", "confirmed-diversion", "counterfeit", "other");
    static final int MAX_UNITS = 1000;
    /**
     * The details field naming the restricted party a finding is about: that party is not among the finding's
     * organisations, and the finding does not enter the histories of its units (issue 11: who learns about a finding).
     */
    public static final String LISTED_ORG = "listedOrg";
    static final int MAX_ORGS = 50;
    static final int MAX_EVIDENCE = 200;
    static final int MAX_TEXT = 4000;

    private Discrepancies() {
    }

    /** {@code discrepancy.open}, {@code discrepancy.note} and {@code discrepancy.resolve}. */
    public static List<EntryType<?>> all() {
        return List.of(new Open(), new Note(), new Resolve());
    }

    /** Whether the actor works the queue: the operator, an inspector or a regulator. */
    static boolean worksQueue(BatchContext ctx, String actor) throws SQLException {
        if (Operator.ID.equals(actor)) {
            return true;
        }
        List<String> roles = Rules.requireOrg(ctx, actor).roles();
        return roles.contains(Roles.INSPECTOR) || roles.contains(Roles.REGULATOR);
    }

    /**
     * The {@code evidence} field as read on admission: its items as given (numbers: whole, not negative). Which entries
     * are earlier depends on the entry's index: {@link #before} checks that when it is applied.
     */
    record Evidence(List<Number> items) {
        static final Evidence NONE = new Evidence(List.of());

        /** The indexes, each once, in order; refuses an index not before {@code index} as the field's error. */
        List<Long> before(long index) {
            Set<Long> out = new LinkedHashSet<>();
            for (Number n : items) {
                if (n.doubleValue() >= index) {
                    throw notEarlier(n, index);
                }
                out.add(n.longValue());
            }
            return List.copyOf(out);
        }
    }

    /** Reads the (optional) evidence field: an array of up to {@link #MAX_EVIDENCE} entry indexes. */
    static Evidence evidence(Payload p) {
        if (!p.has("evidence")) {
            return Evidence.NONE;
        }
        Object v = p.raw("evidence");
        if (!(v instanceof List<?> list) || list.size() > MAX_EVIDENCE) {
            throw Payload.invalid("invalid-evidence", "evidence", "payload.evidence must be an array of up to "
                    + MAX_EVIDENCE + " entry indexes");
        }
        List<Number> items = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
                    || n.doubleValue() >= Long.MAX_VALUE) {
                throw notEarlier(o, Long.MAX_VALUE);
            }
            items.add(n);
        }
        return new Evidence(List.copyOf(items));
    }

    private static LedgerException notEarlier(Object item, long index) {
        return Payload.invalid("invalid-evidence", "evidence", "payload.evidence must list indexes of earlier entries "
                + "(0 to " + (index - 1) + "), not " + item);
    }

    static final int MAX_DOCUMENTS = 10;
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    /**
     * The documents a note attaches: 1 to 10 objects {@code {"name", "sha256", "size"}} (name at most 200 characters,
     * lowercase hex SHA-256 of the bytes, size in bytes), distinct by hash; absent gives an empty list.
     */
    static List<Map<String, Object>> documents(Payload p) {
        if (!p.has("documents")) {
            return List.of();
        }
        String why = "payload.documents must be an array of 1 to " + MAX_DOCUMENTS + " objects {\"name\", \"sha256\", "
                + "\"size\"}: a name of at most 200 characters, the lowercase hex SHA-256 of the document and its size in "
                + "bytes, each hash once";
        if (!(p.raw("documents") instanceof List<?> list) || list.isEmpty() || list.size() > MAX_DOCUMENTS) {
            throw Payload.invalid("invalid-documents", "documents", why);
        }
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !m.keySet().equals(Set.of("name", "sha256", "size"))
                    || !(m.get("name") instanceof String name) || name.isBlank() || name.length() > 200
                    || !(m.get("sha256") instanceof String hash) || !SHA256.matcher(hash).matches() || !seen.add(hash)
                    || !(m.get("size") instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.doubleValue() > 1e15) {
                throw Payload.invalid("invalid-documents", "documents", why);
            }
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("name", name);
            d.put("sha256", hash);
            d.put("size", n.longValue());
            out.add(d);
        }
        return out;
    }

    static UUID discrepancyId(Payload p) {
        return p.entryId("discrepancy", "invalid-discrepancy", "payload.discrepancy must be the payload.id "
                + "(lowercase UUID) of a discrepancy.open entry");
    }

    record Current(UUID id, String state, List<String> orgs) {
    }

    /** The refusal of a discrepancy id that names no finding the actor may know of. */
    static LedgerException unknown(UUID id) {
        return Payload.refusal(LedgerException.Kind.RULE, "unknown-discrepancy", "Unknown discrepancy", "discrepancy",
                "No discrepancy.open with id " + id);
    }

    /**
     * The finding, which the actor must be able to see: the operator, inspectors and regulators see every finding, an
     * organisation those that name it. One it may not see is refused exactly as one that does not exist
     * ({@code unknown-discrepancy}): a write must not tell a stranger that a finding exists or what state it is in.
     */
    static Current visible(BatchContext ctx, UUID id, String actor) throws SQLException {
        Current d = current(ctx.connection(), id);
        if (!d.orgs().contains(actor) && !worksQueue(ctx, actor)) {
            throw unknown(id);
        }
        return d;
    }

    static Current current(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, orgs FROM discrepancies WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw unknown(id);
                }
                return new Current(id, rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
            }
        }
    }

    static void event(Connection c, UUID id, long index, Instant at, String actor, String kind, String state,
                      String note, String outcome, List<Long> evidence, List<Map<String, Object>> documents)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_events (discrepancy_id, idx, at, actor, "
                + "kind, state, note, outcome, evidence, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setObject(1, id);
            ps.setLong(2, index);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setString(4, actor);
            ps.setString(5, kind);
            ps.setString(6, state);
            ps.setString(7, note);
            ps.setString(8, outcome);
            ps.setArray(9, c.createArrayOf("bigint", evidence.toArray()));
            ps.setString(10, documents.isEmpty() ? null : Jcs.canonicalString(documents));
            ps.executeUpdate();
        }
    }

    static void update(Connection c, UUID id, String state, String outcome, List<Long> moreEvidence, long index,
                       Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE discrepancies SET state = ?, outcome = coalesce(?, outcome), "
                // coalesce: a finding opened without evidence, noted without any, keeps an empty array (not NULL)
                + "evidence = coalesce((SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(evidence || ?::bigint[]) x), "
                + "'{}'), "
                + "updated_idx = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, state);
            ps.setString(2, outcome);
            ps.setArray(3, c.createArrayOf("bigint", moreEvidence.toArray()));
            ps.setLong(4, index);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.setObject(6, id);
            ps.executeUpdate();
        }
    }

    static final class Open extends AbstractEntryType<Open.Fields> {
        private static final Set<String> REQUIRED = Set.of("rule", "finding", "severity", "summary", "units", "orgs",
                "evidence");
        private static final Set<String> OPTIONAL = Set.of("details");

        /** The payload record; {@code units} may be empty, {@code details} null. */
        record Fields(String rule, String finding, String severity, String summary, List<UnitKey> units,
                      List<String> orgs, Evidence evidence, Map<?, ?> details) {
        }

        Open() {
            super(OPEN, Open.Fields.class, REQUIRED, OPTIONAL);
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("rule", PayloadSchema.slug("the detector's rule"))
                    .field("severity", PayloadSchema.oneOf(SEVERITIES)).field("summary", PayloadSchema.string(MAX_TEXT))
                    .field("details", PayloadSchema.object());
        }

        @Override
        protected Fields read(Envelope e, Payload p) {
            String rule = p.slug("rule");
            String finding = p.string("finding", 300);
            String severity = p.oneOf("severity", SEVERITIES);
            String summary = p.string("summary", MAX_TEXT);
            List<UnitKey> units = units(p);
            List<String> orgs = p.strings("orgs", MAX_ORGS);
            orgs.forEach(o -> slug(o, "orgs"));
            Evidence evidence = evidence(p);
            Map<?, ?> details = null;
            if (p.has("details")) {
                if (!(p.raw("details") instanceof Map<?, ?> m)) {
                    throw Payload.invalid("invalid-field", "details", "payload.details must be an object");
                }
                details = m;
            }
            return new Fields(rule, finding, severity, summary, units, orgs, evidence, details);
        }

        /** Units may be empty (a finding about an organisation); otherwise unit references. */
        private static List<UnitKey> units(Payload p) {
            Object v = p.raw("units");
            if (v instanceof List<?> l && l.isEmpty()) {
                return List.of();
            }
            return p.units("units", MAX_UNITS);
        }

        private static void slug(String s, String field) {
            if (!EnvelopeParser.SLUG.matcher(s).matches()) {
                throw Payload.invalid("invalid-id", field, "payload." + field + " must list organisation ids, not \""
                        + s + "\"");
            }
        }

        @Override
        public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
            if (!worksQueue(ctx, e.actor())) {
                throw new LedgerException(LedgerException.Kind.RULE, "role-required", "Role required",
                        "Only the operator (for detectors' findings), inspectors and regulators open discrepancies; "
                                + "\"" + e.actor() + "\" may add notes to the findings that involve it",
                        Map.of("role", Roles.INSPECTOR), null);
            }
            String finding = f.finding();
            List<UnitKey> units = f.units();
            List<String> orgs = f.orgs();
            for (String o : orgs) {
                if (!Operator.ID.equals(o)) {
                    Rules.requireOrg(ctx, o);
                }
            }
            CustodyState s = CustodyState.of(ctx);
            for (UnitKey k : units) {
                Rules.existing(s, k);
            }
            List<Long> evidence = f.evidence().before(index);
            Connection c = ctx.connection();
            requireNew(c, finding);
            insert(c, e, f, index, at, evidence);
            event(c, e.id(), index, at, e.actor(), "open", "open", f.summary(), null, evidence, List.of());
            if (f.details() == null || !f.details().containsKey(LISTED_ORG)) {
                for (UnitKey k : units) {
                    s.touched(k, index);
                }
            } // a finding about a listed party stays out of the units' histories and feeds, which that party sees
        }

        /** A finding is opened once: {@code finding-exists} names the discrepancy that opened it. */
        private static void requireNew(Connection c, String finding) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM discrepancies WHERE finding = ?")) {
                ps.setString(1, finding);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new LedgerException(LedgerException.Kind.CONFLICT, "finding-exists", "Finding already open",
                                "Finding \"" + finding + "\" was opened before as discrepancy " + rs.getObject(1)
                                        + "; a finding is never opened twice", Map.of("discrepancy",
                                rs.getObject(1).toString()), null);
                    }
                }
            }
        }

        /** The discrepancy's row, its units and its organisations. */
        private static void insert(Connection c, Envelope e, Fields f, long index, Instant at, List<Long> evidence)
                throws SQLException {
            List<UnitKey> units = f.units();
            List<String> orgs = f.orgs();
            String finding = f.finding();
            List<Map<String, String>> unitJson = units.stream().map(k -> Map.of("manufacturer", k.manufacturer(),
                    "serial", k.serial())).toList();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancies (id, finding, rule, severity, state, "
                    + "summary, opened_idx, opened_at, opened_by, updated_idx, updated_at, units, orgs, evidence, details) "
                    + "VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb)")) {
                ps.setObject(1, e.id());
                ps.setString(2, finding);
                ps.setString(3, f.rule());
                ps.setString(4, f.severity());
                ps.setString(5, f.summary());
                ps.setLong(6, index);
                ps.setTimestamp(7, Timestamp.from(at));
                ps.setString(8, e.actor());
                ps.setLong(9, index);
                ps.setTimestamp(10, Timestamp.from(at));
                ps.setString(11, Jcs.canonicalString(unitJson));
                ps.setArray(12, c.createArrayOf("text", orgs.toArray()));
                ps.setArray(13, c.createArrayOf("bigint", evidence.toArray()));
                ps.setString(14, f.details() != null ? Jcs.canonicalString(f.details()) : null);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_units (discrepancy_id, manufacturer, "
                    + "serial) VALUES (?, ?, ?)")) {
                for (UnitKey k : units) {
                    ps.setObject(1, e.id());
                    ps.setString(2, k.manufacturer());
                    ps.setString(3, k.serial());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_orgs (discrepancy_id, org) VALUES (?, ?)")) {
                for (String o : orgs) {
                    ps.setObject(1, e.id());
                    ps.setString(2, o);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    static final class Note extends AbstractEntryType<Note.Fields> {
        private static final Set<String> REQUIRED = Set.of("discrepancy", "note");
        private static final Set<String> OPTIONAL = Set.of("state", "evidence", "documents");
        private static final List<String> NOTE_STATES = List.of("acknowledged", "investigating");

        /** The payload record; {@code state} may be null. */
        record Fields(UUID discrepancy, String note, String state, Evidence evidence,
                      List<Map<String, Object>> documents) {
        }

        Note() {
            super(NOTE, Note.Fields.class, REQUIRED, OPTIONAL);
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("discrepancy", PayloadSchema.entryId("the discrepancy.open"))
                    .field("note", PayloadSchema.string(MAX_TEXT)).field("state", PayloadSchema.oneOf(NOTE_STATES));
        }

        @Override
        protected Fields read(Envelope e, Payload p) {
            UUID id = discrepancyId(p);
            String note = p.string("note", MAX_TEXT);
            String state = p.has("state") ? p.oneOf("state", NOTE_STATES) : null;
            return new Fields(id, note, state, evidence(p), documents(p));
        }

        @Override
        public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
            Current d = visible(ctx, f.discrepancy(), e.actor()); // an organisation it does not name: unknown
            boolean worker = worksQueue(ctx, e.actor());
            if ("resolved".equals(d.state())) {
                throw LedgerException.conflict("discrepancy-resolved", "Discrepancy resolved",
                        "Discrepancy " + d.id() + " is resolved; a resolved finding is final");
            }
            String state = d.state();
            if (f.state() != null) {
                String next = f.state();
                if (!worker) {
                    throw new LedgerException(LedgerException.Kind.RULE, "role-required", "Role required",
                            "Only the operator, inspectors and regulators move a discrepancy on; \"" + e.actor()
                                    + "\" may add notes and evidence", Map.of("role", Roles.INSPECTOR), null);
                }
                if (STATES.indexOf(next) <= STATES.indexOf(state)) {
                    throw LedgerException.conflict("state-not-forward", "State does not move forward",
                            "Discrepancy " + d.id() + " is " + state + "; it can move on to a later state only, not "
                                    + next);
                }
                state = next;
            }
            List<Long> evidence = f.evidence().before(index);
            update(ctx.connection(), d.id(), state, null, evidence, index, at);
            event(ctx.connection(), d.id(), index, at, e.actor(), "note", state, f.note(), null, evidence,
                    f.documents());
        }
    }

    static final class Resolve extends AbstractEntryType<DiscrepancyResolution> {
        private static final Set<String> REQUIRED = Set.of("discrepancy", "outcome", "reason");

        Resolve() {
            super(RESOLVE, DiscrepancyResolution.class, REQUIRED, Set.of());
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("discrepancy", PayloadSchema.entryId("the discrepancy.open"))
                    .field("outcome", PayloadSchema.oneOf(OUTCOMES)).field("reason", PayloadSchema.string(MAX_TEXT));
        }

        @Override
        protected DiscrepancyResolution read(Envelope e, Payload p) {
            return new DiscrepancyResolution(discrepancyId(p), p.oneOf("outcome", OUTCOMES),
                    p.string("reason", MAX_TEXT));
        }

        @Override
        public void apply(Envelope e, DiscrepancyResolution f, long index, Instant at, BatchContext ctx)
                throws SQLException {
            Current d = visible(ctx, f.discrepancy(), e.actor());
            if (!worksQueue(ctx, e.actor())) {
                throw new LedgerException(LedgerException.Kind.RULE, "role-required", "Role required",
                        "Only the operator, inspectors and regulators resolve discrepancies", Map.of("role",
                        Roles.INSPECTOR), null);
            }
            if ("resolved".equals(d.state())) {
                throw LedgerException.conflict("discrepancy-resolved", "Discrepancy resolved",
                        "Discrepancy " + d.id() + " is already resolved");
            }
            String outcome = f.outcome();
            update(ctx.connection(), d.id(), "resolved", outcome, List.of(), index, at);
            event(ctx.connection(), d.id(), index, at, e.actor(), "resolve", "resolved", f.reason(),
                    outcome, List.of(), List.of());
        }
    }
}
