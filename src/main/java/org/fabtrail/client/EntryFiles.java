package org.fabtrail.client;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.Csv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry files the client submits, each entry given as its payload's members without {@code actor} (the client's
 * organisation), and with {@code id} and {@code time} optional:
 * <ul>
 *   <li>JSON ({@code .json}): an array of objects, or one object per line (JSON Lines), e.g.
 *       {@code {"type": "unit.register", "serial": "GPU-1", "kind": "accelerator", "model": "H200", "site": "fab-1"}};</li>
 *   <li>CSV ({@code .csv}): a header row naming the members, then a row per entry; a {@code type} column is
 *       optional ({@code unit.register} when absent); empty cells are left out. Every value is text, so CSV suits
 *       entries whose members are all text, such as unit registrations; use JSON for the others.</li>
 *   <li>EPCIS 2.0 ({@code .json} or {@code .jsonld}): one GS1 {@code EPCISDocument}, submitted as {@code epcis.capture}
 *       entries of up to {@value #EPCIS_EVENTS_PER_ENTRY} events each (the server's limit per capture), every one
 *       keeping the document's other members ({@code @context}, {@code schemaVersion}, ...); each entry is applied all
 *       or nothing, so a refused event refuses its entry's events only.</li>
 * </ul>
 */
public final class EntryFiles {

    private EntryFiles() {
    }

    /** The most events the server applies in one {@code epcis.capture} entry. */
    public static final int EPCIS_EVENTS_PER_ENTRY = 100;

    /** Reads the entries of a file; the name's extension says its format, an EPCIS document says its own. */
    public static List<Map<String, Object>> read(String name, String text) {
        if (name.endsWith(".csv")) {
            return csv(text);
        }
        String trimmed = text.strip();
        List<Map<String, Object>> out = new ArrayList<>();
        if (trimmed.startsWith("{") && (name.endsWith(".jsonld") || trimmed.contains("\"EPCISDocument\""))) {
            Object doc = StrictJson.parse(trimmed);
            if (doc instanceof Map<?, ?> m && "EPCISDocument".equals(m.get("type"))) {
                return epcis(ReceiptVerifier.asObject(doc, "the EPCIS document"));
            }
            if (name.endsWith(".jsonld")) {
                throw new IllegalArgumentException("a .jsonld file must hold one EPCIS 2.0 EPCISDocument "
                        + "(\"type\": \"EPCISDocument\")");
            }
        }
        if (trimmed.startsWith("[")) {
            for (Object o : (List<?>) StrictJson.parse(trimmed)) {
                out.add(entry(o, out.size() + 1));
            }
            return out;
        }
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                out.add(entry(StrictJson.parse(line), out.size() + 1));
            }
        }
        return out;
    }

    /** An EPCIS document as capture entries of up to {@link #EPCIS_EVENTS_PER_ENTRY} events, in its order. */
    private static List<Map<String, Object>> epcis(Map<String, Object> document) {
        if (!(document.get("epcisBody") instanceof Map<?, ?> body) || !(body.get("eventList") instanceof List<?> events)
                || events.isEmpty()) {
            throw new IllegalArgumentException("the EPCIS document has no events (epcisBody.eventList is missing or empty)");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int from = 0; from < events.size(); from += EPCIS_EVENTS_PER_ENTRY) {
            Map<String, Object> part = new LinkedHashMap<>(document);
            Map<String, Object> partBody = new LinkedHashMap<>(ReceiptVerifier.asObject(body, "epcisBody"));
            partBody.put("eventList", List.copyOf(events.subList(from, Math.min(events.size(),
                    from + EPCIS_EVENTS_PER_ENTRY))));
            part.put("epcisBody", partBody);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", "epcis.capture");
            entry.put("document", part);
            out.add(entry);
        }
        return out;
    }

    private static Map<String, Object> entry(Object o, int n) {
        Map<String, Object> m = ReceiptVerifier.asObject(o, "entry " + n);
        if (!(m.get("type") instanceof String)) {
            throw new IllegalArgumentException("entry " + n + " has no \"type\"");
        }
        if (m.containsKey("actor")) {
            throw new IllegalArgumentException("entry " + n + " names an actor: the client signs as its own organisation");
        }
        return m;
    }

    private static List<Map<String, Object>> csv(String text) {
        List<Csv.Record> records;
        try {
            records = Csv.records(text);
        } catch (Csv.Unclosed e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0).fields();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Csv.Record r : records.subList(1, records.size())) {
            if (r.fields().size() != header.size()) {
                throw new IllegalArgumentException("line " + r.line() + " has " + r.fields().size() + " fields, the header "
                        + header.size());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "unit.register");
            for (int i = 0; i < header.size(); i++) {
                if (!r.fields().get(i).isEmpty()) {
                    m.put(header.get(i), r.fields().get(i));
                }
            }
            out.add(entry(m, out.size() + 1));
        }
        return out;
    }
}
