package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/** Units received at a site other than the one the dispatch named. */
final class ReceiptElsewhere extends FactDetector<Fact.Receipt> {

    static final String RULE = "receipt-other-site";

    ReceiptElsewhere() {
        super(RULE, Fact.Receipt.class);
    }

    @Override
    List<Finding> find(Fact.Receipt r, Connection c, DiscrepancySettings settings) {
        if (r.named().ref().equals(r.actual().ref())) {
            return List.of();
        }
        boolean otherCountry = r.named().country() != null && r.actual().country() != null
                && !r.named().country().equals(r.actual().country());
        return List.of(new Finding(RULE, RULE + ":" + r.transfer() + ":" + r.actual().ref(), otherCountry ? "high" : "low",
                r.receiver() + " received dispatch " + r.transfer() + " at " + r.actual().ref() + " ("
                        + r.actual().country() + ") instead of " + r.named().ref() + " (" + r.named().country() + ")",
                r.received(), List.of(r.sender(), r.receiver()), List.of(r.dispatchIdx(), r.index()),
                Map.of("transfer", r.transfer().toString(), "namedSite", r.named().ref(), "actualSite",
                        r.actual().ref())));
    }
}
