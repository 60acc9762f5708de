package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.fabtrail.testing.LoopbackHttp;
import org.fabtrail.testing.LoopbackHttp.Answer;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Behind a reverse proxy the operator trusts (docs/operators.md, "Limits against slow, many and guessing clients"),
 * the limits count the client address the proxy forwards, and only the trusted proxy's: anyone else's forwarding
 * header is ignored.
 */
@QuarkusTest
@TestProfile(TrustedProxyTest.BehindProxy.class)
class TrustedProxyTest {

    /** Forwarding headers are believed from 127.0.0.60 only. */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.trusted-proxies", PROXY,
                    // production's allowance (the shared test application raises it), which the proxy must exceed
                    "fabtrail.http.max-connections-per-address", "256");
        }
    }

    static final String PROXY = "127.0.0.60";
    private static final String STRANGER = "127.0.0.61";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void guessesCountAgainstTheForwardedAddressOnlyWhenATrustedProxyForwardsIt() {
        int perAddress = SlowClientTest.config("fabtrail.auth.failures-per-address", 30);
        try (LoopbackHttp proxy = LoopbackHttp.connect(PROXY, RestAssured.port);
             LoopbackHttp stranger = LoopbackHttp.connect(STRANGER, RestAssured.port)) {
            for (int i = 0; i < perAddress; i++) {
                SlowClientTest.problem(guess(proxy, "198.51.100.7"), 401, "unauthenticated");
            }
            SlowClientTest.problem(guess(proxy, "198.51.100.7"), 429, "auth-throttled");
            // another client behind the same proxy is unaffected
            SlowClientTest.problem(guess(proxy, "198.51.100.8"), 401, "unauthenticated");

            // a forwarding header from anyone else is ignored: its guesses count against its own address, whatever
            // address it names
            for (int i = 0; i < perAddress; i++) {
                SlowClientTest.problem(guess(stranger, "203.0.113." + i), 401, "unauthenticated");
            }
            SlowClientTest.problem(guess(stranger, "203.0.113.99"), 429, "auth-throttled");
        }
    }

    @Test
    void aTrustedProxysConnectionsCountAgainstNoAddress() {
        int cap = SlowClientTest.config("fabtrail.http.max-connections-per-address", 256);
        List<LoopbackHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < cap + 10; i++) {
                LoopbackHttp c = LoopbackHttp.connect(PROXY, RestAssured.port).timeout(10_000);
                open.add(c);
                Answer a = c.exchange("GET", "/api/v1/log/checkpoint", Map.of("X-Forwarded-For", "198.51.100.20"), null);
                assertEquals(200, a.status(), "connection " + (i + 1) + ": " + a.body());
            }
        } finally {
            open.forEach(LoopbackHttp::close);
        }
    }

    /** A random API token, presented for the client {@code forwardedFor}. */
    private static Answer guess(LoopbackHttp via, String forwardedFor) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return via.exchange("GET", "/api/v1/orgs", Map.of("Authorization", "Bearer ftk_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(raw), "X-Forwarded-For", forwardedFor), null);
    }
}
