package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;

import java.sql.SQLException;
import java.time.Instant;

/** One entry type: its fields, who may submit it, its rules, and the projections it writes. */
interface EntryType {

    /** The {@code payload.type} this handles, e.g. {@code key.add}. */
    String name();

    /** Stateless checks of the payload's fields (refuse with a LedgerException of kind RULE). */
    void check(Envelope envelope);

    /**
     * Checks the rules against state and writes projections, inside the sequencing transaction.
     * Must refuse (throw) before writing anything.
     */
    void apply(Envelope envelope, long index, Instant at, BatchContext context) throws SQLException;

    /**
     * Names the rows {@link #apply} will read, so a batch reads them all at once. Best effort: it may throw on an
     * invalid payload, which {@link #apply} then refuses properly.
     */
    default void prefetch(Envelope envelope, CustodyPolicy.Wants wants) {
    }
}
