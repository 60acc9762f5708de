package org.fabtrail.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The witness as {@code java -jar quarkus-run.jar witness} runs it: configuration, its key, the HTTP face of
 * add-checkpoint (status codes, the text/x.tlog.size body, the body limit), its metrics, the webhook on misbehaviour,
 * and the log's client against it.
 */
class WitnessServerTest {

    static final String ORIGIN = "example.org/log";

    @TempDir
    Path dir;
    MemoryLog log;
    WitnessCommand.Running running;
    HttpServer hook;
    final BlockingQueue<String> webhooks = new ArrayBlockingQueue<>(10);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        log = new MemoryLog(ORIGIN, SigningKey.ed25519FromSeed(WitnessTest.seed(1)), 1).grow(30);
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            webhooks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        WitnessCommand.Config config = WitnessCommand.parse(new String[] {"--name", "witness.example.org/w1",
                "--listen", "127.0.0.1:0", "--data-dir", dir.toString(), "--generate-key",
                "--log", ORIGIN + " " + log.vkey().vkey()},
                Map.of("FABTRAIL_WITNESS_WEBHOOK", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        running = WitnessCommand.start(config, print, print);
    }

    @AfterEach
    void stop() {
        running.close();
        hook.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + running.server().port();
    }

    HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void itPrintsItsVkeyAndKeepsItsGeneratedKey() throws Exception {
        String vkey = running.server().witness().cosigner().verifier().vkey();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("witness vkey: " + vkey + "\n"));
        assertTrue(NoteVerifier.parse(vkey).isCosigner());
        assertTrue(Files.exists(dir.resolve("witness-key.pem")));
        String info = http.send(HttpRequest.newBuilder(URI.create(url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(info.contains("vkey: " + vkey) && info.contains("log: " + ORIGIN), info);
    }

    @Test
    void addCheckpointOverHttp() throws Exception {
        HttpResponse<String> ok = post("/add-checkpoint", log.request(0, 10));
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().startsWith("\u2014 witness.example.org/w1 "));

        HttpResponse<String> conflict = post("/add-checkpoint", log.request(0, 20));
        assertEquals(409, conflict.statusCode());
        assertEquals("text/x.tlog.size", conflict.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("10\n", conflict.body());

        assertEquals(400, post("/add-checkpoint", "old 0\n".getBytes(StandardCharsets.UTF_8)).statusCode());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(url() + "/add-checkpoint")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        // A body announced larger than the limit is refused before it is sent (a raw request: only the head).
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", running.server().port())) {
            socket.getOutputStream().write(("POST /add-checkpoint HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + (WitnessServer.DEFAULT_MAX_BODY + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
        assertEquals(404, post("/other", log.request(0, 10)).statusCode());

        String metrics = http.send(HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("fabtrail_witness_requests_total{status=\"200\"} 1\n"), metrics);
        assertTrue(metrics.contains("fabtrail_witness_requests_total{status=\"409\"} 1\n"), metrics);
    }

    @Test
    void theLogsClientGetsACosignatureAConflictAndARefusal() throws Exception {
        NoteVerifier key = running.server().witness().cosigner().verifier();
        WitnessClient client = new WitnessClient(URI.create(url()), key, Duration.ofSeconds(10), http);
        WitnessClient.Cosigned c = assertInstanceOf(WitnessClient.Cosigned.class,
                client.submit(0, List.of(), log.signed(10)));
        assertTrue(key.verify(log.checkpoint(10).body().getBytes(StandardCharsets.UTF_8), c.cosignature().signature()));
        assertEquals(10, assertInstanceOf(WitnessClient.Conflict.class,
                client.submit(0, List.of(), log.signed(20))).witnessSize());
        assertEquals(422, assertInstanceOf(WitnessClient.Refused.class,
                client.submit(10, log.consistency(11, 20), log.signed(20))).status());
        assertInstanceOf(WitnessClient.Cosigned.class, client.submit(10, log.consistency(10, 20), log.signed(20)));

        // A client that expects another witness key takes no cosignature from this one.
        NoteVerifier other = new org.fabtrail.ledger.checkpoint.Cosigner("witness.example.org/w1",
                SigningKey.ed25519FromSeed(WitnessTest.seed(8))).verifier();
        assertInstanceOf(WitnessClient.Failed.class, new WitnessClient(URI.create(url()), other,
                Duration.ofSeconds(10), http).submit(20, List.of(), log.signed(20)));
        running.close();
        assertInstanceOf(WitnessClient.Failed.class, client.submit(20, List.of(), log.signed(20)));
    }

    @Test
    void aForkIsReportedOnTheWebhookAndInTheMetrics() throws Exception {
        post("/add-checkpoint", log.request(0, 20));
        MemoryLog fork = log.fork(10, 5).grow(10);
        HttpResponse<String> split = post("/add-checkpoint", fork.request(20, 20));
        assertEquals(409, split.statusCode());
        String report = webhooks.poll(10, TimeUnit.SECONDS);
        assertTrue(report != null && report.startsWith("{\"event\":\"split-view\",\"origin\":\"" + ORIGIN
                + "\",\"witness\":\"witness.example.org/w1\",\"heldSize\":20,\"submittedSize\":20,\"evidence\":\"split-view-"),
                String.valueOf(report));
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("fabtrail_witness_misbehaviour_total{origin=\"" + ORIGIN
                + "\",kind=\"split-view\"} 1\n"), metrics);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("ERROR [witness] log " + ORIGIN + ": SPLIT VIEW"));

        // Anyone with two of the log's public checkpoints can send bad proofs: each is counted and kept as evidence,
        // but the operator is not flooded: one report of a kind per log a minute.
        byte[] badProof = new AddCheckpoint(20, log.consistency(21, 30), log.signed(30)).encode();
        for (int i = 0; i < 20; i++) {
            assertEquals(422, post("/add-checkpoint", badProof).statusCode());
        }
        String inconsistent = webhooks.poll(10, TimeUnit.SECONDS);
        assertTrue(inconsistent != null && inconsistent.startsWith("{\"event\":\"inconsistent\""), inconsistent);
        assertEquals(null, webhooks.poll(1, TimeUnit.SECONDS), "one report of the kind a minute");
        assertEquals(1, out.toString(StandardCharsets.UTF_8).split("INCONSISTENT", -1).length - 1);
        metrics = http.send(HttpRequest.newBuilder(URI.create(url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("fabtrail_witness_misbehaviour_total{origin=\"" + ORIGIN
                + "\",kind=\"inconsistent\"} 20\n"), metrics);
    }

    @Test
    void configurationErrorsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> WitnessCommand.parse(new String[] {"--log",
                log.vkey().vkey()}, Map.of()), "no name");
        assertThrows(IllegalArgumentException.class, () -> WitnessCommand.parse(new String[] {"--name", "w"},
                Map.of()), "no log");
        String cosignerKey = running.server().witness().cosigner().verifier().vkey();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WitnessCommand.parse(
                new String[] {"--name", "w", "--log", cosignerKey}, Map.of()));
        assertTrue(e.getMessage().contains("cosignature key"), e.getMessage());
        WitnessCommand.Config fromEnv = WitnessCommand.parse(new String[0], Map.of("FABTRAIL_WITNESS_NAME", "w.example",
                "FABTRAIL_WITNESS_LOGS", log.vkey().vkey() + "\n# a comment\nother.example " + log.vkey().vkey()));
        assertEquals(List.of(ORIGIN, "other.example"), fromEnv.logs().stream().map(Witness.Log::origin).toList());
        assertEquals(8090, fromEnv.listen().getPort());
        int exit = WitnessCommand.run(new String[] {"--bogus"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(2, exit);
    }
}
