package org.fabtrail.ledger;

import org.fabtrail.ledger.merkle.NodeId;
import org.fabtrail.ledger.merkle.Proofs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rebuilds the receipt an entry was originally answered with, from stored checkpoints and tree nodes. */
public final class Receipts {

    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final LedgerStore store;

    public Receipts(LedgerStore store) {
        this.store = store;
    }

    /** RFC 3339 UTC with exactly three fraction digits, as integratedTime is written in leaves. */
    public static String formatTime(Instant t) {
        return RFC3339_MILLIS.format(t);
    }

    /**
     * The receipt of a stored entry: the checkpoint of the batch that appended it, and the inclusion proof
     * against that checkpoint's tree size. Identical to what the original submitter received.
     */
    public Receipt forEntry(Connection c, LedgerStore.EntryRef ref) throws SQLException {
        LedgerStore.StoredCheckpoint cp = store.checkpointCovering(c, ref.index()).orElseThrow(() ->
                new SQLException("no checkpoint covers log index " + ref.index()));
        return new Receipt(ref.index(), ref.leafHash(), ref.integratedTime(), cp.note(),
                inclusion(c, ref.index(), cp.treeSize()), false);
    }

    /** An inclusion proof read from stored nodes with one query. Caller checks 0 <= index < size <= tree size. */
    public InclusionProof inclusion(Connection c, long index, long size) throws SQLException {
        Set<NodeId> plan = Proofs.inclusionNodes(index, size);
        Map<NodeId, byte[]> nodes = store.nodes(c, plan);
        List<byte[]> hashes = Proofs.inclusion(index, size, LedgerStore.source(nodes));
        return new InclusionProof(index, size, hashes);
    }

    /** A consistency proof read from stored nodes with one query. Caller checks 0 < from <= to <= tree size. */
    public ConsistencyProof consistency(Connection c, long from, long to) throws SQLException {
        Set<NodeId> plan = Proofs.consistencyNodes(from, to);
        Map<NodeId, byte[]> nodes = store.nodes(c, plan);
        return new ConsistencyProof(from, to, Proofs.consistency(from, to, LedgerStore.source(nodes)));
    }

    /** The root of the tree of the given size, from stored nodes. */
    public byte[] root(Connection c, long size) throws SQLException {
        Map<NodeId, byte[]> nodes = store.nodes(c, Proofs.rootNodes(size));
        return Proofs.root(size, LedgerStore.source(nodes));
    }
}
