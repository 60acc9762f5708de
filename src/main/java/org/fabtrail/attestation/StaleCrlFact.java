package org.fabtrail.attestation;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;

import java.time.Instant;

/**
 * A device identity check that passed although a registered CRL on the chain was stale (the {@code crl-stale} reason
 * under {@link StaleCrlPolicy#FLAG}): the entry that checked ({@code unit.register}, {@code unit.certify} or
 * {@code unit.inspect}), its unit, and the CRL: its CA, when it was due ({@code nextUpdate}) and the index of the
 * {@code ca.crl} that registered it.
 */
public record StaleCrlFact(long index, Instant at, String type, String actor, UnitKey unit, String manufacturer,
                           String caId, String caSubject, Instant nextUpdate, long crlIndex) implements Fact {
}
