package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served OpenAPI document describes every partner endpoint, the bearer scheme and examples. */
@QuarkusTest
class OpenApiTest {

    @Test
    void theDocumentCoversThePartnerApiWithExamples() {
        JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
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
}
