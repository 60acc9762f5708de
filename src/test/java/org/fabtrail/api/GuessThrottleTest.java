package org.fabtrail.api;

import org.fabtrail.testing.SignInCsrf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.testing.LoopbackHttp;
import org.fabtrail.testing.LoopbackHttp.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throttled guessing (issue 9, finding 5): wrong admin tokens, wrong API tokens and wrong sign-ins are limited per
 * client address and per presented credential, answered 429 with Retry-After, and once throttled a guess costs no
 * database work. Callers from other addresses are unaffected. Each client is a loopback address of its own.
 *
 * <p>"No database work" is measured from the outside: PostgreSQL's own count of the test database's transactions
 * (pg_stat_database), read once every backend has reported (a backend reports within 10 s of going idle).
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class GuessThrottleTest {

    private static final int GUESSES = 2_000;
    /** Every guess that reaches the database costs at least one transaction; throttled ones must cost none. */
    private static final int MOST_TRANSACTIONS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static ApiClient.Partner partner;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void onboard() {
        if (partner == null) {
            RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
            partner = ApiClient.partner("guess-fab", SignatureAlgorithm.ED25519, "manufacturer");
            for (String user : new String[] {"guess.victim", "guess.bystander"}) {
                given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                        .body(Map.of("username", user, "displayName", user, "org", partner.org(), "role", "member",
                                "password", "right-password-" + user))
                        .post("/api/v1/admin/users").then().statusCode(201);
            }
        }
    }

    @Test
    void wrongAdminTokensFromOneAddressAreThrottledWithoutDatabaseWork() throws Exception {
        String from = "127.0.0.5";
        Campaign c = campaign(from, i -> new String[] {"POST", "/api/v1/admin/orgs", "Bearer guess-" + i, "{}"}, () -> {
            // while throttled, the address gets no answer to any admin token, the right one included: checking it
            // would let the guessing go on at full speed
            SlowClientTest.problem(once(from, "GET", "/api/v1/orgs", ApiClient.ADMIN, null), 429, "auth-throttled");
        });
        c.assertThrottled();
        // the operator from another address is unaffected
        assertEquals(200, once("127.0.0.1", "GET", "/api/v1/orgs", ApiClient.ADMIN, null).status());
    }

    @Test
    void wrongApiTokensFromOneAddressAreThrottledWithoutDatabaseWork() throws Exception {
        String from = "127.0.0.6";
        String before = "Bearer " + ApiClient.token(partner.org(), "read");
        String unseen = "Bearer " + ApiClient.token(partner.org(), "read");
        assertEquals(200, once(from, "GET", "/api/v1/orgs", before, null).status(), "a token in use before");
        Campaign c = campaign(from, i -> new String[] {"GET", "/api/v1/orgs", "Bearer " + randomToken(), null}, () -> {
            // while throttled, a token this instance has seen work still works from there (guessing one is
            // hopeless) ...
            assertEquals(200, once(from, "GET", "/api/v1/orgs", before, null).status());
            // ... and one it has not seen waits like any guess
            SlowClientTest.problem(once(from, "GET", "/api/v1/orgs", unseen, null), 429, "auth-throttled");
        });
        c.assertThrottled();
        // a valid token from another address is unaffected
        assertEquals(200, once("127.0.0.1", "GET", "/api/v1/orgs", partner.bearer(), null).status());
    }

    @Test
    void guessesWithOneTokenPrefixAreThrottledFromEveryAddress() {
        int perCredential = SlowClientTest.config("fabtrail.auth.failures-per-credential", 5);
        String prefix = "ftk_" + randomToken().substring(4, 8);
        for (int i = 0; i < perCredential; i++) {
            Answer a = once("127.0.0." + (20 + i), "GET", "/api/v1/orgs", "Bearer " + prefix + randomToken().substring(8),
                    null);
            SlowClientTest.problem(a, 401, "unauthenticated");
        }
        Answer same = once("127.0.0.30", "GET", "/api/v1/orgs", "Bearer " + prefix + randomToken().substring(8), null);
        SlowClientTest.problem(same, 429, "auth-throttled");
        Answer other = once("127.0.0.30", "GET", "/api/v1/orgs", "Bearer " + randomToken(), null);
        SlowClientTest.problem(other, 401, "unauthenticated");
    }

    @Test
    void wrongSignInsFromOneAddressAreThrottledWithoutDatabaseWork() throws Exception {
        String from = "127.0.0.7";
        Campaign c = campaign(from, i -> new String[] {"POST", "/login", null,
                SignInCsrf.FIELD + "username=" + URLEncoder.encode("nobody-" + i, StandardCharsets.UTF_8) + "&password=wrong"}, () -> {
            // while throttled, the right password waits too
            assertEquals(429, once(from, "POST", "/login", null, signIn("guess.bystander")).status());
        });
        c.assertThrottled();
        // another address signs in
        assertEquals(303, once("127.0.0.1", "POST", "/login", null, signIn("guess.bystander")).status());
    }

    @Test
    void wrongPasswordsForOneUsernameAreThrottledFromEveryAddress() {
        int perCredential = SlowClientTest.config("fabtrail.auth.failures-per-credential", 5);
        for (int i = 0; i < perCredential; i++) {
            Answer a = once("127.0.0." + (40 + i), "POST", "/login", null,
                    SignInCsrf.FIELD + "username=guess.victim&password=wrong-" + i);
            assertEquals(401, a.status(), a.body());
        }
        // now even the right password waits, from any address: checking it would let the guessing go on
        Answer right = once("127.0.0.50", "POST", "/login", null, signIn("guess.victim"));
        assertEquals(429, right.status(), right.body());
        assertTrue(Long.parseLong(right.header("Retry-After")) >= 1);
        assertTrue(right.body().contains("Too many failed sign-ins"), right.body());
        assertEquals(null, right.header("Set-Cookie"));
        // other users are unaffected
        assertEquals(303, once("127.0.0.50", "POST", "/login", null, signIn("guess.bystander")).status());
    }

    // ------------------------------------------------------------------------------------------------------------

    /** The outcome of {@link #GUESSES} wrong guesses sent one after another on one connection. */
    private final class Campaign {
        int unauthenticated;
        int throttled;
        int firstThrottled = -1;
        long transactions;
        long seconds;

        void assertThrottled() {
            // the allowance of failures, and what it regained while the guessing went on
            int perAddress = SlowClientTest.config("fabtrail.auth.failures-per-address", 30)
                    + (int) Math.ceil(seconds * SlowClientTest.config("fabtrail.auth.failures-per-address", 30)
                    / (double) ConfigProvider.getConfig().getOptionalValue("fabtrail.auth.failure-window",
                    Duration.class).orElse(Duration.ofMinutes(15)).toSeconds());
            String outcome = " (" + unauthenticated + " answered 401, " + throttled + " 429; " + transactions
                    + " database transactions)";
            assertTrue(firstThrottled >= 0 && firstThrottled <= perAddress + 1, "first 429 at guess " + firstThrottled
                    + outcome);
            assertEquals(GUESSES, unauthenticated + throttled);
            assertTrue(unauthenticated <= perAddress + 1, unauthenticated + " guesses were checked in " + seconds + " s"
                    + outcome);
            assertTrue(transactions <= MOST_TRANSACTIONS, GUESSES + " guesses cost too much" + outcome);
        }
    }

    /**
     * Sends {@link #GUESSES} requests from {@code from}, the i-th made by {@code guess} as {method, path,
     * authorization, body}, and counts the database transactions they cost. {@code whileThrottled} runs right after
     * the first 429, while the address has no allowance left (it regains one in failure-window / failures-per-address,
     * 30 s by default).
     */
    private Campaign campaign(String from, IntFunction<String[]> guess, Runnable whileThrottled) throws Exception {
        Campaign c = new Campaign();
        long before = settledTransactions();
        long t0 = System.nanoTime();
        try (LoopbackHttp conn = LoopbackHttp.connect(from, RestAssured.port).timeout(30_000)) {
            for (int i = 0; i < GUESSES; i++) {
                String[] g = guess.apply(i);
                Answer a = conn.exchange(g[0], g[1], headers(g[1], g[2], g[3]), g[3]);
                if (a.status() == 429) {
                    assertTrue(Long.parseLong(a.header("Retry-After")) >= 1);
                    if (g[1].startsWith("/api/") && c.throttled < 20) { // the body in full for some (JsonPath is slow)
                        SlowClientTest.problem(a, 429, "auth-throttled");
                        assertEquals(Long.parseLong(a.header("Retry-After")), JsonPath.from(a.body()).getLong("retryAfter"));
                    } else if (g[1].startsWith("/api/")) {
                        assertTrue(a.body().contains("\"urn:fabtrail:problem:auth-throttled\""), a.body());
                    }
                    c.throttled++;
                    if (c.firstThrottled < 0) {
                        c.firstThrottled = i;
                        whileThrottled.run();
                    }
                } else {
                    assertEquals(401, a.status(), "guess " + i + ": " + a.body());
                    c.unauthenticated++;
                }
            }
        }
        c.seconds = (System.nanoTime() - t0) / 1_000_000_000L + 1;
        c.transactions = settledTransactions() - before;
        System.out.printf("%d guesses from %s in %d s: %d answered 401, %d answered 429 (first at guess %d); %d "
                + "database transactions%n", GUESSES, from, c.seconds, c.unauthenticated, c.throttled, c.firstThrottled,
                c.transactions);
        return c;
    }

    /** One request on a connection of its own. */
    private static Answer once(String from, String method, String path, String authorization, String body) {
        try (LoopbackHttp c = LoopbackHttp.connect(from, RestAssured.port).timeout(30_000)) {
            return c.exchange(method, path, headers(path, authorization, body), body);
        }
    }

    /** The authorization header if any, and the content type of a body: a form for /login, JSON elsewhere. */
    private static Map<String, String> headers(String path, String authorization, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        if (authorization != null) {
            h.put("Authorization", authorization);
        }
        if (body != null) {
            h.put("Content-Type", path.equals("/login") ? "application/x-www-form-urlencoded" : "application/json");
            if (path.equals("/login")) {
                h.put("Cookie", SignInCsrf.COOKIE + "=" + SignInCsrf.TOKEN);
            }
        }
        return h;
    }

    private static String signIn(String user) {
        return SignInCsrf.FIELD + "username=" + user + "&password=right-password-" + user;
    }

    /** A token of the shape the server issues ("ftk_" and 43 base64url characters), which no one was given. */
    private static String randomToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "ftk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The test database's committed and rolled-back transactions, once every backend has reported its own. */
    private long settledTransactions() throws InterruptedException, SQLException {
        Thread.sleep(11_000);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                     + "WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
