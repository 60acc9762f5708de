package org.fabtrail.custody;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.LedgerStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Drops every projection and rebuilds it by replaying the log from index 0 through the same rules that built it,
 * inside one transaction that holds the tree head lock (writers wait). Before and after, each projection table is
 * fingerprinted; the result says which tables, if any, came out different.
 *
 * <p>This is how a new replica or a restored backup catches up, and the proof that the log alone is the source of
 * truth: a replay must reproduce the projections exactly.
 */
public final class ProjectionRebuild {

    /** Every projection table, in an order that suits TRUNCATE. */
    public static final List<String> TABLES = List.of("orgs", "org_keys", "sites", "units", "transfers",
            "transfer_units", "unit_entries", "unit_parties", "device_cas", "device_keys", "unit_inspections",
            "platform_certificates", "discrepancies", "discrepancy_units", "discrepancy_orgs", "discrepancy_events");

    private static final String CHALLENGES_USED = "attestation_challenges.used_idx";

    /**
     * What is compared before and after: every projection table, and which entry used each attestation challenge
     * (challenges are issued outside the log and kept; the replay clears and re-derives only that mark).
     */
    public static final List<String> COMPARED;

    static {
        List<String> all = new ArrayList<>(TABLES);
        all.add(CHALLENGES_USED);
        COMPARED = List.copyOf(all);
    }

    /** What the rebuild found: per table (of {@link #COMPARED}), the fingerprint before and after. */
    public record Result(long entries, Map<String, String> before, Map<String, String> after) {
        public List<String> differing() {
            return COMPARED.stream().filter(t -> !before.get(t).equals(after.get(t))).toList();
        }

        public boolean identical() {
            return differing().isEmpty();
        }
    }

    private static final int CHUNK = 2000;

    private final EnvelopeParser parser = new EnvelopeParser(Integer.MAX_VALUE);
    private final LedgerStore store = new LedgerStore();
    private final EntryTypes types;

    /** @param types the entry types whose rules built the projections (all this version accepts) */
    public ProjectionRebuild(EntryTypes types) {
        this.types = types;
    }

    /**
     * Rebuilds on the connection's transaction. The caller commits (to keep the rebuilt projections) or rolls
     * back (to only compare).
     */
    public Result rebuild(Connection c, LongConsumer progress) throws SQLException {
        // the projections grow from empty here: keep their plans following that growth (ADR 0018)
        LedgerStore.planForCurrentSizes(c);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT tree_size FROM tree_head WHERE id = 1 FOR UPDATE");
        }
        Map<String, String> before = fingerprints(c);
        try (Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + String.join(", ", TABLES));
            st.execute("UPDATE attestation_challenges SET used_idx = NULL WHERE used_idx IS NOT NULL");
        }
        // Replaying applies the rules as they stood; the key registry is read from the projections being rebuilt.
        CustodyPolicy policy = new CustodyPolicy(null, null, Clock.systemUTC(), types);
        long next = 0;
        while (true) {
            List<LedgerStore.StoredEntry> rows = store.entries(c, next, CHUNK);
            if (rows.isEmpty()) {
                break;
            }
            List<Envelope> envelopes = new ArrayList<>(rows.size());
            for (LedgerStore.StoredEntry row : rows) {
                envelopes.add(policy.withPayloadRecord(envelope(row))); // each payload read once
            }
            BatchContext ctx = BatchContext.on(c);
            policy.prepare(envelopes, ctx);
            for (int i = 0; i < rows.size(); i++) {
                LedgerStore.StoredEntry row = rows.get(i);
                try {
                    policy.apply(envelopes.get(i).withSignatureVerified(), row.index(), row.integratedTime(), ctx);
                } catch (LedgerException e) {
                    throw new SQLException("replaying index " + row.index() + " was refused (" + e.code() + "): "
                            + e.getMessage() + "; run verify", e);
                }
            }
            policy.complete(ctx);
            next = rows.get(rows.size() - 1).index() + 1;
            progress.accept(next);
        }
        return new Result(next, before, fingerprints(c));
    }

    @SuppressWarnings("unchecked")
    private Envelope envelope(LedgerStore.StoredEntry row) {
        Map<String, Object> leaf = (Map<String, Object>) StrictJson.parse(row.leaf());
        return parser.fromLog(leaf.get("envelope"));
    }

    /** Row count and an MD5 over every row's text, in a stable order. */
    static Map<String, String> fingerprints(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : COMPARED) {
            String rows = table.equals(CHALLENGES_USED)
                    ? "(SELECT id, used_idx FROM attestation_challenges WHERE used_idx IS NOT NULL)" : table;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' "
                    + "ORDER BY t::text)), '') FROM " + rows + " t");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                out.put(table, rs.getLong(1) + " rows, md5 " + rs.getString(2));
            }
        }
        return out;
    }
}
