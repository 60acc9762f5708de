package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Custody activity (or an inspection) on a unit its custodian reported lost, stolen, destroyed or decommissioned. */
final class ActivityAfterLoss implements Detector {

    static final String RULE = "activity-after-loss";
    static final Set<String> GONE = Set.of("lost", "stolen", "destroyed", "decommissioned");

    @Override
    public String rule() {
        return RULE;
    }

    @Override
    public List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) {
        if (!(fact instanceof Fact.Activity a) || !GONE.contains(a.unit().status())) {
            return List.of();
        }
        return List.of(new Finding(RULE, RULE + ":" + a.unit().key() + ":" + a.unit().status(), "high",
                a.actor() + " recorded " + a.type() + " on " + a.unit().key() + ", which was reported "
                        + a.unit().status(),
                List.of(a.unit().key()), List.of(a.actor(), a.unit().custodian()), List.of(a.index()),
                Map.of("status", a.unit().status(), "entryType", a.type())));
    }
}
