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
 * Typed, strict access to an entry payload's own fields, for {@link EntryType#read}. Construction refuses unknown and
 * missing fields; each getter refuses a value of the wrong shape, naming the field, so every refusal reads
 * "payload.x must be ..." with the detail {@code field} = {@code payload.x} (codes: {@code unknown-field},
 * {@code missing-field}, {@code invalid-field}, {@code invalid-id}, ...; docs/api.md lists them). Not thread-safe;
 * one per read.
 */
public final class Payload {

    /** Members every payload has; {@code by} (optional) names the person who acted, for entries made in the UI. */
    public static final Set<String> COMMON = Set.of("id", "type", "actor", "time", "by");

    private static final String FIELD_PREFIX = "payload.";
    private static final java.util.regex.Pattern FIELD_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_]+");

    private final Map<String, Object> map;

    private Payload(Map<String, Object> map) {
        this.map = map;
    }

    /** The payload of {@code e}, which must have every {@code required} field and no field but these and {@link #COMMON}. */
    public static Payload of(Envelope e, Set<String> required, Set<String> optional) {
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

    /** The field's parsed JSON value as it is (null when absent). */
    public Object raw(String field) {
        return map.get(field);
    }

    public boolean has(String field) {
        return map.containsKey(field);
    }

    public String string(String field, int maxLength) {
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

    public String slug(String field) {
        String s = string(field, 63);
        if (!EnvelopeParser.SLUG.matcher(s).matches()) {
            throw invalid("invalid-id", field, "payload." + field
                    + " must be a lowercase id matching [a-z0-9][a-z0-9-]{0,62}, not \"" + s + "\"");
        }
        return s;
    }

    public List<String> strings(String field, int maxItems) {
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

    /** A lowercase UUID naming an earlier entry by its {@code payload.id}; else {@code code} with {@code detail}. */
    public java.util.UUID entryId(String field, String code, String detail) {
        String id = string(field, 36);
        try {
            java.util.UUID u = java.util.UUID.fromString(id);
            if (u.toString().equals(id)) {
                return u;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw invalid(code, field, detail);
    }

    /** An optional string field; absent gives null. */
    public String optionalString(String field, int maxLength) {
        return has(field) ? string(field, maxLength) : null;
    }

    /** An optional RFC 3339 UTC time; absent gives null. */
    public java.time.Instant optionalTime(String field) {
        if (!has(field)) {
            return null;
        }
        try {
            return EnvelopeParser.utcTime(string(field, 40), "payload." + field);
        } catch (LedgerException e) {
            throw invalid("invalid-time", field, e.getMessage());
        }
    }

    /** An optional number within [min, max]; absent gives null. */
    public Double optionalNumber(String field, double min, double max) {
        if (!has(field)) {
            return null;
        }
        if (!(map.get(field) instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
            throw invalid("invalid-field", field, "payload." + field + " must be a number from " + min + " to " + max);
        }
        return n.doubleValue();
    }

    /** One of the given values. */
    public String oneOf(String field, List<String> allowed) {
        String s = string(field, 64);
        if (!allowed.contains(s)) {
            throw invalid("invalid-" + field, field, "payload." + field + " must be one of " + String.join(", ", allowed)
                    + ", not \"" + s + "\"");
        }
        return s;
    }

    /** A unit reference {@code {"manufacturer": "<org id>", "serial": "<serial>"}}. */
    public UnitKey unit(String field) {
        return unitRef(map.get(field), field);
    }

    /** A non-empty array of distinct unit references. */
    public List<UnitKey> units(String field, int maxItems) {
        Object v = map.get(field);
        if (!(v instanceof List<?> list) || list.isEmpty() || list.size() > maxItems) {
            throw invalid("invalid-field", field, "payload." + field + " must be an array of 1 to " + maxItems
                    + " unit references {\"manufacturer\", \"serial\"}");
        }
        List<UnitKey> out = new ArrayList<>(list.size());
        Set<UnitKey> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            UnitKey k = unitRef(list.get(i), field + "[" + i + "]");
            if (!seen.add(k)) {
                throw invalid("duplicate-unit", field, "payload." + field + " lists " + k + " twice");
            }
            out.add(k);
        }
        return out;
    }

    /** A site reference {@code {"org": "<org id>", "site": "<site id>"}}. */
    public CustodyState.SiteKey site(String field) {
        Object v = map.get(field);
        if (!(v instanceof Map<?, ?> m) || !m.keySet().equals(Set.of("org", "site"))) {
            throw invalid("invalid-site-ref", field, "payload." + field
                    + " must be a site reference {\"org\": \"<org id>\", \"site\": \"<site id>\"} and nothing else");
        }
        if (!(m.get("org") instanceof String org) || !EnvelopeParser.SLUG.matcher(org).matches()) {
            throw invalid("invalid-id", field, "payload." + field + ".org must be an organisation id");
        }
        if (!(m.get("site") instanceof String site) || !EnvelopeParser.SLUG.matcher(site).matches()) {
            throw invalid("invalid-id", field, "payload." + field + ".site must be a site id");
        }
        return new CustodyState.SiteKey(org, site);
    }

    @SuppressWarnings("unchecked")
    private static UnitKey unitRef(Object v, String field) {
        if (!(v instanceof Map<?, ?> m) || !m.keySet().equals(Set.of("manufacturer", "serial"))) {
            throw invalid("invalid-unit-ref", field, "payload." + field
                    + " must be a unit reference {\"manufacturer\": \"<org id>\", \"serial\": \"<serial>\"} and nothing else");
        }
        Object man = m.get("manufacturer");
        Object serial = m.get("serial");
        if (!(man instanceof String ms) || !EnvelopeParser.SLUG.matcher(ms).matches()) {
            throw invalid("invalid-id", field, "payload." + field + ".manufacturer must be an organisation id");
        }
        if (!(serial instanceof String ss) || !UnitKey.SERIAL.matcher(ss).matches()) {
            throw invalid("invalid-serial", field, "payload." + field
                    + ".serial must match [A-Za-z0-9._-]{1,64} exactly (serials are case-sensitive and never normalised)");
        }
        return new UnitKey(ms, ss);
    }

    /**
     * The payload field a refusal names, as the payload record's component of that name: its {@code field} detail is
     * {@code payload.x}, {@code payload.x[i]} or {@code payload.x.y} (the wire form of {@link #invalid} and
     * {@link Rules}), and this is {@code x}. Empty for a refusal about no payload field (the signature, the key).
     * The one reader of that form, so a writer (a web form) finds the field without parsing text itself.
     */
    public static java.util.Optional<String> refusedField(LedgerException e) {
        if (!(e.details().get("field") instanceof String f) || !f.startsWith(FIELD_PREFIX)) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = FIELD_NAME.matcher(f).region(FIELD_PREFIX.length(), f.length());
        return m.lookingAt() ? java.util.Optional.of(m.group()) : java.util.Optional.empty();
    }

    /**
     * A refusal of this kind about field {@code field} (without {@code payload.}): a rule of the entry's type refused
     * the field's value (an unknown site, a CA already revoked), as {@link #refusedField} reads it back.
     */
    public static LedgerException refusal(LedgerException.Kind kind, String code, String title, String field,
                                          String detail) {
        return new LedgerException(kind, code, title, detail, Map.of("field", FIELD_PREFIX + field), null);
    }

    /** The refusal of field {@code field} (without {@code payload.}) with this code and detail. */
    public static LedgerException invalid(String code, String field, String detail) {
        return refusal(LedgerException.Kind.RULE, code, "Invalid entry", field, detail);
    }
}
