package org.fabtrail.epcis;

import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Visibility;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.ReadService;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read service of EPCIS (ADR 0024): a unit's story and a query over the caller's feed, as the caller may see
 * them. {@code proofBase} is the URL of the inclusion-proof endpoint the events point to.
 */
public final class EpcisDocuments extends ReadService<CustodyQueries> {

    private final LedgerStore store;

    public EpcisDocuments(Ledger ledger, LedgerStore store) {
        super(ledger, new CustodyQueries());
        this.store = store;
    }

    private EpcisExport export(String proofBase) {
        return new EpcisExport(store, new EpcisEvents(proofBase, ledger.head().size()));
    }

    /** Every event about the unit, in log order; empty for a unit the caller may not see. */
    public Optional<List<Map<String, Object>>> unit(Visibility v, UnitKey unit, String proofBase) {
        EpcisExport export = export(proofBase);
        return ledger.read(c -> queries.canSee(c, v.visibleTo(), unit) ? Optional.of(export.unit(c, unit))
                : Optional.<List<Map<String, Object>>>empty());
    }

    /** A page of the events of the caller's feed that match the query ({@link EpcisExport#query}). */
    public EpcisExport.Page query(Visibility v, EpcisQuery q, String proofBase) {
        EpcisExport export = export(proofBase);
        return ledger.read(c -> export.query(c, v.visibleTo(), q));
    }
}
