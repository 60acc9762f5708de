package org.fabtrail.epcis;

import org.fabtrail.ledger.LedgerException;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The core of the EPCIS 2.0 REST query binding's {@code SimpleEventQuery} parameters (docs/api.md, "EPCIS 2.0"):
 * {@code eventType}, {@code GE_eventTime}/{@code LT_eventTime}, {@code GE_recordTime}/{@code LT_recordTime},
 * {@code EQ_action}, {@code EQ_bizStep}, {@code EQ_disposition}, {@code MATCH_epc}, {@code MATCH_parentID},
 * {@code MATCH_anyEPC}, {@code EQ_readPoint}, {@code EQ_bizLocation}, with the paging parameters {@code perPage} and
 * {@code nextPageToken}. A list-valued parameter takes its values separated by {@code |}; an EPC pattern may end in
 * {@code *} (a prefix). Any other parameter, a repeated one and a malformed value are refused
 * ({@code 400 invalid-parameter}, naming it), never ignored: a query that silently ignores a filter answers too much.
 */
public final class EpcisQuery {

    /** Most events on one page, and the default. */
    public static final int MAX_PER_PAGE = 1000;
    public static final int DEFAULT_PER_PAGE = 100;

    static final Set<String> EVENT_TYPES = Set.of("ObjectEvent", "AggregationEvent", "TransactionEvent",
            "TransformationEvent", "AssociationEvent");
    /** The query parameters this query takes, with what each matches (the OpenAPI document declares them). */
    public static final Map<String, String> PARAMETER_MEANINGS = meanings(
            "eventType", "event types, separated by |",
            "GE_eventTime", "eventTime at or after this RFC 3339 time",
            "LT_eventTime", "eventTime before this RFC 3339 time",
            "GE_recordTime", "recordTime at or after this RFC 3339 time",
            "LT_recordTime", "recordTime before this RFC 3339 time",
            "EQ_action", "ADD, OBSERVE or DELETE, separated by |",
            "EQ_bizStep", "CBV business steps, bare or as URIs, separated by |",
            "EQ_disposition", "CBV dispositions, bare or as URIs, separated by |",
            "MATCH_epc", "unit URNs in epcList or childEPCs (a trailing * matches a prefix), separated by |",
            "MATCH_parentID", "unit URNs as parentID (a trailing * matches a prefix), separated by |",
            "MATCH_anyEPC", "unit URNs anywhere in the event (a trailing * matches a prefix), separated by |",
            "EQ_readPoint", "site URNs, separated by |",
            "EQ_bizLocation", "site URNs, separated by |",
            "perPage", "events a page: 1 to " + MAX_PER_PAGE + ", " + DEFAULT_PER_PAGE + " by default",
            "nextPageToken", "the page that starts here, from the previous answer's Link header");
    static final Set<String> PARAMETERS = PARAMETER_MEANINGS.keySet();
    private static final int MAX_VALUES = 100;

    private final List<String> eventTypes;
    private final OffsetDateTime geEventTime;
    private final OffsetDateTime ltEventTime;
    private final OffsetDateTime geRecordTime;
    private final OffsetDateTime ltRecordTime;
    private final List<String> actions;
    private final List<String> bizSteps;
    private final List<String> dispositions;
    private final List<String> epcs;
    private final List<String> parentIds;
    private final List<String> anyEpcs;
    private final List<String> readPoints;
    private final List<String> bizLocations;
    private final int perPage;
    private final PageToken token;

    /** Where a page starts: the entry at {@code index}, skipping its first {@code skip} events. */
    public record PageToken(long index, int skip) {
        /** {@code <index>} or {@code <index>.<skip>}: opaque to clients, who pass back what they were given. */
        public String format() {
            return skip == 0 ? Long.toString(index) : index + "." + skip;
        }

        static PageToken parse(String s) {
            if (!s.matches("(0|[1-9]\\d{0,17})(\\.[1-9]\\d{0,8})?")) {
                throw invalid("nextPageToken", "nextPageToken must be a token from a previous page's Link header");
            }
            int dot = s.indexOf('.');
            return dot < 0 ? new PageToken(Long.parseLong(s), 0)
                    : new PageToken(Long.parseLong(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
        }
    }

    /** Reads the query; {@code parameters} are the request's query parameters as decoded. */
    public EpcisQuery(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            if (!PARAMETERS.contains(p.getKey())) {
                throw invalid(p.getKey(), "Unknown query parameter \"" + p.getKey() + "\"; the parameters are "
                        + String.join(", ", PARAMETERS.stream().sorted().toList()));
            }
            if (p.getValue().size() != 1) {
                throw invalid(p.getKey(), p.getKey() + " may be given once; list several values separated by |");
            }
        }
        eventTypes = list(parameters, "eventType");
        for (String t : eventTypes) {
            if (!EVENT_TYPES.contains(t)) {
                throw invalid("eventType", "eventType must be one of " + String.join(", ",
                        EVENT_TYPES.stream().sorted().toList()) + ", not \"" + clip(t) + "\"");
            }
        }
        geEventTime = time(parameters, "GE_eventTime");
        ltEventTime = time(parameters, "LT_eventTime");
        geRecordTime = time(parameters, "GE_recordTime");
        ltRecordTime = time(parameters, "LT_recordTime");
        actions = list(parameters, "EQ_action");
        for (String a : actions) {
            if (!Set.of("ADD", "OBSERVE", "DELETE").contains(a)) {
                throw invalid("EQ_action", "EQ_action must be ADD, OBSERVE or DELETE, not \"" + clip(a) + "\"");
            }
        }
        bizSteps = vocabulary(parameters, "EQ_bizStep", "bizstep", "BizStep");
        dispositions = vocabulary(parameters, "EQ_disposition", "disp", "Disposition");
        epcs = list(parameters, "MATCH_epc");
        parentIds = list(parameters, "MATCH_parentID");
        anyEpcs = list(parameters, "MATCH_anyEPC");
        readPoints = list(parameters, "EQ_readPoint");
        bizLocations = list(parameters, "EQ_bizLocation");
        String per = one(parameters, "perPage");
        if (per == null) {
            perPage = DEFAULT_PER_PAGE;
        } else if (!per.matches("[1-9]\\d{0,3}") || Integer.parseInt(per) > MAX_PER_PAGE) {
            throw invalid("perPage", "perPage must be 1 to " + MAX_PER_PAGE + ", not \"" + clip(per) + "\"");
        } else {
            perPage = Integer.parseInt(per);
        }
        String t = one(parameters, "nextPageToken");
        token = t == null ? null : PageToken.parse(t);
    }

    public int perPage() {
        return perPage;
    }

    /** Where to start, or null for the beginning of the log. */
    public PageToken token() {
        return token;
    }

    /** Whether an event (as {@link EpcisEvents} makes it) passes every filter. */
    public boolean matches(Map<String, Object> ev) {
        if (!eventTypes.isEmpty() && !eventTypes.contains(ev.get("type"))) {
            return false;
        }
        if (!inRange(ev.get("eventTime"), geEventTime, ltEventTime)
                || !inRange(ev.get("recordTime"), geRecordTime, ltRecordTime)) {
            return false;
        }
        if (!oneOf(actions, ev.get("action")) || !oneOf(bizSteps, ev.get("bizStep"))
                || !oneOf(dispositions, ev.get("disposition"))
                || !oneOf(readPoints, id(ev.get("readPoint"))) || !oneOf(bizLocations, id(ev.get("bizLocation")))) {
            return false;
        }
        List<String> objects = new ArrayList<>(strings(ev.get("epcList")));
        objects.addAll(strings(ev.get("childEPCs")));
        List<String> parent = ev.get("parentID") == null ? List.of() : List.of((String) ev.get("parentID"));
        List<String> any = new ArrayList<>(objects);
        any.addAll(parent);
        return matchesAny(epcs, objects) && matchesAny(parentIds, parent) && matchesAny(anyEpcs, any);
    }

    private static boolean matchesAny(List<String> patterns, List<String> values) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (String pattern : patterns) {
            for (String v : values) {
                if (pattern.endsWith("*") ? v.startsWith(pattern.substring(0, pattern.length() - 1)) : v.equals(pattern)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean oneOf(List<String> wanted, Object value) {
        return wanted.isEmpty() || value != null && wanted.contains(value);
    }

    private static Object id(Object place) {
        return place instanceof Map<?, ?> m ? m.get("id") : null;
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add((String) o));
        }
        return out;
    }

    private static boolean inRange(Object time, OffsetDateTime ge, OffsetDateTime lt) {
        if (ge == null && lt == null) {
            return true;
        }
        OffsetDateTime t = OffsetDateTime.parse((String) time);
        return (ge == null || !t.isBefore(ge)) && (lt == null || t.isBefore(lt));
    }

    private static String one(Map<String, List<String>> parameters, String name) {
        List<String> v = parameters.get(name);
        if (v == null) {
            return null;
        }
        if (v.get(0).isEmpty()) {
            throw invalid(name, name + " may not be empty");
        }
        return v.get(0);
    }

    private static List<String> list(Map<String, List<String>> parameters, String name) {
        String v = one(parameters, name);
        if (v == null) {
            return List.of();
        }
        String[] parts = v.split("\\|", -1);
        if (parts.length > MAX_VALUES) {
            throw invalid(name, name + " takes at most " + MAX_VALUES + " values");
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 300) {
                throw invalid(name, name + " has an empty value or one longer than 300 characters");
            }
        }
        return List.of(parts);
    }

    /**
     * A CBV vocabulary list (bizStep, disposition): bare names as in the JSON-LD form ({@code shipping}), or their
     * full URIs ({@code https://ref.gs1.org/cbv/BizStep-shipping}, {@code urn:epcglobal:cbv:bizstep:shipping}).
     */
    private static List<String> vocabulary(Map<String, List<String>> parameters, String name, String urn, String web) {
        List<String> out = new ArrayList<>();
        for (String v : list(parameters, name)) {
            String bare = v;
            if (v.startsWith("urn:epcglobal:cbv:" + urn + ":")) {
                bare = v.substring(("urn:epcglobal:cbv:" + urn + ":").length());
            } else if (v.startsWith("https://ref.gs1.org/cbv/" + web + "-")) {
                bare = v.substring(("https://ref.gs1.org/cbv/" + web + "-").length());
            }
            out.add(bare);
        }
        return out;
    }

    private static OffsetDateTime time(Map<String, List<String>> parameters, String name) {
        String v = one(parameters, name);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() > 40) {
                throw new DateTimeParseException("too long", v, 0);
            }
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw invalid(name, name + " must be a date and time with its offset (RFC 3339, e.g. "
                    + "2026-02-14T09:00:00Z), not \"" + clip(v) + "\"");
        }
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    static LedgerException invalid(String parameter, String detail) {
        return new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter", detail,
                Map.of("parameter", clip(parameter)), null);
    }

    private static Map<String, String> meanings(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
