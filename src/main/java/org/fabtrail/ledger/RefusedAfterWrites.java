package org.fabtrail.ledger;

/**
 * An entry refused by its rules after it had already changed the batch's state (an {@code epcis.capture} whose
 * third event breaks a rule after the first two were applied). Thrown instead of the {@link LedgerException} so
 * that the sequencer rolls the batch back and sequences it again with this entry alone (ADR 0007), which then
 * answers {@link #refusal()}: the entry is refused whole and nothing of it is written.
 */
public final class RefusedAfterWrites extends RuntimeException {

    private final LedgerException refusal;

    public RefusedAfterWrites(LedgerException refusal) {
        super(refusal.getMessage(), null, false, false);
        this.refusal = refusal;
    }

    public LedgerException refusal() {
        return refusal;
    }
}
