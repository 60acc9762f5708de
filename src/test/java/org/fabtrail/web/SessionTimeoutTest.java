package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.fabtrail.web.session.SessionManager;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions end after 30 idle minutes and after 12 hours in any case, on the server. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class SessionTimeoutTest {

    @Inject
    DataSource dataSource;

    private void age(SignedInClient c, String column, String interval) throws Exception {
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "UPDATE sessions SET " + column + " = " + column + " - ?::interval WHERE token_hash = sha256(?::bytea)")) {
            ps.setString(1, interval);
            ps.setString(2, c.cookies.get(SessionManager.COOKIE));
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static void assertSignedOut(SignedInClient c) {
        String location = SignedInClient.location(c.get("/units"));
        assertTrue(location.contains("/login"), location);
    }

    @Test
    void anIdleSessionEnds() throws Exception {
        SignedInClient c = SignedInClient.signIn("acme.clerk");
        c.page("/units");
        age(c, "last_seen_at", "29 minutes");
        c.page("/units"); // still alive, and the request refreshes it
        age(c, "last_seen_at", "31 minutes");
        assertSignedOut(c);
    }

    @Test
    void aSessionEndsAfterTwelveHoursEvenWhenBusy() throws Exception {
        SignedInClient c = SignedInClient.signIn("helios.admin");
        c.page("/units");
        age(c, "created_at", "12 hours 1 minute");
        assertSignedOut(c);
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT count(*) FROM sessions WHERE token_hash = sha256(?::bytea)")) {
            ps.setString(1, c.cookies.get(SessionManager.COOKIE));
            var rs = ps.executeQuery();
            rs.next();
            assertEquals(0, rs.getLong(1), "the expired session row is gone");
        }
    }
}
