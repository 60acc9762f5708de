package org.fabtrail.witness;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteVerifier;

/**
 * {@code java -jar quarkus-run.jar witness [options]}: runs a witness (no database, no Quarkus): its own port, data
 * directory and Ed25519 key. Each option may also be given as an environment variable:
 *
 * <pre>
 * --name NAME          FABTRAIL_WITNESS_NAME      the witness's key name, e.g. witness.example.org/fabtrail (required)
 * --listen HOST:PORT   FABTRAIL_WITNESS_LISTEN    where to listen (default 0.0.0.0:8090; --port N sets the port)
 * --data-dir DIR       FABTRAIL_WITNESS_DATA_DIR  checkpoints held and evidence kept (default ./witness-data)
 * --key FILE           FABTRAIL_WITNESS_KEY       Ed25519 private key, PKCS#8 PEM (default DATA_DIR/witness-key.pem)
 * --generate-key       FABTRAIL_WITNESS_GENERATE_KEY=true   create the key file if it does not exist
 * --log "ORIGIN VKEY"  FABTRAIL_WITNESS_LOGS      a log to witness (repeat; VKEY alone: its name is the origin);
 *                                                 the variable holds lines or the path of a file of lines
 * --logs-file FILE                                one log per line, "ORIGIN VKEY" or "VKEY"; # starts a comment
 * --webhook URL        FABTRAIL_WITNESS_WEBHOOK   POST a JSON report of each misbehaviour there
 * --prefix /PATH       FABTRAIL_WITNESS_PREFIX    the submission prefix (default none: POST /add-checkpoint)
 * --request-timeout S  FABTRAIL_WITNESS_REQUEST_TIMEOUT  seconds a client has to send its request (default 10)
 * </pre>
 *
 * It prints its vkey at start (what log operators configure). Exit status: 2 on a configuration error.
 *
 * <p>The JDK's HTTP server reads a request's line and headers on the same few worker threads that answer, with no
 * time limit of its own, so {@link #run} sets {@value #MAX_REQ_TIME} (unless it is set already): a connection whose
 * request is not in within the request timeout is closed, and a slow client cannot hold the witness's threads.
 */
public final class WitnessCommand {

    static final String USAGE = "usage: witness --name <key name> [--listen host:port | --port n] [--data-dir dir] "
            + "[--key file] [--generate-key] --log \"<origin> <vkey>\" ... [--logs-file file] [--webhook url] "
            + "[--prefix /path] [--request-timeout seconds]";

    /** The JDK HTTP server's limit, in seconds, on receiving a whole request (read once, when it is first used). */
    static final String MAX_REQ_TIME = "sun.net.httpserver.maxReqTime";

    private WitnessCommand() {
    }

    /** Everything the witness runs with. */
    public record Config(String name, InetSocketAddress listen, Path dataDir, Path key, boolean generateKey,
                         List<Witness.Log> logs, Optional<URI> webhook, String prefix, Duration requestTimeout) {
    }

    /** Runs until the process is stopped; returns only on a configuration error (2) or a failure to start (1). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Config config;
        try {
            config = parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (System.getProperty(MAX_REQ_TIME) == null) {
            System.setProperty(MAX_REQ_TIME, Long.toString(config.requestTimeout().toSeconds()));
        }
        try {
            Running running = start(config, out, err);
            Runtime.getRuntime().addShutdownHook(new Thread(running::close));
            new CountDownLatch(1).await();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("The witness could not start: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** A started witness: its server and store. */
    public record Running(WitnessServer server, FileWitnessStore store, WitnessMetrics metrics) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            try {
                store.close();
            } catch (IOException ignored) {
                // the process is going away
            }
        }
    }

    /** Loads the key, opens the data directory and starts serving. */
    public static Running start(Config config, PrintStream out, PrintStream err) throws IOException {
        Cosigner cosigner = new Cosigner(config.name(), loadKey(config.key(), config.generateKey(), out));
        FileWitnessStore store = new FileWitnessStore(config.dataDir());
        try {
            WitnessMetrics metrics = new WitnessMetrics(new WitnessAlarms(config.name(), config.webhook(), err));
            Witness witness = new Witness(cosigner, config.logs(), store, () -> System.currentTimeMillis() / 1000,
                    metrics);
            WitnessServer server = WitnessServer.start(witness, metrics, new WitnessServer.Settings(config.listen(),
                    config.prefix(), WitnessServer.DEFAULT_MAX_BODY, 8, config.requestTimeout()));
            out.println("Fabtrail witness " + config.name() + " listening on " + config.listen().getHostString() + ":"
                    + server.port() + config.prefix() + "/add-checkpoint; data in " + config.dataDir().toAbsolutePath());
            out.println("witness vkey: " + cosigner.verifier().vkey());
            for (Witness.Log log : config.logs()) {
                out.println("witnessing " + log.origin() + " (" + log.keys().get(0).vkey() + "), latest cosigned size "
                        + witness.latest(log.origin()).map(n -> n.split("\n", 3)[1]).orElse("none"));
            }
            return new Running(server, store, metrics);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    static SigningKey loadKey(Path file, boolean generate, PrintStream out) throws IOException {
        if (!Files.exists(file)) {
            if (!generate) {
                throw new IllegalArgumentException("The witness key " + file + " does not exist. Make one with "
                        + "`openssl genpkey -algorithm ed25519 -out " + file + "`, or start once with --generate-key");
            }
            SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                return loadKey(file, false, out);
            }
            Files.writeString(file, key.toPkcs8Pem(), StandardCharsets.US_ASCII);
            out.println("Generated a new witness key in " + file);
            return key;
        }
        SigningKey key;
        try {
            key = SigningKey.fromPkcs8Pem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException("The witness key " + file + " is not a PKCS#8 PEM private key: "
                    + e.getMessage());
        }
        if (key.algorithm() != SignatureAlgorithm.ED25519) {
            throw new IllegalArgumentException("The witness key " + file + " must be Ed25519 (cosignature/v1)");
        }
        return key;
    }

    /** Reads the options, then the environment for what they did not set. */
    public static Config parse(String[] args, Map<String, String> env) {
        Map<String, String> opt = new LinkedHashMap<>();
        List<String> logLines = new ArrayList<>();
        boolean generate = options(args, opt, logLines)
                || "true".equalsIgnoreCase(env.getOrDefault("FABTRAIL_WITNESS_GENERATE_KEY", "false"));
        String name = value(opt, env, "name", "FABTRAIL_WITNESS_NAME", null);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("--name (FABTRAIL_WITNESS_NAME) is required: the witness's key name, "
                    + "e.g. witness.example.org/fabtrail");
        }
        String listen = value(opt, env, "listen", "FABTRAIL_WITNESS_LISTEN", "0.0.0.0:8090");
        InetSocketAddress address = address(listen, opt.get("port"));
        Path dataDir = Path.of(value(opt, env, "data-dir", "FABTRAIL_WITNESS_DATA_DIR", "./witness-data"));
        Path key = Path.of(value(opt, env, "key", "FABTRAIL_WITNESS_KEY", dataDir.resolve("witness-key.pem").toString()));
        if (logLines.isEmpty() && env.get("FABTRAIL_WITNESS_LOGS") != null) {
            String v = env.get("FABTRAIL_WITNESS_LOGS").trim();
            if (!v.contains("+") && Files.isRegularFile(Path.of(v))) {
                logLines.addAll(readLines(Path.of(v)));
            } else {
                logLines.addAll(List.of(v.split("[\n;]")));
            }
        }
        List<Witness.Log> logs = logs(logLines);
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("no log to witness: give --log \"<origin> <vkey>\" (FABTRAIL_WITNESS_LOGS)");
        }
        Optional<URI> webhook = Optional.ofNullable(value(opt, env, "webhook", "FABTRAIL_WITNESS_WEBHOOK", null))
                .filter(s -> !s.isBlank()).map(WitnessCommand::webhook);
        String prefix = value(opt, env, "prefix", "FABTRAIL_WITNESS_PREFIX", "");
        try {
            new Cosigner(name, SigningKey.ed25519FromSeed(new byte[32])); // checks the name only
        } catch (NoteFormatException e) {
            throw new IllegalArgumentException("--name: " + e.getMessage());
        }
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("--prefix must start with / and not end with /, e.g. /witness");
        }
        String timeout = value(opt, env, "request-timeout", "FABTRAIL_WITNESS_REQUEST_TIMEOUT", "10");
        if (!timeout.matches("[1-9][0-9]{0,4}")) {
            throw new IllegalArgumentException("--request-timeout is a number of seconds from 1 to 99999, not "
                    + timeout);
        }
        return new Config(name, address, dataDir, key, generate, logs, webhook, prefix,
                Duration.ofSeconds(Long.parseLong(timeout)));
    }

    /**
     * Reads the command line into {@code opt} (option name without dashes → value) and {@code logLines}
     * ({@code --log}, {@code --logs-file}); true when it asks for a new key ({@code --generate-key}).
     */
    private static boolean options(String[] args, Map<String, String> opt, List<String> logLines) {
        boolean generate = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--generate-key" -> generate = true;
                case "--name", "--listen", "--port", "--data-dir", "--key", "--webhook", "--prefix", "--log",
                        "--logs-file", "--request-timeout" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    if (a.equals("--log")) {
                        logLines.add(v);
                    } else if (a.equals("--logs-file")) {
                        logLines.addAll(readLines(Path.of(v)));
                    } else {
                        opt.put(a.substring(2), v);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return generate;
    }

    /** {@code ORIGIN VKEY} or {@code VKEY} per line; one log may be given several keys on several lines. */
    static List<Witness.Log> logs(List<String> lines) {
        Map<String, List<NoteVerifier>> byOrigin = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length > 2) {
                throw new IllegalArgumentException("a log is \"<origin> <vkey>\" or \"<vkey>\", not: " + line);
            }
            NoteVerifier v;
            try {
                v = NoteVerifier.parse(parts[parts.length - 1]);
            } catch (NoteFormatException e) {
                throw new IllegalArgumentException("not a log vkey (" + e.getMessage() + "): " + parts[parts.length - 1]);
            }
            if (v.isCosigner()) {
                throw new IllegalArgumentException("that is a witness's cosignature key, not a log's key: " + v.vkey());
            }
            String origin = parts.length == 2 ? parts[0] : v.name();
            byOrigin.computeIfAbsent(origin, o -> new ArrayList<>()).add(v);
        }
        List<Witness.Log> out = new ArrayList<>();
        byOrigin.forEach((origin, keys) -> out.add(new Witness.Log(origin, keys)));
        return out;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String value(Map<String, String> opt, Map<String, String> env, String option, String variable,
                                String fallback) {
        String v = opt.get(option);
        if (v == null) {
            v = env.get(variable);
        }
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    static InetSocketAddress address(String listen, String port) {
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? listen : listen.substring(0, colon);
        String p = port != null ? port : colon < 0 ? "8090" : listen.substring(colon + 1);
        int n;
        try {
            n = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + p);
        }
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("not a port: " + p);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, n);
    }

    private static URI webhook(String s) {
        try {
            URI u = URI.create(s);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                throw new IllegalArgumentException("--webhook must be an http or https URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--webhook is not a URL: " + s);
        }
    }
}
