package org.fabtrail.server;

import org.fabtrail.custody.KeyReplay;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LogVerifier;
import org.fabtrail.ledger.checkpoint.NoteVerifier;

import java.nio.file.Files;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;

/**
 * {@code java -jar quarkus-run.jar verify}: re-reads the whole log straight from the database and checks it
 * (see {@link LogVerifier}). Uses {@code FABTRAIL_DB_URL} when set; otherwise the embedded database in
 * {@code FABTRAIL_DATA_DIR}, attaching to a running Fabtrail's server or starting it for the check. With
 * {@code --vkey}, every checkpoint must also be signed by that log key under its origin.
 *
 * <p>Exit status: 0 when the log verifies, 1 when it does not (the first bad index is printed), 2 when the
 * check could not run.
 */
public final class VerifyCommand {

    private VerifyCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<NoteVerifier> trusted = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if ("--vkey".equals(args[i]) && i + 1 < args.length) {
                String v = args[++i];
                try {
                    if (!v.contains("+") && Files.isRegularFile(Path.of(v))) {
                        v = Files.readString(Path.of(v)).trim();
                    }
                    trusted = Optional.of(NoteVerifier.parse(v));
                } catch (Exception e) {
                    err.println("--vkey is not a log key (origin+hash+key, or a file holding one): " + e.getMessage());
                    return 2;
                }
            } else {
                err.println("usage: verify [--vkey <vkey or file>]");
                return 2;
            }
        }
        Optional<NoteVerifier> pinned = trusted;
        return OfflineDatabase.run(err, (url, user, password) -> verify(url, user, password, pinned, out));
    }

    static int verify(String url, String user, String password, Optional<NoteVerifier> trusted, PrintStream out)
            throws Exception {
        try (Connection c = OfflineDatabase.connect(url, user, password)) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            // One snapshot for the whole walk, so concurrent appends do not disturb the check.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            LogVerifier verifier = new LogVerifier(new EnvelopeParser(Integer.MAX_VALUE), KeyReplay::new,
                    Runtime.getRuntime().availableProcessors(), trusted);
            long started = System.nanoTime();
            long[] lastReport = {started};
            LogVerifier.Result result = verifier.verify(c, n -> {
                long now = System.nanoTime();
                if (now - lastReport[0] > 5_000_000_000L) {
                    out.printf("... %d entries verified%n", n);
                    lastReport[0] = now;
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            c.rollback();
            out.println(result.describe());
            if (result.ok()) {
                out.printf("verified in %.1f s (%.0f entries/s)%n", seconds, result.entries() / Math.max(seconds, 1e-9));
            }
            return result.ok() ? 0 : 1;
        }
    }
}
