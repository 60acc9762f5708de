package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;

import java.sql.SQLException;
import java.util.List;

/**
 * Sees the facts of every accepted entry of a batch, inside its sequencing transaction, after the batch's
 * projections are written and before it commits. What an observer writes commits (or not) with the entries.
 * A runtime failure of an observer is logged and does not refuse or abort the batch; an SQLException aborts it.
 */
public interface CustodyObserver {

    void observe(List<Fact> facts, BatchContext context) throws SQLException;
}
