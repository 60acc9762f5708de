package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Browsers ask every page for an icon: the layout names one, and /favicon.ico answers too (no console error). */
@QuarkusTest
@TestProfile(DemoProfile.class)
class FaviconTest {

    @Test
    void theIconIsServedAtBothAddresses() {
        Response ico = given().get("/favicon.ico");
        assertEquals(200, ico.statusCode());
        byte[] bytes = ico.asByteArray();
        assertArrayEquals(new byte[] {0, 0, 1, 0}, java.util.Arrays.copyOf(bytes, 4), "an ICO file header");
        Response svg = given().get("/favicon.svg");
        assertEquals(200, svg.statusCode());
        assertTrue(svg.getContentType().startsWith("image/svg+xml"), svg.getContentType());
        assertTrue(svg.asString().startsWith("<svg"));
    }

    @Test
    void everyPageNamesTheIcon() {
        String login = given().get("/login").asString();
        assertTrue(login.contains("<link rel=\"icon\" href=\"/favicon.svg\""), login);
        assertTrue(SignedInClient.signIn("acme.clerk").page("/units").contains("href=\"/favicon.ico\""));
    }
}
