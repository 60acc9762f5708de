package org.fabtrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CloudNativePG resources of deploy/kubernetes against the CRDs' own {@code openAPIV3Schema}
 * (src/test/resources/vectors/cloudnative-pg, from the CloudNativePG project; the Barman Cloud plugin's ObjectStore
 * from vectors/plugin-barman-cloud), as the API server would check them: types, enums, required fields, patterns,
 * and, as {@code kubectl apply}'s strict field validation does, no field the schema does not declare. The CEL rules
 * ({@code x-kubernetes-validations}) met on the way are evaluated by hand below; a rule not known here fails the test.
 */
class CloudNativePgSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path VECTORS = Path.of("src/test/resources/vectors");

    private static final Map<String, Path> CRDS = Map.of(
            "Cluster", VECTORS.resolve("cloudnative-pg/postgresql.cnpg.io_clusters.yaml"),
            "ScheduledBackup", VECTORS.resolve("cloudnative-pg/postgresql.cnpg.io_scheduledbackups.yaml"),
            "ObjectStore", VECTORS.resolve("plugin-barman-cloud/barmancloud.cnpg.io_objectstores.yaml"));

    /** The CEL rules this test evaluates, by their text. */
    private static final Map<String, Predicate<JsonNode>> CEL = new LinkedHashMap<>();

    static {
        CEL.put("!(has(self.imageCatalogRef) && has(self.imageName))",
                s -> !(s.has("imageCatalogRef") && s.has("imageName")));
        CEL.put("self > 0", s -> s.asLong() > 0);
        CEL.put("self.dataDurability!='preferred' || ((!has(self.standbyNamesPre) || self.standbyNamesPre.size()==0) "
                + "&& (!has(self.standbyNamesPost) || self.standbyNamesPost.size()==0))",
                s -> !"preferred".equals(s.path("dataDurability").asText())
                        || (s.path("standbyNamesPre").size() == 0 && s.path("standbyNamesPost").size() == 0));
        CEL.put("!(has(self.podFailureDomainKeys) && self.podFailureDomainKeys.size() > 0 && has(self.nodeFailureDomainKeys) "
                + "&& self.nodeFailureDomainKeys.size() > 0)",
                s -> !(s.path("podFailureDomainKeys").size() > 0 && s.path("nodeFailureDomainKeys").size() > 0));
        CEL.put("!(has(self.syncReplicaElectionConstraint) && self.syncReplicaElectionConstraint.enabled && has(self.synchronous) "
                + "&& ((has(self.synchronous.podFailureDomainKeys) && self.synchronous.podFailureDomainKeys.size() > 0) "
                + "|| (has(self.synchronous.nodeFailureDomainKeys) && self.synchronous.nodeFailureDomainKeys.size() > 0)))",
                s -> !(s.path("syncReplicaElectionConstraint").path("enabled").asBoolean(false) && s.has("synchronous")
                        && (s.path("synchronous").path("podFailureDomainKeys").size() > 0
                        || s.path("synchronous").path("nodeFailureDomainKeys").size() > 0)));
        CEL.put("!has(self.builtinLocale) || self.localeProvider == 'builtin'",
                s -> !s.has("builtinLocale") || "builtin".equals(s.path("localeProvider").asText()));
        CEL.put("!has(self.icuLocale) || self.localeProvider == 'icu'",
                s -> !s.has("icuLocale") || "icu".equals(s.path("localeProvider").asText()));
        CEL.put("!has(self.icuRules) || self.localeProvider == 'icu'",
                s -> !s.has("icuRules") || "icu".equals(s.path("localeProvider").asText()));
        // the plugin's ObjectStore takes the server name from the Cluster's plugin parameters, never from here
        CEL.put("!has(self.serverName)", s -> !s.has("serverName"));
        // immutability rules compare with the stored object: nothing to check on a new one
        CEL.put("self == oldSelf", s -> true);
    }

    static JsonNode openApiSchema(String kind) throws IOException {
        JsonNode crd = YAML.readTree(Files.readString(CRDS.get(kind)));
        assertEquals("CustomResourceDefinition", crd.path("kind").asText());
        assertEquals(kind, crd.path("spec").path("names").path("kind").asText());
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("storage").asBoolean()) {
                return v.path("schema").path("openAPIV3Schema");
            }
        }
        throw new AssertionError("no stored version in the " + kind + " CRD");
    }

    /**
     * The structural schema as JSON Schema: objects with declared properties admit no others (unless they preserve
     * unknown fields), {@code nullable} admits null, and the Kubernetes extensions and OpenAPI formats are dropped.
     */
    static JsonNode strict(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            schema.forEach(s -> out.add(strict(s)));
            return out;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String k = f.getKey();
            if (k.startsWith("x-kubernetes-") || k.equals("format") || k.equals("nullable") || k.equals("description")
                    || k.equals("default")) {
                continue;
            }
            if (k.equals("properties")) {
                ObjectNode props = JSON.createObjectNode();
                f.getValue().fields().forEachRemaining(p -> props.set(p.getKey(), strict(p.getValue())));
                out.set(k, props);
            } else {
                out.set(k, strict(f.getValue()));
            }
        }
        if (schema.has("properties") && !schema.has("additionalProperties")
                && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.set("additionalProperties", BooleanNode.FALSE);
        }
        if (schema.path("nullable").asBoolean(false) && out.has("type")) {
            ArrayNode types = JSON.createArrayNode().add(out.get("type")).add(TextNode.valueOf("null"));
            out.set("type", types);
        }
        return out;
    }

    static List<String> validate(String kind, JsonNode instance) throws IOException {
        JsonNode openApi = openApiSchema(kind);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict(openApi));
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : schema.validate(instance)) {
            errors.add(m.getMessage());
        }
        errors.addAll(celViolations(openApi, instance, "$"));
        return errors;
    }

    /** Evaluates the CEL rules on the nodes the instance has; unknown rules are reported as violations. */
    static List<String> celViolations(JsonNode schema, JsonNode node, String path) {
        List<String> out = new ArrayList<>();
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String text = rule.path("rule").asText();
            Predicate<JsonNode> p = CEL.get(text);
            if (p == null) {
                out.add(path + ": CEL rule not evaluated by this test: " + text);
            } else if (!p.test(node)) {
                out.add(path + ": " + rule.path("message").asText(text));
            }
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                JsonNode sub = schema.path("properties").path(f.getKey());
                if (sub.isMissingNode() && schema.path("additionalProperties").isObject()) {
                    sub = schema.path("additionalProperties");
                }
                if (!sub.isMissingNode()) {
                    out.addAll(celViolations(sub, f.getValue(), path + "." + f.getKey()));
                }
            });
        } else if (node.isArray()) {
            int i = 0;
            for (JsonNode item : node) {
                out.addAll(celViolations(schema.path("items"), item, path + "[" + i++ + "]"));
            }
        }
        return out;
    }

    static JsonNode yamlDoc(Path file, String kind) throws IOException {
        for (Object doc : Kustomize.loadAll(file)) {
            JsonNode n = JSON.valueToTree(doc);
            if (kind.equals(n.path("kind").asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + kind + " in " + file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "production", "restore"})
    void everyCloudNativePgResourceMatchesItsSchema(String install) throws IOException {
        Manifests m = Manifests.render(install);
        Set<String> seen = new TreeSet<>();
        for (Map<String, Object> raw : m.raw) {
            String kind = (String) raw.get("kind");
            if (!CRDS.containsKey(kind)) {
                continue;
            }
            seen.add(kind);
            List<String> errors = validate(kind, JSON.valueToTree(raw));
            assertEquals(List.of(), errors, install + ": " + kind + " " + ((Map<?, ?>) raw.get("metadata")).get("name"));
        }
        assertEquals(CRDS.keySet().stream().collect(Collectors.toCollection(TreeSet::new)), seen);
    }

    @Test
    void cloudNativePgsOwnSamplesPass() throws IOException {
        Path samples = VECTORS.resolve("cloudnative-pg");
        assertEquals(List.of(), validate("Cluster", yamlDoc(samples.resolve("cluster-example-syncreplicas-quorum.yaml"), "Cluster")));
        assertEquals(List.of(), validate("Cluster", yamlDoc(samples.resolve("cluster-example-full.yaml"), "Cluster")));
    }

    /** The validation is not vacuous: a typo, a wrong type, a value outside an enum and a broken CEL rule are caught. */
    @Test
    void mistakesAreCaught() throws IOException {
        ObjectNode quorum = (ObjectNode) yamlDoc(VECTORS.resolve("cloudnative-pg/cluster-example-syncreplicas-quorum.yaml"), "Cluster");
        ObjectNode typo = quorum.deepCopy();
        ((ObjectNode) typo.path("spec")).put("instance", 3);
        assertFalse(validate("Cluster", typo).isEmpty(), "an unknown field (kubectl apply refuses it)");
        ObjectNode type = quorum.deepCopy();
        ((ObjectNode) type.path("spec")).put("instances", "3");
        assertFalse(validate("Cluster", type).isEmpty(), "a string where an integer belongs");
        ObjectNode method = quorum.deepCopy();
        ((ObjectNode) method.path("spec").path("postgresql").path("synchronous")).put("method", "all");
        assertFalse(validate("Cluster", method).isEmpty(), "a method CloudNativePG does not have");
        ObjectNode zero = quorum.deepCopy();
        ((ObjectNode) zero.path("spec").path("postgresql").path("synchronous")).put("number", 0);
        assertTrue(validate("Cluster", zero).stream().anyMatch(e -> e.contains("greater than zero")), "the CEL rule on number");
        ObjectNode missing = quorum.deepCopy();
        ((ObjectNode) missing.path("spec").path("postgresql").path("synchronous")).remove("method");
        assertFalse(validate("Cluster", missing).isEmpty(), "a required field missing");
        JsonNode store = JSON.valueToTree(Manifests.render("small").raw.stream()
                .filter(r -> "ObjectStore".equals(r.get("kind"))).findFirst().orElseThrow());
        ObjectNode badRetention = store.deepCopy();
        ((ObjectNode) badRetention.path("spec")).put("retentionPolicy", "30 days");
        assertFalse(validate("ObjectStore", badRetention).isEmpty(), "the ObjectStore's retention pattern");
    }
}
