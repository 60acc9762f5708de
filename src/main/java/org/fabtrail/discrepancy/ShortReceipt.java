package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/** A receipt that leaves units of the dispatch in transit: fewer units arrived than were sent. */
final class ShortReceipt extends FactDetector<Fact.Receipt> {

    static final String RULE = "short-receipt";

    ShortReceipt() {
        super(RULE, Fact.Receipt.class);
    }

    @Override
    List<Finding> find(Fact.Receipt r, Connection c, DiscrepancySettings settings) {
        if (r.stillInTransit().isEmpty()) {
            return List.of();
        }
        return List.of(new Finding(RULE, RULE + ":" + r.transfer(), "medium",
                r.receiver() + " received " + r.received().size() + " unit(s) of dispatch " + r.transfer() + " from "
                        + r.sender() + "; " + r.stillInTransit().size() + " still missing",
                r.stillInTransit(), List.of(r.sender(), r.receiver()), List.of(r.dispatchIdx(), r.index()),
                Map.of("transfer", r.transfer().toString(), "received", r.received().size(),
                        "missing", r.stillInTransit().size())));
    }
}
