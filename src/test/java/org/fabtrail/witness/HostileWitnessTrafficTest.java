package org.fabtrail.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile traffic on both sides of the witness protocol, and at the monitor. Slow clients cannot take the witness's
 * threads from the log (a body trickled, a body left unsent after a refusal, a request whose headers never end), a
 * hostile witness cannot hang or flood the log's client, and a hostile log cannot hang or flood the monitor (an answer
 * that never ends, or never stops). Each case was a thread held for as long as the other side liked before.
 */
class HostileWitnessTrafficTest {

    static final String ORIGIN = "example.org/log";
    static final Duration WAIT = Duration.ofSeconds(20); // a bound on "answered at all", far above the deadlines

    @TempDir
    Path dir;
    final List<AutoCloseable> closing = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    final MemoryLog log = new MemoryLog(ORIGIN, SigningKey.ed25519FromSeed(WitnessTest.seed(1)), 1).grow(30);

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A raw connection that sends {@code head} and then nothing; the test keeps it open. */
    Socket stalled(int port, String head) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        closing.add(s);
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads what the server sends until it closes the connection (or WAIT passes, which fails). */
    static String readUntilClosed(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        try (InputStream in = s.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the witness kept a slow client's connection open for " + WAIT.toSeconds() + " s");
        } catch (IOException e) {
            return ""; // reset: closed as well
        }
    }

    HttpResponse<String> addCheckpoint(int port, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/add-checkpoint")).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void slowBodiesCannotTakeTheWitnessesThreads() throws Exception {
        Witness witness = new Witness(new Cosigner("witness.example.org/w1",
                SigningKey.ed25519FromSeed(WitnessTest.seed(2))), List.of(new Witness.Log(ORIGIN, List.of(log.vkey()))),
                new FileWitnessStore(dir), () -> 1_700_000_000L, Witness.Observer.NONE);
        WitnessServer server = WitnessServer.start(witness, new WitnessMetrics(Witness.Observer.NONE),
                new WitnessServer.Settings(new InetSocketAddress("127.0.0.1", 0), "", WitnessServer.DEFAULT_MAX_BODY,
                        2, Duration.ofSeconds(1)));
        closing.add(0, server);
        int port = server.port();
        // Both worker threads get a slow client: one trickles an add-checkpoint body, the other was refused (404)
        // but announced a body it never sends, which the JDK's server waits for before it closes the exchange.
        Socket trickle = stalled(port, "POST /add-checkpoint HTTP/1.1\r\nHost: w\r\nContent-Length: 600\r\n\r\nold 0\n");
        Socket refused = stalled(port, "POST /elsewhere HTTP/1.1\r\nHost: w\r\nContent-Length: 600\r\n\r\nx");
        Thread.sleep(200); // the workers have taken them

        HttpResponse<String> ok = addCheckpoint(port, log.request(0, 10));
        assertEquals(200, ok.statusCode(), "the log is answered once the slow clients' time is up");
        assertEquals("", readUntilClosed(trickle), "the trickling client is cut off without an answer");
        assertTrue(readUntilClosed(refused).startsWith("HTTP/1.1 404 "), "the refused client got its 404, then was cut");
    }

    /**
     * The packaged command, in a JVM of its own: the JDK's server reads request heads on the witness's 8 worker
     * threads with no limit of its own, so 8 connections whose headers never end took the witness from everyone.
     */
    @Test
    void theWitnessCommandClosesRequestsWhoseHeadersNeverEnd() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.fabtrail.server.FabtrailMain", "witness",
                "--name", "witness.example.org/w1", "--listen", "127.0.0.1:0", "--data-dir", dir.toString(),
                "--generate-key", "--log", ORIGIN + " " + log.vkey().vkey(), "--request-timeout", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        closing.add(0, () -> {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        });
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)/add-checkpoint");
        CompletableFuture<Integer> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) { // read to the end, so the child never blocks
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        found.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            found.complete(-1);
        });
        reader.setDaemon(true);
        reader.start();
        int port = found.get(60, TimeUnit.SECONDS);
        assertTrue(port > 0, "the witness did not start: " + seen);

        List<Socket> heads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            heads.add(stalled(port, "POST /add-checkpoint HTTP/1.1\r\nHost: w\r\n"));
        }
        Thread.sleep(200); // the workers have taken them
        // The JDK's limit counts from a request's first byte, time in the queue included, so the log's request may
        // be closed too while it waits behind the slow heads; the log asks again, as its collector does.
        HttpResponse<String> ok = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ok == null) {
            try {
                ok = addCheckpoint(port, log.request(0, 10));
            } catch (IOException e) {
                assertTrue(System.nanoTime() < deadline, "the witness never answered: " + e);
                Thread.sleep(100);
            }
        }
        assertEquals(200, ok.statusCode(), "the log is answered once the slow heads' time is up");
        String printed;
        synchronized (seen) {
            printed = seen.toString();
        }
        assertTrue(NoteVerifier.parse(printed.lines().filter(l -> l.startsWith("witness vkey: "))
                .findFirst().orElseThrow().substring("witness vkey: ".length())).isCosigner());
        for (Socket s : heads) {
            assertEquals("", readUntilClosed(s), "a head that never ends is closed without an answer");
        }
    }

    /** A fake witness on a raw socket: reads the request, then answers {@code answer} (and keeps the socket open). */
    int hostileWitness(String answer, boolean endless) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        closing.add(ss);
        Thread t = new Thread(() -> {
            try {
                while (!ss.isClosed()) {
                    Socket s = ss.accept();
                    closing.add(s);
                    InputStream in = s.getInputStream();
                    // the request head and body: enough to have read it all (the body is a few hundred bytes)
                    in.read(new byte[65536]);
                    OutputStream o = s.getOutputStream();
                    o.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    o.flush();
                    if (endless) {
                        byte[] chunk = ("1000\r\n" + "A".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                        while (!s.isClosed()) {
                            o.write(chunk);
                        }
                    }
                }
            } catch (IOException ignored) {
                // closed by the test, or the client went away
            }
        });
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    WitnessClient.Result submitTo(int port) throws Exception {
        NoteVerifier key = new Cosigner("witness.example.org/w1", SigningKey.ed25519FromSeed(WitnessTest.seed(2)))
                .verifier();
        WitnessClient client = new WitnessClient(URI.create("http://127.0.0.1:" + port), key, Duration.ofSeconds(1),
                HttpClient.newHttpClient());
        return CompletableFuture.supplyAsync(() -> client.submit(0, List.of(), log.signed(10)))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aWitnessThatNeverFinishesItsAnswerCannotHangTheLog() throws Exception {
        int port = hostileWitness("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n\u2014 witness", false);
        WitnessClient.Failed f = assertInstanceOf(WitnessClient.Failed.class, submitTo(port));
        assertTrue(f.why().startsWith("no complete answer within 1000 ms"), f.why());
    }

    @Test
    void aWitnessThatNeverStopsAnsweringCannotFloodTheLog() throws Exception {
        int port = hostileWitness("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true);
        WitnessClient.Failed f = assertInstanceOf(WitnessClient.Failed.class, submitTo(port));
        assertTrue(f.why().equals("the answer is longer than 65536 bytes")
                || f.why().startsWith("no complete answer within"), f.why());
    }

    /** The monitor against a log that never finishes its checkpoint, or never stops sending it. */
    @Test
    void aLogThatStallsOrFloodsCannotHangTheMonitor() throws Exception {
        for (int port : List.of(hostileWitness("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nexample.org/log\n", false),
                hostileWitness("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true))) {
            Monitor monitor = new Monitor(URI.create("http://127.0.0.1:" + port + "/api/v1/log"), log.vkey(), ORIGIN,
                    org.fabtrail.ledger.checkpoint.WitnessPolicy.NONE, java.util.Optional.empty(),
                    HttpClient.newHttpClient(), Duration.ofSeconds(1));
            CompletableFuture<Object> polled = CompletableFuture.supplyAsync(() -> {
                try {
                    return monitor.poll();
                } catch (Exception e) {
                    return e;
                }
            });
            Object outcome = polled.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            IOException e = assertInstanceOf(IOException.class, outcome, "a log it cannot read is an IOException, "
                    + "which the monitor command warns about and retries");
            assertTrue(e.getMessage().startsWith("no complete answer within 1000 ms")
                    || e.getMessage().equals("the answer is longer than " + Monitor.MAX_ANSWER_BYTES + " bytes"),
                    e.getMessage());
        }
    }

    @Test
    void aWitnessesMessageCannotForgeLogLines() throws Exception {
        String body = "bad\r2026-01-01 ERROR fake line\u001b[31m\u0000 tail\nsecond line";
        int port = hostileWitness("HTTP/1.1 500 Internal Server Error\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body, false);
        WitnessClient.Refused r = assertInstanceOf(WitnessClient.Refused.class, submitTo(port));
        assertEquals(500, r.status());
        assertEquals("bad?2026-01-01 ERROR fake line?[31m? tail", r.message());

        int huge = hostileWitness("HTTP/1.1 409 Conflict\r\nContent-Length: 21\r\n\r\n99999999999999999999\n", false);
        WitnessClient.Failed f = assertInstanceOf(WitnessClient.Failed.class, submitTo(huge));
        assertEquals("409 without a tree size in its body", f.why());
    }
}
