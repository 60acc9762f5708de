package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flags the dispatches export-control screening let through ({@link RestrictedList}: rules set to {@code flag});
 * a rule set to {@code block} refuses the dispatch before it is written, so it never reaches a detector.
 */
final class ScreeningDetector implements Detector {

    private final RestrictedList list;

    ScreeningDetector(RestrictedList list) {
        this.list = list;
    }

    @Override
    public String rule() {
        return RestrictedList.PARTY;
    }

    @Override
    public List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) {
        if (!(fact instanceof Fact.Dispatch d)) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (RestrictedList.Match m : list.matches(d)) {
            List<UnitKey> units = d.units().stream()
                    .filter(u -> !RestrictedList.NO_LICENCE.equals(m.rule()) || u.eccn() != null)
                    .map(Fact.UnitSnapshot::key).toList();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("transfer", d.transfer().toString());
            if (m.party() != null) {
                details.put("sourceList", m.party().sourceList());
                details.put("listed", m.party().name().isEmpty() ? m.party().country() : m.party().name());
                if (m.party().identifiers() != null && !m.party().identifiers().isEmpty()) {
                    details.put("identifiers", m.party().identifiers());
                }
            }
            out.add(new Finding(m.rule(), m.rule() + ":" + d.transfer(),
                    RestrictedList.NO_LICENCE.equals(m.rule()) ? "high" : "critical",
                    d.sender() + " dispatched " + d.units().size() + " unit(s) to " + d.receiver() + ": " + m.detail(),
                    units, List.of(d.sender(), d.receiver()), List.of(d.index()), details));
        }
        return out;
    }
}
