package org.fabtrail.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A PostgreSQL server of a test's own, in a fresh data directory, that the application is pointed at as
 * {@link DatabaseSettings#embedded} wires it; the subclass says how it starts (supervised or not) and which server
 * runs when the test is over.
 */
abstract class OwnServerResource implements QuarkusTestResourceLifecycleManager {

    private final String dataDirPrefix;

    OwnServerResource(String dataDirPrefix) {
        this.dataDirPrefix = dataDirPrefix;
    }

    /** Starts the server on the fresh data directory {@code data}. */
    abstract EmbeddedDatabase startOn(Path data) throws IOException;

    /** The server running now (a test may have started another in place of the first), or null. */
    abstract EmbeddedDatabase running();

    @Override
    public Map<String, String> start() {
        try {
            Path data = Files.createTempDirectory(dataDirPrefix);
            EmbeddedDatabase db = startOn(data);
            Map<String, String> config = new HashMap<>(DatabaseSettings.embedded(db).quarkusProperties());
            config.put("fabtrail.data-dir", data.toString());
            return config;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        EmbeddedDatabase db = running();
        if (db != null) {
            db.close();
        }
    }
}
