package org.fabtrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fabtrail.client.PartnerClient;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.Proofs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clients of deploy/ha/failover-test.sh: partners writing signed entries through the front HAProxy while the
 * script kills parts of the stack, and afterwards the check of everything they were told against the database.
 * Not a test by itself (the script runs it; {@code HaFailoverTest} runs the script).
 *
 * <pre>
 * run   --url U --admin-token-file F --clients N --out DIR [--max-seconds S]
 *       each client onboards its own organisation, then writes unit.register entries one at a time until
 *       DIR/stop exists. An entry that gets no receipt (503 of any kind, 502/504 from HAProxy, a connection
 *       error or timeout) is sent again, the same envelope, until it gets one: 201, or 200 for an entry that was
 *       in fact written before. Every receipt goes to DIR/receipts-N.jsonl with when its attempt was sent and
 *       answered; DIR/progress holds the newest receipt's times for the script; DIR/answers.txt counts the answers.
 * check --out DIR --url U --db-url JDBC --db-user U --db-password-file F [--faults DIR/faults.txt]
 *       checks the receipts against the log (every receipt's entry at its index with its leaf hash, no index given
 *       twice, every checkpoint signed, stored verbatim and matching the log's root at its size, every inclusion
 *       proof) and measures how long writes took to resume after each fault. Writes DIR/newest-receipt-checkpoint
 *       for `verify --checkpoint` and DIR/figures.md. Exits 1 on any violation.
 * </pre>
 */
public final class FailoverLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private FailoverLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: FailoverLoad run|check --option value ...");
            System.exit(2);
        }
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "run" -> System.exit(new Run(opt).run());
            case "check" -> System.exit(new Check(opt, System.out).check());
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    /** One receipt as a client kept it. */
    record Ack(String id, long index, String leafHash, String checkpoint, List<String> proof, int status,
               long firstSentMs, long sentMs, long ackMs, int attempts, int client) {
    }

    // ------------------------------------------------------------------------------------------------------------
    // run
    // ------------------------------------------------------------------------------------------------------------

    static final class Run {
        private final String url;
        private final String adminToken;
        private final int clients;
        private final Path out;
        private final long deadline;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        private final AtomicLong lastAckMs = new AtomicLong();
        private final AtomicLong lastAckSentMs = new AtomicLong();
        private final LongAdder acks = new LongAdder();
        private volatile boolean failed;

        Run(Map<String, String> opt) throws IOException {
            this.url = opt.get("url");
            this.adminToken = Files.readString(Path.of(opt.get("admin-token-file"))).trim();
            this.clients = Integer.parseInt(opt.getOrDefault("clients", "4"));
            this.out = Path.of(opt.get("out"));
            this.deadline = System.currentTimeMillis() + 1000L * Long.parseLong(opt.getOrDefault("max-seconds", "600"));
        }

        int run() throws Exception {
            Files.createDirectories(out);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    try {
                        client(client);
                    } catch (Exception e) {
                        failed = true;
                        System.err.println("client " + client + " failed: " + e);
                        e.printStackTrace();
                    }
                }, "failover-client-" + c);
                threads.add(t);
            }
            // Onboarding is done by each client before it writes; the script waits for the first receipts.
            threads.forEach(Thread::start);
            Thread progress = new Thread(this::progressLoop, "progress");
            progress.setDaemon(true);
            progress.start();
            for (Thread t : threads) {
                t.join();
            }
            writeProgress();
            writeAnswers();
            System.out.printf("%d receipts from %d clients%n", acks.sum(), clients);
            return failed ? 1 : 0;
        }

        private void progressLoop() {
            while (true) {
                try {
                    writeProgress();
                    writeAnswers();
                    Thread.sleep(200);
                } catch (Exception e) {
                    return;
                }
            }
        }

        private void writeProgress() throws IOException {
            Path tmp = out.resolve("progress.tmp");
            Files.writeString(tmp, acks.sum() + " " + lastAckSentMs.get() + " " + lastAckMs.get() + "\n");
            Files.move(tmp, out.resolve("progress"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        private synchronized void writeAnswers() throws IOException {
            StringBuilder s = new StringBuilder();
            new TreeMap<>(answers).forEach((k, v) -> s.append(v.sum()).append(' ').append(k).append('\n'));
            Path tmp = out.resolve("answers.tmp");
            Files.writeString(tmp, s);
            Files.move(tmp, out.resolve("answers.txt"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }

        private boolean stopped() {
            return Files.exists(out.resolve("stop")) || System.currentTimeMillis() > deadline;
        }

        private void client(int client) throws Exception {
            String org = "ha-" + client + "-" + UUID.randomUUID().toString().substring(0, 8);
            SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
            String token = onboard(org, key);
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("receipts-" + client + ".jsonl"))) {
                // The site the units are registered at: an entry like every other, kept as a receipt too.
                write(client, token, signed(org, key, "site.register", Map.of("site", "fab-1", "name", "HA fab",
                        "country", "TW", "address", "Hsinchu")), w);
                while (!stopped() && !failed) {
                    write(client, token, signed(org, key, "unit.register", Map.of("serial", "GPU-" + UUID.randomUUID(),
                            "kind", "accelerator", "model", "H200-SXM", "eccn", "3A090.a", "site", "fab-1")), w);
                }
            }
        }

        /** Sends one envelope until it has a receipt (or the run's deadline passes). */
        private void write(int client, String token, String envelope, BufferedWriter w) throws Exception {
            String id = JSON.readTree(envelope).path("payload").path("id").asText();
            long first = System.currentTimeMillis();
            for (int attempt = 1; ; attempt++) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("no receipt for " + id + " before the run's deadline");
                }
                long sent = System.currentTimeMillis();
                int status;
                String body;
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/entries"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    body = r.body();
                } catch (IOException e) {
                    count("connection-error " + e.getClass().getSimpleName());
                    Thread.sleep(100);
                    continue;
                }
                long answered = System.currentTimeMillis();
                if (status == 201 || status == 200) {
                    count(status + "");
                    JsonNode receipt = JSON.readTree(body);
                    List<String> proof = new ArrayList<>();
                    receipt.path("inclusionProof").path("hashes").forEach(h -> proof.add(h.asText()));
                    Ack ack = new Ack(id, receipt.path("index").asLong(), receipt.path("leafHash").asText(),
                            receipt.path("checkpoint").asText(), proof, status, first, sent, answered, attempt, client);
                    w.write(JSON.writeValueAsString(ack));
                    w.newLine();
                    acks.increment();
                    lastAckMs.accumulateAndGet(answered, Math::max);
                    lastAckSentMs.accumulateAndGet(sent, Math::max);
                    return;
                }
                String code = problemCode(body);
                count(status + " " + code);
                if (status == 503 || status == 502 || status == 504 || status == 429) {
                    Thread.sleep(100);
                    continue;
                }
                failed = true;
                throw new IllegalStateException("entry " + id + " was refused: " + status + " " + body);
            }
        }

        private void count(String answer) {
            answers.computeIfAbsent(answer, k -> new LongAdder()).increment();
        }

        private String onboard(String org, SigningKey key) throws Exception {
            post("/api/v1/admin/orgs", "{\"id\":\"" + org + "\",\"name\":\"HA client\",\"country\":\"TW\","
                    + "\"roles\":[\"manufacturer\"]}", adminToken);
            post("/api/v1/admin/orgs/" + org + "/keys", "{\"publicKey\":"
                    + Jcs.canonicalString(key.verificationKey().toPem()) + "}", adminToken);
            String created = post("/api/v1/orgs/" + org + "/tokens",
                    "{\"name\":\"ha\",\"scopes\":[\"read\",\"write\"]}", adminToken);
            return JSON.readTree(created).path("token").asText();
        }

        private String post(String path, String body, String token) throws Exception {
            for (int attempt = 0; ; attempt++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    return r.body();
                }
                if (attempt > 20 || r.statusCode() < 500) {
                    throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
                }
                Thread.sleep(500);
            }
        }
    }

    static String problemCode(String body) {
        if (body == null) {
            return "";
        }
        int at = body.indexOf("urn:fabtrail:problem:");
        if (at < 0) {
            return body.isBlank() ? "(empty)" : "(not a problem document)";
        }
        int end = at + "urn:fabtrail:problem:".length();
        int stop = end;
        while (stop < body.length() && (Character.isLetterOrDigit(body.charAt(stop)) || body.charAt(stop) == '-')) {
            stop++;
        }
        return body.substring(end, stop);
    }

    /** A signed envelope with a fresh payload.id, signed as the partner client kit signs. */
    static String signed(String org, SigningKey key, String type, Map<String, Object> fields) {
        Map<String, Object> typed = new LinkedHashMap<>(fields);
        typed.put("type", type);
        return Jcs.canonicalString(PartnerClient.sign(org, key, typed));
    }

    // ------------------------------------------------------------------------------------------------------------
    // check
    // ------------------------------------------------------------------------------------------------------------

    static final class Check {
        private final Map<String, String> opt;
        private final Path out;
        private final PrintStream report;
        private final List<String> violations = new ArrayList<>();

        Check(Map<String, String> opt, PrintStream report) {
            this.opt = opt;
            this.out = Path.of(opt.get("out"));
            this.report = report;
        }

        private void violation(String what) {
            if (violations.size() < 20) {
                report.println("VIOLATION: " + what);
            }
            violations.add(what);
        }

        int check() throws Exception {
            List<Ack> acks = new ArrayList<>();
            try (var files = Files.list(out)) {
                for (Path p : files.filter(f -> f.getFileName().toString().startsWith("receipts-")).sorted().toList()) {
                    for (String line : Files.readAllLines(p)) {
                        if (!line.isBlank()) {
                            acks.add(JSON.readValue(line, Ack.class));
                        }
                    }
                }
            }
            if (acks.isEmpty()) {
                violation("no receipts at all");
                return 1;
            }
            // The log as the database holds it now (read through the database HAProxy, from the primary).
            List<byte[]> leafHashes = new ArrayList<>();
            List<String> entryIds = new ArrayList<>();
            Map<Long, String> storedNotes = new HashMap<>();
            String password = Files.readString(Path.of(opt.get("db-password-file"))).trim();
            try (Connection c = DriverManager.getConnection(opt.get("db-url"), opt.get("db-user"), password);
                 Statement st = c.createStatement()) {
                st.setFetchSize(10_000);
                c.setAutoCommit(false);
                try (ResultSet rs = st.executeQuery("SELECT idx, entry_id, leaf_hash FROM log_entries ORDER BY idx")) {
                    while (rs.next()) {
                        if (rs.getLong(1) != leafHashes.size()) {
                            violation("the log has no entry at index " + leafHashes.size());
                        }
                        entryIds.add(rs.getString(2));
                        leafHashes.add(rs.getBytes(3));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT tree_size, note FROM checkpoints")) {
                    while (rs.next()) {
                        storedNotes.put(rs.getLong(1), rs.getString(2));
                    }
                }
                c.commit();
            }
            NoteVerifier vkey = NoteVerifier.parse(Files.readString(out.resolve("vkey")).trim());
            String origin = Files.readString(out.resolve("vkey")).trim().split("\\+")[0];

            // 1. No index handed out twice; a payload.id always got the same receipt.
            Map<Long, String> idAt = new HashMap<>();
            Map<String, Ack> byId = new HashMap<>();
            for (Ack a : acks) {
                String other = idAt.putIfAbsent(a.index(), a.id());
                if (other != null && !other.equals(a.id())) {
                    violation("index " + a.index() + " was handed out twice: to " + other + " and to " + a.id());
                }
                Ack earlier = byId.putIfAbsent(a.id(), a);
                if (earlier != null && (earlier.index() != a.index() || !earlier.leafHash().equals(a.leafHash()))) {
                    violation("entry " + a.id() + " got two different receipts: index " + earlier.index() + " and "
                            + a.index());
                }
            }
            // 2. Every receipt's entry is in the log at its index, with its leaf hash.
            for (Ack a : acks) {
                if (a.index() >= leafHashes.size()) {
                    violation("receipt of " + a.id() + " names index " + a.index() + " but the log has "
                            + leafHashes.size() + " entries (an acknowledged entry was lost)");
                    continue;
                }
                int i = (int) a.index();
                if (!entryIds.get(i).equals(a.id())) {
                    violation("index " + i + " holds entry " + entryIds.get(i) + " but " + a.id() + " was told it is there");
                }
                if (!HEX.formatHex(leafHashes.get(i)).equals(a.leafHash())) {
                    violation("index " + i + " has another leaf hash than the receipt of " + a.id());
                }
            }
            // 3. Every checkpoint a client saw: signed by the log's key, stored verbatim, and the log's root at its
            //    size; so all of them are consistent with each other and with the log. Every proof verifies.
            Map<String, Checkpoint> seen = new HashMap<>();
            for (Ack a : acks) {
                Checkpoint cp = seen.computeIfAbsent(a.checkpoint(), text -> {
                    try {
                        return Checkpoint.open(text.getBytes(StandardCharsets.UTF_8), origin, List.of(vkey));
                    } catch (RuntimeException e) {
                        violation("a receipt's checkpoint does not verify: " + e.getMessage());
                        return null;
                    }
                });
                if (cp == null) {
                    continue;
                }
                List<byte[]> proof = a.proof().stream().map(HEX::parseHex).toList();
                try {
                    Proofs.verifyInclusion(a.index(), cp.size(), HEX.parseHex(a.leafHash()), proof, cp.rootHash());
                } catch (Exception e) {
                    violation("the inclusion proof of " + a.id() + " does not verify against its checkpoint: " + e);
                }
            }
            TreeMap<Long, Checkpoint> bySize = new TreeMap<>();
            for (Map.Entry<String, Checkpoint> e : seen.entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                long size = e.getValue().size();
                if (!e.getKey().equals(storedNotes.get(size))) {
                    violation("the checkpoint of tree size " + size + " a client saw is not the one the log stored");
                }
                Checkpoint other = bySize.put(size, e.getValue());
                if (other != null && !Arrays.equals(other.rootHash(), e.getValue().rootHash())) {
                    violation("two checkpoints of tree size " + size + " with different roots (a fork)");
                }
            }
            Map<Long, byte[]> roots = prefixRoots(leafHashes, bySize.keySet());
            for (Map.Entry<Long, Checkpoint> e : bySize.entrySet()) {
                byte[] root = roots.get(e.getKey());
                if (root == null) {
                    violation("a checkpoint of tree size " + e.getKey() + " was seen but the log has only "
                            + leafHashes.size() + " entries");
                } else if (!Arrays.equals(root, e.getValue().rootHash())) {
                    violation("the log's root at tree size " + e.getKey() + " is not the root of the checkpoint seen");
                }
            }
            Checkpoint newest = bySize.lastEntry().getValue();
            for (Map.Entry<String, Checkpoint> e : seen.entrySet()) {
                if (e.getValue() == newest) {
                    Files.writeString(out.resolve("newest-receipt-checkpoint"), e.getKey());
                }
            }

            long resubmitted = acks.stream().filter(a -> a.attempts() > 1).count();
            long duplicates = acks.stream().filter(a -> a.status() == 200).count();
            StringBuilder figures = new StringBuilder();
            figures.append(String.format("receipts: %d (%d entries, log size %d); %d distinct checkpoints seen, "
                            + "sizes %d to %d; %d entries needed more than one attempt, %d answered 200 (written by an "
                            + "earlier attempt)%n", acks.size(), byId.size(), leafHashes.size(), bySize.size(),
                    bySize.firstKey(), bySize.lastKey(), resubmitted, duplicates));
            long[] latencies = acks.stream().mapToLong(a -> a.ackMs() - a.sentMs()).sorted().toArray();
            long firstAck = acks.stream().mapToLong(Ack::ackMs).min().orElse(0);
            long lastAck = acks.stream().mapToLong(Ack::ackMs).max().orElse(0);
            int clients = (int) acks.stream().mapToInt(Ack::client).distinct().count();
            figures.append(String.format("load: %d clients, each one write at a time; %.0f receipts/s over %.0f s "
                            + "(faults included); answer time of a successful attempt p50 %d ms, p99 %d ms%n", clients,
                    acks.size() / Math.max(0.001, (lastAck - firstAck) / 1000.0), (lastAck - firstAck) / 1000.0,
                    latencies[latencies.length / 2], latencies[(int) Math.min(latencies.length - 1,
                            Math.floor(latencies.length * 0.99))]));
            figures.append(faultFigures(acks));
            Path answers = out.resolve("answers.txt");
            if (Files.exists(answers)) {
                figures.append("answers (count status problem):\n");
                for (String line : Files.readAllLines(answers)) {
                    figures.append("  ").append(line).append('\n');
                }
            }
            Files.writeString(out.resolve("figures.md"), figures);
            report.print(figures);
            if (violations.isEmpty()) {
                report.println("OK: every receipt is in the log at its index with its leaf hash, no index was handed "
                        + "out twice, and all " + bySize.size() + " checkpoints seen are the log's own");
                return 0;
            }
            report.println(violations.size() + " violations");
            return 1;
        }

        /**
         * For each fault ({@code <epoch ms> <name>} lines in the faults file), from the fault until the next one: the
         * longest time without any receipt ("writes stopped for"; a fault takes effect a little after the script
         * acts, a switchover a few seconds after it is asked for), and when receipts came again after that gap,
         * counted from the fault ("writes resumed after").
         */
        private String faultFigures(List<Ack> acks) throws IOException {
            Path faults = Path.of(opt.getOrDefault("faults", out.resolve("faults.txt").toString()));
            if (!Files.exists(faults)) {
                return "";
            }
            List<Long> times = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(faults)) {
                String[] parts = line.trim().split(" ", 2);
                if (parts.length == 2) {
                    times.add(Long.parseLong(parts[0]));
                    names.add(parts[1]);
                }
            }
            long[] ackTimes = acks.stream().mapToLong(Ack::ackMs).sorted().toArray();
            StringBuilder s = new StringBuilder("| fault | writes stopped for | writes resumed after |\n|---|---|---|\n");
            long limitMs = Long.parseLong(opt.getOrDefault("max-resume-ms", "60000"));
            for (int f = 0; f < times.size(); f++) {
                long at = times.get(f);
                long until = f + 1 < times.size() ? times.get(f + 1) : Long.MAX_VALUE;
                long gap = -1;
                long gapEnd = -1;
                long previous = at;
                for (long t : ackTimes) {
                    if (t <= at) {
                        continue;
                    }
                    if (t > until) {
                        break;
                    }
                    if (t - previous > gap) {
                        gap = t - previous;
                        gapEnd = t;
                    }
                    previous = t;
                }
                if (gapEnd < 0) {
                    s.append(String.format("| %s | no receipt before the next fault | never |%n", names.get(f)));
                    violation("no receipt after " + names.get(f));
                    continue;
                }
                // Under a second without receipts is the ordinary spacing of answers under this load: no interruption.
                s.append(gap < 1000 ? String.format("| %s | %.1f s (no interruption) | - |%n", names.get(f), gap / 1000.0)
                        : String.format("| %s | %.1f s | %.1f s |%n", names.get(f), gap / 1000.0, (gapEnd - at) / 1000.0));
                if (gapEnd - at > limitMs) {
                    violation("writes did not resume within " + limitMs + " ms after " + names.get(f));
                }
            }
            return s.toString();
        }
    }

    /** RFC 9162 roots of the first n leaves for each n in {@code sizes}, in one pass over the leaves. */
    static Map<Long, byte[]> prefixRoots(List<byte[]> leafHashes, java.util.Collection<Long> sizes) {
        Map<Long, byte[]> roots = new HashMap<>();
        java.util.TreeSet<Long> wanted = new java.util.TreeSet<>(sizes);
        // The compact range: roots of the perfect subtrees the leaves so far fall into, largest first.
        List<byte[]> stack = new ArrayList<>();
        List<Integer> heights = new ArrayList<>();
        if (wanted.contains(0L)) {
            roots.put(0L, Merkle.emptyRoot());
        }
        for (int i = 0; i < leafHashes.size(); i++) {
            byte[] h = leafHashes.get(i);
            int height = 0;
            while (!heights.isEmpty() && heights.get(heights.size() - 1) == height) {
                h = Merkle.nodeHash(stack.remove(stack.size() - 1), h);
                heights.remove(heights.size() - 1);
                height++;
            }
            stack.add(h);
            heights.add(height);
            long size = i + 1L;
            if (wanted.contains(size)) {
                byte[] root = stack.get(stack.size() - 1);
                for (int k = stack.size() - 2; k >= 0; k--) {
                    root = Merkle.nodeHash(stack.get(k), root);
                }
                roots.put(size, root);
            }
        }
        return roots;
    }
}
