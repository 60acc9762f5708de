package org.fabtrail.server;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.KeyReplay;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LogVerifier;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.Optional;

/**
 * {@code java -jar quarkus-run.jar verify}: re-reads the whole log straight from the database and checks it
 * (see {@link LogVerifier}). Uses {@code FABTRAIL_DB_URL} when set; otherwise the embedded database in
 * {@code FABTRAIL_DATA_DIR}, attaching to a running Fabtrail's server or starting it for the check. With
 * {@code --vkey}, every checkpoint must also be signed by that log key under its origin. With {@code --checkpoint},
 * the log must extend a checkpoint held outside the database (a partner's receipt, or an instance's
 * {@code <data dir>/latest-checkpoint}): signed by an operator key of the log (and by the {@code --vkey} key), no
 * larger than the log, and with the log's root at its size; a log rolled back or forked behind it fails.
 *
 * <p>With {@code --witness <vkey>} (repeated) and {@code --witnesses-required <k>} (default: all of them), the
 * witnesses' stored cosignatures must verify and the {@code --checkpoint} (or the log's newest checkpoint that meets
 * the policy) must carry at least k of their cosignatures; which witnesses cosigned is printed.
 *
 * <p>Exit status: 0 when the log verifies, 1 when it does not (the first bad index is printed), 2 when the
 * check could not run.
 */
public final class VerifyCommand {

    private VerifyCommand() {
    }

    static final String USAGE = "usage: verify [--vkey <vkey or file>] [--checkpoint <file>] "
            + "[--witness <witness vkey or file>]... [--witnesses-required <k>]";

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<NoteVerifier> trusted = Optional.empty();
        Optional<String> checkpoint = Optional.empty();
        java.util.List<NoteVerifier> witnesses = new java.util.ArrayList<>();
        Integer required = null;
        for (int i = 0; i < args.length; i++) {
            if ("--vkey".equals(args[i]) && i + 1 < args.length) {
                try {
                    trusted = Optional.of(key(args[++i]));
                } catch (Exception e) {
                    err.println("--vkey is not a log key (origin+hash+key, or a file holding one): " + e.getMessage());
                    return 2;
                }
            } else if ("--checkpoint".equals(args[i]) && i + 1 < args.length) {
                String file = args[++i];
                try {
                    checkpoint = Optional.of(readCheckpoint(Path.of(file)));
                } catch (Exception e) {
                    err.println("--checkpoint " + file + " is not a signed checkpoint (the note text, or a receipt "
                            + "holding it): " + e.getMessage());
                    return 2;
                }
            } else if ("--witness".equals(args[i]) && i + 1 < args.length) {
                try {
                    witnesses.add(key(args[++i]));
                } catch (Exception e) {
                    err.println("--witness is not a witness key (name+hash+key, or a file holding one): "
                            + e.getMessage());
                    return 2;
                }
            } else if ("--witnesses-required".equals(args[i]) && i + 1 < args.length) {
                try {
                    required = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    err.println("--witnesses-required is a number");
                    return 2;
                }
            } else {
                err.println(USAGE);
                return 2;
            }
        }
        WitnessPolicy policy;
        try {
            policy = WitnessPolicy.of(witnesses, required);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (trusted.isPresent() && trusted.get().isCosigner()) {
            err.println("--vkey is a witness's cosignature key; give the log's key (and the witness's with --witness)");
            return 2;
        }
        Optional<NoteVerifier> pinned = trusted;
        Optional<String> held = checkpoint;
        return OfflineDatabase.run(err, (url, user, password) -> verify(url, user, password, pinned, held, policy, out));
    }

    /** A key as given on the command line: the key itself ({@code name+hash+key}) or a file holding it. */
    private static NoteVerifier key(String arg) throws IOException {
        String v = arg;
        if (!v.contains("+") && Files.isRegularFile(Path.of(v))) {
            v = Files.readString(Path.of(v)).trim();
        }
        return NoteVerifier.parse(v);
    }

    /**
     * A trusted checkpoint from a file: the signed note text (as {@code latest-checkpoint} holds it, or as saved
     * from a receipt), or a write's answer, a JSON object whose {@code checkpoint} member holds it. Windows line
     * ends and a missing final newline are forgiven (a note has neither).
     */
    static String readCheckpoint(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.stripLeading().startsWith("{")) {
            Object json = StrictJson.parse(text.strip());
            if (!(json instanceof Map<?, ?> m) || !(m.get("checkpoint") instanceof String cp)) {
                throw new IllegalArgumentException("a JSON file must be a receipt with a \"checkpoint\" member");
            }
            text = cp;
        }
        text = text.replace("\r\n", "\n");
        if (!text.endsWith("\n")) {
            text = text + "\n";
        }
        CheckpointFile.sizeOf(text); // parses it: a malformed file is a usage error (exit 2), not a failed log
        return text;
    }

    static int verify(String url, String user, String password, Optional<NoteVerifier> trusted,
                      Optional<String> checkpoint, PrintStream out) throws Exception {
        return verify(url, user, password, trusted, checkpoint, WitnessPolicy.NONE, out);
    }

    /**
     * @param witnesses a witness policy: with witnesses, every stored cosignature of theirs must verify, and the
     *                  trusted checkpoint (or the log's newest) must carry the required number; which witnesses
     *                  cosigned is printed
     */
    public static int verify(String url, String user, String password, Optional<NoteVerifier> trusted,
                             Optional<String> checkpoint, WitnessPolicy witnesses, PrintStream out) throws Exception {
        try (Connection c = OfflineDatabase.connect(url, user, password)) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            // One snapshot for the whole walk, so concurrent appends do not disturb the check.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            LogVerifier verifier = new LogVerifier(new EnvelopeParser(Integer.MAX_VALUE), KeyReplay::new,
                    Runtime.getRuntime().availableProcessors(), trusted, checkpoint, LogVerifier.DEFAULT_CHUNK);
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
            LogVerifier.WitnessResult witnessed = result.ok() && witnesses.witnessed()
                    ? verifier.verifyWitnesses(c, witnesses) : null;
            c.rollback();
            out.println(result.describe());
            if (witnessed != null) {
                out.println(witnessed.describe());
                if (!witnessed.ok()) {
                    return 1;
                }
            }
            if (result.ok() && checkpoint.isPresent()) {
                out.println("the log extends the trusted checkpoint of tree size " + CheckpointFile.sizeOf(checkpoint.get()));
            }
            if (result.ok()) {
                out.printf("verified in %.1f s (%.0f entries/s)%n", seconds, result.entries() / Math.max(seconds, 1e-9));
            }
            return result.ok() ? 0 : 1;
        }
    }
}
