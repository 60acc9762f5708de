package org.fabtrail.discrepancy;

import org.fabtrail.custody.Visibility;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.ReadService;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The findings (discrepancies) as a caller may see them (ADR 0024): an organisation sees the findings about its units
 * and itself; inspectors, regulators and the operator see all. A finding the caller may not see is answered as none.
 */
public final class Findings extends ReadService<DiscrepancyQueries> {

    /** A finding with its history (every open, note and resolve entry). */
    public record FindingHistory(DiscrepancyQueries.Discrepancy finding, List<DiscrepancyQueries.Event> events) {
    }

    private final Documents documents;

    public Findings(Ledger ledger, Documents documents) {
        super(ledger, new DiscrepancyQueries());
        this.documents = documents;
    }

    /** A document stored for the finding, by its SHA-256; empty for a finding the caller may not see. */
    public Optional<Documents.Content> document(Visibility v, UUID id, String sha256) {
        return ledger.read(c -> queries.get(c, id, v.visibleTo()).isEmpty() ? Optional.<Documents.Content>empty()
                : documents.get(id, sha256));
    }

    /** The findings matching the filter opened below {@code before} (null: the newest), newest first. */
    public List<DiscrepancyQueries.Discrepancy> list(Visibility v, DiscrepancyQueries.Filter f, Long before,
                                                     int limit) {
        return ledger.read(c -> queries.list(c, f, v.visibleTo(), before, limit));
    }

    public Optional<DiscrepancyQueries.Discrepancy> get(Visibility v, UUID id) {
        return ledger.read(c -> queries.get(c, id, v.visibleTo()));
    }

    public Optional<FindingHistory> withHistory(Visibility v, UUID id) {
        return ledger.read(c -> {
            Optional<DiscrepancyQueries.Discrepancy> d = queries.get(c, id, v.visibleTo());
            return d.isEmpty() ? Optional.<FindingHistory>empty()
                    : Optional.of(new FindingHistory(d.get(), queries.events(c, id)));
        });
    }

    /** How many findings matching the filter there are per value of {@code column}. */
    public Map<String, Long> countBy(Visibility v, DiscrepancyQueries.Filter f, String column) {
        return ledger.read(c -> queries.countBy(c, f, v.visibleTo(), column));
    }

    /** Findings opened and resolved per day, the last {@code days} days up to {@code now}. */
    public List<DiscrepancyQueries.Day> trend(Visibility v, DiscrepancyQueries.Filter f, int days, Instant now) {
        return ledger.read(c -> queries.trend(c, f, v.visibleTo(), days, now));
    }
}
