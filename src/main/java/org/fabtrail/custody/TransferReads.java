package org.fabtrail.custody;

import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.ReadService;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The transfers as a caller may see them (ADR 0024): its sender and its receiver see a transfer, and whoever sees
 * everything; anyone else is answered as if it did not exist (empty).
 */
public final class TransferReads extends ReadService<CustodyQueries> {

    /** A transfer with each of its units' current record and custody chain (who held it since when). */
    public record TransferCustody(CustodyQueries.TransferRecord transfer,
                                  Map<UnitKey, CustodyQueries.UnitRecord> units,
                                  Map<UnitKey, List<CustodyQueries.CustodyStop>> chains) {
    }

    public TransferReads(Ledger ledger) {
        super(ledger, new CustodyQueries());
    }

    /** The transfer, if the caller sends or receives it (or sees everything). */
    public Optional<CustodyQueries.TransferRecord> transfer(Visibility v, UUID id) {
        return ledger.read(c -> queries.transfer(c, id, v.visibleTo()));
    }

    /**
     * The transfer with its units' custody. Its sender held every unit and its receiver was sent them: both may see
     * all of them.
     */
    public Optional<TransferCustody> withCustody(Visibility v, UUID id) {
        return ledger.read(c -> {
            Optional<CustodyQueries.TransferRecord> t = queries.transfer(c, id, v.visibleTo());
            if (t.isEmpty()) {
                return Optional.<TransferCustody>empty();
            }
            List<UnitKey> keys = t.get().units().stream().map(CustodyQueries.TransferUnit::unit).toList();
            Map<UnitKey, List<CustodyQueries.CustodyStop>> chains = queries.custodyChains(c, keys);
            Map<UnitKey, CustodyQueries.UnitRecord> units = new HashMap<>();
            for (CustodyQueries.UnitRecord u : queries.units(c, keys, null)) {
                units.put(u.key(), u);
            }
            return Optional.of(new TransferCustody(t.get(), units, chains));
        });
    }

    /** Those of these transfers the caller may see (sends or receives). */
    public Set<UUID> visible(Visibility v, Collection<UUID> ids) {
        return ledger.read(c -> {
            Set<UUID> out = new HashSet<>();
            for (UUID id : ids) {
                if (queries.transfer(c, id, v.visibleTo()).isPresent()) {
                    out.add(id);
                }
            }
            return out;
        });
    }

    /** The current records of a transfer's units (its sender and receiver may see them all), in no order. */
    public List<CustodyQueries.UnitRecord> units(CustodyQueries.TransferRecord t) {
        List<UnitKey> keys = t.units().stream().map(CustodyQueries.TransferUnit::unit).toList();
        return ledger.read(c -> queries.units(c, keys, null));
    }

    /**
     * Transfers matching the filter, newest dispatch first; the filter's {@code visibleTo} is the caller's
     * visibility's (whatever it was built with).
     */
    public List<CustodyQueries.TransferRecord> page(Visibility v, CustodyQueries.TransferFilter f, int limit) {
        CustodyQueries.TransferFilter seen = new CustodyQueries.TransferFilter(v.visibleTo(), f.me(), f.incoming(),
                f.counterparty(), f.states(), f.since(), f.beforeIdx());
        return ledger.read(c -> queries.transfers(c, seen, limit));
    }

    /** The organisation's open transfers, inbound or outbound, dispatched below {@code beforeIdx} (null: any). */
    public List<CustodyQueries.TransferRecord> open(String org, boolean inbound, Long beforeIdx, int limit) {
        return ledger.read(c -> queries.openTransfers(c, org, inbound, beforeIdx, limit));
    }

    public long countOpen(String org, boolean inbound) {
        return ledger.read(c -> queries.countOpenTransfers(c, org, inbound));
    }
}
