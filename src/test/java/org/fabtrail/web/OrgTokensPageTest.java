package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API tokens made in the UI: shown once, work against the API, stop working when revoked. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class OrgTokensPageTest {

    static final String TOKENS = "/orgs/helios-dc/tokens";
    static final Pattern SECRET = Pattern.compile("value=\"(ftk_[A-Za-z0-9_-]+)\"");

    @Test
    void aNewTokenIsShownOnceWorksAgainstTheApiAndIsRefusedOnceRevoked() {
        SignedInClient admin = SignedInClient.signIn("helios.admin");
        Response r = admin.submit(TOKENS, TOKENS, Map.of("name", "Helios ERP", "scopes", List.of("read", "write"),
                "expiresInDays", "30"));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("no-store", r.getHeader("Cache-Control"));
        Matcher m = SECRET.matcher(r.asString());
        assertTrue(m.find(), "the page shows the new token");
        String token = m.group(1);
        assertTrue(r.asString().contains("only time it is shown"));

        given().header("Authorization", "Bearer " + token).get("/api/v1/orgs").then().statusCode(200);

        String list = admin.page(TOKENS);
        assertTrue(list.contains("Helios ERP") && list.contains("read, write"), list);
        assertFalse(list.contains(token), "the list never shows the token again");

        Matcher revoke = Pattern.compile("action=\"(/orgs/helios-dc/tokens/[0-9a-f-]+/revoke)\"")
                .matcher(list.substring(list.indexOf("Helios ERP")));
        assertTrue(revoke.find());
        Response revoked = admin.submit(TOKENS, revoke.group(1), Map.of());
        String back = SignedInClient.location(revoked);
        assertTrue(admin.page(back).contains("Revoked the token"));
        given().header("Authorization", "Bearer " + token).get("/api/v1/orgs").then().statusCode(401);
    }

    @Test
    void theOperatorManagesAnyOrganisationsTokens() {
        SignedInClient operator = SignedInClient.signIn("operator");
        Response r = operator.submit("/orgs/kestrel-dc/tokens", "/orgs/kestrel-dc/tokens",
                Map.of("name", "Kestrel onboarding", "scopes", List.of("admin"), "expiresInDays", "7"));
        assertEquals(200, r.statusCode());
        Matcher m = SECRET.matcher(r.asString());
        assertTrue(m.find());
        given().header("Authorization", "Bearer " + m.group(1)).get("/api/v1/orgs/kestrel-dc/tokens")
                .then().statusCode(200);
    }

    @Test
    void invalidRequestsSayWhichFieldIsWrongAndMakeNoToken() {
        SignedInClient admin = SignedInClient.signIn("helios.admin");
        Response none = admin.submit(TOKENS, TOKENS, Map.of("name", "No scopes", "expiresInDays", "30"));
        assertEquals(422, none.statusCode());
        assertTrue(none.asString().contains("class=\"field-error\"") && none.asString().contains("scopes must be"));
        Response days = admin.submit(TOKENS, TOKENS, Map.of("name", "Forever", "scopes", "read",
                "expiresInDays", "100000"));
        assertEquals(422, days.statusCode());
        assertTrue(days.asString().contains("expiresInDays must be 1 to 365"), days.asString());
        Response forged = admin.post(TOKENS, Map.of("name", "Forged", "scopes", "admin", "expiresInDays", "30"));
        assertEquals(403, forged.statusCode(), "no CSRF token");
        String list = admin.page(TOKENS);
        assertFalse(list.contains("No scopes") || list.contains("Forever") || list.contains("Forged"));
        SignedInClient other = SignedInClient.signIn("northwind.admin");
        assertEquals(403, other.post(TOKENS, Map.of("_csrf", SignedInClient.csrf(other.page("/")),
                "name", "Other org", "scopes", "admin")).statusCode(), "another organisation's admin, valid form");
    }
}
