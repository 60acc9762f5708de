package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/** Units received at a site other than the one the dispatch named. */
final class ReceiptElsewhere implements Detector {

    static final String RULE = "receipt-other-site";

    @Override
    public String rule() {
        return RULE;
    }

    @Override
    public List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) {
        if (!(fact instanceof Fact.Receipt r) || r.named().ref().equals(r.actual().ref())) {
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
