package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-token rate limits (default: bursts of 400, 200 a second on average): 429 with Retry-After. */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class RateLimitTest {

    private static final int THREADS = 8;
    /** Past the burst of 400; more only if this machine cannot outrun the refill of 200 a second. */
    private static final int MAX_REQUESTS = 5000;

    private static String hammer;
    private static String bystander;

    @BeforeEach
    void onboard() throws Exception {
        OncePerClass.run(RateLimitTest.class, () -> {
            ApiClient.onboard("rl-org", SignatureAlgorithm.ED25519, "distributor");
            hammer = "Bearer " + ApiClient.token("rl-org", "read");
            bystander = "Bearer " + ApiClient.token("rl-org", "read");
        });
    }

    @Test
    void aTokenPastItsBurstGets429WithRetryAfterWhileAnotherTokenIsUnaffected() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicBoolean limited = new AtomicBoolean();
        ConcurrentLinkedQueue<HttpResponse<String>> refusals = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(pool.submit(() -> {
                    // at least ~500 requests in all; keep going until refused (a slow machine refills as it sends)
                    while (sent.incrementAndGet() <= MAX_REQUESTS && (!limited.get() || sent.get() <= 500)) {
                        HttpResponse<String> r = CustodyClient.http("GET", "/api/v1/orgs", hammer, null);
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else if (r.statusCode() == 429) {
                            limited.set(true);
                            refusals.add(r);
                        } else {
                            unexpected.add(r.statusCode() + " " + r.body());
                        }
                    }
                }));
            }
            for (Future<?> f : threads) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(unexpected.isEmpty(), unexpected.toString());
        assertFalse(refusals.isEmpty(), "no 429 after " + ok.get() + " requests in " + seconds + " s");
        // the burst is honoured: at least 400 pass before any refusal (plus the refill during the run)
        assertTrue(ok.get() >= 400, ok.get() + " requests passed");
        assertTrue(ok.get() <= 400 + 200 * seconds + THREADS,
                ok.get() + " requests passed in " + seconds + " s: more than the burst and the rate allow");

        for (HttpResponse<String> r : refusals) {
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
            JsonPath p = JsonPath.from(r.body());
            assertEquals("urn:fabtrail:problem:rate-limited", p.getString("type"));
            assertEquals(429, p.getInt("status"));
            assertEquals(retryAfter, p.getLong("retryAfter"));
        }

        // another token of the same organisation is unaffected
        for (int i = 0; i < 20; i++) {
            assertEquals(200, CustodyClient.http("GET", "/api/v1/orgs", bystander, null).statusCode());
        }
        // and the hammering token is let through again once it waits as told
        long wait = Long.parseLong(refusals.peek().headers().firstValue("Retry-After").orElseThrow());
        Thread.sleep(wait * 1000 + 100);
        assertEquals(200, CustodyClient.http("GET", "/api/v1/orgs", hammer, null).statusCode());
    }
}
