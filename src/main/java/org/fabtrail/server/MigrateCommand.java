package org.fabtrail.server;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.PrintStream;

/**
 * {@code java -jar quarkus-run.jar migrate}: applies the pending schema migrations (the files of {@code db/migration}
 * packaged in the jar) and exits, without starting the server. It connects like the other offline commands
 * ({@link OfflineDatabase}): as {@code FABTRAIL_DB_OWNER_USER} (else {@code FABTRAIL_DB_USER}) on
 * {@code FABTRAIL_DB_URL}, or as the embedded database's owner. This is the step a deployment runs once per rollout,
 * as the schema owner, before servers that run as the runtime role with {@code QUARKUS_FLYWAY_MIGRATE_AT_START=false}
 * (ADR 0008). Flyway holds a PostgreSQL advisory lock while it migrates, so several at once apply each migration once.
 *
 * <p>Exit status: 0 migrated (or nothing to do); 2 could not run.
 */
public final class MigrateCommand {

    static final String LOCATION = "classpath:db/migration";

    private MigrateCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("usage: migrate");
            return 2;
        }
        return OfflineDatabase.run(err, (url, user, password) -> {
            Flyway flyway = Flyway.configure(MigrateCommand.class.getClassLoader())
                    .dataSource(url, user, password)
                    .locations(LOCATION)
                    .load();
            if (flyway.info().all().length == 0) {
                err.println("No migrations found at " + LOCATION + "; nothing was changed");
                return 2;
            }
            MigrateResult result = flyway.migrate();
            out.printf("Schema at version %s: %d migration(s) applied%n", flyway.info().current() == null ? "none"
                    : flyway.info().current().getVersion(), result.migrationsExecuted);
            return 0;
        });
    }
}
