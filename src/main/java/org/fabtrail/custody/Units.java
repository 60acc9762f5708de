package org.fabtrail.custody;

import org.fabtrail.ledger.CosignatureStore;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.ReadService;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The units as a caller may see them (ADR 0024): every question takes the caller's {@link Visibility}, and a unit the
 * caller may not see is answered as one that does not exist (empty). Reads on the ledger's pooled connection; the SQL
 * is {@link CustodyQueries}'.
 */
public final class Units extends ReadService<CustodyQueries> {

    /** A unit with what its page shows beside it: its components and its pending transfer, if any. */
    public record UnitDetail(CustodyQueries.UnitRecord unit, List<UnitKey> components,
                             CustodyQueries.TransferRecord pending) {
    }

    private final LedgerStore store;

    public Units(Ledger ledger, LedgerStore store) {
        super(ledger, new CustodyQueries());
        this.store = store;
    }

    public boolean canSee(Visibility v, UnitKey unit) {
        return ledger.read(c -> queries.canSee(c, v.visibleTo(), unit));
    }

    /** The unit, if it exists and the caller may see it. */
    public Optional<CustodyQueries.UnitRecord> unit(Visibility v, UnitKey unit) {
        return ledger.read(c -> queries.canSee(c, v.visibleTo(), unit) ? queries.unit(c, unit)
                : Optional.<CustodyQueries.UnitRecord>empty());
    }

    /**
     * The unit with its components and its pending transfer. The transfer lists only the units the caller may see,
     * unless the caller sends or receives it: a manufacturer must not learn other manufacturers' serials from a
     * shared shipment.
     */
    public Optional<UnitDetail> detail(Visibility v, UnitKey unit) {
        return ledger.read(c -> queries.canSee(c, v.visibleTo(), unit)
                ? Optional.of(detail(c, v, queries.unit(c, unit).orElseThrow())) : Optional.<UnitDetail>empty());
    }

    private UnitDetail detail(Connection c, Visibility v, CustodyQueries.UnitRecord u) throws SQLException {
        CustodyQueries.TransferRecord pending = null;
        if (u.pendingTransfer() != null) {
            pending = queries.transfer(c, u.pendingTransfer()).orElse(null);
            String visibleTo = v.visibleTo();
            if (pending != null && visibleTo != null && !visibleTo.equals(pending.sender())
                    && !visibleTo.equals(pending.receiver())) {
                List<CustodyQueries.TransferUnit> mine = new ArrayList<>();
                for (CustodyQueries.TransferUnit tu : pending.units()) {
                    if (queries.canSee(c, visibleTo, tu.unit())) {
                        mine.add(tu);
                    }
                }
                pending = pending.withUnits(mine);
            }
        }
        return new UnitDetail(u, queries.components(c, u.key()), pending);
    }

    /** A page of the units the caller may see, in (manufacturer, serial) order after {@code after}. */
    public List<CustodyQueries.UnitRecord> page(Visibility v, CustodyQueries.UnitFilter f, UnitKey after, int limit) {
        return ledger.read(c -> queries.units(c, f, v.visibleTo(), after, limit));
    }

    /** The page before {@code before}, in (manufacturer, serial) order. */
    public List<CustodyQueries.UnitRecord> pageBefore(Visibility v, CustodyQueries.UnitFilter f, UnitKey before,
                                                      int limit) {
        return ledger.read(c -> queries.unitsBefore(c, f, v.visibleTo(), before, limit));
    }

    /** A page of units, and whether there are units before its first and after its last. */
    public record UnitWindow(List<CustodyQueries.UnitRecord> units, boolean moreBefore, boolean moreAfter) {
    }

    /**
     * The page after {@code after} or, with only {@code before} given, the page before {@code before} (both in
     * (manufacturer, serial) order), with whether the list goes on either side of it.
     */
    public UnitWindow window(Visibility v, CustodyQueries.UnitFilter f, UnitKey after, UnitKey before, int limit) {
        String visibleTo = v.visibleTo();
        return ledger.read(c -> {
            List<CustodyQueries.UnitRecord> units = before != null && after == null
                    ? queries.unitsBefore(c, f, visibleTo, before, limit) : queries.units(c, f, visibleTo, after, limit);
            if (units.isEmpty()) {
                return new UnitWindow(units, false, false);
            }
            UnitKey first = units.get(0).key();
            UnitKey last = units.get(units.size() - 1).key();
            return new UnitWindow(units, !queries.unitsBefore(c, f, visibleTo, first, 1).isEmpty(),
                    !queries.units(c, f, visibleTo, last, 1).isEmpty());
        });
    }

    /** The units whose last change came after a position, in the order of their last change. */
    public List<CustodyQueries.UnitRecord> changed(Visibility v, long afterIdx, UnitKey afterKey, int limit) {
        return ledger.read(c -> queries.changedUnits(c, v.visibleTo(), afterIdx, afterKey, limit));
    }

    /** The units whose serial is (or, with {@code prefix}, starts with) {@code serial}. */
    public List<CustodyQueries.UnitRecord> search(Visibility v, String serial, boolean prefix, UnitKey after,
                                                  int limit) {
        return ledger.read(c -> queries.serialSearch(c, v.visibleTo(), serial, prefix, after, limit));
    }

    /** The units with this serial exactly (any manufacturer). */
    public List<UnitKey> bySerial(Visibility v, String serial) {
        return ledger.read(c -> queries.bySerial(c, v.visibleTo(), serial));
    }

    /** Those of these units that exist and that the caller may see. */
    public List<CustodyQueries.UnitRecord> lookup(Visibility v, Collection<UnitKey> keys) {
        return ledger.read(c -> queries.units(c, keys, v.visibleTo()));
    }

    /** Every entry about the unit (moves inside its parent included), in log order; empty for a unit not seen. */
    public Optional<List<LedgerStore.StoredEntry>> history(Visibility v, UnitKey unit) {
        return ledger.read(c -> {
            if (!queries.canSee(c, v.visibleTo(), unit)) {
                return Optional.<List<LedgerStore.StoredEntry>>empty();
            }
            return Optional.of(store.entriesAt(c, queries.entryIndexes(c, unit)));
        });
    }

    /** The log indexes of every entry about the unit, in log order; empty for a unit the caller may not see. */
    public Optional<List<Long>> entryIndexes(Visibility v, UnitKey unit) {
        return ledger.read(c -> queries.canSee(c, v.visibleTo(), unit) ? Optional.of(queries.entryIndexes(c, unit))
                : Optional.<List<Long>>empty());
    }

    /** A bundle with the detail of its unit, as the caller sees it. */
    public record BundleDetail(UnitBundles.Bundle bundle, UnitDetail unit) {
    }

    /** The unit's offline bundle ({@link UnitBundles}); empty for a unit the caller may not see. */
    public Optional<BundleDetail> bundle(Visibility v, UnitKey unit, Optional<CosignatureStore.Cosigned> cosigned) {
        return ledger.read(c -> {
            if (!queries.canSee(c, v.visibleTo(), unit)) {
                return Optional.<BundleDetail>empty();
            }
            UnitBundles.Bundle b = new UnitBundles(store).build(c, unit, cosigned);
            return Optional.of(new BundleDetail(b, detail(c, v, b.unit())));
        });
    }

    /** The unit's newest inspections, at most {@code limit}; none for a unit the caller may not see. */
    public List<CustodyQueries.InspectionRecord> inspections(Visibility v, UnitKey unit, int limit) {
        return ledger.read(c -> queries.canSee(c, v.visibleTo(), unit) ? queries.inspections(c, unit, limit)
                : List.<CustodyQueries.InspectionRecord>of());
    }

    /** The unit and every unit it is assembled in, up to the outermost (what may not be assembled into it). */
    public Set<UnitKey> ancestors(CustodyQueries.UnitRecord unit) {
        return ledger.read(c -> {
            Set<UnitKey> out = new HashSet<>();
            out.add(unit.key());
            for (UnitKey up = unit.parent(); up != null && out.add(up); ) {
                up = queries.unit(c, up).map(CustodyQueries.UnitRecord::parent).orElse(null);
            }
            return out;
        });
    }

    /** The units assembled directly in {@code parent}, in key order (the caller has seen the parent). */
    public List<UnitKey> components(UnitKey parent) {
        return ledger.read(c -> queries.components(c, parent));
    }

    /** The units {@code custodian} holds at {@code site} and may dispatch, after {@code after}, in key order. */
    public List<CustodyQueries.UnitRecord> movable(String custodian, String site, UnitKey after, int limit) {
        return ledger.read(c -> queries.movable(c, custodian, site, after, limit));
    }

    /** The units with this serial (any manufacturer) that {@code org} holds now. */
    public List<UnitKey> heldWithSerial(String org, String serial) {
        return ledger.read(c -> {
            List<UnitKey> out = new ArrayList<>();
            for (UnitKey k : queries.bySerial(c, org, serial)) {
                if (queries.unit(c, k).map(u -> org.equals(u.custodian())).orElse(false)) {
                    out.add(k);
                }
            }
            return out;
        });
    }

    /** Which of these serials the manufacturer has registered already (a bulk registration's duplicates). */
    public Set<String> registeredSerials(String manufacturer, Collection<String> serials) {
        return ledger.read(c -> queries.registeredSerials(c, manufacturer, serials));
    }
}
