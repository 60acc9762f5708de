package org.fabtrail.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the database is and as whom Fabtrail logs in, read before the application starts from the same sources as
 * the rest of the configuration that matters here: system properties ({@code -Dfabtrail.db.url}) and environment
 * variables ({@code FABTRAIL_DB_URL}).
 *
 * <p>{@code user} is the role the running application uses; {@code ownerUser}, when set, the role that owns the
 * schema and runs the migrations at start (for the embedded database: {@code fabtrail_app} and
 * {@code fabtrail_owner}). Without an owner, the one role does both.
 */
record DatabaseSettings(String dataDir, Optional<String> url, Optional<String> user, Optional<String> password,
                        Optional<String> ownerUser, Optional<String> ownerPassword, int embeddedPort) {

    static DatabaseSettings fromEnvironment() {
        return new DatabaseSettings(
                setting("fabtrail.data-dir", "FABTRAIL_DATA_DIR").orElse("./data"),
                setting("fabtrail.db.url", "FABTRAIL_DB_URL"),
                setting("fabtrail.db.user", "FABTRAIL_DB_USER"),
                setting("fabtrail.db.password", "FABTRAIL_DB_PASSWORD"),
                setting("fabtrail.db.owner-user", "FABTRAIL_DB_OWNER_USER"),
                setting("fabtrail.db.owner-password", "FABTRAIL_DB_OWNER_PASSWORD"),
                setting("fabtrail.db.embedded-port", "FABTRAIL_DB_EMBEDDED_PORT").map(Integer::parseInt).orElse(0));
    }

    /** The embedded database: the application as fabtrail_app, migrations as fabtrail_owner. */
    static DatabaseSettings embedded(EmbeddedDatabase db) {
        return new DatabaseSettings("", Optional.of(db.jdbcUrl()), Optional.of(EmbeddedDatabase.APP),
                Optional.of(db.passwords().app()), Optional.of(EmbeddedDatabase.OWNER),
                Optional.of(db.passwords().owner()), db.port());
    }

    boolean external() {
        return url.isPresent();
    }

    /** The datasource settings for Quarkus (runtime configuration, read at start). */
    Map<String, String> quarkusProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.datasource.jdbc.url", url.orElseThrow());
        user.ifPresent(u -> p.put("quarkus.datasource.username", u));
        password.ifPresent(pw -> p.put("quarkus.datasource.password", pw));
        ownerUser.ifPresent(o -> {
            // Flyway takes both or neither; it then connects to the datasource's URL as this role
            p.put("quarkus.flyway.username", o);
            p.put("quarkus.flyway.password", ownerPassword.orElse(""));
        });
        return p;
    }

    /** Hands the connection to Quarkus's datasource and Flyway. */
    void applyToQuarkus() {
        quarkusProperties().forEach(System::setProperty);
    }

    static Optional<String> setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
