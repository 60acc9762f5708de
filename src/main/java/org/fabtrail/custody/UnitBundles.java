package org.fabtrail.custody;

import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.merkle.NodeId;
import org.fabtrail.ledger.merkle.Proofs;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The offline bundle of a unit: every entry about it as leaf bytes with an inclusion proof, all against ONE
 * checkpoint (the latest), plus the signing keys involved. Verifiable without the server (docs/api.md).
 */
public final class UnitBundles {

    public record Entry(long index, byte[] leaf, byte[] leafHash, List<byte[]> inclusionProof) {
    }

    public record Bundle(CustodyQueries.UnitRecord unit, String checkpoint, long treeSize, List<Entry> entries,
                         List<CustodyQueries.KeyRecord> keys) {
    }

    private final LedgerStore store;
    private final CustodyQueries queries = new CustodyQueries();

    public UnitBundles(LedgerStore store) {
        this.store = store;
    }

    /** The caller has checked that the unit exists and may be seen. */
    public Bundle build(Connection c, UnitKey unit) throws SQLException {
        LedgerStore.StoredCheckpoint cp = store.latestCheckpoint(c).orElseThrow();
        long size = cp.treeSize();
        List<Long> indexes = new ArrayList<>();
        for (long idx : queries.entryIndexes(c, unit)) {
            if (idx < size) {
                indexes.add(idx);
            }
        }
        List<LedgerStore.StoredEntry> entries = store.entriesAt(c, indexes);
        Set<String> keyIds = new LinkedHashSet<>();
        for (LedgerStore.StoredEntry e : entries) {
            keyIds.add(e.keyId());
        }
        return new Bundle(queries.unit(c, unit).orElseThrow(), cp.note(), size, proven(c, entries, size),
                queries.keys(c, null, List.copyOf(keyIds)));
    }

    /** The entries with their inclusion proofs against the tree of {@code size} (read from stored nodes at once). */
    public List<Entry> proven(Connection c, List<LedgerStore.StoredEntry> entries, long size) throws SQLException {
        Set<NodeId> plan = new HashSet<>();
        for (LedgerStore.StoredEntry e : entries) {
            plan.addAll(Proofs.inclusionNodes(e.index(), size));
        }
        var source = LedgerStore.source(store.nodes(c, plan));
        List<Entry> out = new ArrayList<>(entries.size());
        for (LedgerStore.StoredEntry e : entries) {
            out.add(new Entry(e.index(), e.leaf(), e.leafHash(), Proofs.inclusion(e.index(), size, source)));
        }
        return out;
    }
}
