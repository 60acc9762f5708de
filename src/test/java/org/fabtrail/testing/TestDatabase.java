package org.fabtrail.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server of a test run: a fresh embedded server (PostgreSQL 17, durable settings) started once
 * per JVM in a temporary directory, or, when {@code FABTRAIL_TEST_DB_URL} names an external server (a JDBC URL
 * of a database the user may connect to, with {@code FABTRAIL_TEST_DB_USER} / {@code FABTRAIL_TEST_DB_PASSWORD}),
 * that server. Either way every caller gets a database of its own, created here for this run.
 *
 * <p>The server gets the production roles ({@code fabtrail_owner}, {@code fabtrail_app}) when the test user may
 * create roles (always on the embedded server), so that {@link #createForApplication} gives the application what
 * it gets in production: migrations as the owner, everything else as the runtime role, which makes the whole
 * suite prove that the runtime role's grants are complete.
 */
public final class TestDatabase {

    private static String baseUrl;
    private static String user;
    private static String password;
    private static EmbeddedPostgres embedded;
    /** Passwords of the production roles on this server; null when the test user may not create roles. */
    private static String ownerPassword;
    private static String appPassword;

    private TestDatabase() {
    }

    /** JDBC URL, user and password of a database created for the caller. */
    public record Database(String url, String user, String password) {
        public DataSource dataSource() {
            return pg(url, user, password);
        }

        /** Applies the application's Flyway migrations (for tests that run without Quarkus). */
        public Database migrated() {
            Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
            return this;
        }
    }

    public static synchronized Database create(String prefix) {
        return createDatabase(prefix, null);
    }

    /**
     * A database for an application: {@code owner} (owns the database; runs the migrations) and {@code app} (the
     * runtime role the application connects as). Without the production roles both are the test user.
     */
    public record Application(Database owner, Database app) {
    }

    public static synchronized Application createForApplication(String prefix) {
        Database db = createDatabase(prefix, null);
        if (ownerPassword == null) {
            return new Application(db, db);
        }
        String name = db.url().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection c = admin().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + name + " OWNER TO fabtrail_owner");
            st.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
            st.execute("GRANT CONNECT ON DATABASE " + name + " TO fabtrail_app");
        } catch (SQLException e) {
            System.err.println("TestDatabase: cannot hand " + name + " to fabtrail_owner (" + e.getMessage()
                    + "); the application under test connects as " + user);
            return new Application(db, db);
        }
        return new Application(new Database(db.url(), "fabtrail_owner", ownerPassword),
                new Database(db.url(), "fabtrail_app", appPassword));
    }

    /**
     * The test server's own user (a superuser on the embedded server) on the database at {@code url}: for tests
     * that play someone who holds the whole database, beyond what the application's roles may do.
     */
    public static synchronized DataSource superuser(String url) {
        start();
        PGSimpleDataSource ds = admin();
        ds.setUrl(url);
        return ds;
    }

    private static PGSimpleDataSource admin() {
        return pg(baseUrl, user, password);
    }

    /** A data source of {@code url} that logs in as {@code user}, with {@code password} if there is one. */
    private static PGSimpleDataSource pg(String url, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** A new database holding a copy of {@code template} (which must have no open connections). */
    public static synchronized Database copyOf(Database template, String prefix) {
        return createDatabase(prefix, template.url().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1"));
    }

    private static Database createDatabase(String prefix, String template) {
        start();
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + ": " + e.getMessage(), e);
        }
        String url = baseUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        return new Database(url, user, password);
    }

    private static void start() {
        if (baseUrl != null) {
            return;
        }
        String external = System.getenv("FABTRAIL_TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            baseUrl = external;
            user = System.getenv("FABTRAIL_TEST_DB_USER");
            password = System.getenv("FABTRAIL_TEST_DB_PASSWORD");
            createRoles();
            return;
        }
        try {
            Path dir = Files.createTempDirectory("fabtrail-test-pg");
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // best effort at JVM exit
                }
            }));
            baseUrl = embedded.getJdbcUrl("postgres", "postgres").replaceFirst("\\?user=postgres$", "");
            user = "postgres";
            createRoles();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL for tests: " + e.getMessage(), e);
        }
    }

    /**
     * The production roles, as the embedded database of production has them: no superuser, no role creation;
     * the runtime role owns nothing. Skipped (the suite then runs as the test user) when the user may not create
     * roles on an external test server.
     */
    private static void createRoles() {
        // fixed, so that test runs sharing an external server agree on them (these roles only ever reach test data)
        String owner = "fabtrail-owner-test";
        String app = "fabtrail-app-test";
        try (Connection c = admin().getConnection(); Statement st = c.createStatement()) {
            for (String[] role : new String[][] {{"fabtrail_owner", owner}, {"fabtrail_app", app}}) {
                try (var rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role[0] + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE ROLE " + role[0] + " LOGIN");
                    }
                }
                st.execute("ALTER ROLE " + role[0] + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + role[1] + "'");
            }
            try (var rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    // a CREATEROLE user may give a database to the owner role only as a member of it
                    st.execute("GRANT fabtrail_owner TO CURRENT_USER");
                }
            }
            ownerPassword = owner;
            appPassword = app;
        } catch (SQLException e) {
            System.err.println("TestDatabase: cannot create the roles fabtrail_owner and fabtrail_app (" + e.getMessage()
                    + "); the application under test connects as " + user);
        }
    }
}
