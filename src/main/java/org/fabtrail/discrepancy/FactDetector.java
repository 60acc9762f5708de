package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A detector of one kind of fact: its rule, the class of the facts it looks at, and {@link #find} for each of them;
 * every other fact gives no finding.
 *
 * @param <F> the facts it looks at
 */
abstract class FactDetector<F extends Fact> implements Detector {

    private final String rule;
    private final Class<F> facts;

    FactDetector(String rule, Class<F> facts) {
        this.rule = rule;
        this.facts = facts;
    }

    @Override
    public final String rule() {
        return rule;
    }

    @Override
    public final List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) throws SQLException {
        return facts.isInstance(fact) ? find(facts.cast(fact), c, settings) : List.of();
    }

    /** The findings of one fact of this detector's kind (none: an empty list). */
    abstract List<Finding> find(F fact, Connection c, DiscrepancySettings settings) throws SQLException;
}
