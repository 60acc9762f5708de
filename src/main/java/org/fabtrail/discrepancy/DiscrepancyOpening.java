package org.fabtrail.discrepancy;

import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.UnitKey;

import java.util.List;
import java.util.Map;

/**
 * The payload of {@code discrepancy.open} as a writer gives it: the detector's rule, the finding's key, its severity
 * and summary, the units (may be empty) and organisations involved, the evidence (indexes of earlier entries) and the
 * details (a JSON object; null: not given). The entry type reads it into its own record, which keeps the evidence to
 * check against the entry's index when it is applied.
 */
public record DiscrepancyOpening(String rule, String finding, String severity, String summary, List<UnitKey> units,
                                 List<String> orgs, List<Long> evidence, Map<String, Object> details)
        implements PayloadRecord {

    /** The same finding under another key and summary (a recurrence of a resolved one). */
    DiscrepancyOpening as(String finding, String summary) {
        return new DiscrepancyOpening(rule, finding, severity, summary, units, orgs, evidence, details);
    }
}
