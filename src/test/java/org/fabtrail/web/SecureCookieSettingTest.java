package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.fabtrail.web.session.SessionManager;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fabtrail.web.secure-cookie=true} marks the session cookie Secure even on a plain-HTTP request. */
@QuarkusTest
@TestProfile(SecureCookieSettingTest.AlwaysSecure.class)
class SecureCookieSettingTest {

    /** The demo, told that a TLS proxy is in front. */
    public static class AlwaysSecure extends DemoProfile {
        public AlwaysSecure() {
            super(Map.of("fabtrail.web.secure-cookie", "true"));
        }
    }

    @Test
    void theSessionCookieAndItsClearingAreSecure() {
        String login = WebSecurityTest.login("acme.clerk", DemoProfile.PASSWORD).getHeader("Set-Cookie");
        assertNotNull(login);
        assertTrue(login.startsWith(SessionManager.COOKIE + "=") && login.contains("Secure"), login);
        SignedInClient clerk = SignedInClient.signIn("acme.clerk");
        String logout = clerk.submit("/", "/logout", Map.of()).getHeader("Set-Cookie");
        assertNotNull(logout);
        assertTrue(logout.contains("Secure") && logout.contains("Max-Age=0"), logout);
    }
}
