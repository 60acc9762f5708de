package org.fabtrail.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.fabtrail.testing.OwnDatabaseProfile;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Background jobs run on one instance at a time (issue 15). Before this application starts, "another instance"
 * (a session of the test's own) holds the jobs' database lock: the application's background round, scheduled every
 * 200 ms, must not run, and readiness says so; once the other instance's session ends, the application takes over
 * within seconds. The round's first trace is the webhook dispatcher's cursor row, which its first run creates.
 */
@QuarkusTest
@TestProfile(JobLeaderWorkerTest.OtherInstanceHoldsTheJobs.class)
class JobLeaderWorkerTest {

    public static class OtherInstanceHoldsTheJobs extends OwnDatabaseProfile {
        public OtherInstanceHoldsTheJobs() {
            super(Database.class);
        }
    }

    /** The application's database, and the other instance's session holding the jobs' lock on it. */
    public static class Database implements QuarkusTestResourceLifecycleManager {
        static volatile TestDatabase.Database owner;
        static volatile Connection otherInstance;

        @Override
        public Map<String, String> start() {
            try {
                TestDatabase.Application db = TestDatabase.createForApplication("jobworker");
                owner = db.owner();
                otherInstance = owner.dataSource().getConnection();
                try (Statement st = otherInstance.createStatement()) {
                    st.execute("SELECT pg_advisory_lock(" + JobLeader.KEY + ")");
                }
                return Map.of(
                        "quarkus.datasource.jdbc.url", db.app().url(),
                        "quarkus.datasource.username", db.app().user(),
                        "quarkus.datasource.password", db.app().password() == null ? "" : db.app().password(),
                        "quarkus.flyway.username", owner.user(),
                        "quarkus.flyway.password", owner.password() == null ? "" : owner.password(),
                        "fabtrail.data-dir", Files.createTempDirectory("fabtrail-jobworker").toString(),
                        "fabtrail.discrepancy.publish", "true",
                        "fabtrail.discrepancy.publish-interval", "PT0.2S",
                        "fabtrail.jobs.leader-check-interval", "PT0.2S");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            try {
                if (otherInstance != null) {
                    otherInstance.close();
                }
            } catch (SQLException ignored) {
                // closed already
            }
        }
    }

    private static boolean roundRan() throws SQLException {
        try (Connection c = Database.owner.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM discrepancy_cursors WHERE name = 'webhooks'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static JsonPath ledgerCheck() {
        return given().get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .setRootPath("checks.find { it.name == 'fabtrail-ledger' }.data");
    }

    @Test
    void theRoundRunsOnlyOnTheInstanceHoldingTheLockAndTakesOverWhenTheHoldersSessionEnds() throws Exception {
        Thread.sleep(1500); // seven rounds' worth
        assertFalse(roundRan(), "another instance holds the jobs: this one must not run them");
        assertFalse(ledgerCheck().getBoolean("backgroundJobs"));
        assertEquals("primary", ledgerCheck().getString("databaseRole"));

        Database.otherInstance.close(); // the other instance is gone: its session, and so its lock, ends

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!roundRan() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertTrue(roundRan(), "this instance took the jobs over within seconds");
        assertTrue(ledgerCheck().getBoolean("backgroundJobs"));
    }
}
