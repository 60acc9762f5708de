package org.fabtrail.api;

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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Slow and many clients (issue 9, finding 4): request bodies that trickle in or stop, many connections and many
 * requests from one address, and more work than the server takes at once. Each client is a loopback address of its
 * own (127.0.0.0/8 all reaches the server on 127.0.0.1), so the server tells the attacker from the innocent client
 * as it would on a network. Runs with the limits' defaults (docs/operators.md, "Limits against slow, many and
 * guessing clients").
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class SlowClientTest {

    /** The innocent client. */
    private static final String CLIENT = "127.0.0.1";
    private static final String ATTACKER = "127.0.0.2";
    private static final String CHECKPOINT = "/api/v1/log/checkpoint";

    private static ApiClient.Partner partner;
    private static final AtomicInteger SITES = new AtomicInteger();

    @Inject
    DataSource dataSource;

    @BeforeEach
    void onboard() {
        if (partner == null) {
            RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
            partner = ApiClient.partner("slow-fab", SignatureAlgorithm.ED25519, "manufacturer");
        }
    }

    @Test
    void slowBodiesAndIdleConnectionsFromOneAddressLeaveAnotherClientAnsweredWithinOneSecond() throws Exception {
        // warm the paths up, so that the timed requests below measure waiting, not first-use costs
        assertEquals(200, timed(CLIENT, "GET", CHECKPOINT, Map.of(), null).answer.status());
        assertEquals(201, timed(CLIENT, "POST", "/api/v1/entries", writeHeaders(partner.bearer()), signedSite()).answer.status());

        List<LoopbackHttp> slow = new ArrayList<>();
        List<LoopbackHttp> idle = new ArrayList<>();
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try {
            // 500 writes with no token whose 100,000-byte bodies come one byte every 2 seconds ...
            for (int i = 0; i < 500; i++) {
                LoopbackHttp c = LoopbackHttp.connect(ATTACKER, RestAssured.port);
                c.sendHead("POST", "/api/v1/entries", Map.of("Content-Type", "application/json", "Content-Length", "100000"));
                c.sendRaw(new byte[] {'{'});
                slow.add(c);
            }
            // ... and 500 connections that send nothing at all
            for (int i = 0; i < 500; i++) {
                idle.add(LoopbackHttp.connect(ATTACKER, RestAssured.port));
            }
            List<LoopbackHttp> trickling = new ArrayList<>(slow);
            trickler.scheduleAtFixedRate(() -> trickling.removeIf(c -> {
                try {
                    c.sendRaw(new byte[] {' '});
                    return false;
                } catch (UncheckedIOException closed) {
                    return true;
                }
            }), 2, 2, TimeUnit.SECONDS);
            Thread.sleep(3_000); // the server has taken every request head by now

            for (int round = 0; round < 5; round++) {
                assertAnsweredWithinOneSecond(timed(CLIENT, "GET", CHECKPOINT, Map.of(), null), 200);
                assertAnsweredWithinOneSecond(timed(CLIENT, "POST", "/api/v1/entries", writeHeaders(partner.bearer()),
                        signedSite()), 201);
                assertAnsweredWithinOneSecond(timed(CLIENT, "GET", "/api/v1/log/key", Map.of(), null), 200);
                assertAnsweredWithinOneSecond(timed(CLIENT, "GET", "/api/v1/log/proof/inclusion?index=0&size=1",
                        Map.of(), null), 200);
                Thread.sleep(1_000);
            }

            // the attacker's requests beyond its share were refused at once rather than waited for (by the cap on
            // requests in flight, or on connections while the refused ones were still closing)
            int refused = 0;
            for (LoopbackHttp c : slow) {
                if (c.answered()) {
                    Answer a = c.read();
                    String code = JsonPath.from(a.body()).getString("code");
                    problem(a, 429, "too-many-connections".equals(code) ? code : "too-many-in-flight");
                    refused++;
                }
            }
            int share = config("fabtrail.http.max-in-flight-per-address", 128);
            assertEquals(500 - share, refused, "slow writes refused beyond the address's " + share + " in flight");
        } finally {
            trickler.shutdownNow();
            slow.forEach(LoopbackHttp::close);
            idle.forEach(LoopbackHttp::close);
        }
    }

    @Test
    void aBodyThatStopsArrivingIsDroppedWith408AndItsConnectionClosed() {
        try (LoopbackHttp c = LoopbackHttp.connect("127.0.0.3", RestAssured.port).timeout(20_000)) {
            c.sendHead("POST", "/api/v1/entries", Map.of("Content-Type", "application/json", "Content-Length", "100"));
            c.sendRaw("{\"payload\":".getBytes(StandardCharsets.UTF_8));
            Answer a = read(c, "a body that stopped after 11 of its 100 bytes");
            problem(a, 408, "body-timeout");
            assertEquals("close", a.header("Connection"));
            assertTrue(c.closedByServer(5_000), "the connection is closed after the 408");
        }
    }

    @Test
    void aBodyTrickledByteByByteIsDroppedWith408AtItsDeadlineAlthoughBytesKeepComing() throws Exception {
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try (LoopbackHttp c = LoopbackHttp.connect("127.0.0.3", RestAssured.port).timeout(30_000)) {
            c.sendHead("POST", "/api/v1/entries", Map.of("Content-Type", "application/json", "Content-Length", "3000"));
            trickler.scheduleAtFixedRate(() -> {
                try {
                    c.sendRaw(new byte[] {' '});
                } catch (UncheckedIOException closed) {
                    // the server gave up on it, as it should
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            Answer a = read(c, "a body trickled one byte every 0.5 s");
            problem(a, 408, "body-timeout");
            assertTrue(c.closedByServer(5_000), "the connection is closed after the 408");
        } finally {
            trickler.shutdownNow();
        }
    }

    @Test
    void chunkedBodiesAreReadToTheirEndAndHeldToTheSameDeadline() {
        byte[] body = signedSite().getBytes(StandardCharsets.UTF_8);
        try (LoopbackHttp c = LoopbackHttp.connect("127.0.0.3", RestAssured.port).timeout(20_000)) {
            c.sendHead("POST", "/api/v1/entries", Map.of("Content-Type", "application/json", "Authorization",
                    partner.bearer(), "Transfer-Encoding", "chunked"));
            int half = body.length / 2;
            c.sendRaw((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.sendRaw(java.util.Arrays.copyOfRange(body, 0, half));
            c.sendRaw(("\r\n" + Integer.toHexString(body.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.sendRaw(java.util.Arrays.copyOfRange(body, half, body.length));
            c.sendRaw("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Answer a = read(c, "a chunked write");
            assertEquals(201, a.status(), a.body());

            // a chunked body that stops is dropped like any other
            c.sendHead("POST", "/api/v1/entries", Map.of("Content-Type", "application/json", "Authorization",
                    partner.bearer(), "Transfer-Encoding", "chunked"));
            c.sendRaw("10\r\n{\"payload\":".getBytes(StandardCharsets.US_ASCII));
            problem(read(c, "a chunked body that stopped"), 408, "body-timeout");
            assertTrue(c.closedByServer(5_000), "the connection is closed after the 408");
        }
    }

    @Test
    void aClientThatAsksWhetherToSendItsBodyIsToldToContinue() {
        byte[] body = signedSite().getBytes(StandardCharsets.UTF_8);
        try (LoopbackHttp c = LoopbackHttp.connect("127.0.0.3", RestAssured.port).timeout(10_000)) {
            c.sendHead("POST", "/api/v1/entries", Map.of("Content-Type", "application/json", "Authorization",
                    partner.bearer(), "Content-Length", String.valueOf(body.length), "Expect", "100-continue"));
            assertEquals(100, read(c, "a request expecting 100-continue").status());
            c.sendRaw(body);
            Answer a = read(c, "the write after 100 Continue");
            assertEquals(201, a.status(), a.body());
        }
    }

    @Test
    void connectionsFromOneAddressBeyondTheCapAreAnswered429WithRetryAfter() throws Exception {
        int cap = config("fabtrail.http.max-connections-per-address", 256);
        String from = "127.0.0.4";
        List<LoopbackHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < cap; i++) {
                LoopbackHttp c = LoopbackHttp.connect(from, RestAssured.port).timeout(10_000);
                open.add(c);
                assertEquals(200, c.exchange("GET", CHECKPOINT, Map.of(), null).status(), "connection " + (i + 1));
            }
            LoopbackHttp extra = LoopbackHttp.connect(from, RestAssured.port).timeout(10_000);
            open.add(extra);
            Answer a = extra.exchange("GET", CHECKPOINT, Map.of(), null);
            problem(a, 429, "too-many-connections");
            assertTrue(extra.closedByServer(5_000), "the connection over the cap is closed");
            for (LoopbackHttp c : open.subList(0, cap)) { // the others keep working
                assertEquals(200, c.exchange("GET", CHECKPOINT, Map.of(), null).status());
            }
            assertEquals(200, timed(CLIENT, "GET", CHECKPOINT, Map.of(), null).answer.status(), "another address");

            open.get(0).close(); // a closed connection frees its place
            long until = System.currentTimeMillis() + 5_000;
            int status;
            do {
                Thread.sleep(100);
                status = timed(from, "GET", CHECKPOINT, Map.of(), null).answer.status();
            } while (status != 200 && System.currentTimeMillis() < until);
            assertEquals(200, status, "a place freed by a closed connection is taken again");
        } finally {
            open.forEach(LoopbackHttp::close);
        }
    }

    /**
     * More writes in flight than the global cap: the test holds the tree head's row lock, as a stalled database
     * would, so every write waits for its commit. Instead of queueing without bound the server answers 503 with
     * Retry-After; once the database moves again the writes it took commit.
     */
    @Test
    void workBeyondTheGlobalCapIsAnswered503InsteadOfQueued() throws Exception {
        int cap = config("fabtrail.http.max-in-flight", 512);
        int perAddress = config("fabtrail.http.max-in-flight-per-address", 128);
        int writes = cap + 8;
        List<String> bearers = new ArrayList<>();
        for (int i = 0; i < writes; i += 300) { // each token may send bursts of 400
            bearers.add("Bearer " + ApiClient.token(partner.org(), "write"));
        }
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            bodies.add(signedSite());
        }
        List<LoopbackHttp> conns = new ArrayList<>();
        Answer[] answers = new Answer[writes];
        try {
            Answer busy;
            try (Connection db = dataSource.getConnection(); Statement st = db.createStatement()) {
                db.setAutoCommit(false);
                st.execute("SELECT tree_size FROM tree_head WHERE id = 1 FOR UPDATE");
                try {
                    for (int i = 0; i < writes; i++) {
                        String from = "127.0.0." + (10 + i / (perAddress / 2)); // well within each address's share
                        LoopbackHttp c = LoopbackHttp.connect(from, RestAssured.port).timeout(90_000);
                        conns.add(c);
                        byte[] body = bodies.get(i).getBytes(StandardCharsets.UTF_8);
                        c.sendHead("POST", "/api/v1/entries", Map.of("Content-Type", "application/json",
                                "Authorization", bearers.get(i / 300), "Content-Length", String.valueOf(body.length)));
                        c.sendRaw(body);
                    }
                    // the writes beyond the cap are answered at once ...
                    int early = 0;
                    long until = System.currentTimeMillis() + 20_000;
                    while (early < writes - cap && System.currentTimeMillis() < until) {
                        Thread.sleep(100);
                        for (int i = 0; i < writes; i++) {
                            if (answers[i] == null && conns.get(i).answered()) {
                                answers[i] = conns.get(i).read();
                                early++;
                            }
                        }
                    }
                    // ... and so is another client while the server is full
                    busy = timed(CLIENT, "GET", CHECKPOINT, Map.of(), null).answer;
                } finally {
                    db.rollback(); // the database moves again
                }
            }
            problem(busy, 503, "server-busy");

            int created = 0;
            int refused = 0;
            for (int i = 0; i < writes; i++) {
                Answer a = answers[i] != null ? answers[i] : conns.get(i).read();
                if (a.status() == 503) {
                    problem(a, 503, "server-busy");
                    refused++;
                } else {
                    assertEquals(201, a.status(), a.body());
                    created++;
                }
            }
            assertTrue(refused >= writes - cap, refused + " of " + writes + " writes refused with the cap at " + cap);
            assertTrue(created >= cap - 16, created + " writes taken and committed");
            assertEquals(200, timed(CLIENT, "GET", CHECKPOINT, Map.of(), null).answer.status());
        } finally {
            conns.forEach(LoopbackHttp::close);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private record Timed(Answer answer, long millis, String what) {
    }

    private static Timed timed(String from, String method, String path, Map<String, String> headers, String body) {
        long t0 = System.nanoTime();
        try (LoopbackHttp c = LoopbackHttp.connect(from, RestAssured.port).timeout(5_000)) {
            Answer a = c.exchange(method, path, headers, body);
            return new Timed(a, (System.nanoTime() - t0) / 1_000_000, method + " " + path + " from " + from);
        } catch (UncheckedIOException e) {
            throw new AssertionError(method + " " + path + " from " + from + " was not answered within 5 s", e);
        }
    }

    private static void assertAnsweredWithinOneSecond(Timed t, int status) {
        assertEquals(status, t.answer.status(), t.what + ": " + t.answer.body());
        assertTrue(t.millis < 1_000, t.what + " took " + t.millis + " ms");
    }

    private static Answer read(LoopbackHttp c, String what) {
        try {
            return c.read();
        } catch (UncheckedIOException e) {
            return fail(what + " was never answered", e);
        }
    }

    /** Asserts an RFC 9457 problem answer with {@code Retry-After} where the status calls for one. */
    static void problem(Answer a, int status, String code) {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.header("Content-Type").startsWith("application/problem+json"), a.header("Content-Type"));
        JsonPath p = JsonPath.from(a.body());
        assertEquals("urn:fabtrail:problem:" + code, p.getString("type"));
        assertEquals(status, p.getInt("status"));
        if (status == 429 || status == 503) {
            long retryAfter = Long.parseLong(a.header("Retry-After"));
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        }
    }

    private static Map<String, String> writeHeaders(String bearer) {
        return Map.of("Content-Type", "application/json", "Authorization", bearer);
    }

    private static String signedSite() {
        return ApiClient.envelope(ApiClient.payload("site.register", partner.org(),
                CustodyClient.siteFields("s-" + SITES.incrementAndGet(), "DE")), partner.key());
    }

    static int config(String name, int orElse) {
        return ConfigProvider.getConfig().getOptionalValue(name, Integer.class).orElse(orElse);
    }
}
