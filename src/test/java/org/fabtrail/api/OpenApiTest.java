package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.fabtrail.custody.EntryTypes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served OpenAPI document describes the partner API, and only it, as the server answers. */
@QuarkusTest
class OpenApiTest {

    static final Set<String> PUBLIC = Set.of("/api/v1/log/checkpoint", "/api/v1/log/checkpoint/latest",
            "/api/v1/log/checkpoint/cosigned", "/api/v1/log/witnesses", "/api/v1/log/key",
            "/api/v1/log/proof/inclusion", "/api/v1/log/proof/consistency", "/api/v1/log/tile/{level}/{index}");

    @Inject
    EntryTypes entryTypes;

    static JsonPath document() {
        return given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theDocumentCoversThePartnerApiWithExamples() {
        JsonPath doc = document();
        for (String path : List.of("/api/v1/entries", "/api/v1/entries/batch", "/api/v1/units",
                "/api/v1/units/{manufacturer}/{serial}", "/api/v1/units/{manufacturer}/{serial}/history",
                "/api/v1/units/{manufacturer}/{serial}/bundle", "/api/v1/feed", "/api/v1/transfers",
                "/api/v1/orgs/{org}", "/api/v1/orgs/{org}/tokens", "/api/v1/log/checkpoint",
                "/api/v1/log/checkpoint/latest", "/api/v1/log/checkpoint/cosigned", "/api/v1/log/witnesses",
                "/api/v1/log/proof/inclusion", "/api/v1/log/proof/consistency", "/api/v1/attestations/challenges",
                "/api/v1/attestations/verify")) {
            assertNotNull(doc.get("paths.'" + path + "'"), path + " is documented");
        }
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        String example = doc.getString("paths.'/api/v1/entries'.post.requestBody.content.'application/json'.examples.'unit.register'.value");
        assertNotNull(example);
        assertTrue(example.contains("unit.register"), example);
        assertNotNull(doc.get("paths.'/api/v1/entries'.post.responses.'409'.content.'application/problem+json'"));
        assertNotNull(doc.get("paths.'/api/v1/log/checkpoint/cosigned'.get.responses.'503'.content."
                + "'application/problem+json'"), "the wait's timeout is documented");
        assertEquals(List.of("size", "wait"), doc.getList("paths.'/api/v1/log/checkpoint/cosigned'.get.parameters.name"));
        given().get("/api/docs").then().statusCode(200);
    }

    @Test
    void onlyThePartnerApiIsDocumentedNotThePages() {
        Map<String, Object> paths = document().getMap("paths");
        for (String path : paths.keySet()) {
            assertTrue(path.startsWith("/api/"), path + " is a web UI page, not part of the partner API");
        }
        assertTrue(paths.keySet().containsAll(PUBLIC));
        for (Map<String, Object> tag : document().<Map<String, Object>>getList("tags")) {
            assertFalse(String.valueOf(tag.get("name")).endsWith(" Page"), "a page's tag is left: " + tag);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationHasAStableIdItsSecurityAndItsProblems() {
        JsonPath doc = document();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        Set<String> ids = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            String where = method.toUpperCase() + " " + path;
            Object id = op.get("operationId");
            if (!(id instanceof String s) || !ids.add(s)) {
                wrong.add(where + ": operationId " + id + " missing or not unique");
            }
            Object security = op.get("security");
            if (PUBLIC.contains(path) != (security instanceof List<?> l && l.isEmpty())) {
                wrong.add(where + ": security " + security);
            }
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.get("responses");
            for (String status : List.of("400", "429", "503")) {
                if (!responses.containsKey(status)) {
                    wrong.add(where + ": no " + status);
                }
            }
            if (!PUBLIC.contains(path) && !responses.keySet().containsAll(List.of("401", "403", "404"))) {
                wrong.add(where + ": no 401/403/404 " + responses.keySet());
            }
            responses.forEach((status, r) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    Map<String, Object> content = (Map<String, Object>) r.get("content");
                    if (content == null || !content.keySet().equals(Set.of(Problem.MEDIA_TYPE))
                            || !String.valueOf(((Map<String, Object>) content.get(Problem.MEDIA_TYPE)).get("schema"))
                            .contains("#/components/schemas/Problem")) {
                        wrong.add(where + " " + status + ": not a problem+json Problem " + content);
                    }
                }
            });
        }));
        assertEquals(List.of(), wrong);
        assertEquals(List.of(), doc.getList("paths.'/api/v1/log/key'.get.security"));
        assertEquals(List.of(Map.of("bearer", List.of())), doc.getList("security"), "the rest need a token");
    }

    @Test
    void writesAnswerTheStatusTheServerAnswers() {
        JsonPath doc = document();
        for (String op : List.of("'/api/v1/admin/orgs'.post", "'/api/v1/admin/orgs/{org}/keys'.post",
                "'/api/v1/admin/orgs/{org}/keys/{keyId}'.delete", "'/api/v1/orgs/{org}/tokens'.post",
                "'/api/v1/orgs/{org}/webhooks'.post", "'/api/v1/entries'.post")) {
            assertNotNull(doc.get("paths." + op + ".responses.'201'.content.'application/json'.schema"), op);
            if (!op.contains("entries")) { // an identical resubmission of an entry is answered 200
                assertNull(doc.get("paths." + op + ".responses.'200'"), op + " answers 201, not 200");
            }
        }
        assertNotNull(doc.get("paths.'/api/v1/orgs/{org}/webhooks/{id}'.delete.responses.'204'"));
    }

    @Test
    void numericParametersAreIntegers() {
        JsonPath doc = document();
        for (String p : List.of("'/api/v1/feed'.get", "'/api/v1/units'.get", "'/api/v1/discrepancies'.get",
                "'/api/v1/transfers'.get", "'/api/v1/log/proof/inclusion'.get", "'/api/v1/log/proof/consistency'.get",
                "'/api/v1/log/checkpoint/cosigned'.get")) {
            List<Map<String, Object>> params = doc.getList("paths." + p + ".parameters");
            for (Map<String, Object> param : params) {
                String name = (String) param.get("name");
                boolean numeric = name.equals("limit") || p.contains("/log/") || p.contains("feed") && name.equals("after");
                if (numeric) {
                    assertEquals("integer", String.valueOf(((Map<?, ?>) param.get("schema")).get("type")), p + " " + name);
                }
            }
        }
    }

    @Test
    void everyEntryTypeHasAPayloadSchemaInTheSignedEntry() {
        JsonPath doc = document();
        Map<String, String> mapping = doc.getMap("components.schemas.SignedEntry.properties.payload.discriminator.mapping");
        assertEquals(new TreeSet<>(entryTypes.names()), new TreeSet<>(mapping.keySet()), "one payload schema per entry type");
        List<String> oneOf = doc.getList("components.schemas.SignedEntry.properties.payload.oneOf.$ref");
        assertEquals(new TreeSet<>(mapping.values()), new TreeSet<>(oneOf));
        assertEquals(entryTypes.names().size(), oneOf.size());
        for (String type : entryTypes.names()) {
            String schema = ApiDocument.payloadSchemaName(type);
            assertEquals(type, doc.getString("components.schemas." + schema + ".properties.type.const"), type);
            assertFalse(doc.getBoolean("components.schemas." + schema + ".additionalProperties"), type);
        }
        assertEquals("#/components/schemas/SignedEntry",
                doc.getString("paths.'/api/v1/entries'.post.requestBody.content.'application/json'.schema.$ref"));
        assertEquals("#/components/schemas/SignedEntry", doc.getString("components.schemas.EntryView.properties.envelope.$ref"));
        assertEquals("#/components/schemas/UnitReference",
                doc.getString("components.schemas.TransferDispatchPayload.properties.units.items.$ref"));
    }
}
