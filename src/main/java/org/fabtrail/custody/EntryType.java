package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;

import java.sql.SQLException;
import java.time.Instant;

/**
 * One entry type: a plug-in of the ledger's rules. {@link CustodyPolicy} dispatches each entry to the type its
 * {@code payload.type} names; the types a ledger accepts are assembled once ({@link EntryTypes}), by the composition
 * root, from the packages that own them (custody, attestation, discrepancy). docs/adr/0010-entry-types-as-plug-ins.md; its payload fields for the OpenAPI document ({@link PayloadSchema}).
 *
 * <p>An entry goes through a type in four steps:
 * <ol>
 *   <li>{@link #read}: its payload's own fields become one record of type {@code P}, checked field by field;</li>
 *   <li>{@link #admit}: stateless checks of who may submit it, on admission only;</li>
 *   <li>{@link #prefetch}: what the batch will read for it, so a batch reads its state with a few queries;</li>
 *   <li>{@link #apply}: its rules against the batch's state, then its projections, in log order.</li>
 * </ol>
 * Steps 1 and 2 run on the submitter's thread, many at once, before the entry is queued; the record then travels
 * with the entry ({@link Envelope#payloadRecord()}), so steps 3 and 4 on the sequencer's thread never parse the
 * payload again. An entry read from the log for a replay carries no record: the dispatcher reads it then, with the
 * same {@link #read}, and skips {@link #admit}.
 *
 * <p>What a type may read and write of the batch's state is the public state API of this package: {@link Registry}
 * (organisations), {@link CustodyState} (units, sites), {@link Rules} (the shared refusals), {@link Facts} (what the
 * discrepancy detectors see) and {@link Wants}; a package keeps state of its own as a {@link BatchState}.
 *
 * @param <P> the payload record: an immutable record of the type's fields, already checked
 */
public interface EntryType<P> {

    /** The {@code payload.type} this handles, e.g. {@code key.add}; unique among the types a ledger accepts. */
    String name();

    /**
     * The payload's fields as the API documents them (the OpenAPI document's schema for this type's entries): the
     * same required and optional fields as {@link #read} accepts. Each type says its own, so none is left out.
     */
    PayloadSchema schema();

    /** The class of the payload record, for finding it on an envelope (a type check, no reflection). */
    Class<P> payloadType();

    /**
     * Reads the payload's type-specific fields into the record. Stateless and deterministic: no database, no clock,
     * only the envelope (its {@code payload}, {@code actor} and {@code type}), so that a replay reads the same record.
     * Refuses the first field that is missing, unknown or malformed with a LedgerException of kind RULE whose
     * {@code field} detail names it ({@code payload.x}); {@link Payload} does this for the common shapes.
     */
    P read(Envelope envelope);

    /**
     * Stateless checks on admission beyond the fields (e.g. only the operator registers organisations); refuses with a
     * LedgerException. Runs after {@link #read}, never on replay: the log holds only entries that passed it.
     */
    default void admit(Envelope envelope, P payload) {
    }

    /**
     * Names the rows {@link #apply} will read, so a batch reads them all at once. Names only: reads nothing itself.
     * Best effort: what it misses, {@link #apply} reads on demand.
     */
    default void prefetch(Envelope envelope, P payload, Wants wants) {
    }

    /**
     * The entry's rules and projections, inside the sequencing transaction, once per entry in log order (so it sees
     * every earlier entry, of this batch too). Contract (from {@link org.fabtrail.ledger.EntryPolicy#apply}): refuse by
     * throwing a LedgerException <em>before</em> writing anything for the entry; write through the batch's states
     * (buffered, written once per batch) or on {@code context}'s connection, and keep nothing elsewhere.
     *
     * @param index the entry's index in the log
     * @param at    the entry's integrated time
     */
    void apply(Envelope envelope, P payload, long index, Instant at, BatchContext context) throws SQLException;
}
