package org.fabtrail.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.fabtrail.attestation.DeviceCommand;
import org.fabtrail.witness.MonitorCommand;
import org.fabtrail.witness.WitnessCommand;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point of {@code java -jar quarkus-run.jar [command]}.
 *
 * <ul>
 *   <li>no command, or {@code serve}: start the server. With no external database configured
 *       ({@code FABTRAIL_DB_URL}), start the embedded PostgreSQL in the data directory first, and supervise it
 *       (restart it if it dies) while the server runs.</li>
 *   <li>{@code verify}: check the whole log offline and exit non-zero at the first bad index
 *       (see {@link VerifyCommand}).</li>
 *   <li>{@code rebuild}: replay the log into fresh projections (see {@link RebuildCommand}).</li>
 *   <li>{@code migrate}: apply pending schema migrations as the schema owner and exit (see {@link MigrateCommand}).</li>
 *   <li>{@code witness}: run a transparency log witness (no database; see {@link WitnessCommand}).</li>
 *   <li>{@code monitor}: follow a log's checkpoints and tiles, and exit non-zero at the first inconsistency
 *       (see {@link MonitorCommand}).</li>
 *   <li>{@code device}: a device simulator that answers attestation challenges, and makes test device CAs and
 *       certificates (see {@link DeviceCommand}).</li>
 * </ul>
 */
@QuarkusMain
public class FabtrailMain implements QuarkusApplication {

    /** The system property that turns Quarkus's own request-target check off (read once, as Quarkus starts). */
    public static final String URI_VALIDATION = "vertx.disableURIValidation";

    public static void main(String... args) throws Exception {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "verify" -> System.exit(VerifyCommand.run(rest, System.out, System.err));
            case "rebuild" -> System.exit(RebuildCommand.run(rest, System.out, System.err));
            case "migrate" -> System.exit(MigrateCommand.run(rest, System.out, System.err));
            case "device" -> System.exit(DeviceCommand.run(rest, System.out, System.err));
            case "witness" -> System.exit(WitnessCommand.run(rest, System.getenv(), System.out, System.err));
            case "monitor" -> System.exit(MonitorCommand.run(rest, System.out, System.err));
            case "serve" -> serve(rest);
            case "help", "--help", "-h" -> {
                System.out.println("usage: java -jar quarkus-run.jar [serve | verify [--vkey <vkey>] [--checkpoint <file>] "
                        + "[--witness <vkey> ... --witnesses-required <k>] | rebuild [--check] | migrate "
                        + "| witness ... | monitor <log URL> --vkey <vkey> ... | device ... | help]");
                System.exit(0);
            }
            default -> {
                System.err.println("Unknown command \"" + command + "\"; commands: serve, verify, rebuild, migrate, witness, monitor, "
                        + "device, help");
                System.exit(2);
            }
        }
    }

    private static void serve(String[] args) throws Exception {
        // Quarkus refuses a request target that is not a valid URI with an empty 400 before any route runs; with
        // its check off, org.fabtrail.api.HttpLayer makes the same check and answers with a problem body.
        if (System.getProperty(URI_VALIDATION) == null) {
            System.setProperty(URI_VALIDATION, "true");
        }
        DatabaseSettings db = DatabaseSettings.fromEnvironment();
        EmbeddedDatabase embedded = null;
        if (db.external()) {
            db.applyToQuarkus();
        } else {
            embedded = EmbeddedDatabase.start(Path.of(db.dataDir()), db.embeddedPort()).supervise();
            DatabaseSettings.embedded(embedded).applyToQuarkus();
        }
        try {
            Quarkus.run(FabtrailMain.class, args);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
