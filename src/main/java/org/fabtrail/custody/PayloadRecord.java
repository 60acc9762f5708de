package org.fabtrail.custody;

import org.fabtrail.crypto.StrictJson;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A payload record that can be written as well as read: its {@link #payloadFields()} are the payload's own fields as
 * an envelope signs them, so a writer (a web form, the operator) builds the record and never spells a field name itself.
 * {@link EntryType#read} of the record's type reads those fields back into an equal record (ADR 0025).
 *
 * <p>By default each record component is the payload field of the same name, in declaration order, and a null
 * component is left out (an optional field not given). Values are written as {@link Payload} reads them: strings,
 * numbers and booleans as they are, a {@link UUID} and an {@link Instant} as text (lowercase UUID, RFC 3339 UTC),
 * a {@link UnitKey} as {@code {"manufacturer", "serial"}}, a {@link CustodyState.SiteKey} as {@code {"org", "site"}},
 * a nested payload record as its fields, and a list or a map (a JSON object given as it is, such as a device's
 * attestation, or a finding's details) item by item, a JSON null in them (Java's or {@link StrictJson#NULL}) as it is.
 * A record whose fields are not its components (one that keeps a parsed value, or one that takes a field from the
 * envelope's {@code actor}) overrides {@link #payloadFields()}.
 */
public interface PayloadRecord {

    /** The payload's type-specific fields (no {@code id}, {@code type}, {@code actor}, {@code time}). */
    default Map<String, Object> payloadFields() {
        if (!(this instanceof Record record)) {
            throw new IllegalStateException(getClass().getName() + " is not a record; it must override payloadFields");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value = component(record, c);
            if (value != null) {
                out.put(c.getName(), json(value));
            }
        }
        return out;
    }

    /** One value as the payload holds it. */
    static Object json(Object value) {
        if (value == null || value == StrictJson.NULL) {
            return value; // a JSON null inside an object or an array given as it is (or as parsed)
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof UUID || value instanceof Instant) {
            return value.toString();
        }
        if (value instanceof UnitKey k) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("manufacturer", k.manufacturer());
            m.put("serial", k.serial());
            return m;
        }
        if (value instanceof CustodyState.SiteKey s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("org", s.org());
            m.put("site", s.id());
            return m;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(json(item)));
            return out;
        }
        if (value instanceof PayloadRecord nested) {
            return nested.payloadFields();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, json(v)));
            return out;
        }
        throw new IllegalArgumentException("no payload form for a " + value.getClass().getName());
    }

    private static Object component(Record record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass().getName(), e);
        }
    }
}
