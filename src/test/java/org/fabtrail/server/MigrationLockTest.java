package org.fabtrail.server;

import org.fabtrail.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Migrations run once although every pod of a rollout runs them (deploy/kubernetes, ADR 0008): the Flyway that
 * Fabtrail ships serialises concurrent migrates on PostgreSQL with an advisory lock, so of several started together
 * one applies each migration and the others find it applied.
 */
class MigrationLockTest {

    @Test
    void concurrentMigratesApplyEachMigrationOnce() throws Exception {
        TestDatabase.Database db = TestDatabase.create("fabtrail_lock");
        long files;
        try (Stream<Path> s = Files.list(Path.of("db/migration"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".sql")).count();
        }
        int pods = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(pods);
        List<Future<MigrateResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < pods; i++) {
                results.add(pool.submit(() -> {
                    Flyway flyway = Flyway.configure().dataSource(db.url(), db.user(), db.password())
                            .locations("classpath:db/migration").load();
                    go.await();
                    return flyway.migrate();
                }));
            }
            go.countDown();
            int applied = 0;
            for (Future<MigrateResult> f : results) {
                MigrateResult r = f.get(120, TimeUnit.SECONDS);
                assertTrue(r.success);
                applied += r.migrationsExecuted;
            }
            assertEquals(files, applied, "every migration applied once, by one of the " + pods + " migrates");
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT script), bool_and(success) "
                     + "FROM flyway_schema_history WHERE type <> 'SCHEMA'")) {
            rs.next();
            assertEquals(files, rs.getLong(1), "one history row per migration");
            assertEquals(files, rs.getLong(2));
            assertTrue(rs.getBoolean(3));
        }
    }
}
