package org.fabtrail.ledger;

import org.fabtrail.ledger.merkle.NodeId;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upper levels of the Merkle tree in memory, for proofs (issue 14, ADR 0026). A stored node never changes once
 * committed (tree_nodes is append-only, V1), so a node read on an auto-commit connection may be kept for good. An
 * inclusion proof of a 10 M-entry log needs 24 nodes, 16 of them at level 8 or above; with those here the proof's one
 * query reads the 8 lower ones (one full tile's worth of the tree at most).
 *
 * <p>Bounded: nodes at levels {@value #MIN_LEVEL} and above only, at most {@value #MAX_NODES} of them. A log of n
 * entries has about n/128 such nodes: 78,000 at 10 M entries, about 8 MB of heap (a 32-byte hash, its key and the
 * map's entry, about 100 bytes each); the bound, about 27 MB, is reached at about 33 M entries, after which nodes
 * not yet held are read from the database as before.
 *
 * <p>Never filled from a transaction (the sequencer's, whose nodes may still be rolled back, ADR 0007). Tied to one
 * log: every read also fetches the genesis leaf hash (node 0/0, in the same query), and a different genesis (another
 * database behind the same data source) empties the cache.
 */
final class UpperNodes {

    static final int MIN_LEVEL = 8;
    static final int MAX_NODES = 1 << 18;
    private static final NodeId GENESIS = new NodeId(0, 0);

    private final Map<NodeId, byte[]> held = new ConcurrentHashMap<>();
    private volatile byte[] genesis;

    /** How many nodes are held (for tests and the benchmark's memory account). */
    int size() {
        return held.size();
    }

    /** The given nodes, those held from here and the rest from {@code fetch} in one query. */
    Map<NodeId, byte[]> nodes(Connection c, Set<NodeId> ids, Fetch fetch) throws SQLException {
        if (!c.getAutoCommit()) {
            return fetch.nodes(c, ids);
        }
        Map<NodeId, byte[]> out = new HashMap<>(ids.size() * 2);
        Set<NodeId> missing = new HashSet<>();
        for (NodeId id : ids) {
            byte[] h = held.get(id);
            if (h != null) {
                out.put(id, h);
            } else {
                missing.add(id);
            }
        }
        missing.add(GENESIS);
        Map<NodeId, byte[]> fetched = fetch.nodes(c, missing);
        byte[] g = fetched.get(GENESIS);
        if (genesis == null || !Arrays.equals(genesis, g)) {
            if (!out.isEmpty()) {
                // held from another log: forget it and read everything
                held.clear();
                missing.addAll(out.keySet());
                out.clear();
                fetched = fetch.nodes(c, missing);
            }
            genesis = g;
        }
        if (!ids.contains(GENESIS)) {
            fetched.remove(GENESIS);
        }
        for (Map.Entry<NodeId, byte[]> e : fetched.entrySet()) {
            if (e.getKey().level() >= MIN_LEVEL && held.size() < MAX_NODES) {
                held.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        out.putAll(fetched);
        return out;
    }

    /** Reads nodes from the database, every one of them or a failure. */
    interface Fetch {
        Map<NodeId, byte[]> nodes(Connection c, Set<NodeId> ids) throws SQLException;
    }
}
