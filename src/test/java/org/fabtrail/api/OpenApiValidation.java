package org.fabtrail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks every answer a Quarkus test receives through REST Assured against the API's OpenAPI document
 * (docs/openapi.json, which {@link OpenApiDocumentTest} keeps equal to the served one): for a request to a documented
 * path and method, the status must be declared, the body's content type declared for that status, and a JSON body
 * must validate against the declared schema. A disagreement fails the test that received the answer.
 *
 * <p>Installed for every Quarkus test through META-INF/services (a before-each callback adds the REST Assured
 * filter; an after-each callback fails the test if an answer on another thread disagreed). Requests to paths the
 * document does not describe (web UI pages, /q/..., deliberately unknown paths) are not checked. The document is
 * OpenAPI 3.1, whose schemas are JSON Schema 2020-12: networknt's validator with its OpenAPI 3.1 dialect reads them.
 */
public class OpenApiValidation implements Filter, QuarkusTestBeforeEachCallback, QuarkusTestAfterEachCallback {

    static final String DOCUMENT_IRI = "https://fabtrail.invalid/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DISAGREEMENTS = new ArrayList<>();
    private static Document document;

    /** The document, its operations by path template, and the schemas made from it. */
    record Document(JsonNode root, List<Template> templates, JsonSchemaFactory factory,
                    Map<String, JsonSchema> schemas) {
    }

    record Template(String path, Pattern pattern) {
    }

    static synchronized Document document() {
        if (document == null) {
            try {
                String text = Files.readString(OpenApiDocumentTest.COMMITTED, StandardCharsets.UTF_8);
                JsonNode root = JSON.readTree(text);
                List<Template> templates = new ArrayList<>();
                root.path("paths").fieldNames().forEachRemaining(p -> templates.add(new Template(p, Pattern.compile(
                        p.replaceAll("\\{index}$", "(.+)").replaceAll("\\{[^}]+}", "([^/]+)")))));
                JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                        b -> b.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                                .schemaLoaders(l -> l.schemas(Map.of(DOCUMENT_IRI, text))));
                document = new Document(root, templates, factory, new ConcurrentHashMap<>());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return document;
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        synchronized (DISAGREEMENTS) {
            DISAGREEMENTS.clear();
        }
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof OpenApiValidation)) {
            RestAssured.filters(new OpenApiValidation());
        }
    }

    @Override
    public void afterEach(QuarkusTestMethodContext context) {
        synchronized (DISAGREEMENTS) {
            if (!DISAGREEMENTS.isEmpty()) {
                List<String> found = List.copyOf(DISAGREEMENTS);
                DISAGREEMENTS.clear();
                throw new AssertionError("answers that disagree with docs/openapi.json:\n" + String.join("\n", found));
            }
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext context) {
        Response answer = context.next(request, response);
        Optional<String> disagreement = check(request.getMethod(), request.getURI(), answer.getStatusCode(),
                answer.getContentType(), answer.asByteArray());
        if (disagreement.isPresent()) {
            synchronized (DISAGREEMENTS) {
                DISAGREEMENTS.add(disagreement.get());
            }
            throw new AssertionError(disagreement.get());
        }
        return answer;
    }

    /** What is wrong with this answer by the document, if anything. */
    static Optional<String> check(String method, String uri, int status, String contentType, byte[] body) {
        String path;
        try {
            path = URI.create(uri).getRawPath();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (path == null || !path.startsWith("/api/")) {
            return Optional.empty();
        }
        Document doc = document();
        String template = doc.templates().stream().filter(t -> t.pattern().matcher(path).matches())
                .map(Template::path).findFirst().orElse(null);
        JsonNode operation = template == null ? null
                : doc.root().path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        if (operation == null || operation.isMissingNode()) {
            return Optional.empty(); // not a documented operation: a 404 or 405 of the HTTP layer
        }
        String where = method + " " + uri + " answered " + status;
        JsonNode declared = operation.path("responses").path(String.valueOf(status));
        if (declared.isMissingNode()) {
            declared = operation.path("responses").path("default");
        }
        if (declared.isMissingNode()) {
            return Optional.of(where + ": status not declared (" + fieldNames(operation.path("responses")) + ")"
                    + preview(body));
        }
        if (body.length == 0) {
            return Optional.empty();
        }
        String media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode content = declared.path("content");
        JsonNode mediaNode = content.path(media);
        if (mediaNode.isMissingNode()) {
            mediaNode = content.path("*/*");
        }
        if (mediaNode.isMissingNode()) {
            return Optional.of(where + " " + media + ": content type not declared (" + fieldNames(content) + ")"
                    + preview(body));
        }
        JsonNode schemaNode = mediaNode.path("schema");
        if (schemaNode.isMissingNode() || !(media.equals("application/json") || media.endsWith("+json"))) {
            return Optional.empty();
        }
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.of(where + ": body is not JSON" + preview(body));
        }
        String key = template + " " + method + " " + status + " " + media;
        JsonSchema schema = doc.schemas().computeIfAbsent(key, k -> schema(doc, schemaNode, k));
        Set<ValidationMessage> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            return Optional.of(where + " " + media + ": body disagrees with its schema: " + errors + preview(body));
        }
        return Optional.empty();
    }

    /** A schema of the document's, its references made absolute so that they resolve into the document. */
    static JsonSchema schema(Document doc, JsonNode schemaNode, String key) {
        JsonNode copy = absoluteRefs(schemaNode.deepCopy());
        return doc.factory().getSchema(SchemaLocation.of("urn:fabtrail:openapi:" + Math.abs(key.hashCode())), copy);
    }

    private static JsonNode absoluteRefs(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
                o.put("$ref", DOCUMENT_IRI + ref.asText());
            }
            o.fields().forEachRemaining(e -> absoluteRefs(e.getValue()));
        } else if (node != null && node.isArray()) {
            node.forEach(OpenApiValidation::absoluteRefs);
        }
        return node;
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return String.join(", ", names);
    }

    private static String preview(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return body.length == 0 ? "" : "\n  body: " + (s.length() > 400 ? s.substring(0, 400) + "..." : s);
    }
}
