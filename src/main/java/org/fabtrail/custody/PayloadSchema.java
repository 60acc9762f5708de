package org.fabtrail.custody;

import org.fabtrail.ledger.EnvelopeParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an entry type's payload looks like on the wire, as a JSON Schema (2020-12) object, for the API's OpenAPI
 * document: the members every payload has ({@link Payload#COMMON}), {@code type} fixed to the type's name, then the
 * type's own required and optional fields, and nothing else (as {@link Payload#of} refuses unknown fields). Each
 * {@link EntryType} gives its own ({@link EntryType#schema()}), so a new type cannot be left out of the document.
 * A field's schema says its shape; the type's {@link EntryType#read} stays the judge of its value.
 */
public final class PayloadSchema {

    private final Set<String> required;
    private final Map<String, Map<String, Object>> fields = new LinkedHashMap<>();

    private PayloadSchema(Set<String> required) {
        this.required = new TreeSet<>(required);
    }

    /**
     * The type's fields by name: {@code required} and {@code optional} as the type's {@link Payload#of} call names
     * them, each of any shape until {@link #field} says more.
     */
    public static PayloadSchema of(Set<String> required, Set<String> optional) {
        PayloadSchema s = new PayloadSchema(required);
        for (String f : new TreeSet<>(required)) {
            s.fields.put(f, Map.of());
        }
        for (String f : new TreeSet<>(optional)) {
            s.fields.put(f, Map.of());
        }
        return s;
    }

    /** Says what shape the field (one of those given to {@link #of}) has. */
    public PayloadSchema field(String name, Map<String, Object> schema) {
        if (!fields.containsKey(name)) {
            throw new IllegalArgumentException(name + " is not a field of this payload");
        }
        fields.put(name, schema);
        return this;
    }

    /** The payload's JSON Schema for an entry of type {@code typeName}. */
    public Map<String, Object> toJsonSchema(String typeName) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("id", Map.of("type", "string", "format", "uuid", "description", "unique per entry; "
                + "resubmitting the same id with the same payload is idempotent"));
        properties.put("type", Map.of("type", "string", "const", typeName));
        properties.put("actor", slug("the organisation that signs the entry"));
        properties.put("time", Map.of("type", "string", "pattern", "^" + EnvelopeParser.UTC_TIME.pattern() + "$",
                "description", "when the actor says it happened: an RFC 3339 UTC time, e.g. 2026-11-27T08:00:00Z"));
        properties.put("by", Map.of("type", "string", "maxLength", 64,
                "description", "optional: the person who acted, for entries made in the web UI"));
        properties.putAll(fields);
        List<String> req = new ArrayList<>(List.of("id", "type", "actor", "time"));
        req.addAll(required);
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("required", req);
        schema.put("properties", properties);
        schema.put("additionalProperties", false);
        return schema;
    }

    /** A string of 1 to {@code maxLength} characters. */
    public static Map<String, Object> string(int maxLength) {
        return Map.of("type", "string", "minLength", 1, "maxLength", maxLength);
    }

    /** An organisation, site or similar id: {@code [a-z0-9][a-z0-9-]{0,62}}. */
    public static Map<String, Object> slug(String description) {
        return Map.of("type", "string", "pattern", "^" + EnvelopeParser.SLUG.pattern() + "$",
                "description", description);
    }

    /** One of the given strings. */
    public static Map<String, Object> oneOf(java.util.Collection<String> values) {
        return Map.of("type", "string", "enum", List.copyOf(new TreeSet<>(values)));
    }

    /** An array of up to {@code maxItems} items of the given shape. */
    public static Map<String, Object> array(Map<String, Object> items, int maxItems) {
        return Map.of("type", "array", "items", items, "minItems", 1, "maxItems", maxItems);
    }

    /** A unit reference {@code {"manufacturer", "serial"}}. */
    public static Map<String, Object> unit() {
        return Map.of("type", "object", "required", List.of("manufacturer", "serial"), "additionalProperties", false,
                "properties", Map.of("manufacturer", slug("the manufacturer's organisation id"),
                        "serial", Map.of("type", "string", "minLength", 1)));
    }

    /** A site reference {@code {"org", "site"}}. */
    public static Map<String, Object> site() {
        return Map.of("type", "object", "required", List.of("org", "site"), "additionalProperties", false,
                "properties", Map.of("org", slug("the organisation id"), "site", slug("the site id")));
    }

    /** An ISO 3166-1 alpha-2 country code in upper case. */
    public static Map<String, Object> country() {
        return Map.of("type", "string", "pattern", "^[A-Z]{2}$");
    }

    /** The payload.id (a lowercase UUID) of an earlier entry. */
    public static Map<String, Object> entryId(String description) {
        return Map.of("type", "string", "format", "uuid", "description", description);
    }

    /**
     * A UTC time, as {@code time}. A pattern, not {@code format: date-time}: the signature covers the text as written,
     * so a generated client must keep it as text rather than reformat a date-time value.
     */
    public static Map<String, Object> time() {
        return Map.of("type", "string", "pattern", "^" + EnvelopeParser.UTC_TIME.pattern() + "$");
    }

    /** A JSON object. */
    public static Map<String, Object> object() {
        return Map.of("type", "object");
    }

    /** A number. */
    public static Map<String, Object> number() {
        return Map.of("type", "number");
    }
}
