package org.fabtrail.bench;

import org.fabtrail.crypto.SigningKey;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The soak mode of {@link LedgerBenchmark} ({@code --soak-seconds}, deploy/bench/soak.sh): mixed load for a long
 * time, reported per window so that drift shows. Writers submit single unit registrations, readers look up units
 * written earlier in the run, provers fetch inclusion proofs against the current size, and a browser-like client
 * signed in to the web UI loads the explorer and unit pages. Each window prints, per kind of request, the count, p50
 * and p99, and the server's heap (from /q/metrics); the end compares the last window with the second (the first
 * is the JIT's warm-up).
 */
final class Soak {

    private static final String[] KINDS = {"write", "lookup", "proof", "page"};
    private static final int[] THREADS = {16, 2, 2, 1};

    private final LedgerBenchmark b;
    private final String org;
    private final SigningKey key;
    private final String adminToken;
    private final List<String> serials = new ArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Long>> window = new ConcurrentHashMap<>();
    private String cookie;

    Soak(LedgerBenchmark b, String org, SigningKey key, String adminToken) {
        this.b = b;
        this.org = org;
        this.key = key;
        this.adminToken = adminToken;
    }

    void run(int seconds, int windowSeconds) throws Exception {
        signIn();
        for (String k : KINDS) {
            window.put(k, new ConcurrentLinkedQueue<>());
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(Arrays.stream(THREADS).sum());
        List<Future<?>> fs = new ArrayList<>();
        for (int k = 0; k < KINDS.length; k++) {
            for (int t = 0; t < THREADS[k]; t++) {
                String kind = KINDS[k];
                fs.add(pool.submit(() -> {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        request(kind);
                        window.get(kind).add(System.nanoTime() - start);
                    }
                    return null;
                }));
            }
        }
        System.out.printf("soak: %d s of mixed load, windows of %d s; threads: %d writers, %d readers, %d provers, "
                + "%d page loader%n", seconds, windowSeconds, THREADS[0], THREADS[1], THREADS[2], THREADS[3]);
        System.out.println("| window | writes/s | write p50 / p99 | lookup p99 | proof p99 | page p50 / p99 | heap used |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<double[]> rows = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int w = 1; System.nanoTime() < end; w++) {
            Thread.sleep(Math.min(windowSeconds * 1000L, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            Map<String, long[]> lat = new LinkedHashMap<>();
            for (String k : KINDS) {
                lat.put(k, drain(window.get(k)));
            }
            for (Future<?> f : fs) {
                if (f.isDone()) {
                    f.get(); // a failed request stops the soak with its cause
                }
            }
            double heapMb = heapUsedMb();
            double[] row = {lat.get("write").length / (double) windowSeconds, pct(lat.get("write"), 0.5), pct(lat.get("write"), 0.99),
                    pct(lat.get("lookup"), 0.99), pct(lat.get("proof"), 0.99), pct(lat.get("page"), 0.5), pct(lat.get("page"), 0.99), heapMb};
            rows.add(row);
            System.out.printf("| %d | %.0f | %.1f / %.1f ms | %.1f ms | %.1f ms | %.1f / %.1f ms | %.0f MB |%n", w, row[0], row[1],
                    row[2], row[3], row[4], row[5], row[6], row[7]);
        }
        stop.set(true);
        pool.shutdown();
        for (Future<?> f : fs) {
            f.get();
        }
        if (rows.size() >= 3) {
            // the first window is the JIT's warm-up: drift is measured from the second
            double[] first = rows.get(1);
            double[] last = rows.get(rows.size() - 1);
            System.out.printf("drift, last window against the second (the first warms the JIT up): writes/s %+.0f%%, write p99 %+.0f%%, lookup p99 %+.0f%%, "
                            + "proof p99 %+.0f%%, page p99 %+.0f%%, heap used %+.0f MB%n", change(first[0], last[0]),
                    change(first[2], last[2]), change(first[3], last[3]), change(first[4], last[4]), change(first[6], last[6]),
                    last[7] - first[7]);
        }
    }

    private void request(String kind) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        switch (kind) {
            case "write" -> {
                String serial = "SOAK-" + UUID.randomUUID();
                b.post("/api/v1/entries", LedgerBenchmark.signed(org, key, "unit.register", Map.of("serial", serial,
                        "kind", "accelerator", "model", "H200-SXM", "eccn", "3A090.a", "site", "fab-1")), b.partnerToken, 201);
                synchronized (serials) {
                    serials.add(serial);
                }
            }
            case "lookup" -> {
                String serial;
                synchronized (serials) {
                    serial = serials.isEmpty() ? null : serials.get(r.nextInt(serials.size()));
                }
                if (serial == null) {
                    Thread.sleep(10);
                } else {
                    b.get("/api/v1/units/" + org + "/" + serial, b.partnerToken);
                }
            }
            case "proof" -> {
                long size = Long.parseLong(b.get("/api/v1/log/checkpoint", null).split("\n")[1]);
                b.get("/api/v1/log/proof/inclusion?index=" + r.nextLong(size) + "&size=" + size, null);
            }
            default -> {
                String serial;
                synchronized (serials) {
                    serial = serials.isEmpty() ? null : serials.get(r.nextInt(serials.size()));
                }
                page(serial == null || r.nextBoolean() ? "/explorer" : "/units/" + org + "/" + serial);
            }
        }
    }

    /** An account of the benchmark organisation, signed in as a browser would be. */
    private void signIn() throws Exception {
        String user = "soak" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Soak-" + UUID.randomUUID();
        b.post("/api/v1/admin/users", "{\"username\":\"" + user + "\",\"displayName\":\"Soak\",\"org\":\"" + org
                + "\",\"role\":\"member\",\"password\":\"" + password + "\"}", adminToken, 201);
        HttpResponse<String> form = b.http.send(HttpRequest.newBuilder(URI.create(b.url + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        // a sign-in form may carry a CSRF token in a hidden field, with its cookie: send both back
        String csrf = form.body().replaceAll("(?s).*name=\"_csrf\"[^>]*value=\"([^\"]*)\".*|(?s).*", "$1");
        String formCookies = String.join("; ", form.headers().allValues("Set-Cookie").stream()
                .map(c -> c.split(";", 2)[0]).toList());
        HttpRequest.Builder login = HttpRequest.newBuilder(URI.create(b.url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + password + "&next=%2F"
                        + (csrf.isEmpty() ? "" : "&_csrf=" + csrf)));
        if (!formCookies.isEmpty()) {
            login.header("Cookie", formCookies);
        }
        HttpResponse<String> resp = b.http.send(login.build(), HttpResponse.BodyHandlers.ofString());
        cookie = resp.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ft_session="))
                .map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new IllegalStateException("sign-in answered " + resp.statusCode() + " without a session"));
    }

    private void page(String path) throws Exception {
        HttpResponse<String> resp = b.http.send(HttpRequest.newBuilder(URI.create(b.url + path)).timeout(Duration.ofSeconds(60))
                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + resp.statusCode());
        }
    }

    private double heapUsedMb() throws Exception {
        double bytes = 0;
        for (String line : b.get("/q/metrics", null).split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return bytes / 1e6;
    }

    private static long[] drain(ConcurrentLinkedQueue<Long> q) {
        List<Long> all = new ArrayList<>();
        for (Long v; (v = q.poll()) != null; ) {
            all.add(v);
        }
        long[] out = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private static double change(double first, double last) {
        return first == 0 ? 0 : (last - first) / first * 100;
    }
}
