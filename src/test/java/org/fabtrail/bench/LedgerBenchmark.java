package org.fabtrail.bench;

import org.fabtrail.client.PartnerClient;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for a running Fabtrail (see deploy/bench/run.sh and docs/benchmarks.md). Not a test.
 *
 * <p>Phases: (1) batch endpoint, batches of 1,000 pre-signed entries from a few clients; (2) single-entry
 * submissions from many concurrent clients; (3) inclusion-proof reads. Every write is checked for a 201 with a
 * receipt; latencies are measured client-side from request to complete response.
 */
public final class LedgerBenchmark {

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final String url;

    private LedgerBenchmark(String url) {
        this.url = url;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("url", "http://127.0.0.1:18471", "token", "bench",
                "batch-entries", "100000", "batch-size", "1000", "batch-clients", "4",
                "single-entries", "30000", "single-clients", "64", "proofs", "20000", "proof-clients", "8"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        LedgerBenchmark b = new LedgerBenchmark(opt.get("url"));
        String org = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        SigningKey key = b.onboard(org, opt.get("token"));
        b.post("/api/v1/entries", signed(org, key, "site.register", Map.of("site", "fab-1", "name", "Bench fab",
                "country", "TW", "address", "Hsinchu")), b.partnerToken, 201);
        int batchEntries = Integer.parseInt(opt.get("batch-entries"));
        int singleEntries = Integer.parseInt(opt.get("single-entries"));

        if (opt.containsKey("dump")) {
            // For an external load generator (wrk): one envelope per line, and the token next to it.
            int n = Integer.parseInt(opt.getOrDefault("dump-entries", "30000"));
            java.nio.file.Files.write(java.nio.file.Path.of(opt.get("dump")), presign(org, key, n));
            java.nio.file.Files.writeString(java.nio.file.Path.of(opt.get("dump") + ".token"), b.partnerToken);
            System.out.printf("wrote %d signed envelopes to %s%n", n, opt.get("dump"));
            return;
        }
        System.out.printf("signing %d entries ...%n", batchEntries + singleEntries);
        List<String> envelopes = presign(org, key, batchEntries + singleEntries);

        System.out.println("| phase | entries / requests | clients | throughput | p50 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|---|");
        if (batchEntries > 0) {
            b.batchPhase(envelopes.subList(0, batchEntries), Integer.parseInt(opt.get("batch-size")),
                    Integer.parseInt(opt.get("batch-clients")));
        }
        if (singleEntries > 0) {
            b.singlePhase(envelopes.subList(batchEntries, batchEntries + singleEntries),
                    Integer.parseInt(opt.get("single-clients")));
        }
        b.proofPhase(Integer.parseInt(opt.get("proofs")), Integer.parseInt(opt.get("proof-clients")));
        b.lookupPhase(envelopes, Integer.parseInt(opt.get("proofs")), Integer.parseInt(opt.get("proof-clients")));
        if (opt.containsKey("soak-seconds")) {
            new Soak(b, org, key, opt.get("token")).run(Integer.parseInt(opt.get("soak-seconds")),
                    Integer.parseInt(opt.getOrDefault("soak-window", "60")));
            return;
        }
        if (opt.containsKey("dataset-units")) {
            b.datasetPhases(Integer.parseInt(opt.get("dataset-units")), Integer.parseInt(opt.get("proofs")),
                    Integer.parseInt(opt.get("proof-clients")), opt.get("token"));
        }
    }

    /**
     * Reads over a data set that deploy/bench/load.sh built (DatasetLoader's units): unit lookups, unit histories
     * and feed pages of 100 entries at random places in the log, as the operator (who sees every entry).
     */
    private void datasetPhases(int units, int n, int clients, String token) throws Exception {
        if (n <= 0) {
            return;
        }
        long size = Long.parseLong(get("/api/v1/log/checkpoint", null).split("\n")[1]);
        long[] lookups = run(n, clients, i -> {
            String[] u = DatasetLoader.unit(ThreadLocalRandom.current().nextInt(units));
            get("/api/v1/units/" + u[0] + "/" + u[1], token);
        });
        report("unit lookups (data set, " + units + " units)", n, clients, lookups, n);
        long[] histories = run(n, clients, i -> {
            String[] u = DatasetLoader.unit(ThreadLocalRandom.current().nextInt(units));
            get("/api/v1/units/" + u[0] + "/" + u[1] + "/history", token);
        });
        report("unit histories (data set)", n, clients, histories, n);
        int pages = Math.max(1, n / 10);
        long[] feed = run(pages, clients, i -> get("/api/v1/feed?limit=100&after="
                + ThreadLocalRandom.current().nextLong(size), token));
        report("feed pages of 100 (tree size " + size + ")", pages, clients, feed, pages);
    }

    /** One signed envelope. */
    static String signed(String org, SigningKey key, String type, Map<String, Object> fields) {
        Map<String, Object> typed = new LinkedHashMap<>(fields);
        typed.put("type", type);
        typed.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return Jcs.canonicalString(PartnerClient.sign(org, key, typed));
    }

    /** Unit registrations by the benchmark manufacturer: what a fab's bulk upload sends. */
    static List<String> presign(String org, SigningKey key, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<List<String>>> parts = new ArrayList<>();
        int per = (n + 7) / 8;
        for (int p = 0; p < n; p += per) {
            int count = Math.min(per, n - p);
            parts.add(pool.submit(() -> {
                List<String> out = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    out.add(signed(org, key, "unit.register", Map.of("serial", "GPU-" + UUID.randomUUID(),
                            "kind", "accelerator", "model", "H200-SXM", "eccn", "3A090.a", "site", "fab-1")));
                }
                return out;
            }));
        }
        List<String> all = new ArrayList<>(n);
        for (Future<List<String>> f : parts) {
            all.addAll(f.get());
        }
        pool.shutdown();
        return all;
    }

    /** The benchmark organisation's API token (read, write). */
    String partnerToken;

    private SigningKey onboard(String org, String token) throws Exception {
        post("/api/v1/admin/orgs", "{\"id\":\"" + org + "\",\"name\":\"Benchmark\",\"country\":\"TW\",\"roles\":[\"manufacturer\"]}",
                token, 201);
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        post("/api/v1/admin/orgs/" + org + "/keys", "{\"publicKey\":" + Jcs.canonicalString(key.verificationKey().toPem()) + "}",
                token, 201);
        String created = post("/api/v1/orgs/" + org + "/tokens", "{\"name\":\"bench\",\"scopes\":[\"read\",\"write\"]}",
                token, 201);
        partnerToken = created.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        return key;
    }

    String post(String path, String body, String token, int expect) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != expect) {
            throw new IllegalStateException(path + " answered " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }

    private void batchPhase(List<String> envelopes, int batchSize, int clients) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i += batchSize) {
            bodies.add("[" + String.join(",", envelopes.subList(i, Math.min(envelopes.size(), i + batchSize))) + "]");
        }
        long[] latencies = run(bodies.size(), clients, i -> {
            String answer = post("/api/v1/entries/batch", bodies.get(i), partnerToken, 200);
            if (answer.contains("\"status\":4") || answer.contains("\"status\":5")) {
                throw new IllegalStateException("a batch item was refused: " + answer.substring(0, 500));
            }
        });
        report("batch endpoint (" + batchSize + " per request)", envelopes.size(), clients, latencies, envelopes.size());
    }

    private void singlePhase(List<String> envelopes, int clients) throws Exception {
        long[] latencies = run(envelopes.size(), clients, i -> post("/api/v1/entries", envelopes.get(i), partnerToken, 201));
        report("single entries", envelopes.size(), clients, latencies, envelopes.size());
    }

    private void proofPhase(int n, int clients) throws Exception {
        if (n == 0) {
            return;
        }
        String cp = get("/api/v1/log/checkpoint", null);
        long size = Long.parseLong(cp.split("\n")[1]);
        long[] latencies = run(n, clients, i -> {
            long index = ThreadLocalRandom.current().nextLong(size);
            get("/api/v1/log/proof/inclusion?index=" + index + "&size=" + size, null);
        });
        report("inclusion proofs (tree size " + size + ")", n, clients, latencies, n);
    }

    private void lookupPhase(List<String> envelopes, int n, int clients) throws Exception {
        if (envelopes.isEmpty() || n <= 0) {
            return;
        }
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < Math.min(envelopes.size(), 10_000); i++) {
            serials.add(envelopes.get(i).replaceAll(".*\"serial\":\"([^\"]+)\".*", "$1"));
        }
        String org = envelopes.get(0).replaceAll(".*\"actor\":\"([^\"]+)\".*", "$1");
        long[] latencies = run(n, clients, i -> get("/api/v1/units/" + org + "/"
                + serials.get(ThreadLocalRandom.current().nextInt(serials.size())), partnerToken));
        report("unit lookups", n, clients, latencies, n);
    }

    String get(String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url + path)).GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }

    interface Call {
        void run(int i) throws Exception;
    }

    /** Runs calls 0..n-1 from {@code clients} threads; returns each call's latency in ns; the last slot is wall time. */
    private static long[] run(int n, int clients, Call call) throws Exception {
        long[] lat = new long[n + 1];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    long t = System.nanoTime();
                    call.run(i);
                    lat[i] = System.nanoTime() - t;
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        lat[n] = System.nanoTime() - start;
        pool.shutdown();
        return lat;
    }

    private static void report(String phase, int requests, int clients, long[] lat, int entries) {
        long wall = lat[lat.length - 1];
        long[] sorted = Arrays.copyOf(lat, lat.length - 1);
        Arrays.sort(sorted);
        System.out.printf("| %s | %d | %d | %.0f /s | %.1f ms | %.1f ms | %.1f ms |%n", phase, requests, clients,
                entries / (wall / 1e9), pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
