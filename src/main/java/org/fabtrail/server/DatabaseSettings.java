package org.fabtrail.server;

import java.util.Optional;

/**
 * Where the database is, read before the application starts from the same sources as the rest of the
 * configuration that matters here: system properties ({@code -Dfabtrail.db.url}) and environment variables
 * ({@code FABTRAIL_DB_URL}).
 */
record DatabaseSettings(String dataDir, Optional<String> url, Optional<String> user, Optional<String> password,
                        int embeddedPort) {

    static DatabaseSettings fromEnvironment() {
        return new DatabaseSettings(
                setting("fabtrail.data-dir", "FABTRAIL_DATA_DIR").orElse("./data"),
                setting("fabtrail.db.url", "FABTRAIL_DB_URL"),
                setting("fabtrail.db.user", "FABTRAIL_DB_USER"),
                setting("fabtrail.db.password", "FABTRAIL_DB_PASSWORD"),
                setting("fabtrail.db.embedded-port", "FABTRAIL_DB_EMBEDDED_PORT").map(Integer::parseInt).orElse(0));
    }

    static DatabaseSettings embedded(EmbeddedDatabase db) {
        return new DatabaseSettings("", Optional.of(db.jdbcUrl()), Optional.of(db.user()), Optional.empty(), db.port());
    }

    boolean external() {
        return url.isPresent();
    }

    /** Hands the connection to Quarkus's datasource (runtime configuration, read at start). */
    void applyToQuarkus() {
        System.setProperty("quarkus.datasource.jdbc.url", url.orElseThrow());
        user.ifPresent(u -> System.setProperty("quarkus.datasource.username", u));
        password.ifPresent(p -> System.setProperty("quarkus.datasource.password", p));
    }

    static Optional<String> setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
