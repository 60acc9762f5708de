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
 */
public final class TestDatabase {

    private static String baseUrl;
    private static String user;
    private static String password;
    private static EmbeddedPostgres embedded;

    private TestDatabase() {
    }

    /** JDBC URL, user and password of a database created for the caller. */
    public record Database(String url, String user, String password) {
        public DataSource dataSource() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setUser(user);
            if (password != null) {
                ds.setPassword(password);
            }
            return ds;
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

    /** A new database holding a copy of {@code template} (which must have no open connections). */
    public static synchronized Database copyOf(Database template, String prefix) {
        return createDatabase(prefix, template.url().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1"));
    }

    private static Database createDatabase(String prefix, String template) {
        start();
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(baseUrl);
        admin.setUser(user);
        if (password != null) {
            admin.setPassword(password);
        }
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
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
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL for tests: " + e.getMessage(), e);
        }
    }
}
