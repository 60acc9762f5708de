package org.fabtrail.attestation;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;

import java.time.Instant;

/**
 * A platform certificate checked for a unit: carried by {@code unit.certify} (always {@code pass}: a failing one is
 * refused) or read by an inspector ({@code unit.inspect}: {@code pass} or the first failing check's code). With
 * {@code pass}, the comparison of its components with the units assembled in the platform (else null).
 */
public record PlatformFact(long index, Instant at, String type, String actor, UnitKey unit, String check,
                           PlatformComparison comparison) implements Fact {
}
