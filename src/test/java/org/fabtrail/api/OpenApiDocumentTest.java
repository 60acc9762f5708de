package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/openapi.json is the document the server serves at /q/openapi, byte for byte, so that integrators (and the
 * client generation test) can use it without running the server. Regenerate it with
 * {@code ./mvnw -B test -Dtest=OpenApiDocumentTest -Dopenapi.update=true}.
 */
@QuarkusTest
class OpenApiDocumentTest {

    static final Path COMMITTED = Path.of("docs/openapi.json");

    @Test
    void theCommittedDocumentIsTheServedOne() throws IOException {
        String served = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        if (!served.endsWith("\n")) {
            served += "\n";
        }
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertEquals(committed, served, "docs/openapi.json is stale: regenerate it with ./mvnw -B test "
                + "-Dtest=OpenApiDocumentTest -Dopenapi.update=true and commit it");
    }
}
