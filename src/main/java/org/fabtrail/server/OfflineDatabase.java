package org.fabtrail.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.Properties;

/**
 * The database for commands that run without the server (verify, rebuild): {@code FABTRAIL_DB_URL} when set (as
 * {@code FABTRAIL_DB_OWNER_USER} if given, else {@code FABTRAIL_DB_USER}), otherwise the embedded database in
 * {@code FABTRAIL_DATA_DIR} as its schema owner — attaching to a running Fabtrail's server, or starting it for the
 * duration of the command.
 */
final class OfflineDatabase {

    interface Work {
        int run(String url, String user, String password) throws Exception;
    }

    private OfflineDatabase() {
    }

    /** Runs the work; exit status 2 when the database cannot be reached. */
    static int run(PrintStream err, Work work) {
        DatabaseSettings db = DatabaseSettings.fromEnvironment();
        EmbeddedDatabase started = null;
        try {
            if (db.external()) {
                if (db.ownerUser().isPresent()) { // rebuild must truncate the projections: the owner can
                    return work.run(db.url().get(), db.ownerUser().get(), db.ownerPassword().orElse(null));
                }
                return work.run(db.url().get(), db.user().orElse(null), db.password().orElse(null));
            }
            Path dataDir = Path.of(db.dataDir());
            if (!dataDir.resolve("postgres").toFile().isDirectory()) {
                err.println("No log found: " + dataDir.toAbsolutePath() + " holds no embedded database. "
                        + "Set FABTRAIL_DATA_DIR or FABTRAIL_DB_URL.");
                return 2;
            }
            Optional<String> running = EmbeddedDatabase.attach(dataDir);
            String url;
            if (running.isPresent()) {
                url = running.get();
            } else {
                started = EmbeddedDatabase.start(dataDir, 0);
                url = started.jdbcUrl();
            }
            // the schema owner: verify only reads, rebuild truncates and refills the projections
            DatabasePasswords passwords = DatabasePasswords.load(dataDir.resolve(DatabasePasswords.FILE));
            return work.run(url, EmbeddedDatabase.OWNER, passwords.owner());
        } catch (Exception e) {
            err.println("the command could not run: " + e.getMessage());
            return 2;
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    static Connection connect(String url, String user, String password) throws java.sql.SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }
}
