package org.fabtrail.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A PostgreSQL server of a test's own, in a fresh data directory, that the application is pointed at as
 * {@link DatabaseSettings#embedded} wires it; the subclass says how it starts (supervised or not).
 */
abstract class OwnServerResource implements QuarkusTestResourceLifecycleManager {

    /** How a server starts on its fresh data directory. */
    @FunctionalInterface
    interface Starter {
        EmbeddedDatabase startOn(Path data) throws IOException;
    }

    private final String dataDirPrefix;
    private final Starter starter;
    private EmbeddedDatabase started;

    OwnServerResource(String dataDirPrefix, Starter starter) {
        this.dataDirPrefix = dataDirPrefix;
        this.starter = starter;
    }

    /** The server running now, closed when the test is over: the one started here, unless a subclass knows better. */
    EmbeddedDatabase running() {
        return started;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path data = Files.createTempDirectory(dataDirPrefix);
            started = starter.startOn(data);
            Map<String, String> config = new HashMap<>(DatabaseSettings.embedded(started).quarkusProperties());
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
