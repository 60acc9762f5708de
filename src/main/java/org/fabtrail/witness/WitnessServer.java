package org.fabtrail.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * Request bodies larger than {@link Settings#maxBodyBytes} are refused with 413 before they are read to the end; a
 * body not received within {@link Settings#bodyTimeout} closes its connection, so a slow client holds a worker thread
 * that long at most. (The request line and headers are read by the JDK's server on the same workers: the
 * {@code witness} command bounds them with {@code sun.net.httpserver.maxReqTime}, see {@link WitnessCommand}.)
 * The submission and monitoring prefixes of the spec are the same here.
 */
public final class WitnessServer implements AutoCloseable {

    /**
     * @param listen       address and port (port 0 picks a free one)
     * @param prefix       the submission prefix, {@code ""} or a path starting with {@code /} without a final one
     * @param maxBodyBytes the largest add-checkpoint body accepted
     * @param threads      worker threads
     * @param bodyTimeout  how long a client may take to send an add-checkpoint body; then its connection is closed
     */
    public record Settings(InetSocketAddress listen, String prefix, int maxBodyBytes, int threads,
                           Duration bodyTimeout) {
        public Settings {
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
            if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
                throw new IllegalArgumentException("the prefix must be empty or start with / and not end with /");
            }
            if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
                throw new IllegalArgumentException("the body timeout must be positive");
            }
        }

        /** Loopback, a free port, no prefix: for tests. */
        public static Settings loopback() {
            return new Settings(new InetSocketAddress("127.0.0.1", 0), "", DEFAULT_MAX_BODY, 4, DEFAULT_BODY_TIMEOUT);
        }
    }

    /** How long a client may take to send its request body, by default. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

    /** Up to 63 proof lines and a note of {@link Note#MAX_NOTE_BYTES}. */
    public static final int DEFAULT_MAX_BODY = Note.MAX_NOTE_BYTES + 64 * 46 + 32;

    private final Witness witness;
    private final WitnessMetrics metrics;
    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService pool;
    private final ScheduledExecutorService deadlines;

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
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabtrail-witness-deadlines");
            t.setDaemon(true);
            return t;
        });
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
            byte[] body;
            // Everything but the witness's own work runs within the client's deadline, the closing of the request
            // body included (the JDK's server drains what a client still sends before it reuses the connection).
            try (Deadline d = new Deadline()) {
                body = route(ex);
                if (body == null) {
                    ex.getRequestBody().close();
                }
            }
            if (body != null) {
                send(ex, witness.addCheckpoint(body));
            }
        } catch (IOException e) {
            // the client went away, or was too slow; nothing to answer
        }
    }

    /** Answers the request, except an add-checkpoint whose body it returns (null when it answered). */
    private byte[] route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals(settings.prefix() + "/add-checkpoint")) {
            if (!method.equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                send(ex, WitnessAnswer.text(405, "add-checkpoint takes POST"));
                return null;
            }
            byte[] body = readBody(ex);
            if (body == null) {
                send(ex, WitnessAnswer.text(413, "the request body is larger than " + settings.maxBodyBytes()
                        + " bytes"));
            }
            return body;
        } else if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
            send(ex, new WitnessAnswer(200, WitnessAnswer.TEXT, info().getBytes(StandardCharsets.UTF_8)));
        } else if (path.equals("/metrics") && (method.equals("GET") || method.equals("HEAD"))) {
            send(ex, new WitnessAnswer(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.prometheus().getBytes(StandardCharsets.UTF_8)));
        } else {
            send(ex, WitnessAnswer.text(404, "not found; the witness serves POST " + settings.prefix()
                    + "/add-checkpoint"));
        }
        return null;
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

    /**
     * The time a client has to send its request body: when it passes, the thread that reads it is interrupted, which closes
     * the connection's channel (the JDK's server reads it through an interruptible channel), so a slow client loses
     * its connection and the thread goes back to the pool. The interrupt is delivered under a lock and only while
     * the deadline is open, so it can never reach the thread later, in other work (where it would, for one, close the
     * store's file channel). {@link #close} ends it; it throws when the deadline cut the connection.
     */
    private final class Deadline implements AutoCloseable {
        private final Thread reader = Thread.currentThread();
        private final ScheduledFuture<?> task;
        private boolean open = true;
        private boolean cut;

        Deadline() {
            task = deadlines.schedule(this::cut, settings.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void cut() {
            if (open) {
                cut = true;
                reader.interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            boolean wasCut;
            synchronized (this) {
                open = false;
                wasCut = cut;
            }
            task.cancel(false);
            if (wasCut) {
                Thread.interrupted(); // cleared: the pool thread goes on with other requests
                throw new IOException("the request body did not arrive within " + settings.bodyTimeout());
            }
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
        deadlines.shutdownNow();
    }
}
