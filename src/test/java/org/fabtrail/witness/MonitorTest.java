package org.fabtrail.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor against a small fake log server (checkpoint, consistency proofs and tlog-tiles hash tiles computed from
 * an in-memory tree), which the tests make lie: a tampered tile at level 0 or 1, a rollback, a split view.
 */
class MonitorTest {

    static final String ORIGIN = "example.org/log";
    static final Pattern TILE = Pattern.compile("/api/v1/log/tile/(\\d)/((?:x\\d{3}/)*\\d{3})(?:\\.p/(\\d+))?");

    @TempDir
    Path dir;
    MemoryLog log;
    HttpServer server;
    volatile MemoryLog serving;
    volatile long published;
    volatile String extraLines = "";
    /** Tile paths, and which hash of each the server changes (a byte flipped). */
    final java.util.Map<String, Integer> tampered = new ConcurrentHashMap<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        log = new MemoryLog(ORIGIN, SigningKey.ed25519FromSeed(WitnessTest.seed(1)), 1);
        serving = log;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] body;
            if (path.equals("/api/v1/log/checkpoint")) {
                body = (serving.signedText(published) + extraLines).getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/api/v1/log/proof/consistency")) {
                String q = ex.getRequestURI().getQuery();
                long from = Long.parseLong(q.replaceAll(".*from=(\\d+).*", "$1"));
                long to = Long.parseLong(q.replaceAll(".*to=(\\d+).*", "$1"));
                List<String> hex = new ArrayList<>();
                for (byte[] h : serving.consistency(from, to)) {
                    hex.add("\"" + HexFormat.of().formatHex(h) + "\"");
                }
                body = ("{\"from\":" + from + ",\"to\":" + to + ",\"hashes\":[" + String.join(",", hex) + "]}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                Matcher m = TILE.matcher(path);
                if (!m.matches()) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                int level = Integer.parseInt(m.group(1));
                long index = Long.parseLong(m.group(2).replace("x", "").replace("/", ""));
                int width = m.group(3) == null ? 256 : Integer.parseInt(m.group(3));
                if ((serving.size() >> (8 * level)) < index * 256 + width) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                body = serving.tile(level, index, width);
                Integer hash = tampered.get(path.substring("/api/v1/log/".length()));
                if (hash != null) {
                    body[32 * hash + 7] ^= 1;
                }
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Monitor monitor(WitnessPolicy policy) throws IOException {
        return new Monitor(URI.create(url() + "/api/v1/log"), log.vkey(), ORIGIN, policy,
                Optional.of(dir.resolve("monitor.state")), http);
    }

    void publish(int grow) {
        log.grow(grow);
        published = log.size();
    }

    @Test
    void itFollowsAGrowingLogAndContinuesAfterARestart() throws Exception {
        Monitor m = monitor(WitnessPolicy.NONE);
        publish(70);
        Monitor.Verified first = m.poll();
        assertEquals(0, first.previousSize());
        assertEquals(70, first.checkpoint().size());
        assertEquals(1, first.tilesFetched(), "one partial level-0 tile");
        publish(530); // 600: two full level-0 tiles, a partial one, and level 1 with two hashes
        Monitor.Verified second = m.poll();
        assertEquals(70, second.previousSize());
        assertEquals(4, second.tilesFetched(), "tile/0/000, 001, 002.p/88 and tile/1/000.p/2");
        assertEquals(0, m.poll().tilesFetched(), "nothing new");

        Monitor restarted = monitor(WitnessPolicy.NONE);
        assertEquals(600, restarted.size());
        publish(10);
        assertEquals(610, restarted.poll().checkpoint().size());
    }

    @Test
    void aTamperedLeafTileIsCaught() throws Exception {
        Monitor m = monitor(WitnessPolicy.NONE);
        publish(100);
        m.poll();
        publish(40);
        tampered.put("tile/0/000.p/140", 120); // one of the new leaves
        Monitor.Inconsistency e = assertThrows(Monitor.Inconsistency.class, m::poll);
        assertTrue(e.getMessage().contains("do not rebuild the root of the checkpoint of tree size 140"),
                e.getMessage());
        assertEquals(100, m.size(), "the bad checkpoint is not taken");
    }

    @Test
    void aTamperedHigherTileIsCaughtAndNamed() throws Exception {
        Monitor m = monitor(WitnessPolicy.NONE);
        publish(600);
        tampered.put("tile/1/000.p/2", 0);
        Monitor.Inconsistency e = assertThrows(Monitor.Inconsistency.class, m::poll);
        assertTrue(e.getMessage().startsWith("tile tile/1/000.p/2 holds at position 0 a hash that is not the hash "
                + "of the 256 hashes of the tile below it (tile/0/000)"), e.getMessage());
    }

    @Test
    void aRollbackIsCaughtEvenAfterARestart() throws Exception {
        Monitor m = monitor(WitnessPolicy.NONE);
        publish(50);
        m.poll();
        published = 40;
        Monitor.Inconsistency live = assertThrows(Monitor.Inconsistency.class, m::poll);
        assertTrue(live.getMessage().startsWith("ROLLBACK: the log's checkpoint has tree size 40, smaller than the "
                + "checkpoint of tree size 50"), live.getMessage());
        Monitor.Inconsistency restarted = assertThrows(Monitor.Inconsistency.class, monitor(WitnessPolicy.NONE)::poll);
        assertTrue(restarted.evidence().contains(log.signedText(50)), "the state file kept the larger checkpoint");
        assertTrue(restarted.evidence().contains(log.signedText(40)));
    }

    @Test
    void aSplitViewAndAForkedLargerTreeAreCaught() throws Exception {
        Monitor m = monitor(WitnessPolicy.NONE);
        publish(50);
        m.poll();
        MemoryLog fork = log.fork(30, 9).grow(20);
        serving = fork;
        Monitor.Inconsistency same = assertThrows(Monitor.Inconsistency.class, m::poll);
        assertTrue(same.getMessage().startsWith("SPLIT VIEW"), same.getMessage());
        fork.grow(20);
        published = 70;
        Monitor.Inconsistency larger = assertThrows(Monitor.Inconsistency.class, m::poll);
        assertTrue(larger.getMessage().contains("consistency proof from tree size 50 to 70 does not verify"),
                larger.getMessage());
    }

    @Test
    void aWitnessPolicyIsApplied() throws Exception {
        Cosigner w = new Cosigner("w.example/1", SigningKey.ed25519FromSeed(WitnessTest.seed(4)));
        Monitor m = monitor(new WitnessPolicy(List.of(w.verifier()), 1));
        publish(20);
        Monitor.Inconsistency e = assertThrows(Monitor.Inconsistency.class, m::poll);
        assertTrue(e.getMessage().contains("has 0 of the 1 witness cosignatures"), e.getMessage());
        extraLines = w.cosign(log.checkpoint(20).body(), 1000).line();
        assertEquals(List.of("w.example/1"), m.poll().cosigners());
    }

    @Test
    void theCommandExitsNonZeroOnTheFirstInconsistency() throws Exception {
        publish(300);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        String[] args = {url(), "--vkey", log.vkey().vkey(), "--once", "--state", dir.resolve("cmd.state").toString()};
        assertEquals(0, MonitorCommand.run(args, print, print));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(" OK tree size 300 root "), out.toString());
        publish(20);
        tampered.put("tile/0/001.p/64", 50); // leaf 306, a new one
        assertEquals(1, MonitorCommand.run(args, print, print));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(" ALERT the level-0 hash tiles"), out.toString());
        assertEquals(2, MonitorCommand.run(new String[] {url()}, print, print), "no --vkey");
    }
}
