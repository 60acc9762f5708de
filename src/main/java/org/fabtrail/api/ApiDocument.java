package org.fabtrail.api;

import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.fabtrail.custody.EntryType;
import org.fabtrail.custody.EntryTypes;
import org.fabtrail.custody.PayloadSchema;
import org.fabtrail.epcis.EpcisQuery;
import org.fabtrail.crypto.SignatureAlgorithm;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes the served OpenAPI document (/q/openapi, committed as docs/openapi.json) describe the partner API as it
 * answers, in what the annotations cannot say or would say in forty places:
 * <ul>
 *   <li>only {@code /api/} paths: the web UI's pages are not part of the partner API (by path, so page classes may
 *       move freely);</li>
 *   <li>the public log operations ({@code /api/v1/log/...}) need no token: {@code security: []};</li>
 *   <li>numeric query parameters, which the resources read as text to refuse a bad one with a problem, are
 *       documented as integers;</li>
 *   <li>the EPCIS event query, which reads its parameters itself to refuse any other, declares the ones it takes
 *       ({@link EpcisQuery#PARAMETER_MEANINGS});</li>
 *   <li>every operation lists the problems ({@code application/problem+json}, schema {@code Problem}) the HTTP layer
 *       and the authenticator give any request of its kind, besides the ones its own annotations name;</li>
 *   <li>a signed entry's schema ({@code SignedEntry}) has a payload that is one of the payload schemas of the entry
 *       types this ledger accepts, told apart by {@code type}, each from the type's own
 *       {@link EntryType#schema()}, so a new entry type appears here without anyone editing the document.</li>
 * </ul>
 * Runs once at startup, when the ledger's {@link EntryTypes} exist.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class ApiDocument implements OASFilter {

    static final String API_PREFIX = "/api/";
    static final String PUBLIC_PREFIX = "/api/v1/log/";
    static final String PROBLEM = "Problem";
    static final String SIGNED_ENTRY = "SignedEntry";
    static final String SIGNED_ENTRIES = "SignedEntries";
    static final String UNIT_REFERENCE = "UnitReference";
    static final String SITE_REFERENCE = "SiteReference";

    private static final Map<Integer, String> PROBLEM_MEANINGS = Map.ofEntries(
            Map.entry(400, "Malformed request: invalid-parameter, invalid-text, invalid-json, bad-request, ..."),
            Map.entry(401, "No valid API token (unauthenticated)"),
            Map.entry(403, "The token lacks the scope or role this needs (forbidden)"),
            Map.entry(404, "No such resource, or one the caller may not see (answered alike)"),
            Map.entry(408, "The request body did not arrive in time (body-timeout)"),
            Map.entry(409, "Conflicts with the ledger's state (e.g. it exists already)"),
            Map.entry(413, "The request body is too large (body-too-large)"),
            Map.entry(415, "The request body's Content-Type is not accepted (unsupported-media-type)"),
            Map.entry(422, "A field is invalid, or the entry breaks a rule of its type"),
            Map.entry(429, "Too many requests from this address or token (Retry-After says when to retry)"),
            Map.entry(503, "The server or ledger is busy or unavailable (Retry-After says when to retry)"));

    /**
     * Members that answers carry as null, of records the API serialises from other packages (which stay free of
     * OpenAPI annotations): a delivery not yet attempted has no status, one delivered no next attempt.
     */
    private static final Map<String, List<String>> NULLABLE = Map.of(
            "Delivery", List.of("discrepancy", "nextAttempt", "lastStatus", "lastError", "deliveredAt"),
            "Attempt", List.of("address", "status", "error"));

    @Override
    public void filterOpenAPI(OpenAPI api) {
        api.getPaths().getPathItems().keySet().stream().filter(p -> !p.startsWith(API_PREFIX)).toList()
                .forEach(api.getPaths()::removePathItem);
        Set<String> used = new HashSet<>();
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, op) -> {
            if (op.getTags() != null) {
                used.addAll(op.getTags());
            }
            document(path, method, op);
        }));
        if (api.getTags() != null) {
            api.setTags(new ArrayList<>(api.getTags().stream().filter(t -> used.contains(t.getName())).toList()));
        }
        epcisQueryParameters(api);
        NULLABLE.forEach((schema, properties) -> nullable(api, schema, properties));
        api.getComponents().addSchema(PROBLEM, problemSchema());
        entrySchemas().forEach(api.getComponents()::addSchema);
    }

    private static void document(String path, PathItem.HttpMethod method, Operation op) {
        boolean isPublic = path.startsWith(PUBLIC_PREFIX);
        if (isPublic) {
            op.setSecurity(new ArrayList<>());
        }
        if (op.getParameters() != null) {
            for (Parameter p : op.getParameters()) {
                if (p.getIn() == Parameter.In.QUERY && isNumeric(path, p.getName())) {
                    p.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64")
                            .minimum(java.math.BigDecimal.valueOf("limit".equals(p.getName()) ? 1 : 0)));
                }
            }
        }
        List<Integer> problems = new ArrayList<>(List.of(400, 429, 503));
        if (!isPublic) {
            problems.addAll(List.of(401, 403, 404));
        } else if (path.contains("{")) {
            problems.add(404);
        }
        if (op.getRequestBody() != null) {
            problems.addAll(List.of(408, 413, 415));
        }
        if ((method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.DELETE && path.startsWith("/api/v1/admin/")) && !READS.contains(path)) {
            problems.addAll(List.of(409, 422)); // writes: conflicts with the ledger's state, or invalid fields
        }
        APIResponses responses = op.getResponses();
        for (int status : problems) {
            if (responses.getAPIResponse(String.valueOf(status)) == null) {
                responses.addAPIResponse(String.valueOf(status),
                        OASFactory.createAPIResponse().description(PROBLEM_MEANINGS.get(status)));
            }
        }
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                problemContent(response);
            }
        });
        sortResponses(op);
    }

    /** The EPCIS event query reads its parameters itself (any other is refused); declare the ones it takes. */
    private static void epcisQueryParameters(OpenAPI api) {
        PathItem item = api.getPaths().getPathItem("/api/v1/epcis/events");
        if (item == null || item.getGET() == null) {
            return;
        }
        EpcisQuery.PARAMETER_MEANINGS.forEach((name, meaning) -> item.getGET().addParameter(OASFactory.createParameter()
                .name(name).in(Parameter.In.QUERY).description(meaning).schema("perPage".equals(name)
                        ? OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(BigDecimal.ONE)
                                .maximum(BigDecimal.valueOf(EpcisQuery.MAX_PER_PAGE))
                        : OASFactory.createSchema().addType(Schema.SchemaType.STRING))));
    }

    private static void nullable(OpenAPI api, String schemaName, List<String> properties) {
        Schema schema = api.getComponents().getSchemas() == null ? null : api.getComponents().getSchemas().get(schemaName);
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        for (String p : properties) {
            Schema original = schema.getProperties().get(p);
            if (original != null) {
                schema.addProperty(p, OASFactory.createSchema().addAnyOf(original)
                        .addAnyOf(OASFactory.createSchema().addType(Schema.SchemaType.NULL)));
            }
        }
    }

    /** POSTs that only read (their query is too large for a URL): no conflicts, no rules. */
    private static final Set<String> READS = Set.of("/api/v1/units/lookup");

    /** Query parameters that are numbers though the resource reads them as text to refuse bad ones itself. */
    private static boolean isNumeric(String path, String name) {
        return "limit".equals(name)
                || path.startsWith(PUBLIC_PREFIX) && Set.of("index", "size", "from", "to", "wait").contains(name)
                || path.equals("/api/v1/feed") && "after".equals(name)
                || path.equals("/api/v1/transfers") && Set.of("after", "since").contains(name);
    }

    /** A problem answer's body is application/problem+json with the Problem schema (examples kept). */
    private static void problemContent(APIResponse response) {
        Content content = response.getContent();
        MediaType media = content == null ? null : content.getMediaType(Problem.MEDIA_TYPE);
        if (media == null) {
            media = OASFactory.createMediaType();
        }
        media.setSchema(OASFactory.createSchema().ref(PROBLEM));
        response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media));
    }

    private static void sortResponses(Operation op) {
        Map<String, APIResponse> sorted = new TreeMap<>(op.getResponses().getAPIResponses());
        APIResponses responses = OASFactory.createAPIResponses();
        sorted.forEach(responses::addAPIResponse);
        op.setResponses(responses);
    }

    /** RFC 9457 problem details as {@link Problem} writes them; some problems add members of their own. */
    static Schema problemSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("type", Map.of("type", "string", "description", Problem.TYPE_PREFIX + "<code>"));
        properties.put("title", Map.of("type", "string"));
        properties.put("status", Map.of("type", "integer", "minimum", 400, "maximum", 599));
        properties.put("detail", Map.of("type", "string"));
        properties.put("code", Map.of("type", "string", "description", "the problem's stable slug, listed in "
                + "docs/api.md"));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("description", "RFC 9457 problem details; some problems add members (field, parameter, unit, ...)");
        schema.put("required", List.of("type", "title", "status", "code"));
        schema.put("properties", properties);
        return of(schema);
    }

    /** SignedEntry, Signature and one payload schema per entry type, in the order the ledger lists the types. */
    @SuppressWarnings("unchecked")
    static Map<String, Schema> entrySchemas() {
        EntryTypes types = Arc.container().instance(EntryTypes.class).get();
        Map<String, Schema> out = new LinkedHashMap<>();
        Map<String, Object> mapping = new LinkedHashMap<>();
        List<Object> oneOf = new ArrayList<>();
        for (String name : types.names()) {
            EntryType<?> type = types.find(name).orElseThrow();
            String schemaName = payloadSchemaName(name);
            out.put(schemaName, of((Map<String, Object>) shared(type.schema().toJsonSchema(name))));
            mapping.put(name, "#/components/schemas/" + schemaName);
            oneOf.add(Map.of("$ref", "#/components/schemas/" + schemaName));
        }
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("type", "object");
        signature.put("required", List.of("keyId", "alg", "value"));
        signature.put("additionalProperties", false);
        signature.put("properties", Map.of(
                "keyId", Map.of("type", "string", "pattern", "^[0-9a-f]{64}$",
                        "description", "lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo"),
                "alg", Map.of("type", "string", "enum", Arrays.stream(SignatureAlgorithm.values())
                        .map(SignatureAlgorithm::wireName).toList()),
                "value", Map.of("type", "string", "description", "base64 signature over the RFC 8785 canonical "
                        + "payload")));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("oneOf", oneOf);
        payload.put("discriminator", Map.of("propertyName", "type", "mapping", mapping));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", "object");
        entry.put("description", "A signed entry: the payload and the actor's signature over its RFC 8785 canonical "
                + "form. The payload's type says which fields it has.");
        entry.put("required", List.of("payload", "signature"));
        entry.put("additionalProperties", false);
        entry.put("properties", Map.of("payload", payload, "signature", Map.of("$ref", "#/components/schemas/Signature")));
        out.put(UNIT_REFERENCE, of(PayloadSchema.unit()));
        out.put(SITE_REFERENCE, of(PayloadSchema.site()));
        out.put("Signature", of(signature));
        out.put(SIGNED_ENTRY, of(entry));
        out.put(SIGNED_ENTRIES, of(Map.of("type", "array", "minItems", 1, "maxItems", EntriesResource.MAX_BATCH,
                "items", Map.of("$ref", "#/components/schemas/" + SIGNED_ENTRY))));
        return out;
    }

    /**
     * The payload schema with unit and site references as references to one component each, so that a generated
     * client has one UnitReference class rather than one per field.
     */
    @SuppressWarnings("unchecked")
    private static Object shared(Object json) {
        if (PayloadSchema.unit().equals(json)) {
            return Map.of("$ref", "#/components/schemas/" + UNIT_REFERENCE);
        }
        if (PayloadSchema.site().equals(json)) {
            return Map.of("$ref", "#/components/schemas/" + SITE_REFERENCE);
        }
        if (json instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, shared(v)));
            return out;
        }
        if (json instanceof List<?> l) {
            return l.stream().map(ApiDocument::shared).toList();
        }
        return json;
    }

    /** {@code unit.register} → {@code UnitRegisterPayload}. */
    static String payloadSchemaName(String typeName) {
        StringBuilder b = new StringBuilder();
        for (String part : typeName.split("[.\\-_]")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.append("Payload").toString();
    }

    /** A schema from its JSON form; members sorted at every level, so the document is the same on every start. */
    @SuppressWarnings("unchecked")
    private static Schema of(Map<String, Object> json) {
        Schema s = OASFactory.createSchema();
        s.setAll((Map<String, Object>) sorted(json));
        return s;
    }

    private static Object sorted(Object json) {
        if (json instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put((String) k, sorted(v)));
            return out;
        }
        if (json instanceof List<?> l) {
            return l.stream().map(ApiDocument::sorted).toList();
        }
        return json;
    }
}
