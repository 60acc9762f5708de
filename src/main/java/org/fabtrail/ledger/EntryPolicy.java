package org.fabtrail.ledger;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What the domain decides about entries; the ledger itself knows only envelopes, leaves and the tree.
 * Implemented by the custody package.
 */
public interface EntryPolicy {

    /**
     * Checks what needs no ledger state: the entry type and its fields, and the signature against the key
     * registry. Runs on the submitter's thread, many at once, before the entry is queued.
     *
     * @return the envelope, marked {@link Envelope#signatureVerified() verified} when its key was known, carrying
     *         the {@link Envelope#payloadRecord() payload record} the policy read, so that {@link #prepare} and
     *         {@link #apply} need not parse the payload again
     * @throws LedgerException when the entry must be refused
     */
    Envelope admit(Envelope envelope);

    /**
     * Checks the entry's rules against the current state and writes its projections. Called inside the
     * sequencing transaction, with the tree head locked, once per entry in log order, so an entry sees the
     * effects of every earlier entry, including earlier entries of the same batch.
     *
     * <p>Contract: throw {@link LedgerException} to refuse the entry <em>before</em> writing anything for it;
     * the batch then continues without it. Any other exception rolls the transaction back: the sequencer then
     * sequences the batch again on fresh contexts, with the failing entry alone, and answers only that entry with a
     * problem (or the whole batch with UNAVAILABLE when the database itself failed). So state kept across calls
     * must live in the {@link BatchContext} or the database, never elsewhere: a rolled-back attempt must leave
     * nothing behind.
     */
    void apply(Envelope envelope, long index, Instant integratedTime, BatchContext context) throws SQLException;

    /**
     * Called once per batch, before the first {@link #apply}, with the entries the batch will try in order, so the
     * state they need can be read with a few queries instead of one per entry.
     */
    default void prepare(List<Envelope> batch, BatchContext context) throws SQLException {
    }

    /**
     * Called once per batch after the last {@link #apply} and before the entries are appended: write whatever the
     * applied entries buffered. A failure here rolls the attempt back; the sequencer then splits the batch to find
     * the entry that causes it (see {@link #apply}).
     */
    default void complete(BatchContext context) throws SQLException {
    }
}
