package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * State that entry types keep for one batch, in its {@link BatchContext}: reads are answered from a per-batch cache,
 * writes change the cache at once (so later entries of the batch see them) and are buffered. {@link Registry} and
 * {@link CustodyState} are custody's; a package with projections of its own (attestation) adds its own.
 *
 * <p>Contract: the dispatcher calls {@link #prefetch} once per batch, after every entry's
 * {@link EntryType#prefetch} named what it wants, and {@link #flush} once per batch after the last entry was applied,
 * both in the order the batch first used the states (custody's first). A state keeps nothing beyond its batch: a batch
 * that is rolled back is sequenced again on a fresh context.
 */
public interface BatchState {

    /** Reads what this batch's entries named, with a few queries. */
    void prefetch() throws SQLException;

    /** Writes what this batch's entries buffered, with a few statements. */
    void flush() throws SQLException;

    /** The batch's state of this class, created on the batch's connection on first use. */
    static <T extends BatchState> T of(BatchContext ctx, Class<T> type, Function<Connection, T> create) {
        InOrder order = ctx.attribute(InOrder.class, InOrder::new);
        return ctx.attribute(type, () -> {
            T state = create.apply(ctx.connection());
            order.states.add(state);
            return state;
        });
    }

    /** Every state of the batch, in the order of first use. */
    static List<BatchState> all(BatchContext ctx) {
        return List.copyOf(ctx.attribute(InOrder.class, InOrder::new).states);
    }

    /** The states of a batch in the order they were created (a BatchContext attribute). */
    final class InOrder {
        private final List<BatchState> states = new ArrayList<>(4);
    }
}
