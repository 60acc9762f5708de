package org.fabtrail.ledger;

import org.fabtrail.ledger.merkle.NodeId;
import org.fabtrail.ledger.merkle.NodeSource;
import org.fabtrail.ledger.merkle.StoredNode;
import org.fabtrail.ledger.merkle.TreeAppender;
import org.postgresql.PGStatement;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SQL access to the ledger tables. Every method works on the caller's connection and transaction; the only state
 * is a bounded cache of committed upper tree nodes for proofs ({@link UpperNodes}).
 *
 * <p>Guarantees of the tables it manages (enforced by triggers in db/migration/V1): log indexes are dense from
 * 0 and never reused; no row of log_entries, tree_nodes or checkpoints is ever updated or deleted; the tree
 * head only grows. An append is durable when the caller's transaction has committed.
 */
public final class LedgerStore {

    /** Upper tree nodes read outside transactions, kept for proofs (immutable once committed). */
    private final UpperNodes upper = new UpperNodes();

    /** A stored entry's place in the log, enough to answer an identical resubmission. */
    public record EntryRef(UUID entryId, long index, byte[] payloadHash, byte[] leafHash, Instant integratedTime) {
    }

    /** One row of the log. */
    public record StoredEntry(long index, UUID entryId, String type, String actor, String keyId, byte[] payloadHash,
                              byte[] leaf, byte[] leafHash, Instant integratedTime) {
    }

    /** A published checkpoint. */
    public record StoredCheckpoint(long treeSize, byte[] rootHash, String note, Instant createdAt) {
    }

    /** What to append for one accepted entry. */
    public record NewEntry(long index, UUID entryId, String type, String actor, String keyId, byte[] payloadHash,
                           byte[] leaf, byte[] leafHash) {
    }

    /**
     * Locks the tree head for a sequencer batch and, in the same round trip, plans the rest of the transaction's
     * statements for their arguments and the tables' current sizes (as {@link #planForCurrentSizes}; ADR 0018,
     * ADR 0026).
     */
    public TreeHead lockHead(Connection c) throws SQLException {
        return head(c, "SELECT tree_size, root_hash, updated_at, set_config('plan_cache_mode', 'force_custom_plan', "
                + "true) FROM tree_head WHERE id = 1 FOR UPDATE");
    }

    public TreeHead head(Connection c) throws SQLException {
        return head(c, "SELECT tree_size, root_hash, updated_at FROM tree_head WHERE id = 1");
    }

    private static TreeHead head(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("tree_head row is missing: the schema was not migrated");
            }
            return new TreeHead(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3).toInstant());
        }
    }

    public Map<UUID, EntryRef> findByEntryIds(Connection c, Collection<UUID> ids) throws SQLException {
        Map<UUID, EntryRef> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(ENTRIES_BY_ID)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    out.put(id, new EntryRef(id, rs.getLong(2), rs.getBytes(3), rs.getBytes(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * Reads the given complete nodes in one query: level 0 from the leaf hashes, higher levels from tree_nodes.
     *
     * @throws SQLException when any requested node is missing (the tree is shorter than asked, or damaged)
     */
    public Map<NodeId, byte[]> nodes(Connection c, Set<NodeId> ids) throws SQLException {
        return upper.nodes(c, ids, this::allNodes);
    }

    /** How many upper tree nodes this store holds in memory ({@link UpperNodes}). */
    public int heldNodes() {
        return upper.size();
    }

    private Map<NodeId, byte[]> allNodes(Connection c, Set<NodeId> ids) throws SQLException {
        Map<NodeId, byte[]> out = storedNodes(c, ids);
        if (out.size() != ids.size()) {
            List<NodeId> missing = ids.stream().filter(id -> !out.containsKey(id)).limit(5).toList();
            throw new SQLException("Merkle tree nodes missing from the store: " + missing);
        }
        return out;
    }

    /** Those of the given nodes that are stored (absent ones are simply not in the map). */
    public Map<NodeId, byte[]> storedNodes(Connection c, Set<NodeId> ids) throws SQLException {
        Map<NodeId, byte[]> out = new HashMap<>(ids.size() * 2);
        if (ids.isEmpty()) {
            return out;
        }
        Short[] levels = new Short[ids.size()];
        Long[] idxs = new Long[ids.size()];
        int i = 0;
        for (NodeId id : ids) {
            levels[i] = (short) id.level();
            idxs[i] = id.index();
            i++;
        }
        // One statement: level 0 is the leaf hash column, higher levels are tree_nodes.
        try (PreparedStatement ps = c.prepareStatement(NODES)) {
            ps.setArray(1, c.createArrayOf("smallint", levels));
            ps.setArray(2, c.createArrayOf("bigint", idxs));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new NodeId(rs.getShort(1), rs.getLong(2)), rs.getBytes(3));
                }
            }
        }
        return out;
    }

    /** The compact range of the tree of {@code size} leaves: what a {@code TreeAppender} starts from. */
    public List<byte[]> border(Connection c, long size) throws SQLException {
        List<NodeId> ids = TreeAppender.borderNodes(size);
        Map<NodeId, byte[]> nodes = nodes(c, new java.util.HashSet<>(ids));
        List<byte[]> out = new ArrayList<>(ids.size());
        for (NodeId id : ids) {
            out.add(nodes.get(id));
        }
        return out;
    }

    /** A node source over an already fetched set of nodes; reading any other node is a bug. */
    public static NodeSource source(Map<NodeId, byte[]> nodes) {
        return (level, index) -> {
            byte[] h = nodes.get(new NodeId(level, index));
            if (h == null) {
                throw new IllegalStateException("node " + level + "/" + index + " was not fetched");
            }
            return h;
        };
    }

    /** Hashes of level {@code level} nodes with index in [from, from + count), in index order. */
    public List<byte[]> levelRange(Connection c, int level, long from, int count) throws SQLException {
        String sql = level == 0
                ? "SELECT leaf_hash FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx"
                : "SELECT hash FROM tree_nodes WHERE level = " + level + " AND idx >= ? AND idx < ? ORDER BY idx";
        List<byte[]> out = new ArrayList<>(count);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, from + count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
        }
        return out;
    }

    public void insertEntries(Connection c, List<NewEntry> entries, Instant integratedTime) throws SQLException {
        PgCopy copy = new PgCopy("log_entries (idx, entry_id, entry_type, actor, key_id, payload_hash, leaf, leaf_hash, "
                + "integrated_time)", 9);
        for (NewEntry e : entries) {
            copy.row().bigint(e.index()).uuid(e.entryId()).text(e.type()).text(e.actor()).text(e.keyId())
                    .bytea(e.payloadHash()).bytea(e.leaf()).bytea(e.leafHash()).timestamptz(integratedTime);
        }
        copy.copy(c);
    }

    public void insertNodes(Connection c, List<StoredNode> nodes) throws SQLException {
        PgCopy copy = new PgCopy("tree_nodes (level, idx, hash)", 3);
        for (StoredNode n : nodes) {
            copy.row().smallint(n.id().level()).bigint(n.id().index()).bytea(n.hash());
        }
        copy.copy(c);
    }

    /**
     * Records the signed checkpoint of a batch and moves the tree head to it: two statements sent together, in one
     * round trip (pgjdbc sends both before waiting; each sees the one before it, so the head's trigger finds the
     * checkpoint).
     */
    public void appendCheckpoint(Connection c, long size, byte[] root, String note, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO checkpoints (tree_size, root_hash, note, "
                + "created_at) VALUES (?, ?, ?, ?); UPDATE tree_head SET tree_size = ?, root_hash = ?, updated_at = ? "
                + "WHERE id = 1")) {
            ps.setLong(1, size);
            ps.setBytes(2, root);
            ps.setString(3, note);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setLong(5, size);
            ps.setBytes(6, root);
            ps.setTimestamp(7, Timestamp.from(at));
            ps.execute();
            int checkpoint = ps.getUpdateCount();
            ps.getMoreResults();
            if (checkpoint != 1 || ps.getUpdateCount() != 1) {
                throw new SQLException("tree_head row is missing");
            }
        }
    }

    public Optional<StoredCheckpoint> latestCheckpoint(Connection c) throws SQLException {
        return checkpoint(c, "SELECT tree_size, root_hash, note, created_at FROM checkpoints "
                + "ORDER BY tree_size DESC LIMIT 1", -1);
    }

    /** The first checkpoint published after {@code index} was appended: the one its write was answered with. */
    public Optional<StoredCheckpoint> checkpointCovering(Connection c, long index) throws SQLException {
        return checkpoint(c, "SELECT tree_size, root_hash, note, created_at FROM checkpoints WHERE tree_size > ? "
                + "ORDER BY tree_size LIMIT 1", index);
    }

    public Optional<StoredCheckpoint> checkpointAt(Connection c, long size) throws SQLException {
        return checkpoint(c, "SELECT tree_size, root_hash, note, created_at FROM checkpoints WHERE tree_size = ?",
                size);
    }

    private static Optional<StoredCheckpoint> checkpoint(Connection c, String sql, long param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (param >= 0) {
                ps.setLong(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredCheckpoint(rs.getLong(1), rs.getBytes(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()));
            }
        }
    }

    public Optional<StoredEntry> entry(Connection c, long index) throws SQLException {
        List<StoredEntry> list = entries(c, index, 1);
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /**
     * Has PostgreSQL plan every statement of the current transaction for its actual arguments and the tables' sizes
     * at that moment, never with a cached generic plan (ADR 0018). pgjdbc turns a statement into a server-side
     * prepared one after five executions, and PostgreSQL may then settle on a generic plan and keep it until DDL or
     * ANALYZE invalidates it, not as the tables grow: a plan chosen for the batch statements while units was nearly
     * empty (a hash join reading all of units) went on scanning units once per batch at hundreds of thousands of
     * rows (issue 14). A fresh plan sizes a never-analysed table by its current pages, so it follows the growth.
     * Costs one round trip and a short planning of each statement per batch. Lasts until the transaction ends.
     */
    public static void planForCurrentSizes(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
    }

    /**
     * A statement PostgreSQL plans for its arguments every time it runs, on any connection (never a server-side
     * prepared statement, whose generic plan would ignore the arguments: for instance which organisation asks, when
     * one holds a quarter of the units and another none). Planning costs a fraction of a millisecond.
     */
    public static PreparedStatement plannedForArguments(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        if (ps.isWrapperFor(PGStatement.class)) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
        return ps;
    }

    /** The idempotency lookup of a batch's entry ids. */
    static final String ENTRIES_BY_ID = "SELECT entry_id, idx, payload_hash, leaf_hash, integrated_time FROM log_entries "
            + "WHERE entry_id = ANY (?::uuid[])";

    /** Merkle nodes by (level, index): level 0 from log_entries, higher levels from tree_nodes. */
    static final String NODES = "WITH wanted(level, idx) AS (SELECT * FROM unnest(?::smallint[], ?::bigint[])) "
            + "SELECT 0::smallint, e.idx, e.leaf_hash FROM log_entries e JOIN wanted w "
            + "ON w.level = 0 AND e.idx = w.idx "
            + "UNION ALL SELECT n.level, n.idx, n.hash FROM tree_nodes n JOIN wanted w "
            + "ON w.level > 0 AND n.level = w.level AND n.idx = w.idx";

    private static final String ENTRY_COLUMNS =
            "SELECT idx, entry_id, entry_type, actor, key_id, payload_hash, leaf, leaf_hash, integrated_time FROM log_entries";

    /** Up to {@code limit} entries with index >= {@code from}, in index order. */
    public List<StoredEntry> entries(Connection c, long from, int limit) throws SQLException {
        List<StoredEntry> out = new ArrayList<>(Math.min(limit, 1024));
        try (PreparedStatement ps = c.prepareStatement(ENTRY_COLUMNS + " WHERE idx >= ? ORDER BY idx LIMIT ?")) {
            ps.setLong(1, from);
            ps.setInt(2, limit);
            readEntries(ps, out);
        }
        return out;
    }

    /** The entries at exactly these indexes (those that exist), in index order. */
    public List<StoredEntry> entriesAt(Connection c, List<Long> indexes) throws SQLException {
        List<StoredEntry> out = new ArrayList<>(indexes.size());
        if (indexes.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(ENTRY_COLUMNS + " WHERE idx = ANY (?) ORDER BY idx")) {
            ps.setArray(1, c.createArrayOf("bigint", indexes.toArray()));
            readEntries(ps, out);
        }
        return out;
    }

    private static void readEntries(PreparedStatement ps, List<StoredEntry> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredEntry(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getBytes(6), rs.getBytes(7), rs.getBytes(8),
                        rs.getTimestamp(9).toInstant()));
            }
        }
    }

    private static Array bytea(Connection c, byte[][] values) throws SQLException {
        return c.createArrayOf("bytea", values);
    }
}
