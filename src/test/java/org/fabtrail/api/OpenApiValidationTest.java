package org.fabtrail.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answer check every Quarkus test runs ({@link OpenApiValidation}) refuses what the document does not say. */
class OpenApiValidationTest {

    static Optional<String> check(String method, String uri, int status, String type, String body) {
        return OpenApiValidation.check(method, "http://localhost:8081" + uri, status, type,
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAnswerAsDocumentedPasses() {
        assertEquals(Optional.empty(), check("GET", "/api/v1/feed?after=3", 200, "application/json",
                "{\"items\":[],\"next\":\"4\"}"));
        assertEquals(Optional.empty(), check("GET", "/api/v1/units/acme/X-1", 404, "application/problem+json",
                "{\"type\":\"urn:fabtrail:problem:unit-not-found\",\"title\":\"No such unit\",\"status\":404,"
                        + "\"code\":\"unit-not-found\"}"));
        assertEquals(Optional.empty(), check("GET", "/api/v1/log/tile/0/x001/234", 200, "application/octet-stream", "x"));
    }

    @Test
    void anUndeclaredStatusFails() {
        String why = check("GET", "/api/v1/units/acme/X-1", 418, "application/problem+json", "{}").orElseThrow();
        assertTrue(why.contains("status not declared"), why);
    }

    @Test
    void anUndeclaredContentTypeFails() {
        String why = check("GET", "/api/v1/units/acme/X-1", 404, "text/html", "<p>gone</p>").orElseThrow();
        assertTrue(why.contains("content type not declared"), why);
    }

    @Test
    void aBodyTheSchemaRefusesFails() {
        String why = check("GET", "/api/v1/feed", 200, "application/json", "{\"items\":\"none\"}").orElseThrow();
        assertTrue(why.contains("disagrees with its schema"), why);
        why = check("GET", "/api/v1/units/acme/X-1", 404, "application/problem+json", "{\"status\":\"404\"}")
                .orElseThrow();
        assertTrue(why.contains("disagrees with its schema"), why);
    }

    @Test
    void pathsTheDocumentDoesNotDescribeAreNotChecked() {
        assertEquals(Optional.empty(), check("GET", "/units/acme/X-1", 500, "text/html", "oops"));
        assertEquals(Optional.empty(), check("GET", "/api/v1/nowhere", 404, "application/problem+json", "{}"));
    }
}
