package org.fabtrail.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Gives each Quarkus test application a fresh database and a fresh data directory, connected as in production:
 * Flyway migrates as the owner {@code fabtrail_owner} and the application runs as {@code fabtrail_app} (see
 * {@link TestDatabase#createForApplication}). A test that needs the owner (to rebuild projections, say) connects
 * with {@code quarkus.flyway.username} / {@code quarkus.flyway.password}.
 *
 * <p>A test profile that brings its own database (it implements {@link OwnDatabase}) gets nothing from here.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Marks a test profile whose own test resource provides the datasource. */
    public interface OwnDatabase {
    }

    private boolean ownDatabase;

    @Override
    public void setContext(Context context) {
        String profile = context.testProfile();
        if (profile == null) {
            return;
        }
        try {
            ownDatabase = OwnDatabase.class.isAssignableFrom(
                    Class.forName(profile, false, Thread.currentThread().getContextClassLoader()));
        } catch (ClassNotFoundException e) {
            ownDatabase = false;
        }
    }

    @Override
    public Map<String, String> start() {
        if (ownDatabase) {
            return Map.of();
        }
        TestDatabase.Application db = TestDatabase.createForApplication("fabtrail_app");
        String dataDir;
        try {
            dataDir = Files.createTempDirectory("fabtrail-test-data").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", db.app().url(),
                "quarkus.datasource.username", db.app().user(),
                "quarkus.datasource.password", db.app().password() == null ? "" : db.app().password(),
                "quarkus.flyway.username", db.owner().user(),
                "quarkus.flyway.password", db.owner().password() == null ? "" : db.owner().password(),
                "fabtrail.data-dir", dataDir);
    }

    @Override
    public void stop() {
        // the embedded server stops with the JVM; external test databases are left for inspection
    }
}
