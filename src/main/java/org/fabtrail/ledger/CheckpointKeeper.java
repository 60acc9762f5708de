package org.fabtrail.ledger;

/**
 * Keeps the newest checkpoint this process has signed somewhere outside the database, so that a database rolled
 * back behind the application's back (newest entries deleted together with their nodes, checkpoints and head) can
 * be noticed: nothing inside the database remembers how big the log was.
 *
 * <p>Contract, as the {@link Sequencer} calls it:
 * <ul>
 *   <li>It is called on the sequencer thread once per batch that appended entries, with the batch's new tree
 *       size and its signed checkpoint text (verbatim), <em>after</em> the batch's transaction committed and
 *       <em>before</em> any submitter of the batch is answered. One call per batch, not per entry: group commit
 *       pays for it.</li>
 *   <li>When it returns, the checkpoint must be durable where the keeper keeps it: an answer may go out right
 *       after, and every answer's checkpoint must then be covered by what the keeper holds.</li>
 *   <li>If it throws, every submitter of the batch is answered {@code 503 ledger-unavailable}. The entries are
 *       durable (the transaction committed), so a retry with the same {@code payload.id} returns the original
 *       receipt.</li>
 *   <li>Calls from one sequencer come with strictly growing tree sizes, because the tree head only grows. A call
 *       with a size not larger than one already kept means the database went backwards under the running
 *       process; the keeper should refuse it (throw) rather than overwrite the larger checkpoint.</li>
 *   <li>A crash between the commit and this call is harmless: the database is then ahead of the keeper, which
 *       is a state it must accept at the next start.</li>
 * </ul>
 */
public interface CheckpointKeeper {

    /** Keeps nothing: for tools and tests that run a sequencer without a data directory. */
    CheckpointKeeper NONE = (treeSize, note) -> {
    };

    /**
     * @param treeSize the size of the tree the checkpoint commits to
     * @param note     the signed checkpoint text exactly as stored in the database and sent to submitters
     * @throws RuntimeException when the checkpoint could not be kept durably, or the size went backwards
     */
    void keep(long treeSize, String note);
}
