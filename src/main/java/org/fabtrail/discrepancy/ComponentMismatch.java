package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An inspection that lists the components found inside a unit, compared with the components custody records:
 * {@code component-elsewhere} for each component found that the ledger records in another unit, not assembled, or
 * not at all; {@code component-missing} when recorded components were not found (one finding per inspection).
 */
final class ComponentMismatch extends FactDetector<Fact.Inspection> {

    static final String ELSEWHERE = "component-elsewhere";
    static final String MISSING = "component-missing";

    ComponentMismatch() {
        super(ELSEWHERE, Fact.Inspection.class);
    }

    @Override
    List<Finding> find(Fact.Inspection i, Connection c, DiscrepancySettings settings) {
        if (i.foundComponents() == null) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        Set<UnitKey> found = i.foundComponents().stream().map(Fact.FoundComponent::unit).collect(Collectors.toSet());
        for (Fact.FoundComponent fc : i.foundComponents()) {
            if (fc.known() && i.unit().equals(fc.recordedParent())) {
                continue;
            }
            String where = !fc.known() ? "is not in the ledger at all"
                    : fc.recordedParent() == null ? "is recorded as not assembled in any unit"
                    : "is recorded in " + fc.recordedParent();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("foundIn", i.unit().toString());
            details.put("recordedIn", fc.recordedParent() == null ? null : fc.recordedParent().toString());
            details.put("known", fc.known());
            details.values().removeIf(java.util.Objects::isNull);
            List<UnitKey> units = new ArrayList<>(List.of(i.unit()));
            if (fc.known()) {
                units.add(fc.unit());
            }
            if (fc.recordedParent() != null) {
                units.add(fc.recordedParent());
            }
            out.add(new Finding(ELSEWHERE, ELSEWHERE + ":" + i.unit() + ":" + fc.unit(), fc.known() ? "high" : "critical",
                    i.inspector() + " found " + fc.unit() + " installed in " + i.unit() + "; it " + where,
                    units, List.of(i.inspector(), i.recordedCustodian()), List.of(i.index()), details));
        }
        List<UnitKey> missing = i.recordedComponents().stream().filter(k -> !found.contains(k)).toList();
        if (!missing.isEmpty()) {
            List<UnitKey> units = new ArrayList<>(List.of(i.unit()));
            units.addAll(missing);
            out.add(new Finding(MISSING, MISSING + ":" + i.unit(), "high",
                    i.inspector() + " did not find " + missing.size() + " component(s) the ledger records in " + i.unit()
                            + ": " + missing.stream().map(UnitKey::toString).collect(Collectors.joining(", ")),
                    units, List.of(i.inspector(), i.recordedCustodian()), List.of(i.index()),
                    Map.of("missing", missing.stream().map(UnitKey::toString).toList())));
        }
        return out;
    }
}
