package org.fabtrail.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.fabtrail.ledger.checkpoint.Note;

/**
 * The witness's HTTP face, on the JDK's own server ({@code com.sun.net.httpserver}; docs/adr/0013-witnesses.md):
 * <ul>
 *   <li>{@code POST <prefix>/add-checkpoint}: c2sp.org/tlog-witness (see {@link Witness});</li>
 *   <li>{@code GET /}: the witness's name, vkey and the logs it witnesses with the size it holds of each;</li>
 *   <li>{@code GET /metrics}: counters in the Prometheus text format.</li>
 * </ul>
 * Request bodies larger than {@link Settings#maxBodyBytes} are refused with 413 before they are read to the end.
 * The submission and monitoring prefixes of the spec are the same here.
 */
public final class WitnessServer implements AutoCloseable {

    /**
     * @param listen       address and port (port 0 picks a free one)
     * @param prefix       the submission prefix, {@code ""} or a path starting with {@code /} without a final one
     * @param maxBodyBytes the largest add-checkpoint body accepted
     * @param threads      worker threads
     */
    public record Settings(InetSocketAddress listen, String prefix, int maxBodyBytes, int threads) {
        public Settings {
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
                throw new IllegalArgumentException("the prefix must be empty or start with / and not end with /");
            }
        }

        /** Loopback, a free port, no prefix: for tests. */
        public static Settings loopback() {
            return new Settings(new InetSocketAddress("127.0.0.1", 0), "", DEFAULT_MAX_BODY, 4);
        }
    }

    /** Up to 63 proof lines and a note of {@link Note#MAX_NOTE_BYTES}. */
    public static final int DEFAULT_MAX_BODY = Note.MAX_NOTE_BYTES + 64 * 46 + 32;

    private final Witness witness;
    private final WitnessMetrics metrics;
    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService pool;

    private WitnessServer(Witness witness, WitnessMetrics metrics, Settings settings) throws IOException {
        this.witness = witness;
        this.metrics = metrics;
        this.settings = settings;
        this.server = HttpServer.create(settings.listen(), 64);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "fabtrail-witness-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving.
     *
     * @param witness  the witness
     * @param metrics  its counters (also the observer the witness was built with)
     * @param settings where and how
     * @return the running server
     */
    public static WitnessServer start(Witness witness, WitnessMetrics metrics, Settings settings) throws IOException {
        WitnessServer s = new WitnessServer(witness, metrics, settings);
        s.server.start();
        return s;
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the submission URL prefix for clients on this machine, e.g. {@code http://127.0.0.1:8090} */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + settings.prefix();
    }

    /** @return the witness served */
    public Witness witness() {
        return witness;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals(settings.prefix() + "/add-checkpoint")) {
                if (!method.equals("POST")) {
                    ex.getResponseHeaders().set("Allow", "POST");
                    send(ex, WitnessAnswer.text(405, "add-checkpoint takes POST"));
                    return;
                }
                byte[] body = readBody(ex);
                send(ex, body == null ? WitnessAnswer.text(413, "the request body is larger than "
                        + settings.maxBodyBytes() + " bytes") : witness.addCheckpoint(body));
            } else if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
                send(ex, new WitnessAnswer(200, WitnessAnswer.TEXT, info().getBytes(StandardCharsets.UTF_8)));
            } else if (path.equals("/metrics") && (method.equals("GET") || method.equals("HEAD"))) {
                send(ex, new WitnessAnswer(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.prometheus().getBytes(StandardCharsets.UTF_8)));
            } else {
                send(ex, WitnessAnswer.text(404, "not found; the witness serves POST " + settings.prefix()
                        + "/add-checkpoint"));
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    /** The body, or null when it is larger than the limit. */
    private byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > settings.maxBodyBytes()) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(settings.maxBodyBytes() + 1);
            return body.length > settings.maxBodyBytes() ? null : body;
        }
    }

    private String info() {
        StringBuilder sb = new StringBuilder();
        sb.append("Fabtrail witness (c2sp.org/tlog-witness@v1.0.0)\n");
        sb.append("name: ").append(witness.cosigner().name()).append('\n');
        sb.append("vkey: ").append(witness.cosigner().verifier().vkey()).append('\n');
        sb.append("submission: POST ").append(settings.prefix()).append("/add-checkpoint\n");
        for (Witness.Log log : witness.logs()) {
            String size = witness.latest(log.origin()).map(n -> n.split("\n", 3)[1]).orElse("none yet");
            sb.append("log: ").append(log.origin()).append(" (latest cosigned tree size: ").append(size).append(")\n");
        }
        return sb.toString();
    }

    private static void send(HttpExchange ex, WitnessAnswer answer) throws IOException {
        ex.getResponseHeaders().set("Content-Type", answer.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(answer.status(), head ? -1 : answer.body().length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    /** Stops accepting requests and stops the workers (an answer is sent only after its checkpoint was saved, so nothing is lost). */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
