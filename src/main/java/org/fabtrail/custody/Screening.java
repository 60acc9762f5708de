package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;

/**
 * Export-control screening of a dispatch before it is written. An implementation refuses the dispatch by throwing
 * a LedgerException (nothing is written), or lets it through (a detector may still flag it).
 */
public interface Screening {

    /** Lets everything through: replays and deployments without a restricted list. */
    Screening NONE = (dispatch, context) -> {
    };

    void screen(Fact.Dispatch dispatch, BatchContext context);
}
