package org.fabtrail.discrepancy;

import org.fabtrail.custody.UnitKey;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a detector found: the rule, a key that names this finding and no other (so it is never opened twice), a
 * severity, a summary for people, the units and organisations involved, the evidence (entry indexes) and details.
 */
public record Finding(String rule, String key, String severity, String summary, List<UnitKey> units,
                      List<String> orgs, List<Long> evidence, Map<String, Object> details) {

    public static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

    public Finding {
        Objects.requireNonNull(rule);
        Objects.requireNonNull(key);
        if (key.length() > 300) { // the log's limit: a long serial in a key is replaced by its digest
            key = rule + ":sha256:" + Documents.sha256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException("severity " + severity);
        }
        units = List.copyOf(new LinkedHashSet<>(units));
        orgs = List.copyOf(new LinkedHashSet<>(orgs.stream().filter(Objects::nonNull).toList()));
        evidence = List.copyOf(new LinkedHashSet<>(evidence));
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** The payload of its {@code discrepancy.open} entry (details not given when there are none). */
    public DiscrepancyOpening opening() {
        return new DiscrepancyOpening(rule, key, severity, summary, units, orgs, evidence,
                details.isEmpty() ? null : details);
    }
}
