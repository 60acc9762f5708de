package org.fabtrail.custody;

import org.fabtrail.ledger.CosignatureStore;
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
 * checkpoint, plus the signing keys involved. Verifiable without the server (docs/api.md). The checkpoint is the
 * newest one that meets the log's witness policy, with its cosignature lines, when it covers all the unit's entries;
 * otherwise (no witnesses, or an entry newer than the newest cosigned checkpoint) the latest checkpoint.
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
        return build(c, unit, java.util.Optional.empty());
    }

    /**
     * @param cosigned the newest checkpoint that meets the witness policy, with its cosignature lines, if any
     */
    public Bundle build(Connection c, UnitKey unit, java.util.Optional<CosignatureStore.Cosigned> cosigned)
            throws SQLException {
        LedgerStore.StoredCheckpoint latest = store.latestCheckpoint(c).orElseThrow();
        List<Long> indexes = new ArrayList<>();
        for (long idx : queries.entryIndexes(c, unit)) {
            if (idx < latest.treeSize()) {
                indexes.add(idx);
            }
        }
        String note = latest.note();
        long size = latest.treeSize();
        if (cosigned.isPresent() && covers(cosigned.get(), indexes, latest.treeSize())) {
            note = cosigned.get().note();
            size = cosigned.get().treeSize();
        }
        List<LedgerStore.StoredEntry> entries = store.entriesAt(c, indexes);
        Set<String> keyIds = new LinkedHashSet<>();
        for (LedgerStore.StoredEntry e : entries) {
            keyIds.add(e.keyId());
        }
        return new Bundle(queries.unit(c, unit).orElseThrow(), note, size, proven(c, entries, size),
                queries.keys(c, null, List.copyOf(keyIds)));
    }

    /**
     * Whether a cosigned checkpoint covers every one of these log indexes (and is not beyond the latest checkpoint,
     * as it cannot be unless the database was rolled back under the running server).
     */
    public static boolean covers(CosignatureStore.Cosigned cosigned, List<Long> indexes, long latestSize) {
        long newest = indexes.stream().mapToLong(Long::longValue).max().orElse(-1);
        return cosigned.treeSize() > newest && cosigned.treeSize() <= latestSize;
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
