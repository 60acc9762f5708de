package org.fabtrail.custody;

import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.ReadService;
import org.fabtrail.ledger.Receipts;

import java.util.List;
import java.util.Optional;

/**
 * The log's entries as a caller may see them (ADR 0024): an organisation sees its own entries, the public registry
 * entries and the entries about units it is a party of; an entry it may not see is answered as none (empty).
 */
public final class LogEntries extends ReadService<CustodyQueries> {

    private final LedgerStore store;

    public LogEntries(Ledger ledger, LedgerStore store) {
        super(ledger, new CustodyQueries());
        this.store = store;
    }

    /** The size of the log's tree as the database holds it now. */
    public long treeSize() {
        return ledger.read(c -> store.head(c).size());
    }

    public boolean canSee(Visibility v, long index) {
        return ledger.read(c -> queries.canSeeEntry(c, v.visibleTo(), index));
    }

    /** The entry at {@code index}, if it exists and the caller may see it. */
    public Optional<LedgerStore.StoredEntry> entry(Visibility v, long index) {
        return ledger.read(c -> queries.canSeeEntry(c, v.visibleTo(), index) ? store.entry(c, index)
                : Optional.<LedgerStore.StoredEntry>empty());
    }

    /** The caller's feed: the entries it may see with index above {@code after}, in log order. */
    public List<LedgerStore.StoredEntry> feed(Visibility v, long after, int limit) {
        // only the page's own entries: a sparse feed's page may span most of the log
        return ledger.read(c -> store.entriesAt(c, queries.feed(c, v.visibleTo(), after, limit)));
    }

    /** The newest entries the caller may see, in the order {@link LedgerStore#entriesAt} gives them. */
    public List<LedgerStore.StoredEntry> recent(Visibility v, int limit) {
        return ledger.read(c -> store.entriesAt(c, queries.recent(c, v.visibleTo(), limit)));
    }

    /** The entries the caller may see below {@code before} (null: from the newest), at most {@code limit}. */
    public List<LedgerStore.StoredEntry> below(Visibility v, Long before, int limit) {
        return ledger.read(c -> store.entriesAt(c, queries.visibleEntries(c, v.visibleTo(), before, limit)));
    }

    /** The latest signed checkpoint. */
    public LedgerStore.StoredCheckpoint latestCheckpoint() {
        return ledger.read(c -> store.latestCheckpoint(c).orElseThrow());
    }

    /** The signed checkpoint of tree size {@code size}, if one was published. */
    public Optional<LedgerStore.StoredCheckpoint> checkpointAt(long size) {
        return ledger.read(c -> store.checkpointAt(c, size));
    }

    /** The root of the tree of {@code size}, recomputed from the stored tree. */
    public byte[] root(long size) {
        return ledger.read(c -> new Receipts(store).root(c, size));
    }

    /** These entries with their inclusion proofs against the tree of {@code size} ({@link UnitBundles#proven}). */
    public List<UnitBundles.Entry> proven(List<Long> indexes, long size) {
        return ledger.read(c -> new UnitBundles(store).proven(c, store.entriesAt(c, indexes), size));
    }

    /** These entries (the caller has seen their indexes in something it may see). */
    public List<LedgerStore.StoredEntry> at(List<Long> indexes) {
        return ledger.read(c -> store.entriesAt(c, indexes));
    }
}
