package org.fabtrail.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL: durable, persistent across restarts, and never blocked by a killed Fabtrail. */
class EmbeddedDatabaseTest {

    private static Connection connect(EmbeddedDatabase db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
    }

    private static Connection connect(String url) throws Exception {
        return DriverManager.getConnection(url, EmbeddedDatabase.USER, "");
    }

    @Test
    void runsDurablyAndKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0); Connection c = connect(db);
             Statement st = c.createStatement()) {
            assertEquals(List.of(), DurabilityCheck.problems(c));
            st.execute("CREATE TABLE kept (v TEXT)");
            st.execute("INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0); Connection c = connect(db);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
            assertTrue(rs.next());
            assertEquals("still here", rs.getString(1));
        }
    }

    @Test
    void aSecondFabtrailOnTheSameDataDirectoryIsRefused(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(dir, 0));
            assertTrue(e.getMessage().contains("Another Fabtrail process"), e.getMessage());
            assertEquals(db.jdbcUrl(), EmbeddedDatabase.attach(dir).orElseThrow(), "verify can attach to it");
        }
    }

    @Test
    void aKilledFabtrailLeavesNothingThatBlocksTheNextStart(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY")) {
                // skip the child's log
            }
            assertTrue(line != null, "child started its database");
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook runs, PostgreSQL keeps running as an orphan
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        String orphanUrl = EmbeddedDatabase.attach(dir).orElseThrow(() -> new AssertionError("orphan should be running"));
        try (Connection c = connect(orphanUrl)) {
            assertTrue(c.isValid(2));
        }

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0); Connection c = connect(db);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM written_by_child")) {
            assertTrue(rs.next());
            assertEquals("committed before the kill", rs.getString(1));
        }
    }

    /** A Fabtrail stand-in that starts the embedded database, commits a row, and waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0);
            try (Connection c = connect(db); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE written_by_child (v TEXT)");
                st.execute("INSERT INTO written_by_child VALUES ('committed before the kill')");
            }
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void aNonDurableServerIsNamedAndRefused(@TempDir Path dir) throws Exception {
        // the library's own defaults: fsync off (-F) and synchronous_commit off
        try (EmbeddedPostgres unsafe = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
             Connection c = unsafe.getPostgresDatabase().getConnection()) {
            List<String> problems = DurabilityCheck.problems(c);
            assertEquals(2, problems.size(), problems.toString());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DurabilityCheck.require(c));
            assertTrue(e.getMessage().contains("fsync is off"), e.getMessage());
            assertTrue(e.getMessage().contains("synchronous_commit is off"), e.getMessage());
        }
        try (Connection c = TestDatabase.create("durable").dataSource().getConnection()) {
            assertEquals(List.of(), DurabilityCheck.problems(c), "the test server is durable");
        }
    }
}
