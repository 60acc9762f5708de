package org.fabtrail.epcis;

import org.fabtrail.custody.Payload;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An EPCIS event as the custody entry it stands for: the inverse of {@link EpcisEvents}' table (docs/api.md,
 * "EPCIS 2.0", "Capture"). Only the shape is read here; the entry type then checks the fields as for any entry.
 */
final class EpcisMapping {

    private EpcisMapping() {
    }

    /**
     * The entry type of {@code ev}, acted by {@code actor}; puts the entry's own fields into {@code fields}. Refuses
     * an event that maps to no custody operation ({@code 422 unsupported-epcis-event}) or names something that is no
     * Fabtrail unit, site or organisation.
     */
    static String entry(Map<String, Object> ev, String actor, Map<String, Object> fields) {
        Object type = ev.get("type");
        Object action = ev.get("action");
        Object bizStep = ev.get("bizStep");
        Object disposition = ev.get("disposition");
        if ("AggregationEvent".equals(type) && ("ADD".equals(action) || "DELETE".equals(action))) {
            fields.put("parent", ref(EpcisCapture.unitOrRefuse(ev.get("parentID"), "parentID")));
            fields.put("components", refs(ev.get("childEPCs"), "childEPCs"));
            return "ADD".equals(action) ? "unit.assemble" : "unit.disassemble";
        }
        if (!"ObjectEvent".equals(type)) {
            throw unsupported("type " + type);
        }
        if ("ADD".equals(action) && "commissioning".equals(bizStep)) {
            return commissioning(ev, actor, fields);
        }
        if ("shipping".equals(bizStep) && "OBSERVE".equals(action)) {
            return shipping(ev, fields);
        }
        if (("receiving".equals(bizStep) || "void_shipping".equals(bizStep)) && "OBSERVE".equals(action)) {
            return receiving(ev, actor, fields);
        }
        if ("inspecting".equals(bizStep) && "OBSERVE".equals(action)) {
            return inspecting(ev, fields);
        }
        String status = ev.get("fabtrail:status") instanceof String s ? s : statusOf(disposition);
        if (status != null) {
            fields.put("unit", ref(one(refs(ev.get("epcList"), "epcList"))));
            fields.put("status", status);
            copyAll(ev, fields, "reason");
            return "unit.status";
        }
        throw unsupported("bizStep " + bizStep + " with action " + action + " and disposition " + disposition);
    }

    /** A unit commissioned by its manufacturer at one of its sites: {@code unit.register}. */
    private static String commissioning(Map<String, Object> ev, String actor, Map<String, Object> fields) {
        List<Object> units = refs(ev.get("epcList"), "epcList");
        UnitKey k = one(units);
        if (!k.manufacturer().equals(actor)) {
            throw Payload.invalid("unknown-epc", "epcList", "a unit is commissioned by its manufacturer: "
                    + EpcisIds.unit(k) + " is not one of " + actor);
        }
        fields.put("serial", k.serial());
        fields.put("site", ownSite(ev.get("bizLocation"), actor));
        Object ilmd = ev.get("ilmd");
        if (ilmd instanceof Map<?, ?> m) {
            copy(m, "fabtrail:kind", fields, "kind");
            copy(m, "fabtrail:model", fields, "model");
            copy(m, "fabtrail:eccn", fields, "eccn");
        }
        return "unit.register";
    }

    /** Units shipped to the owning party and location of the destination list: {@code transfer.dispatch}. */
    private static String shipping(Map<String, Object> ev, Map<String, Object> fields) {
        fields.put("units", refs(ev.get("epcList"), "epcList"));
        for (Object d : list(ev.get("destinationList"), "destinationList")) {
            Map<?, ?> m = d instanceof Map<?, ?> x ? x : Map.of();
            Object id = m.get("destination");
            if ("owning_party".equals(m.get("type")) && id instanceof String s) {
                fields.put("to", EpcisIds.parseOrg(s).orElseThrow(() -> unknown("destinationList", s)));
            } else if ("location".equals(m.get("type")) && id instanceof String s) {
                fields.put("toSite", EpcisIds.parseSite(s).orElseThrow(() -> unknown("destinationList", s)).site());
            }
        }
        copyAll(ev, fields, "carrier", "shipmentRef", "licenceRef", "expectedArrival");
        return "transfer.dispatch";
    }

    /** A shipment received, refused (non-conformant) or voided: {@code transfer.receive}, {@code .reject}, {@code .cancel}. */
    private static String receiving(Map<String, Object> ev, String actor, Map<String, Object> fields) {
        Object bizStep = ev.get("bizStep");
        fields.put("transfer", transfer(ev.get("bizTransactionList")));
        if ("void_shipping".equals(bizStep) || "non_conformant".equals(ev.get("disposition"))) {
            copyAll(ev, fields, "reason");
            return "void_shipping".equals(bizStep) ? "transfer.cancel" : "transfer.reject";
        }
        fields.put("units", refs(ev.get("epcList"), "epcList"));
        fields.put("site", ownSite(ev.get("bizLocation"), actor));
        return "transfer.receive";
    }

    /** A unit inspected, conformant or not: {@code unit.inspect}. */
    private static String inspecting(Map<String, Object> ev, Map<String, Object> fields) {
        Object disposition = ev.get("disposition");
        fields.put("unit", ref(one(refs(ev.get("epcList"), "epcList"))));
        fields.put("result", "conformant".equals(disposition) ? "consistent"
                : "non_conformant".equals(disposition) ? "discrepancy" : "?");
        if (ev.get("bizLocation") != null) {
            EpcisIds.SiteRef s = site(ev.get("bizLocation"));
            fields.put("site", Map.of("org", s.org(), "site", s.site()));
        }
        copyAll(ev, fields, "custodian", "notes");
        return "unit.inspect";
    }

    private static String statusOf(Object disposition) {
        for (Map.Entry<String, String> e : EpcisEvents.STATUS_DISPOSITIONS.entrySet()) {
            if (e.getValue().equals(disposition)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String transfer(Object bizTransactions) {
        for (Object bt : list(bizTransactions, "bizTransactionList")) {
            if (bt instanceof Map<?, ?> m && m.get("bizTransaction") instanceof String s && s.startsWith("urn:uuid:")) {
                return s.substring("urn:uuid:".length());
            }
        }
        throw Payload.invalid("missing-field", "bizTransactionList", "bizTransactionList must name the transfer as "
                + "urn:uuid:<transfer id> (the dispatch's payload.id)");
    }

    private static String ownSite(Object place, String actor) {
        EpcisIds.SiteRef s = site(place);
        if (!s.org().equals(actor)) {
            throw Payload.invalid("unknown-site", "bizLocation", "bizLocation must be a site of " + actor);
        }
        return s.site();
    }

    private static EpcisIds.SiteRef site(Object place) {
        Object id = place instanceof Map<?, ?> m ? m.get("id") : null;
        if (!(id instanceof String s)) {
            throw Payload.invalid("missing-field", "bizLocation", "bizLocation.id must name a site");
        }
        return EpcisIds.parseSite(s).orElseThrow(() -> unknown("bizLocation", s));
    }

    private static List<?> list(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw Payload.invalid("invalid-epcis-event", field, field + " must be an array");
        }
        return l;
    }

    private static List<Object> refs(Object epcs, String field) {
        List<Object> out = new ArrayList<>();
        List<?> l = list(epcs, field);
        for (int i = 0; i < l.size(); i++) {
            out.add(ref(EpcisCapture.unitOrRefuse(l.get(i), field + "[" + i + "]")));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static UnitKey one(List<Object> refs) {
        if (refs.size() != 1) {
            throw Payload.invalid("invalid-epcis-event", "epcList", "epcList must name exactly one unit here");
        }
        Map<String, Object> m = (Map<String, Object>) refs.get(0);
        return new UnitKey((String) m.get("manufacturer"), (String) m.get("serial"));
    }

    private static Map<String, Object> ref(UnitKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("manufacturer", k.manufacturer());
        m.put("serial", k.serial());
        return m;
    }

    private static void copy(Map<?, ?> from, String key, Map<String, Object> to, String field) {
        if (from.get(key) != null) {
            to.put(field, from.get(key));
        }
    }

    private static void copyAll(Map<String, Object> ev, Map<String, Object> fields, String... names) {
        for (String n : names) {
            copy(ev, "fabtrail:" + n, fields, n);
        }
    }

    private static LedgerException unknown(String field, String uri) {
        return Payload.invalid("unknown-epc", field, field + " \"" + (uri.length() > 100 ? uri.substring(0, 100)
                + "..." : uri) + "\" is not a Fabtrail identifier (urn:fabtrail:unit:, urn:fabtrail:site:, "
                + "urn:fabtrail:org:); GS1 keys (SGTIN, SGLN, Digital Link) are not supported");
    }

    private static LedgerException unsupported(String what) {
        what = what.length() > 120 ? what.substring(0, 120) + "..." : what;
        return Payload.invalid("unsupported-epcis-event", "type", "the event maps to no custody operation (" + what
                + "); see docs/api.md, \"EPCIS 2.0\", for the events Fabtrail captures");
    }
}
