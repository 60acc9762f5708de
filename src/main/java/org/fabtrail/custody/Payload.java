package org.fabtrail.custody;

import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict access to an entry payload's own fields. Construction refuses unknown and missing fields; each
 * getter refuses a value of the wrong shape, naming the field, so every refusal reads "payload.x must be ...".
 */
final class Payload {

    static final Set<String> COMMON = Set.of("id", "type", "actor", "time");

    private final Map<String, Object> map;

    private Payload(Map<String, Object> map) {
        this.map = map;
    }

    static Payload of(Envelope e, Set<String> required, Set<String> optional) {
        Map<String, Object> p = e.payload();
        for (String k : p.keySet()) {
            if (!COMMON.contains(k) && !required.contains(k) && !optional.contains(k)) {
                Set<String> allowed = new TreeSet<>(required);
                allowed.addAll(optional);
                throw invalid("unknown-field", k, "payload." + k + " is not a field of " + e.type()
                        + "; its fields are " + String.join(", ", allowed));
            }
        }
        for (String k : new TreeSet<>(required)) {
            if (!p.containsKey(k)) {
                throw invalid("missing-field", k, "payload." + k + " is required for " + e.type());
            }
        }
        return new Payload(p);
    }

    boolean has(String field) {
        return map.containsKey(field);
    }

    String string(String field, int maxLength) {
        Object v = map.get(field);
        if (!(v instanceof String s)) {
            throw invalid("invalid-field", field, "payload." + field + " must be a string");
        }
        if (s.isBlank()) {
            throw invalid("invalid-field", field, "payload." + field + " must not be empty");
        }
        if (s.length() > maxLength) {
            throw invalid("invalid-field", field, "payload." + field + " must be at most " + maxLength + " characters");
        }
        return s;
    }

    String slug(String field) {
        String s = string(field, 63);
        if (!EnvelopeParser.SLUG.matcher(s).matches()) {
            throw invalid("invalid-id", field, "payload." + field
                    + " must be a lowercase id matching [a-z0-9][a-z0-9-]{0,62}, not \"" + s + "\"");
        }
        return s;
    }

    List<String> strings(String field, int maxItems) {
        Object v = map.get(field);
        if (!(v instanceof List<?> list)) {
            throw invalid("invalid-field", field, "payload." + field + " must be an array of strings");
        }
        if (list.isEmpty() || list.size() > maxItems) {
            throw invalid("invalid-field", field, "payload." + field + " must hold 1 to " + maxItems + " items");
        }
        List<String> out = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw invalid("invalid-field", field, "payload." + field + " must be an array of strings");
            }
            if (!seen.add(s)) {
                throw invalid("invalid-field", field, "payload." + field + " lists \"" + s + "\" twice");
            }
            out.add(s);
        }
        return out;
    }

    static LedgerException invalid(String code, String field, String detail) {
        return new LedgerException(LedgerException.Kind.RULE, code, "Invalid entry", detail,
                Map.of("field", "payload." + field), null);
    }
}
