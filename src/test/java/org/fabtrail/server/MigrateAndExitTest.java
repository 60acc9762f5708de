package org.fabtrail.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration step of deploy/kubernetes (the init container "migrate"): the application started with
 * {@code quarkus.init-and-exit=true} applies the migrations and exits 0 before it starts: no start checks, no genesis
 * entry, no checkpoint file, no operator key needed.
 */
@QuarkusMainTest
@TestProfile(MigrateAndExitTest.InitAndExit.class)
class MigrateAndExitTest {

    static final String URL = "fabtrail.test.init-and-exit.url";
    static final String USER = "fabtrail.test.init-and-exit.user";
    static final String PASSWORD = "fabtrail.test.init-and-exit.password";
    static final String DATA = "fabtrail.test.init-and-exit.data";

    public static class InitAndExit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.init-and-exit", "true",
                    // as in production: no key may be generated, and none is configured
                    "fabtrail.generate-operator-key", "false");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmptyDatabase.class));
        }
    }

    /** A fresh empty database; its coordinates go to system properties, which the test (another class loader) reads. */
    public static class EmptyDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            TestDatabase.Database db = TestDatabase.create("fabtrail_init");
            try {
                String data = Files.createTempDirectory("fabtrail-init-data").toString();
                System.setProperty(URL, db.url());
                System.setProperty(USER, db.user());
                System.setProperty(PASSWORD, db.password() == null ? "" : db.password());
                System.setProperty(DATA, data);
                return Map.of("quarkus.datasource.jdbc.url", db.url(), "quarkus.datasource.username", db.user(),
                        "quarkus.datasource.password", db.password() == null ? "" : db.password(),
                        "fabtrail.data-dir", data);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
        }
    }

    @Test
    @Launch(value = {}, exitCode = 0)
    void migratesThenExitsBeforeTheServerStarts(LaunchResult result) throws Exception {
        long files;
        try (Stream<Path> s = Files.list(Path.of("db/migration"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".sql")).count();
        }
        try (Connection c = DriverManager.getConnection(System.getProperty(URL), System.getProperty(USER),
                System.getProperty(PASSWORD)); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*), bool_and(success) FROM flyway_schema_history "
                    + "WHERE type <> 'SCHEMA'")) {
                rs.next();
                assertEquals(files, rs.getLong(1), "every migration applied");
                assertTrue(rs.getBoolean(2));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM log_entries")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no genesis: the application did not start");
            }
        }
        assertFalse(Files.exists(Path.of(System.getProperty(DATA)).resolve(CheckpointFile.NAME)),
                "no start check ran");
        assertFalse(result.getOutput().contains("Started a new log"), result.getOutput());
    }
}
