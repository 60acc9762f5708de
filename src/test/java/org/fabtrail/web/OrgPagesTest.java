package org.fabtrail.web;

import org.fabtrail.testing.SignInCsrf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Organisation and site pages, and managing an organisation's users. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class OrgPagesTest {

    static final String ORG = "acme-fab";
    static final String USERS = "/orgs/" + ORG + "/users";

    @Test
    void theOrganisationPageShowsPublicInfoToEveryoneAndManagementLinksToItsAdmins() {
        String own = SignedInClient.signIn("acme.admin").page("/orgs/" + ORG);
        assertTrue(own.contains("Acme Semiconductor Fab 12"), own);
        assertTrue(own.contains("TW") && own.contains("manufacturer"));
        assertTrue(own.contains("href=\"/orgs/acme-fab/sites/hsinchu-fab12\""), "links its sites");
        assertTrue(own.contains("Ed25519"), "lists its keys");
        assertTrue(own.contains("href=\"/orgs/acme-fab/users\"") && own.contains("href=\"/orgs/acme-fab/tokens\""));

        String other = SignedInClient.signIn("northwind.admin").page("/orgs/" + ORG);
        assertTrue(other.contains("Acme Semiconductor Fab 12") && other.contains("hsinchu-fab12"));
        assertFalse(other.contains("/orgs/acme-fab/users") || other.contains("/orgs/acme-fab/tokens")
                || other.contains("/orgs/acme-fab/keys\""), "no management links on another organisation's page");
        String member = SignedInClient.signIn("acme.clerk").page("/orgs/" + ORG);
        assertFalse(member.contains("/orgs/acme-fab/users"), "members do not manage");

        String operator = SignedInClient.signIn("operator").page("/orgs/kestrel-dc");
        assertTrue(operator.contains("/orgs/kestrel-dc/users"), "the operator manages every organisation");
        assertTrue(SignedInClient.signIn("operator").page("/orgs").contains("href=\"/orgs/eu-regulator\""));
        assertEquals(404, SignedInClient.signIn("operator").get("/orgs/no-such-org").statusCode());
    }

    @Test
    void aSitePageShowsTheAddressAndTheUnitsThereThatTheViewerMaySee() {
        String fab = SignedInClient.signIn("acme.admin").page("/orgs/northwind/sites/ams-schiphol");
        assertTrue(fab.contains("Pudongweg 31, 1437 EM Rozenburg"), fab);
        assertTrue(fab.contains("52.2891, 4.746"), "coordinates");
        assertTrue(fab.contains("GH200-0022"), "the manufacturer sees its unit held there");
        String helios = SignedInClient.signIn("helios.admin").page("/orgs/northwind/sites/ams-schiphol");
        assertTrue(helios.contains("Pudongweg 31"));
        assertFalse(helios.contains("GH200-0022"), "Helios never held that unit, so it does not see it");
        assertEquals(404, SignedInClient.signIn("helios.admin").get("/orgs/northwind/sites/nowhere").statusCode());
    }

    @Test
    void anOrgAdminAddsAUserWhoCanThenSignIn() {
        SignedInClient admin = SignedInClient.signIn("acme.admin");
        Response r = admin.submit(USERS, USERS, Map.of("username", "acme.new-hire", "displayName", "New Hire",
                "role", "member", "password", "a-long-initial-password"));
        String back = SignedInClient.location(r);
        assertTrue(back.startsWith(USERS + "?notice=added"), back);
        String list = admin.page(back);
        assertTrue(list.contains("Added acme.new-hire"), "a notice after the redirect");
        assertTrue(list.contains("New Hire"));
        SignedInClient hire = SignedInClient.signIn("acme.new-hire", "a-long-initial-password");
        String home = hire.page("/");
        assertTrue(home.contains("New Hire"), "signed in as the new user");
        assertEquals(403, hire.get(USERS).statusCode(), "a member cannot manage users");
    }

    @Test
    void invalidInputIsShownNextToTheFieldAndNothingIsCreated() {
        SignedInClient admin = SignedInClient.signIn("acme.admin");
        Response r = admin.submit(USERS, USERS, Map.of("username", "acme.shortpw", "displayName", "Short Password",
                "role", "member", "password", "short"));
        assertEquals(422, r.statusCode());
        assertEquals("no-store", r.header("Cache-Control"), "the form again lists the organisation's users: not kept");
        String html = r.asString();
        assertTrue(html.contains("class=\"field-error\"") && html.contains("at least 10 characters"), html);
        assertTrue(html.contains("value=\"acme.shortpw\""), "the form keeps what was typed");
        assertFalse(html.contains("value=\"short\""), "but never the password");
        Response taken = admin.submit(USERS, USERS, Map.of("username", "acme.clerk", "displayName", "Again",
                "role", "member", "password", "a-long-initial-password"));
        assertEquals(409, taken.statusCode());
        assertTrue(taken.asString().contains("is taken"));
        assertEquals(401, SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", "acme.shortpw").formParam("password", "short").post("/login").statusCode());
    }

    @Test
    void disablingAUserEndsTheirSessions() {
        SignedInClient admin = SignedInClient.signIn("northwind.admin");
        String users = "/orgs/northwind/users";
        SignedInClient.location(admin.submit(users, users, Map.of("username", "northwind.temp", "displayName", "Temp",
                "role", "org-admin", "password", "temporary-password-1")));
        SignedInClient temp = SignedInClient.signIn("northwind.temp", "temporary-password-1");
        assertEquals(200, temp.get(users).statusCode(), "an org-admin manages users");
        String list = admin.page(users);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("action=\"(/orgs/northwind/users/[0-9a-f-]+/disable)\"")
                .matcher(list.substring(list.indexOf("northwind.temp")));
        assertTrue(m.find(), "a disable button for the user");
        Response r = admin.submit(users, m.group(1), Map.of());
        assertTrue(SignedInClient.location(r).startsWith(users + "?notice=disabled"));
        Response after = temp.get(users);
        assertEquals(303, after.statusCode(), "the disabled user's session is gone");
        assertTrue(after.getHeader("Location").contains("/login?next="));
        assertTrue(admin.page(users).contains("disabled"));
    }

    @Test
    void membersAndOtherOrganisationsAdminsAreRefusedTheManagementPages() {
        for (String path : new String[] {USERS, "/orgs/acme-fab/tokens", "/orgs/acme-fab/keys"}) {
            Response member = SignedInClient.signIn("acme.clerk").get(path);
            assertEquals(403, member.statusCode(), path);
            assertTrue(member.asString().contains("Not allowed"), "a readable refusal page");
            assertEquals(403, SignedInClient.signIn("helios.admin").get(path).statusCode(), path);
            assertEquals(403, SignedInClient.signIn("inspector").get(path).statusCode(), "inspectors see units, "
                    + "not other organisations' accounts: " + path);
        }
        SignedInClient helios = SignedInClient.signIn("helios.admin");
        String csrf = SignedInClient.csrf(helios.page("/orgs/helios-dc/users"));
        Response r = helios.post(USERS, Map.of("_csrf", csrf, "username", "helios.intruder", "displayName", "X",
                "role", "org-admin", "password", "a-long-initial-password"));
        assertEquals(403, r.statusCode(), "a POST to another organisation is refused too");
        assertEquals(401, SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", "helios.intruder").formParam("password", "a-long-initial-password")
                .post("/login").statusCode(), "and no user was made");
    }

    @Test
    void withoutACsrfTokenNothingIsCreated() {
        SignedInClient admin = SignedInClient.signIn("acme.admin");
        Response r = admin.post(USERS, Map.of("username", "acme.csrf", "displayName", "Forged",
                "role", "org-admin", "password", "a-long-initial-password"));
        assertEquals(403, r.statusCode());
        assertTrue(r.asString().contains("Form expired"));
        Response wrong = admin.post(USERS, Map.of("_csrf", "not-the-token", "username", "acme.csrf",
                "displayName", "Forged", "role", "org-admin", "password", "a-long-initial-password"));
        assertEquals(403, wrong.statusCode());
        assertFalse(admin.page(USERS).contains("acme.csrf"), "no user was made");
    }

    @Test
    void pagesNeedASignIn() {
        Response r = given().redirects().follow(false).get("/orgs/acme-fab/users");
        assertEquals(303, r.statusCode());
        assertTrue(r.getHeader("Location").endsWith("/login?next=%2Forgs%2Facme-fab%2Fusers"), r.getHeader("Location"));
        assertEquals(303, given().redirects().follow(false).get("/explorer").statusCode());
        assertEquals(303, given().redirects().follow(false).get("/inspect").statusCode());
    }
}
