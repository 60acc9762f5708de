package org.fabtrail.server;

import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code migrate}: the step a deployment runs once per rollout as the schema owner (ADR 0008). */
class MigrateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void forgetTheDatabase() {
        System.clearProperty("fabtrail.db.url");
        System.clearProperty("fabtrail.db.user");
        System.clearProperty("fabtrail.db.password");
    }

    private int migrate(String... args) {
        out.reset();
        err.reset();
        return MigrateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static long migrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("db/migration"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
        }
    }

    @Test
    void appliesEveryMigrationToAnEmptyDatabaseOnceAndThenNothing() throws Exception {
        TestDatabase.Database db = TestDatabase.create("migrate");
        System.setProperty("fabtrail.db.url", db.url());
        System.setProperty("fabtrail.db.user", db.user());
        if (db.password() != null) {
            System.setProperty("fabtrail.db.password", db.password());
        }
        long files = migrationFiles();

        assertEquals(0, migrate(), err.toString());
        assertTrue(out.toString().contains(": " + files + " migration(s) applied"), out.toString());
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            assertEquals(files, rs.getLong(1), "every file of db/migration applied");
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT tree_size FROM tree_head")) {
            assertTrue(rs.next(), "the schema is there (an empty log; the server writes its genesis)");
            assertEquals(0, rs.getLong(1));
        }

        assertEquals(0, migrate(), err.toString());
        assertTrue(out.toString().contains(": 0 migration(s) applied"), out.toString());
    }

    @Test
    void refusesArgumentsAndAnUnreachableDatabase() {
        assertEquals(2, migrate("--force"));
        assertTrue(err.toString().contains("usage: migrate"), err.toString());

        System.setProperty("fabtrail.db.url", "jdbc:postgresql://127.0.0.1:1/nowhere");
        assertEquals(2, migrate());
        assertTrue(err.toString().startsWith("the command could not run: "), err.toString());
    }
}
