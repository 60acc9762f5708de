package org.fabtrail.witness;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;

/**
 * {@code java -jar quarkus-run.jar monitor <log URL> --vkey <log vkey or file> [--witness <vkey>]...
 * [--witnesses-required <k>] [--state <file>] [--interval <seconds>] [--once]}: follows a log (see {@link Monitor})
 * and exits 1 at the first inconsistency, printing both checkpoints. {@code <log URL>} is the server
 * ({@code https://fabtrail.example.org}, to which {@code /api/v1/log} is added) or the log's prefix itself.
 * A log that cannot be reached is retried at the next interval. Exit status: 1 on an inconsistency, 2 on a usage
 * error, 0 after {@code --once} found nothing wrong.
 */
public final class MonitorCommand {

    static final String USAGE = "usage: monitor <log URL> --vkey <log vkey or file> [--origin <origin>] "
            + "[--witness <witness vkey or file>]... [--witnesses-required <k>] [--state <file>] "
            + "[--interval <seconds>] [--once]";

    private MonitorCommand() {
    }

    /** The command line, parsed. */
    private record Options(String url, NoteVerifier logKey, String origin, List<NoteVerifier> witnesses,
                           Integer required, Optional<Path> state, long interval, boolean once) {

        /** @throws IllegalArgumentException a usage error */
        static Options parse(String[] args) {
            String url = null;
            NoteVerifier logKey = null;
            String origin = null;
            List<NoteVerifier> witnesses = new ArrayList<>();
            Integer required = null;
            Optional<Path> state = Optional.empty();
            long interval = 10;
            boolean once = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--once")) {
                    once = true;
                    continue;
                }
                if (!a.startsWith("--")) {
                    if (url != null) {
                        throw new IllegalArgumentException("one log URL only");
                    }
                    url = a;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--vkey" -> logKey = vkey(v, "--vkey");
                    case "--origin" -> origin = v;
                    case "--witness" -> witnesses.add(vkey(v, "--witness"));
                    case "--witnesses-required" -> required = Integer.parseInt(v);
                    case "--state" -> state = Optional.of(Path.of(v));
                    case "--interval" -> interval = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Options(url, logKey, origin, witnesses, required, state, interval, once).checked();
        }

        private Options checked() {
            if (url == null || logKey == null) {
                throw new IllegalArgumentException("the log URL and --vkey are required");
            }
            if (logKey.isCosigner()) {
                throw new IllegalArgumentException("--vkey is a witness's cosignature key; give the log's key");
            }
            if (interval < 1) {
                throw new IllegalArgumentException("--interval is at least 1 second");
            }
            return this;
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        WitnessPolicy policy;
        try {
            policy = WitnessPolicy.of(o.witnesses(), o.required());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        String base = o.url().endsWith("/") ? o.url().substring(0, o.url().length() - 1) : o.url();
        URI log = URI.create(base.endsWith("/api/v1/log") ? base : base + "/api/v1/log");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Monitor monitor;
        try {
            monitor = new Monitor(log, o.logKey(), o.origin() == null ? o.logKey().name() : o.origin(), policy,
                    o.state(), http);
        } catch (IOException e) {
            err.println("monitor: " + e.getMessage());
            return 2;
        }
        out.println(Instant.now() + " monitoring " + log + " (log key " + o.logKey().vkey() + "; witness policy "
                + policy.required() + " of " + policy.witnesses().size() + ")"
                + (monitor.size() > 0 ? "; continuing from tree size " + monitor.size() : ""));
        return watch(monitor, policy, o, out, err);
    }

    /** Polls until an inconsistency (1), an interruption (0) or, with {@code --once}, the first poll (0, or 2). */
    private static int watch(Monitor monitor, WitnessPolicy policy, Options o, PrintStream out, PrintStream err) {
        while (true) {
            try {
                Monitor.Verified v = monitor.poll();
                if (v.checkpoint().size() != v.previousSize() || o.once()) {
                    out.println(Instant.now() + " OK tree size " + v.checkpoint().size() + " root "
                            + HexFormat.of().formatHex(v.checkpoint().rootHash())
                            + (v.previousSize() > 0 ? ", consistent with tree size " + v.previousSize() : "")
                            + ", rebuilt from " + v.tilesFetched() + " tiles"
                            + (policy.witnessed() ? "; cosigned by " + String.join(", ", v.cosigners()) : ""));
                }
            } catch (Monitor.Inconsistency e) {
                out.println(Instant.now() + " ALERT " + e.getMessage());
                out.print(e.evidence());
                return 1;
            } catch (IOException e) {
                err.println(Instant.now() + " WARN the log could not be read (" + e.getMessage() + "); retrying");
                if (o.once()) {
                    return 2;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (o.once()) {
                return 0;
            }
            try {
                Thread.sleep(o.interval() * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    static NoteVerifier vkey(String v, String option) {
        try {
            if (!v.contains("+") && Files.isRegularFile(Path.of(v))) {
                v = Files.readString(Path.of(v)).trim();
            }
            return NoteVerifier.parse(v);
        } catch (IOException | NoteFormatException e) {
            throw new IllegalArgumentException(option + " is not a vkey (name+hash+key, or a file holding one): "
                    + e.getMessage());
        }
    }
}
