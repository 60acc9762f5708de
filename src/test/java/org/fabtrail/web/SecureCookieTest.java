package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.fabtrail.testing.LoopbackHttp;
import org.fabtrail.testing.SignInCsrf;
import org.fabtrail.testing.LoopbackHttp.Answer;
import org.fabtrail.web.session.SessionManager;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Behind a TLS-terminating proxy the operator trusts (docs/operators.md), the session cookie is {@code Secure} when
 * the proxy says the request came over https; the same header from anyone else is ignored.
 */
@QuarkusTest
@TestProfile(SecureCookieTest.BehindProxy.class)
class SecureCookieTest {

    /** The demo, with forwarding headers believed from 127.0.0.70 only. */
    public static class BehindProxy extends DemoProfile {
        public BehindProxy() {
            super(Map.of("quarkus.http.proxy.proxy-address-forwarding", "true", "quarkus.http.proxy.trusted-proxies",
                    PROXY));
        }
    }

    static final String PROXY = "127.0.0.70";
    private static final String STRANGER = "127.0.0.71";

    @Test
    void theSessionCookieIsSecureWhenTheTrustedProxySaysHttps() {
        String cookie = signIn(PROXY, "https");
        assertTrue(cookie.contains("Secure"), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
    }

    @Test
    void aStrangersForwardedProtoIsIgnored() {
        String cookie = signIn(STRANGER, "https");
        assertFalse(cookie.contains("Secure"), cookie);
        assertFalse(signIn(PROXY, "http").contains("Secure"), "the proxy says plain http");
    }

    /** Signs the demo clerk in from {@code from}, which claims the client spoke {@code proto}; the Set-Cookie. */
    private static String signIn(String from, String proto) {
        try (LoopbackHttp c = LoopbackHttp.connect(from, RestAssured.port)) {
            Map<String, String> headers = new HashMap<>();
            headers.put("X-Forwarded-Proto", proto);
            headers.put("X-Forwarded-For", "198.51.100.30");
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            headers.put("Cookie", SignInCsrf.COOKIE + "=" + SignInCsrf.TOKEN);
            Answer a = c.exchange("POST", "/login", headers, SignInCsrf.FIELD + "username=acme.clerk&password=" + DemoProfile.PASSWORD);
            assertEquals(303, a.status(), a.body());
            String cookie = a.headers().entrySet().stream().filter(h -> h.getKey().equals("set-cookie"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            assertNotNull(cookie);
            assertTrue(cookie.startsWith(SessionManager.COOKIE + "="), cookie);
            return cookie;
        }
    }
}
