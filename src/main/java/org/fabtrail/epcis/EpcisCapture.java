package org.fabtrail.epcis;

import org.fabtrail.custody.EntryType;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.PayloadSchema;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Wants;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.RefusedAfterWrites;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code epcis.capture}: an EPCIS 2.0 document as the payload of one signed entry (field {@code document}, an
 * {@code EPCISDocument} of 1 to {@value #MAX_EVENTS} events). Each event is applied as the custody entry it maps to
 * (the inverse of {@link EpcisEvents}' table), in order, by that entry type's own read, admission and rules, so the
 * same problems answer; the problem names the failing event ({@code event}, its position, and {@code field}
 * {@code payload.document.epcisBody.eventList[i]...}). All or nothing: a refusal after earlier events changed the
 * batch's state is thrown as {@link RefusedAfterWrites}, which makes the sequencer roll the entry back whole. The
 * document is kept verbatim in the log (it is the payload). Each event acts as an entry whose {@code payload.id} is
 * derived from the capture's and the event's position ({@link #eventId}), so a dispatch's transfer id is known.
 */
public final class EpcisCapture implements EntryType<EpcisCapture.Capture> {

    public static final String TYPE = "epcis.capture";
    public static final int MAX_EVENTS = 100;

    /** One event as the entry it maps to: its type, its envelope (payload and all) and the record its type read. */
    public record Step(EntryType<Object> type, Envelope envelope, Object record) {
    }

    /** The payload record: the steps, in the document's order. */
    public record Capture(List<Step> steps) {
    }

    private final Map<String, EntryType<?>> types = new HashMap<>();

    /** @param custodyTypes the entry types the events map to (custody's), found by name */
    public EpcisCapture(List<EntryType<?>> custodyTypes) {
        for (EntryType<?> t : custodyTypes) {
            types.put(t.name(), t);
        }
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Class<Capture> payloadType() {
        return Capture.class;
    }

    /** One member, {@code document}: a GS1 EPCIS 2.0 document (JSON-LD) of up to {@link #MAX_EVENTS} events. */
    @Override
    public PayloadSchema schema() {
        Map<String, Object> document = new LinkedHashMap<>(PayloadSchema.object());
        document.put("description", "a GS1 EPCIS 2.0 EPCISDocument (JSON-LD) whose epcisBody.eventList holds 1 to "
                + MAX_EVENTS + " ObjectEvents and AggregationEvents, applied in order, all or nothing (docs/api.md, EPCIS 2.0)");
        return PayloadSchema.of(Set.of("document"), Set.of()).field("document", document);
    }

    /** The payload.id of event {@code i} of capture {@code captureId}: a name-based UUID, the same on every replay. */
    public static UUID eventId(UUID captureId, int i) {
        return UUID.nameUUIDFromBytes((captureId + "#" + i).getBytes(StandardCharsets.UTF_8));
    }

    /** One event of a capture as the entry it stands for: its payload.id, type and payload, and its eventID. */
    public record SubEntry(UUID id, String type, Map<String, Object> payload, String eventId) {
    }

    /**
     * The entries the events of a capture's payload stand for, in order (pure: also what the export reads back from
     * the log). Refuses the first event that maps to no custody operation, naming it.
     */
    public static List<SubEntry> subEntries(UUID captureId, String actor, Map<String, Object> payload) {
        List<Map<String, Object>> events = events(payload.get("document"));
        Instant entryTime = Instant.parse((String) payload.get("time"));
        List<SubEntry> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> ev = events.get(i);
            UUID id = eventId(captureId, i);
            try {
                Map<String, Object> fields = new LinkedHashMap<>();
                String type = EpcisMapping.entry(ev, actor, fields);
                String time = utc(ev.get("eventTime"));
                if (time == null || Instant.parse(time).isAfter(entryTime)) {
                    throw Payload.invalid("invalid-time", "eventTime", "eventTime must be an RFC 3339 time with "
                            + "its offset, not after the entry's payload.time");
                }
                Map<String, Object> sub = new LinkedHashMap<>();
                sub.put("id", id.toString());
                sub.put("type", type);
                sub.put("actor", actor);
                sub.put("time", time);
                sub.putAll(fields);
                out.add(new SubEntry(id, type, sub, ev.get("eventID") instanceof String s ? s : null));
            } catch (LedgerException refused) {
                throw atEvent(i, null, refused);
            }
        }
        return out;
    }

    @Override
    public Capture read(Envelope e) {
        Payload.of(e, Set.of("document"), Set.of());
        List<Step> steps = new ArrayList<>();
        List<SubEntry> subs = subEntries(e.id(), e.actor(), e.payload());
        for (int i = 0; i < subs.size(); i++) {
            SubEntry sub = subs.get(i);
            Envelope se = new Envelope(e.json(), sub.payload(), sub.id(), sub.type(), e.actor(), e.time(), e.keyId(),
                    e.algorithm(), e.signature(), e.canonicalPayload(), e.payloadHash(), e.canonicalEnvelope(),
                    e.signatureVerified());
            @SuppressWarnings("unchecked")
            EntryType<Object> t = (EntryType<Object>) types.get(sub.type());
            try {
                Object record = t.read(se);
                steps.add(new Step(t, se.withPayloadRecord(record), record));
            } catch (LedgerException refused) {
                throw atEvent(i, sub.type(), refused);
            }
        }
        return new Capture(List.copyOf(steps));
    }

    @Override
    public void admit(Envelope e, Capture c) {
        for (int i = 0; i < c.steps().size(); i++) {
            Step s = c.steps().get(i);
            try {
                s.type().admit(s.envelope(), s.record());
            } catch (LedgerException refused) {
                throw atEvent(i, s.type().name(), refused);
            }
        }
    }

    @Override
    public void prefetch(Envelope e, Capture c, Wants wants) {
        for (Step s : c.steps()) {
            s.type().prefetch(s.envelope(), s.record(), wants);
        }
    }

    @Override
    public void apply(Envelope e, Capture c, long index, Instant at, BatchContext ctx) throws SQLException {
        for (int i = 0; i < c.steps().size(); i++) {
            Step s = c.steps().get(i);
            try {
                s.type().apply(s.envelope(), s.record(), index, at, ctx);
            } catch (LedgerException refused) {
                LedgerException named = atEvent(i, s.type().name(), refused);
                // the earlier events changed the batch's state: only a rollback of the whole entry undoes them
                throw i == 0 ? named : new RefusedAfterWrites(named);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(Object document) {
        if (!(document instanceof Map<?, ?> doc) || !"EPCISDocument".equals(doc.get("type"))) {
            throw Payload.invalid("invalid-epcis-document", "document",
                    "payload.document must be an EPCIS 2.0 EPCISDocument (\"type\": \"EPCISDocument\")");
        }
        Object body = doc.get("epcisBody");
        Object list = body instanceof Map<?, ?> b ? b.get("eventList") : null;
        if (!(list instanceof List<?> events) || events.isEmpty() || events.size() > MAX_EVENTS) {
            throw Payload.invalid("invalid-epcis-document", "document.epcisBody.eventList",
                    "payload.document.epcisBody.eventList must be an array of 1 to " + MAX_EVENTS + " events");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!(events.get(i) instanceof Map<?, ?> ev)) {
                throw atEvent(i, null, Payload.invalid("invalid-epcis-event", "document.epcisBody.eventList[" + i + "]",
                        "the event is not a JSON object"));
            }
            out.add((Map<String, Object>) ev);
        }
        return out;
    }

    /** The refusal of event {@code i}: the same code and status, naming the event and (when known) its entry type. */
    static LedgerException atEvent(int i, String type, LedgerException refused) {
        Map<String, Object> details = new LinkedHashMap<>(refused.details());
        String where = "payload.document.epcisBody.eventList[" + i + "]";
        Object field = details.get("field");
        if (field instanceof String f && f.startsWith("payload.") && !f.startsWith("payload.document")) {
            details.put("field", where + "." + f.substring("payload.".length()));
        } else if (field == null) {
            details.put("field", where);
        }
        details.put("event", i);
        if (type != null) {
            details.put("eventEntryType", type);
        }
        return new LedgerException(refused.kind(), refused.code(), refused.title(),
                "Event " + i + " of the EPCIS document" + (type == null ? "" : " (" + type + ")") + ": "
                        + refused.detail(), details, null);
    }

    /** An RFC 3339 time with any offset as the UTC text entries carry, or null when it is none. */
    static String utc(Object time) {
        if (!(time instanceof String s) || s.length() > 40) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static UnitKey unitOrRefuse(Object uri, String field) {
        if (!(uri instanceof String s)) {
            throw Payload.invalid("invalid-epcis-event", field, field + " must be a unit URN");
        }
        return EpcisIds.parseUnit(s).orElseThrow(() -> Payload.invalid("unknown-epc", field, field + " \""
                + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "\" is not a Fabtrail unit "
                + "(urn:fabtrail:unit:<manufacturer>:<serial>); GS1 keys (SGTIN, Digital Link) are not supported"));
    }
}
