package org.fabtrail.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.fabtrail.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded PostgreSQL: durable, persistent across restarts, never blocked by a killed Fabtrail, the same least
 * privilege as an external database (and data directories of earlier versions upgraded to it), and restarted when
 * it dies.
 */
class EmbeddedDatabaseTest {

    private static Connection owner(EmbeddedDatabase db) throws SQLException {
        return db.connect(EmbeddedDatabase.OWNER);
    }

    private static void migrate(EmbeddedDatabase db) {
        Flyway.configure().dataSource(db.jdbcUrl(), EmbeddedDatabase.OWNER, db.passwords().owner())
                .locations("classpath:db/migration").load().migrate();
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    /** The first column of every row {@code sql} answers on {@code c}. */
    static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void runsDurablyAndKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0); Connection c = owner(db);
             Statement st = c.createStatement()) {
            assertEquals(List.of(), DurabilityCheck.problems(c));
            st.execute("CREATE TABLE kept (v TEXT)");
            st.execute("INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0); Connection c = owner(db)) {
            assertEquals("still here", one(c, "SELECT v FROM kept"));
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
        DatabasePasswords passwords = DatabasePasswords.load(dir.resolve(DatabasePasswords.FILE));
        try (Connection c = DriverManager.getConnection(orphanUrl, EmbeddedDatabase.OWNER, passwords.owner())) {
            assertTrue(c.isValid(2));
        }

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0); Connection c = owner(db)) {
            assertEquals("committed before the kill", one(c, "SELECT v FROM written_by_child"));
        }
    }

    /** A Fabtrail stand-in that starts the embedded database, commits a row, and waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0);
            try (Connection c = owner(db); Statement st = c.createStatement()) {
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

    // ------------------------------------------------------------------------------------------------------------
    // Least privilege (issue 9, finding 6)
    // ------------------------------------------------------------------------------------------------------------

    /** What the application's own connection must never be able to do. */
    static final List<String> REFUSED_TO_THE_APPLICATION = List.of(
            "SET session_replication_role = replica",
            "ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only",
            "ALTER TABLE log_entries DISABLE TRIGGER ALL",
            "ALTER TABLE tree_head DISABLE TRIGGER tree_head_forward",
            "DROP TRIGGER log_entries_append_only ON log_entries",
            "UPDATE tree_head SET tree_size = tree_size + 1000000",
            "UPDATE log_entries SET actor = 'mallory'",
            "DELETE FROM log_entries",
            "TRUNCATE log_entries CASCADE",
            "UPDATE tree_nodes SET hash = hash",
            "DELETE FROM tree_nodes",
            "UPDATE checkpoints SET note = 'forged'",
            "DELETE FROM checkpoints",
            "UPDATE checkpoint_cosignatures SET signature_line = 'forged'",
            "DELETE FROM checkpoint_cosignatures",
            "DELETE FROM tree_head",
            "TRUNCATE orgs CASCADE",
            "CREATE TABLE mine (v TEXT)",
            "ALTER ROLE fabtrail_app SUPERUSER",
            "CREATE ROLE another LOGIN",
            "COPY log_entries FROM PROGRAM 'true'");

    /**
     * Each statement fails (and is rolled back) on {@code c}, and the log is unchanged; returns the statements that
     * were not refused.
     */
    static List<String> notRefused(Connection c, List<String> statements) throws SQLException {
        List<String> accepted = new ArrayList<>();
        for (String sql : statements) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                accepted.add(sql);
            } catch (SQLException expected) {
                // refused
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return accepted;
    }

    @Test
    void theApplicationsRoleCannotSwitchTheLedgerOffAndLoginsNeedPasswords(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            migrate(db);
            try (Connection app = db.connect(EmbeddedDatabase.APP)) {
                assertEquals(List.of(), notRefused(app, REFUSED_TO_THE_APPLICATION));
                assertEquals("fabtrail_app", one(app, "SELECT current_user"));
                assertEquals("f", one(app, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
                assertEquals("0", one(app, "SELECT count(*) FROM pg_class WHERE relowner = 'fabtrail_app'::regrole"));
                assertEquals("0", one(app, "SELECT count(*) FROM pg_proc WHERE proowner = 'fabtrail_app'::regrole"));
                assertEquals("origin", one(app, "SELECT 'origin' FROM tree_head WHERE tree_size = 0"), "head unchanged");
            }
            try (Connection owner = owner(db)) {
                assertEquals("fabtrail_owner", one(owner, "SELECT pg_get_userbyid(datdba) FROM pg_database "
                        + "WHERE datname = 'fabtrail'"));
                assertEquals(List.of(), column(owner, "SELECT relname FROM pg_class WHERE relnamespace = "
                        + "'public'::regnamespace AND relowner <> 'fabtrail_owner'::regrole"), "the owner owns everything");
                assertEquals("f", one(owner, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
            }
            assertPasswordLoginsOnly(db, dir);
        }
    }

    /** pg_hba.conf has no trust line; no login without the right password; the password file is 0600. */
    static void assertPasswordLoginsOnly(EmbeddedDatabase db, Path dataDir) throws Exception {
        List<String> rules = Files.readAllLines(db.pgData().resolve("pg_hba.conf")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals(List.of("host    all       all   127.0.0.1/32  scram-sha-256"), rules);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve(DatabasePasswords.FILE))));
        String passwords = Files.readString(dataDir.resolve(DatabasePasswords.FILE));
        for (String role : List.of("postgres", "fabtrail_owner", "fabtrail_app")) {
            assertTrue(passwords.contains(role + "="), "a password for " + role);
            for (String wrong : new String[] {null, "", "postgres", "wrong"}) {
                assertThrows(SQLException.class, () -> login(db.jdbcUrl(), role, wrong).close(),
                        role + " with password " + wrong);
            }
        }
        try (Connection su = login(db.jdbcUrl(), "postgres", db.passwords().superuser())) {
            assertEquals("0", one(su, "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256' "
                    + "OR error IS NOT NULL"));
            assertEquals("", one(su, "SHOW unix_socket_directories"), "no Unix socket");
            assertEquals("127.0.0.1", one(su, "SHOW listen_addresses"));
        }
    }

    private static Connection login(String url, String user, String password) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds.getConnection();
    }

    @Test
    void aDataDirectoryOfAnEarlierVersionIsUpgradedOnStart(@TempDir Path dir) throws Exception {
        // What the earlier version left: superuser postgres with no password, trust for every local user, the
        // fabtrail database and the schema of V1..V10 owned by postgres, and some data in it.
        Path oldMigrations = Files.createDirectories(dir.resolve("v10-migrations"));
        for (int v = 1; v <= 10; v++) {
            int version = v;
            try (var files = Files.list(Path.of("db/migration"))) {
                Path m = files.filter(f -> f.getFileName().toString().startsWith("V" + version + "__")).findFirst()
                        .orElseThrow();
                Files.copy(m, oldMigrations.resolve(m.getFileName()));
            }
        }
        Path data = dir.resolve("data");
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false).setLocaleConfig("locale", "C").start()) {
            try (Connection c = earlier.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE fabtrail ENCODING 'UTF8'");
            }
            var ds = earlier.getDatabase("postgres", "fabtrail");
            Flyway.configure().dataSource(ds).locations("filesystem:" + oldMigrations).load().migrate();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO restricted_parties (name, country, aliases, source_list, match_keys, imported_at) "
                        + "VALUES ('Kept Ltd', 'XX', '{}', 'test', '{kept ltd}', now())");
                assertEquals("postgres", one(c, "SELECT tableowner FROM pg_tables WHERE tablename = 'log_entries'"));
                assertTrue(Files.readString(data.resolve("postgres/pg_hba.conf")).contains("trust"));
            }
        }
        assertFalse(Files.exists(data.resolve(DatabasePasswords.FILE)));

        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertPasswordLoginsOnly(db, data);
            try (Connection owner = owner(db)) {
                assertEquals(List.of(), column(owner, "SELECT relname FROM pg_class WHERE relnamespace = "
                        + "'public'::regnamespace AND relowner <> 'fabtrail_owner'::regrole"), "ownership moved");
                assertEquals(List.of(), column(owner, "SELECT proname FROM pg_proc WHERE pronamespace = "
                        + "'public'::regnamespace AND proowner <> 'fabtrail_owner'::regrole"));
            }
            // what Fabtrail does next at start: the pending migrations, as the owner (V11 replaces a function the
            // superuser created, which only its owner may), then the application as fabtrail_app
            migrate(db);
            try (Connection app = db.connect(EmbeddedDatabase.APP)) {
                assertEquals("Kept Ltd", one(app, "SELECT name FROM restricted_parties"), "data kept, and readable");
                assertEquals(List.of(), notRefused(app, REFUSED_TO_THE_APPLICATION));
                try (Statement st = app.createStatement()) {
                    st.execute("INSERT INTO restricted_parties (name, country, aliases, source_list, match_keys, imported_at) "
                            + "VALUES ('New Ltd', 'XX', '{}', 'test', '{new ltd}', now())");
                }
            }
        }
        // the next start finds it current, and it stays so
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0); Connection app = db.connect(EmbeddedDatabase.APP)) {
            assertEquals("2", one(app, "SELECT count(*) FROM restricted_parties"));
            assertPasswordLoginsOnly(db, data);
        }
    }

    @Test
    void theOfflineCommandsLogInAsTheOwnerWhetherTheServerRunsOrNot(@TempDir Path dir) throws Exception {
        OfflineDatabase.Work whoAmI = (url, user, password) -> {
            try (Connection c = OfflineDatabase.connect(url, user, password)) {
                return one(c, "SELECT current_user").equals(EmbeddedDatabase.OWNER) ? 0 : 1;
            }
        };
        System.setProperty("fabtrail.data-dir", dir.toString());
        try {
            EmbeddedDatabase.start(dir, 0).close();
            assertEquals(0, OfflineDatabase.run(System.err, whoAmI), "started for the command");
            try (EmbeddedDatabase running = EmbeddedDatabase.start(dir, 0)) {
                assertEquals(0, OfflineDatabase.run(System.err, whoAmI), "attached to the running server");
            }
        } finally {
            System.clearProperty("fabtrail.data-dir");
        }
    }

    @Test
    void aDataDirectoryWithoutItsPasswordsIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        EmbeddedDatabase.start(dir, 0).close();
        Files.delete(dir.resolve(DatabasePasswords.FILE));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(dir, 0));
        assertTrue(e.getMessage().contains(DatabasePasswords.FILE) && e.getMessage().contains("Restore it"),
                e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Supervision (issue 9, finding 8)
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void aKilledServerIsStartedAgainOnTheSameDataAndPort(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0).supervise()) {
            AtomicInteger restarted = new AtomicInteger();
            db.onRestart(restarted::incrementAndGet);
            assertEquals(EmbeddedDatabase.State.UP, db.state());
            try (Connection c = owner(db); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (v TEXT)");
                st.execute("INSERT INTO kept VALUES ('committed before the kill')");
            }
            long pid = EmbeddedDatabase.PostmasterPid.read(db.pgData()).orElseThrow().pid();
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "kill -9 of the postmaster");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean sawDown = false;
            while (System.nanoTime() < deadline && restarted.get() == 0) {
                sawDown |= db.state() == EmbeddedDatabase.State.DOWN;
                Thread.sleep(20);
            }
            assertTrue(sawDown, "state DOWN while the server is gone");
            assertEquals(1, restarted.get(), "restarted once within a minute");
            assertEquals(EmbeddedDatabase.State.UP, db.state());
            assertEquals(1, db.restarts());
            assertTrue(db.lastCrash().isPresent());
            var again = EmbeddedDatabase.PostmasterPid.read(db.pgData()).orElseThrow();
            assertTrue(again.pid() != pid, "a new postmaster");
            assertEquals(db.port(), again.port(), "on the same port");
            try (Connection c = owner(db)) {
                assertEquals("committed before the kill", one(c, "SELECT v FROM kept"));
            }
            assertPasswordLoginsOnly(db, dir);
            assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(dir, 0),
                    "the data directory is still this process's");
        }
        assertTrue(EmbeddedDatabase.attach(dir).isEmpty(), "close() stopped the restarted server");
    }
}
