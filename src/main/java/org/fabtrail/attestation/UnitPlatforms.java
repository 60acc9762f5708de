package org.fabtrail.attestation;

import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.ReadService;

import java.util.Optional;

/**
 * The read service of a unit's platform certificate (ADR 0024): the current certificate, its comparison with the
 * unit's recorded composition, and the subject of the CA that verified it. Asked only about a unit the read services
 * of custody have already shown the caller.
 */
public final class UnitPlatforms extends ReadService<PlatformComparisons> {

    /** The current platform certificate of a unit, compared, with its CA's subject (null when unknown). */
    public record Platform(PlatformComparisons.PlatformRecord record, PlatformComparison comparison,
                           String caSubject) {
    }

    public UnitPlatforms(Ledger ledger, PlatformComparisons platforms) {
        super(ledger, platforms);
    }

    /** The unit's current platform certificate, if it has one. */
    public Optional<Platform> current(UnitKey unit) {
        return ledger.read(c -> {
            var current = queries.current(c, unit);
            if (current.isEmpty()) {
                return Optional.<Platform>empty();
            }
            return Optional.of(new Platform(current.get(), queries.compare(c, unit).orElseThrow(),
                    queries.caSubject(c, unit.manufacturer(), current.get().caId()).orElse(null)));
        });
    }
}
