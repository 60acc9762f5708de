package org.fabtrail.epcis;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipts;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A custody entry of the log as GS1 EPCIS 2.0 events (JSON-LD objects, members in a readable order). The mapping is
 * the table of docs/api.md, "EPCIS 2.0": registration is an ObjectEvent ADD {@code commissioning}, a dispatch an
 * ObjectEvent {@code shipping} with source and destination lists, a receipt {@code receiving}, a rejection
 * {@code receiving} with disposition {@code non_conformant}, a cancellation {@code void_shipping}, an assembly or
 * disassembly an AggregationEvent ADD or DELETE ({@code packing}, {@code unpacking}), a status report an ObjectEvent
 * whose disposition is the CBV one for the status, an inspection an ObjectEvent {@code inspecting}. Entry types that
 * are no custody operation (organisations, keys, sites, CAs, certification, discrepancies) map to no event.
 *
 * <p>Every event carries where it is in the log in the {@code fabtrail:} extension namespace
 * ({@value #NAMESPACE}): {@code fabtrail:logIndex}, {@code fabtrail:leafHash}, {@code fabtrail:inclusionProof} (the
 * URL of its RFC 9162 inclusion proof), {@code fabtrail:entryId}, {@code fabtrail:entryType} and
 * {@code fabtrail:actor}; and the entry's own fields EPCIS has no place for ({@code fabtrail:reason}, ...).
 * Read-only: the caller decides which entries it may see; this reads only the transfer an entry belongs to.
 *
 * @param proofBase the absolute URL of the inclusion-proof endpoint ({@code .../api/v1/log/proof/inclusion})
 * @param treeSize  the tree size the proofs are linked against (the log's size when the answer is made)
 */
public record EpcisEvents(String proofBase, long treeSize) {

    /** The IRI the {@code fabtrail:} prefix stands for in the documents' {@code @context}. */
    public static final String NAMESPACE = "https://fabtrail.org/ns/epcis/";
    /** The {@code @context} of every document: the GS1 EPCIS 2.0 context and the Fabtrail extension prefix. */
    public static final List<Object> CONTEXT = List.of("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            Map.of("fabtrail", NAMESPACE));
    /** The entry types that map to events. */
    public static final List<String> TYPES = List.of("unit.register", "transfer.dispatch", "transfer.receive",
            "transfer.reject", "transfer.cancel", "unit.assemble", "unit.disassemble", "unit.status", "unit.inspect");

    /**
     * The CBV 2.0 disposition of each {@code unit.status}: CBV has no "lost", so a lost unit's disposition is
     * {@code unknown}; the status itself is in {@code fabtrail:status}.
     */
    public static final Map<String, String> STATUS_DISPOSITIONS = Map.of("lost", "unknown", "stolen", "stolen",
            "destroyed", "destroyed", "decommissioned", "inactive", "recovered", "active");

    private static final CustodyQueries QUERIES = new CustodyQueries();

    /** The events of one entry, in order; none for an entry type that is no custody operation. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> events(Connection c, LedgerStore.StoredEntry e) throws SQLException {
        if (!TYPES.contains(e.type()) && !EpcisCapture.TYPE.equals(e.type())) {
            return List.of();
        }
        Map<String, Object> leaf = (Map<String, Object>) StrictJson.parse(e.leaf());
        Map<String, Object> p = (Map<String, Object>) ((Map<String, Object>) leaf.get("envelope")).get("payload");
        if (!EpcisCapture.TYPE.equals(e.type())) {
            return List.of(event(c, e, e.type(), e.entryId(), p, "urn:uuid:" + e.entryId()));
        }
        // a capture: each event of its document as the entry it was applied as
        List<Map<String, Object>> out = new ArrayList<>();
        List<EpcisCapture.SubEntry> subs = EpcisCapture.subEntries(e.entryId(), e.actor(), p);
        for (EpcisCapture.SubEntry sub : subs) {
            Map<String, Object> ev = event(c, e, sub.type(), sub.id(), sub.payload(),
                    sub.eventId() != null ? sub.eventId() : "urn:uuid:" + sub.id());
            ev.put("fabtrail:captureEvent", out.size());
            ev.put("fabtrail:appliedAs", sub.type());
            out.add(ev);
        }
        return out;
    }

    private Map<String, Object> event(Connection c, LedgerStore.StoredEntry e, String type, UUID id,
                                      Map<String, Object> p, String eventId) throws SQLException {
        String actor = e.actor();
        Map<String, Object> ev = new LinkedHashMap<>();
        switch (type) {
            case "unit.register" -> commissioned(ev, actor, p);
            case "transfer.dispatch" -> shipped(c, ev, actor, id, p);
            case "transfer.receive" -> {
                object(ev, "OBSERVE", units(p.get("units")));
                ev.put("bizStep", "receiving");
                ev.put("disposition", "in_progress");
                at(ev, EpcisIds.site(actor, (String) p.get("site")));
                transaction(ev, (String) p.get("transfer"));
                transfer(c, (String) p.get("transfer"))
                        .ifPresent(t -> parties(ev, "sourceList", "source", t.sender(), t.senderSite()));
                parties(ev, "destinationList", "destination", actor, (String) p.get("site"));
            }
            case "transfer.reject", "transfer.cancel" -> ended(c, ev, e, type, p);
            case "unit.assemble", "unit.disassemble" -> {
                boolean add = type.equals("unit.assemble");
                ev.put("type", "AggregationEvent");
                ev.put("action", add ? "ADD" : "DELETE");
                ev.put("parentID", EpcisIds.unit(unitRef(p.get("parent"))));
                ev.put("childEPCs", units(p.get("components")));
                ev.put("bizStep", add ? "packing" : "unpacking");
            }
            case "unit.status" -> statusChanged(ev, p);
            case "unit.inspect" -> {
                object(ev, "OBSERVE", List.of(EpcisIds.unit(unitRef(p.get("unit")))));
                ev.put("bizStep", "inspecting");
                ev.put("disposition", "consistent".equals(p.get("result")) ? "conformant" : "non_conformant");
                if (p.get("site") instanceof Map<?, ?> s) {
                    at(ev, EpcisIds.site((String) s.get("org"), (String) s.get("site")));
                }
                copy(p, ev, "result", "custodian", "notes");
                if (p.get("verdict") instanceof Map<?, ?> v) {
                    ev.put("fabtrail:attestation", v.get("result"));
                }
            }
            default -> throw new IllegalStateException(type);
        }
        ev.put("eventTime", p.get("time"));
        ev.put("eventTimeZoneOffset", "+00:00");
        ev.put("recordTime", Receipts.formatTime(e.integratedTime()));
        ev.put("eventID", eventId);
        logPlace(ev, e);
        return reorder(ev);
    }

    /** A unit registered: commissioned at its manufacturer's site, its kind, model and ECCN as ILMD. */
    private static void commissioned(Map<String, Object> ev, String actor, Map<String, Object> p) {
        object(ev, "ADD", List.of(EpcisIds.unit(new UnitKey(actor, (String) p.get("serial")))));
        ev.put("bizStep", "commissioning");
        ev.put("disposition", "active");
        at(ev, EpcisIds.site(actor, (String) p.get("site")));
        Map<String, Object> ilmd = new LinkedHashMap<>();
        ilmd.put("fabtrail:kind", p.get("kind"));
        ilmd.put("fabtrail:model", p.get("model"));
        if (p.get("eccn") != null) {
            ilmd.put("fabtrail:eccn", p.get("eccn"));
        }
        ev.put("ilmd", ilmd);
    }

    /** A dispatch: shipped from the sender's site to the receiver's, the transfer as its transaction. */
    private void shipped(Connection c, Map<String, Object> ev, String actor, UUID id, Map<String, Object> p)
            throws SQLException {
        object(ev, "OBSERVE", units(p.get("units")));
        ev.put("bizStep", "shipping");
        ev.put("disposition", "in_transit");
        String fromSite = transfer(c, id.toString()).map(CustodyQueries.TransferRecord::senderSite)
                .orElse(null);
        if (fromSite != null) {
            at(ev, EpcisIds.site(actor, fromSite));
        }
        transaction(ev, id.toString());
        parties(ev, "sourceList", "source", actor, fromSite);
        parties(ev, "destinationList", "destination", (String) p.get("to"), (String) p.get("toSite"));
        copy(p, ev, "carrier", "shipmentRef", "licenceRef", "expectedArrival");
    }

    /** A rejected or cancelled dispatch: the units it returned, received non-conformant or the shipping voided. */
    private void ended(Connection c, Map<String, Object> ev, LedgerStore.StoredEntry e, String type,
                       Map<String, Object> p) throws SQLException {
        Optional<CustodyQueries.TransferRecord> t = transfer(c, (String) p.get("transfer"));
        List<String> returned = new ArrayList<>();
        t.filter(r -> r.closedIdx() != null && r.closedIdx() == e.index()).ifPresent(r -> r.units().stream()
                .filter(u -> "returned".equals(u.state())).forEach(u -> returned.add(EpcisIds.unit(u.unit()))));
        object(ev, "OBSERVE", returned);
        boolean reject = type.equals("transfer.reject");
        ev.put("bizStep", reject ? "receiving" : "void_shipping");
        if (reject) {
            ev.put("disposition", "non_conformant");
        }
        transaction(ev, (String) p.get("transfer"));
        t.ifPresent(r -> {
            parties(ev, "sourceList", "source", r.sender(), r.senderSite());
            parties(ev, "destinationList", "destination", r.receiver(), r.receiverSite());
        });
        copy(p, ev, "reason");
    }

    /** A unit lost, stolen, recovered, destroyed or decommissioned. */
    private static void statusChanged(Map<String, Object> ev, Map<String, Object> p) {
        String status = (String) p.get("status");
        boolean gone = status.equals("destroyed") || status.equals("decommissioned");
        object(ev, gone ? "DELETE" : "OBSERVE", List.of(EpcisIds.unit(unitRef(p.get("unit")))));
        switch (status) {
            case "destroyed" -> ev.put("bizStep", "destroying");
            case "decommissioned" -> ev.put("bizStep", "decommissioning");
            default -> {
            }
        }
        ev.put("disposition", STATUS_DISPOSITIONS.get(status));
        ev.put("fabtrail:status", status);
        copy(p, ev, "reason");
    }

    /** The log's extension members: where the entry is, and how to prove it. */
    private void logPlace(Map<String, Object> ev, LedgerStore.StoredEntry e) {
        ev.put("fabtrail:entryId", e.entryId().toString());
        ev.put("fabtrail:entryType", e.type());
        ev.put("fabtrail:actor", e.actor());
        ev.put("fabtrail:logIndex", e.index());
        ev.put("fabtrail:leafHash", HexFormat.of().formatHex(e.leafHash()));
        ev.put("fabtrail:inclusionProof", proofBase + "?index=" + e.index() + "&size=" + treeSize);
    }

    /** EPCIS members first in the order the standard lists them, then the extension members. */
    private static Map<String, Object> reorder(Map<String, Object> ev) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("type", "eventID", "eventTime", "eventTimeZoneOffset", "recordTime", "action",
                "epcList", "parentID", "childEPCs", "bizStep", "disposition", "readPoint", "bizLocation",
                "bizTransactionList", "sourceList", "destinationList", "ilmd")) {
            if (ev.containsKey(k)) {
                out.put(k, ev.get(k));
            }
        }
        ev.forEach(out::putIfAbsent);
        return out;
    }

    private static void object(Map<String, Object> ev, String action, List<String> epcs) {
        ev.put("type", "ObjectEvent");
        ev.put("action", action);
        ev.put("epcList", epcs);
    }

    /** Where it happened: the site is both the read point and the business location. */
    private static void at(Map<String, Object> ev, String site) {
        ev.put("readPoint", Map.of("id", site));
        ev.put("bizLocation", Map.of("id", site));
    }

    /** The transfer as a despatch-advice business transaction: it ties dispatch, receipts and the end together. */
    private static void transaction(Map<String, Object> ev, String transferId) {
        Map<String, Object> bt = new LinkedHashMap<>();
        bt.put("type", "desadv");
        bt.put("bizTransaction", "urn:uuid:" + transferId);
        ev.put("bizTransactionList", List.of(bt));
    }

    /** A source or destination list: the owning party and, when known, the location. */
    private static void parties(Map<String, Object> ev, String list, String member, String org, String site) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(party("owning_party", member, EpcisIds.org(org)));
        if (site != null) {
            out.add(party("location", member, EpcisIds.site(org, site)));
        }
        ev.put(list, out);
    }

    private static Map<String, Object> party(String type, String member, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put(member, id);
        return m;
    }

    private static void copy(Map<String, Object> p, Map<String, Object> ev, String... fields) {
        for (String f : fields) {
            if (p.get(f) != null) {
                ev.put("fabtrail:" + f, p.get(f));
            }
        }
    }

    private Optional<CustodyQueries.TransferRecord> transfer(Connection c, String id) throws SQLException {
        return QUERIES.transfer(c, UUID.fromString(id));
    }

    private static List<String> units(Object refs) {
        List<String> out = new ArrayList<>();
        for (Object r : (List<?>) refs) {
            out.add(EpcisIds.unit(unitRef(r)));
        }
        return out;
    }

    private static UnitKey unitRef(Object ref) {
        Map<?, ?> m = (Map<?, ?>) ref;
        return new UnitKey((String) m.get("manufacturer"), (String) m.get("serial"));
    }
}
