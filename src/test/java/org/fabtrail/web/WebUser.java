package org.fabtrail.web;

import org.fabtrail.testing.SignInCsrf;

import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.filter.log.LogDetail;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.fabtrail.web.session.SessionManager;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A person signed in to the web UI, as the tests drive it: a session cookie, and the CSRF token of its forms. */
final class WebUser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final RestAssuredConfig NO_REDIRECTS = RestAssuredConfig.config()
            .redirect(RedirectConfig.redirectConfig().followRedirects(false));

    final String username;
    final String cookie;
    final String csrf;

    private WebUser(String username, String cookie, String csrf) {
        this.username = username;
        this.cookie = cookie;
        this.csrf = csrf;
    }

    /** Signs in with the demo password and reads the CSRF token from a page's forms. */
    static WebUser signIn(String username) {
        Response login = SignInCsrf.with(anonymous()).formParam("username", username).formParam("password", DemoProfile.PASSWORD)
                .formParam("next", "/").post("/login");
        assertEquals(303, login.statusCode(), "sign-in of " + username);
        String cookie = login.getCookie(SessionManager.COOKIE);
        assertNotNull(cookie, "session cookie");
        String html = RestAssured.given().config(NO_REDIRECTS).cookie(SessionManager.COOKIE, cookie).get("/units/new")
                .asString();
        if (!CSRF.matcher(html).find()) {
            html = RestAssured.given().config(NO_REDIRECTS).cookie(SessionManager.COOKIE, cookie).get("/").asString();
        }
        return new WebUser(username, cookie, csrfOf(html));
    }

    static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        assertTrue(m.find(), "the page has a form with a CSRF token");
        return m.group(1);
    }

    static RequestSpecification anonymous() {
        return RestAssured.given().config(NO_REDIRECTS).log().ifValidationFails(LogDetail.ALL);
    }

    RequestSpecification given() {
        return anonymous().cookie(SessionManager.COOKIE, cookie);
    }

    Response get(String path) {
        return given().get(path);
    }

    /** GETs a page and checks its status; returns the HTML. */
    String page(String path, int status) {
        Response r = get(path);
        assertEquals(status, r.statusCode(), "GET " + path + ": " + r.asString());
        return r.asString();
    }

    /** POSTs a form with this session's CSRF token; values may be strings or lists of strings (repeated fields). */
    Response post(String path, Map<String, ?> form) {
        return postWithToken(path, form, csrf);
    }

    Response postWithToken(String path, Map<String, ?> form, String token) {
        RequestSpecification s = given().contentType("application/x-www-form-urlencoded; charset=UTF-8");
        if (token != null) {
            s.formParam("_csrf", token);
        }
        for (Map.Entry<String, ?> e : form.entrySet()) {
            if (e.getValue() instanceof List<?> list) {
                s.formParam(e.getKey(), list.toArray());
            } else {
                s.formParam(e.getKey(), e.getValue());
            }
        }
        return s.post(path);
    }

    /** Form fields in order. */
    static Map<String, Object> form(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** The log index a redirect after a write names ({@code ?logged=n}). */
    static long loggedIndex(Response r) {
        assertEquals(303, r.statusCode(), "a write redirects: " + r.asString());
        String location = r.header("Location");
        Matcher m = Pattern.compile("[?&]logged=(\\d+)").matcher(location);
        assertTrue(m.find(), "the redirect names the log index: " + location);
        return Long.parseLong(m.group(1));
    }

    /** The path of a redirect's Location (without scheme, host and query). */
    static String locationPath(Response r) {
        String location = r.header("Location");
        assertNotNull(location, "a Location header");
        String path = location.replaceFirst("^https?://[^/]+", "");
        int q = path.indexOf('?');
        return URLDecoder.decode(q < 0 ? path : path.substring(0, q), StandardCharsets.UTF_8);
    }

    /** The messages shown next to form fields, by field name ({@code form} for the form as a whole). */
    static Map<String, String> fieldErrors(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<p class=\"field-error\"[^>]*data-field=\"([^\"]+)\">([^<]*)</p>").matcher(html);
        while (m.find()) {
            out.put(m.group(1), m.group(2).replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
                    .replace("&lt;", "<").replace("&gt;", ">"));
        }
        return out;
    }
}
