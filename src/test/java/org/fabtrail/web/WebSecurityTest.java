package org.fabtrail.web;

import org.fabtrail.testing.SignInCsrf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.web.session.SessionManager;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.Accounts;

/** Sign-in throttling, sessions that logout really ends, CSRF on sign-out, and the security headers on pages. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class WebSecurityTest {

    static final String PASSWORD = "throttle-test-password";

    @Inject
    Accounts accounts;

    static Response login(String username, String password) {
        return SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", password).post("/login");
    }

    @Test
    void afterFiveWrongPasswordsEvenTheRightOneIsRefused() {
        accounts.create("throttled.user", "Throttled User", "northwind", Account.MEMBER, PASSWORD);
        for (int i = 0; i < 5; i++) {
            Response wrong = login("throttled.user", "wrong-password-" + i);
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.asString().contains("Wrong username or password"));
        }
        Response sixth = login("throttled.user", "wrong-password-5");
        assertEquals(429, sixth.statusCode());
        assertTrue(Long.parseLong(sixth.getHeader("Retry-After")) >= 1);
        assertTrue(sixth.asString().contains("Too many failed sign-ins"));
        Response right = login("throttled.user", PASSWORD);
        assertEquals(429, right.statusCode(), "the right password is refused while throttled");
        assertTrue(right.asString().contains("Too many failed sign-ins"));
        assertEquals(null, right.getCookie(SessionManager.COOKIE));
        assertEquals(303, login("acme.clerk", SignedInClient.PASSWORD).statusCode(), "other users are unaffected");
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() {
        SignedInClient clerk = SignedInClient.signIn("acme.clerk");
        String cookie = clerk.cookies.get(SessionManager.COOKIE);
        assertEquals(200, clerk.get("/explorer").statusCode());
        Response noToken = clerk.post("/logout", Map.of());
        assertEquals(403, noToken.statusCode(), "sign-out without the form's token is refused");
        assertEquals(200, clerk.get("/explorer").statusCode(), "and the session lives on");

        Response out = clerk.submit("/", "/logout", Map.of());
        assertEquals(303, out.statusCode());
        assertTrue(out.getHeader("Location").endsWith("/login"));
        Response replay = given().redirects().follow(false).cookie(SessionManager.COOKIE, cookie).get("/explorer");
        assertEquals(303, replay.statusCode(), "the old cookie no longer works");
        assertTrue(replay.getHeader("Location").contains("/login?next="));
    }

    @Test
    void pagesCarryTheSecurityHeadersAndTheSessionCookieIsHttpOnly() {
        Response login = SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", "acme.admin").formParam("password", SignedInClient.PASSWORD).post("/login");
        String setCookie = login.getHeader("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"), setCookie);
        SignedInClient admin = SignedInClient.signIn("acme.admin");
        for (String path : new String[] {"/login", "/orgs/acme-fab", "/orgs/acme-fab/users", "/explorer"}) {
            Response r = path.equals("/login") ? given().get(path) : admin.get(path);
            assertEquals(200, r.statusCode(), path);
            String csp = r.getHeader("Content-Security-Policy");
            assertNotNull(csp, path);
            assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), csp);
            assertFalse(csp.contains("unsafe-inline"), csp);
            assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
            assertNotNull(r.getHeader("Referrer-Policy"), path);
            assertEquals("DENY", r.getHeader("X-Frame-Options"), path);
        }
        Response forbidden = SignedInClient.signIn("acme.clerk").get("/orgs/acme-fab/users");
        assertEquals(403, forbidden.statusCode());
        assertFalse(forbidden.getHeader("Content-Security-Policy").contains("unsafe-inline"), "refusal pages too");
    }

    @Test
    void aSignInWithoutTheFormsOwnTokenIsRefusedAndStartsNoSession() {
        Response noToken = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", "acme.clerk").formParam("password", SignedInClient.PASSWORD).post("/login");
        assertEquals(403, noToken.statusCode());
        assertTrue(noToken.contentType().startsWith("text/html"), noToken.contentType());
        assertTrue(noToken.asString().contains("This sign-in form expired"), noToken.asString());
        assertEquals(null, noToken.getCookie(SessionManager.COOKIE));
        Response mismatch = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("ft_login_csrf", "one-value").formParam("_csrf", "another-value")
                .formParam("username", "acme.clerk").formParam("password", SignedInClient.PASSWORD).post("/login");
        assertEquals(403, mismatch.statusCode());
        assertEquals(null, mismatch.getCookie(SessionManager.COOKIE));

        // the form as a browser gets it: its cookie and its hidden field, which sign in
        Response form = given().get("/login");
        String issued = form.getCookie("ft_login_csrf");
        assertNotNull(issued);
        assertTrue(form.asString().contains("name=\"_csrf\" value=\"" + issued + "\""), "the hidden field");
        Response signedIn = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("ft_login_csrf", issued).formParam("_csrf", issued)
                .formParam("username", "acme.clerk").formParam("password", SignedInClient.PASSWORD).post("/login");
        assertEquals(303, signedIn.statusCode(), signedIn.asString());
        assertNotNull(signedIn.getCookie(SessionManager.COOKIE));
    }

    @Test
    void everyPageAnsweredToASignedInViewerIsNoStore() {
        SignedInClient clerk = SignedInClient.signIn("acme.clerk");
        for (String path : new String[] {"/", "/units", "/explorer", "/inbox", "/orgs/acme-fab/users"}) {
            Response r = clerk.get(path);
            assertEquals("no-store", r.getHeader("Cache-Control"), path + " answered " + r.statusCode());
        }
        assertEquals(403, clerk.get("/orgs/acme-fab/users").statusCode(), "refusal pages too");
        assertEquals("no-store", SignedInClient.signIn("acme.admin").get("/orgs/acme-fab/sites/hsinchu-fab12")
                .getHeader("Cache-Control"));
    }

    @Test
    void theNewPagesHaveNoInlineScriptOrStyle() {
        SignedInClient operator = SignedInClient.signIn("operator");
        for (String path : new String[] {"/orgs", "/orgs/acme-fab", "/orgs/acme-fab/users", "/orgs/acme-fab/tokens",
                "/orgs/acme-fab/keys", "/orgs/acme-fab/sites/hsinchu-fab12", "/explorer", "/explorer/entries/0",
                "/explorer/consistency?from=1&to=2", "/inspect", "/inspect/acme-fab/GH200-0001"}) {
            String html = operator.page(path);
            assertFalse(html.contains("<script>") || html.contains(" style=\"") || html.contains("<style")
                    || html.contains(" onclick="), "inline script or style (the CSP would block it): " + path);
            assertTrue(html.contains("name=\"viewport\" content=\"width=device-width"), path);
        }
    }
}
