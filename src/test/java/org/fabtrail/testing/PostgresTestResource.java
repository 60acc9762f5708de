package org.fabtrail.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/** Gives each Quarkus test application a fresh database and a fresh data directory. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestDatabase.Database db = TestDatabase.create("fabtrail_app");
        String dataDir;
        try {
            dataDir = Files.createTempDirectory("fabtrail-test-data").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", db.url(),
                "quarkus.datasource.username", db.user(),
                "quarkus.datasource.password", db.password() == null ? "" : db.password(),
                "fabtrail.data-dir", dataDir);
    }

    @Override
    public void stop() {
        // the embedded server stops with the JVM; external test databases are left for inspection
    }
}
