package org.fabtrail.web;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.Accounts;
import org.fabtrail.crypto.Totp;
import org.fabtrail.testing.SignInCsrf;
import org.fabtrail.web.session.SessionManager;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two-step sign-in (TOTP, RFC 6238) for org admins and the operator's staff: set-up through the page (otpauth URI and
 * QR code, confirmed by a code), sign-in with password and code (the step before and after too), a code never taken
 * twice, the code form's limits, turning it off; members are not offered it. Each test makes its own accounts.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class TwoStepSignInTest {

    static final String PASSWORD = "two-step-password-1";
    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");
    private static final Pattern CHALLENGE = Pattern.compile("name=\"challenge\" value=\"([^\"]+)\"");

    @Inject
    Accounts accounts;
    @TestHTTPResource("/")
    URL base;

    private String user(String role) {
        String name = "totp." + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(name, "Two Step " + role, Account.OPERATOR.equals(role) ? null : "eu-regulator", role, PASSWORD);
        return name;
    }

    private static String code(byte[] secret, long stepOffset) {
        return Totp.code(secret, Totp.step(Instant.now().getEpochSecond()) + stepOffset, 6, Totp.Algorithm.SHA1);
    }

    /**
     * The code the last {@link #enrol} confirmed with (not recomputed later: a 30-second step may have passed since,
     * and the next step's code is a fresh one).
     */
    private static String confirmedWith;

    /** Sets up two-step sign-in through the page; answers the secret, read from the page as a person's app would. */
    private static byte[] enrol(SignedInClient c) {
        String page = c.page("/account/two-step");
        assertTrue(page.contains("Off: you sign in with your password alone"), page);
        Response started = c.submit("/account/two-step", "/account/two-step/enrol", Map.of());
        assertEquals(200, started.statusCode(), started.asString());
        String html = started.asString();
        Matcher m = SECRET.matcher(html);
        assertTrue(m.find(), "the key is shown");
        assertTrue(html.contains("otpauth://totp/Fabtrail:" + c.username + "?secret=" + m.group(1)), "the otpauth URI");
        assertTrue(html.contains("<svg") && html.contains("id=\"totp-qr\""), "the QR code");
        assertEquals("no-store", started.getHeader("Cache-Control"));
        byte[] secret = base32(m.group(1));
        String csrf = SignedInClient.csrf(html);
        Response wrong = c.post("/account/two-step/confirm", Map.of("_csrf", csrf, "code", "000000".equals(code(secret, 0))
                ? "111111" : "000000"));
        assertEquals(422, wrong.statusCode());
        assertTrue(wrong.asString().contains(m.group(1)), "the same key again after a wrong code");
        confirmedWith = code(secret, 0);
        Response ok = c.post("/account/two-step/confirm", Map.of("_csrf", csrf, "code", confirmedWith));
        assertEquals("/account/two-step?notice=on", SignedInClient.location(ok));
        return secret;
    }

    /** Posts the password; answers the code form's challenge (the account has a second factor). */
    private static String password(String username) {
        Response r = SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", username).formParam("password", PASSWORD).formParam("next", "/units")
                .post("/login");
        assertEquals(200, r.statusCode(), r.asString());
        assertNull(r.getCookie(SessionManager.COOKIE), "no session after the password alone");
        assertTrue(r.asString().contains("Code from your authenticator app"));
        Matcher m = CHALLENGE.matcher(r.asString());
        assertTrue(m.find());
        return m.group(1);
    }

    private static Response code(String challenge, String code) {
        return SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("challenge", challenge).formParam("code", code).post("/login/code");
    }

    @Test
    void anOrgAdminSetsItUpAndThenSignsInWithPasswordAndCode() {
        String admin = user(Account.ORG_ADMIN);
        byte[] secret = enrol(SignedInClient.signIn(admin, PASSWORD));
        Account a = QuarkusTransaction.requiringNew().call(() -> Account.byUsername(admin).orElseThrow());
        assertNotNull(a.totpSecret);
        assertNull(a.totpPending);
        assertFalse(new String(a.totpSecret, StandardCharsets.ISO_8859_1).contains(
                new String(secret, StandardCharsets.ISO_8859_1)), "sealed at rest");

        String challenge = password(admin);
        // the code that confirmed the set-up was taken: it does not sign in
        Response reused = code(challenge, confirmedWith);
        assertEquals(401, reused.statusCode(), reused.asString());
        assertNull(reused.getCookie(SessionManager.COOKIE));
        // three steps away is outside the window
        assertEquals(401, code(challenge, code(secret, 3)).statusCode());
        // the next step's code (a phone clock 30 s ahead) signs in, and goes where the sign-in was going
        String next = code(secret, 1);
        Response ok = code(challenge, next);
        assertEquals("/units", SignedInClient.location(ok));
        String session = ok.getCookie(SessionManager.COOKIE);
        assertEquals(200, given().cookie(SessionManager.COOKIE, session).get("/units").statusCode());
        // the challenge is used up; the same code does not sign in a second time
        assertEquals(401, code(challenge, next).statusCode());
        assertNull(code(password(admin), next).getCookie(SessionManager.COOKIE), "a code is never taken twice");
    }

    @Test
    void theCodeFormTakesFiveCodesAndOnlyItsOwnChallengeAndCsrfPair() {
        String op = user(Account.OPERATOR);
        byte[] secret = enrol(SignedInClient.signIn(op, PASSWORD));
        String challenge = password(op);
        String wrong = "000000".equals(code(secret, 1)) || "000000".equals(code(secret, 2)) ? "111111" : "000000";
        for (int i = 0; i < SessionManager.CODE_TRIES; i++) {
            assertEquals(401, code(challenge, wrong).statusCode());
        }
        Response late = code(challenge, code(secret, 1));
        assertEquals(401, late.statusCode());
        assertTrue(late.asString().contains("expired"), "after five wrong codes the password is asked again");
        assertEquals(401, code("forged-challenge", code(secret, 1)).statusCode());
        assertEquals(401, code("", code(secret, 1)).statusCode());
        // the failures count against the account like wrong passwords: it is throttled now
        assertEquals(429, SignInCsrf.with(given()).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("username", op)
                .formParam("password", PASSWORD).post("/login").statusCode());

        String other = user(Account.OPERATOR);
        byte[] otherSecret = enrol(SignedInClient.signIn(other, PASSWORD));
        // without the sign-in form's CSRF pair
        Response noCsrf = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("challenge", password(other)).formParam("code", code(otherSecret, 1)).post("/login/code");
        assertEquals(403, noCsrf.statusCode());
        assertNull(noCsrf.getCookie(SessionManager.COOKIE));
        // hostile codes are refused, never a server error
        String c = password(other);
        Response longCode = code(c, "1".repeat(5000));
        assertEquals(401, longCode.statusCode());
        Response nul = code(c, "12345\u0000");
        assertEquals(400, nul.statusCode(), "control characters are refused before the form is read");
        assertNull(nul.getCookie(SessionManager.COOKIE));
    }

    @Test
    void itTurnsOffOnlyWithACodeAndMembersAreNotOfferedIt() {
        String admin = user(Account.ORG_ADMIN);
        SignedInClient c = SignedInClient.signIn(admin, PASSWORD);
        byte[] secret = enrol(c);
        String page = c.page("/account/two-step");
        Response wrong = c.submit("/account/two-step", "/account/two-step/off", Map.of("code", "12345x"));
        assertEquals(422, wrong.statusCode());
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> Account.byUsername(admin).orElseThrow()).totpSecret);
        Response off = c.post("/account/two-step/off", Map.of("_csrf", SignedInClient.csrf(page), "code",
                code(secret, 1)));
        assertEquals("/account/two-step?notice=off", SignedInClient.location(off));
        assertNull(QuarkusTransaction.requiringNew().call(() -> Account.byUsername(admin).orElseThrow()).totpSecret);
        SignedInClient.signIn(admin, PASSWORD); // the password alone signs in again

        String member = user(Account.MEMBER);
        SignedInClient m = SignedInClient.signIn(member, PASSWORD);
        assertEquals(403, m.get("/account/two-step").statusCode());
        assertEquals(403, m.post("/account/two-step/enrol", Map.of("_csrf", SignedInClient.csrf(m.page("/")))).statusCode());
        assertNull(QuarkusTransaction.requiringNew().call(() -> Account.byUsername(member).orElseThrow()).totpPending);
        assertEquals(303, given().redirects().follow(false).get("/account/two-step").statusCode(), "signed in only");
    }

    @Test
    void anAdminSetsItUpAndSignsInWithItInTheBrowser() throws Exception {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        String admin = user(Account.ORG_ADMIN);
        String root = base.toString().replaceAll("/$", "");
        try (Browser b = Browser.open(1280, 1000)) {
            WebDriver d = b.driver();
            signIn(d, root, admin);
            d.findElement(By.linkText("Two-step sign-in")).click();
            d.findElement(By.cssSelector("#two-step-enrol button")).click();
            wait(d, w -> !w.findElements(By.id("totp-qr")).isEmpty());
            b.screenshot("two-step-setup");
            byte[] secret = base32(d.findElement(By.id("totp-secret")).getText());
            d.findElement(By.id("code")).sendKeys(code(secret, 0));
            d.findElement(By.cssSelector("#confirm-two-step button")).click();
            wait(d, w -> w.getCurrentUrl().contains("notice=on"));
            d.findElement(By.cssSelector("form[action='/logout'] button")).click();
            wait(d, w -> w.getCurrentUrl().contains("/login"));

            signIn(d, root, admin);
            assertTrue(d.findElement(By.tagName("h1")).getText().startsWith("Sign in: code"), "the code is asked");
            d.findElement(By.id("code")).sendKeys(code(secret, 1));
            d.findElement(By.cssSelector("form[action='/login/code'] button")).click();
            wait(d, w -> !w.getCurrentUrl().contains("/login"));
            assertTrue(d.findElement(By.cssSelector("header .who")).getText().contains("Two Step"));
        }
    }

    private static void signIn(WebDriver d, String root, String username) {
        d.get(root + "/login");
        d.findElement(By.id("username")).sendKeys(username);
        d.findElement(By.id("password")).sendKeys(PASSWORD);
        d.findElement(By.cssSelector("form[action='/login'] button[type=submit]")).click();
        wait(d, w -> !w.getCurrentUrl().endsWith("/login") || !w.findElements(By.id("code")).isEmpty());
    }

    private static void wait(WebDriver d, java.util.function.Function<WebDriver, Boolean> until) {
        new WebDriverWait(d, Duration.ofSeconds(30)).until(until::apply);
    }

    static byte[] base32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (char ch : s.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(ch);
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
