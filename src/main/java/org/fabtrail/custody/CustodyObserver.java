package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;

import java.sql.SQLException;
import java.util.List;

/**
 * Sees the facts of every accepted entry of a batch, inside its sequencing transaction, after the batch's
 * projections are written and before it commits. What an observer writes commits (or not) with the entries.
 * A runtime failure of an observer is logged and does not refuse or abort the batch; an SQLException rolls the
 * attempt back, and the sequencer sequences the batch again with the entry whose facts caused it alone. An observer
 * may be called more than once for the same entries (only the written attempt's work commits), so it keeps nothing
 * outside the transaction.
 */
public interface CustodyObserver {

    void observe(List<Fact> facts, BatchContext context) throws SQLException;
}
