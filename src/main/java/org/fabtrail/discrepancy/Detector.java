package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** One rule of the catalogue: looks at one accepted entry's facts and reports what it finds. */
public interface Detector {

    /** The rule's id, e.g. {@code short-receipt} (the finding's {@code rule}). */
    String rule();

    /**
     * @param fact     what the entry did, as the rules saw it
     * @param c        the sequencing transaction's connection (projections include this batch), for lookups
     * @param settings the tuning
     */
    List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) throws SQLException;

    /**
     * The findings of each fact of one batch, in the facts' order: {@link #detect} fact by fact unless a detector
     * reads and writes its working state once per batch instead (one round trip to the database rather than one per
     * entry). A fact on which the detector throws a runtime exception gets no findings (logged), as in
     * {@link DiscrepancyEngine#guarded}.
     */
    default List<List<Finding>> detectAll(List<Fact> facts, Connection c, DiscrepancySettings settings)
            throws SQLException {
        return DiscrepancyEngine.eachFact(this, facts, f -> detect(f, c, settings));
    }
}
