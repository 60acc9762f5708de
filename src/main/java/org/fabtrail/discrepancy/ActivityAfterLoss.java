package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Custody activity (or an inspection) on a unit its custodian reported lost, stolen, destroyed or decommissioned,
 * also on a unit that moved assembled in another one (a stolen GPU shipped inside a server): the finding names the
 * component and the unit it travelled in.
 */
final class ActivityAfterLoss extends FactDetector<Fact.Activity> {

    static final String RULE = "activity-after-loss";
    static final Set<String> GONE = Set.of("lost", "stolen", "destroyed", "decommissioned");

    ActivityAfterLoss() {
        super(RULE, Fact.Activity.class);
    }

    @Override
    List<Finding> find(Fact.Activity a, Connection c, DiscrepancySettings settings) {
        if (!GONE.contains(a.unit().status())) {
            return List.of();
        }
        // a component moves with the unit it is assembled in: name the unit it travelled inside
        UnitKey inside = a.unit().parent();
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("status", a.unit().status());
        details.put("entryType", a.type());
        if (inside != null) {
            details.put("inside", inside.toString());
        }
        List<UnitKey> units = inside == null ? List.of(a.unit().key()) : List.of(a.unit().key(), inside);
        return List.of(new Finding(RULE, RULE + ":" + a.unit().key() + ":" + a.unit().status(), "high",
                a.actor() + " recorded " + a.type() + " on " + a.unit().key()
                        + (inside == null ? "" : " (assembled in " + inside + ")") + ", which was reported "
                        + a.unit().status(),
                units, List.of(a.actor(), a.unit().custodian()), List.of(a.index()), details));
    }
}
