package org.fabtrail.web;

import org.fabtrail.testing.SignInCsrf;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.fabtrail.web.session.SessionManager;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser for the web tests: a cookie jar holding one session, redirects not followed (so tests see them), and the
 * CSRF token taken from a page's form the way a browser submits it.
 */
final class SignedInClient {

    static final String PASSWORD = "fabtrail-demo";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    final String username;
    final Map<String, String> cookies = new HashMap<>();

    private SignedInClient(String username) {
        this.username = username;
    }

    /** Signs in with the form, or fails the test. */
    static SignedInClient signIn(String username) {
        return signIn(username, PASSWORD);
    }

    static SignedInClient signIn(String username, String password) {
        SignedInClient c = new SignedInClient(username);
        Response r = SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", password).formParam("next", "/")
                .when().post("/login");
        assertEquals(303, r.statusCode(), "sign-in of " + username + ": " + r.asString());
        String session = r.getCookie(SessionManager.COOKIE);
        assertNotNull(session, "a session cookie");
        c.cookies.put(SessionManager.COOKIE, session);
        return c;
    }

    RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    Response get(String path) {
        return request().when().get(path);
    }

    /** The page's HTML, which must answer 200. */
    String page(String path) {
        Response r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.asString());
        return r.asString();
    }

    /** The page's HTML for a GET form's fields (which RestAssured encodes), which must answer 200. */
    String page(String path, Map<String, ?> query) {
        Response r = request().queryParams(query).when().get(path);
        assertEquals(200, r.statusCode(), path + " " + query + ": " + r.asString());
        return r.asString();
    }

    /** Submits a form with this session's CSRF token, as read from {@code formPage}. */
    Response submit(String formPage, String action, Map<String, ?> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrf(page(formPage)));
        return post(action, all);
    }

    /** Posts exactly these fields (no CSRF token unless given). */
    Response post(String action, Map<String, ?> fields) {
        return request().contentType("application/x-www-form-urlencoded; charset=utf-8").formParams(fields)
                .when().post(action);
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "the page has a form with a CSRF token");
        return m.group(1);
    }

    /** The path a 303 answer redirects to. */
    static String location(Response r) {
        assertEquals(303, r.statusCode(), r.asString());
        String loc = r.getHeader("Location");
        assertNotNull(loc);
        return loc.replaceFirst("^https?://[^/]+", "");
    }
}
