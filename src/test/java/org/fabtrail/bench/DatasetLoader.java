package org.fabtrail.bench;

import org.fabtrail.client.PartnerClient;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SigningKey;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Builds a large, realistic log through a running Fabtrail's batch endpoint, for the growth-curve benchmark
 * (deploy/bench/load.sh, docs/benchmarks.md). Not a test.
 *
 * <p>Everything is derived from the seed: the organisations, their keys (Ed25519 from a hash of the seed), every
 * payload's id and time. Ed25519 signatures are deterministic, so the same seed gives byte-identical envelopes,
 * and a resubmitted envelope is answered {@code 200} with its original receipt without being appended again. That
 * makes the loader resumable: it records each finished block of units in its progress file and, started again,
 * redoes the block it was in (whatever of it was already appended is answered 200) and goes on.
 *
 * <p>The mix, per block of units: servers of 8 accelerators (nine registrations, an assembly, two hops of a
 * dispatch and its receipt, an inspection) and loose accelerators (a registration, then hops of a dispatch, its
 * receipt, as many hops as make the log reach the requested size, then an inspection where it ended up), and one
 * unit in a hundred reported lost and then recovered. One inspection per unit, long after its previous located event
 * in the story's own times, so the data set does not set off impossible-travel findings of its own. Entries of one unit's story are sequenced in order:
 * a block is sent as waves, wave k holding step k of every story in the block, and a wave starts when the one
 * before it has its answers.
 */
public final class DatasetLoader {

    static final int SERVER_GPUS = 8;
    static final String[] COUNTRIES = {"TW", "US", "DE", "JP", "NL", "SG", "IE", "FR"};

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private final String token;
    private final byte[] seed;
    private final Instant base = Instant.parse("2025-01-01T00:00:00Z");

    final List<Org> manufacturers = new ArrayList<>();
    final List<Org> distributors = new ArrayList<>();
    final List<Org> datacenters = new ArrayList<>();
    Org inspector;

    record Org(String id, String role, String country, SigningKey key, List<String> sites) {
    }

    /** One unit's (or one server's) entries: each step is one or more envelopes that may go in any order. */
    record Story(List<List<String>> steps) {
    }

    DatasetLoader(String url, String token, String seed) {
        this.url = url;
        this.token = token;
        this.seed = seed.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("url", "http://127.0.0.1:18471", "token", "bench",
                "entries", "10000000", "units", "1000000", "seed", "fabtrail", "block", "19980", "clients", "3",
                "batch", "1000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!opt.containsKey("progress")) {
            throw new IllegalArgumentException("--progress <file> is required (where the loader records its blocks)");
        }
        DatasetLoader l = new DatasetLoader(opt.get("url"), opt.get("token"), opt.get("seed"));
        l.run(Long.parseLong(opt.get("entries")), Integer.parseInt(opt.get("units")), Integer.parseInt(opt.get("block")),
                Integer.parseInt(opt.get("clients")), Integer.parseInt(opt.get("batch")), Path.of(opt.get("progress")));
    }

    void run(long entries, int units, int block, int clients, int batch, Path progress) throws Exception {
        onboard();
        Plan plan = Plan.of(entries, units);
        block = Math.max(1, block / GROUP) * GROUP;
        System.out.printf("plan: %d units (in each %d, a server of %d accelerators and %d loose accelerators with %d hops "
                        + "each), about %d entries, in blocks of %d units%n", units, GROUP, SERVER_GPUS, LOOSE,
                plan.looseHops, plan.expectedEntries(), block);
        int done = Files.exists(progress) ? Integer.parseInt(Files.readString(progress).trim()) : 0;
        if (done > 0) {
            System.out.printf("resuming after unit %d of %d%n", Math.min(done, units), units);
        }
        AtomicLong appended = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        long start = System.nanoTime();
        long shown = start;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int from = done; from < units; from += block) {
                int to = Math.min(units, from + block);
                List<Story> stories = stories(plan, from, to);
                int depth = stories.stream().mapToInt(s -> s.steps().size()).max().orElse(0);
                for (int step = 0; step < depth; step++) {
                    List<String> wave = new ArrayList<>();
                    for (Story s : stories) {
                        if (step < s.steps().size()) {
                            wave.addAll(s.steps().get(step));
                        }
                    }
                    send(wave, batch, pool, appended, answered);
                    if (System.nanoTime() - shown > 2_000_000_000L) {
                        progressLine(from, units, answered.get(), appended.get(), plan.expectedEntries(), start);
                        shown = System.nanoTime();
                    }
                }
                // the progress file counts finished units; written atomically, so a kill leaves the old or the new
                Path tmp = progress.resolveSibling(progress.getFileName() + ".tmp");
                Files.writeString(tmp, Integer.toString(to));
                Files.move(tmp, progress, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            pool.shutdownNow();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%ndone: %d entries answered (%d appended now, the rest by an earlier run) in %.0f s, "
                + "%.0f appended/s%n", answered.get(), appended.get(), secs, appended.get() / secs);
    }

    private static void progressLine(int unit, int units, long answered, long appended, long expected, long start) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = appended / Math.max(secs, 1e-3);
        int width = 30;
        int filled = (int) Math.min(width, width * (double) unit / units);
        System.out.printf("\r[%s%s] units %,d/%,d, %,d answered, %,d appended, %,.0f/s, ~%,d entries in all",
                "#".repeat(filled), " ".repeat(width - filled), unit, units, answered, appended, rate, expected);
        System.out.flush();
    }

    /**
     * Units come in groups of {@link #GROUP}: a server with its 8 accelerators, then 36 loose accelerators (a fifth of
     * the units in servers). Unit u's story depends only on u and the number of hops, which follows from the ratio of
     * entries to units: so a log built for 1 M units is a prefix of the one built for 10 M at the same ratio, and the
     * growth-curve run (deploy/bench/growth.sh) grows one data set from size to size.
     */
    record Plan(int units, int looseHops) {
        static Plan of(long entries, int units) {
            double perUnit = (double) entries / Math.max(1, units);
            // per group: the server story's 15 entries, and per loose accelerator a registration, a dispatch and
            // a receipt per hop, and an inspection
            double perLoose = (perUnit * GROUP - SERVER_ENTRIES) / LOOSE;
            return new Plan(units, (int) Math.max(1, Math.round((perLoose - 2) / 2)));
        }

        long expectedEntries() {
            long groups = units / GROUP;
            int rest = units % GROUP;
            long servers = groups + (rest > 0 ? 1 : 0);
            long loose = groups * LOOSE + Math.max(0, rest - (SERVER_GPUS + 1));
            return servers * SERVER_ENTRIES + loose * (2 + 2L * looseHops) + 2L * ((units + 92) / 100);
        }
    }

    static final int LOOSE = 36;
    static final int GROUP = SERVER_GPUS + 1 + LOOSE;
    static final int SERVER_ENTRIES = SERVER_GPUS + 1 + 1 + 2 * 2 + 1;

    /** The stories of units [from, to); from and to are multiples of {@link #GROUP} except at the very end. */
    List<Story> stories(Plan plan, int from, int to) {
        List<Story> out = new ArrayList<>();
        for (int u = from; u < to; u++) {
            int at = u % GROUP;
            if (at == 0) {
                out.add(server(u / GROUP, u));
            } else if (at > SERVER_GPUS) {
                out.add(loose(u, plan.looseHops));
            }
        }
        return out;
    }

    /** Unit u of the data set as {manufacturer, serial}, as its registration names it. */
    static String[] unit(int u) {
        int n = u / GROUP;
        int at = u % GROUP;
        if (at == 0) {
            return new String[] {"bench-fab-" + n % 4, "SRV-s" + n};
        }
        if (at <= SERVER_GPUS) {
            return new String[] {"bench-fab-" + n % 4, "GPU-s" + n + "-" + (at - 1)};
        }
        return new String[] {"bench-fab-" + u % 4, "GPU-g" + u};
    }

    private Story server(int n, int u) {
        Org mfr = manufacturers.get(n % manufacturers.size());
        String fab = mfr.sites().get(0);
        String tag = "s" + n;
        Map<String, Object> parent = unitRef(mfr, "SRV-" + tag);
        List<String> registrations = new ArrayList<>();
        registrations.add(sign(mfr, tag + "/r", 0, "unit.register", Map.of("serial", "SRV-" + tag, "kind", "server",
                "model", "HGX-H200-8", "eccn", "4A090.a", "site", fab)));
        List<Object> gpus = new ArrayList<>();
        for (int g = 0; g < SERVER_GPUS; g++) {
            String serial = "GPU-" + tag + "-" + g;
            registrations.add(sign(mfr, tag + "/r" + g, 0, "unit.register", Map.of("serial", serial, "kind", "accelerator",
                    "model", "H200-SXM", "eccn", "3A090.a", "site", fab)));
            gpus.add(unitRef(mfr, serial));
        }
        List<List<String>> steps = new ArrayList<>();
        steps.add(registrations);
        steps.add(List.of(sign(mfr, tag + "/a", 1, "unit.assemble", Map.of("parent", parent, "components", gpus))));
        Org dist = distributors.get(n % distributors.size());
        Org dc = datacenters.get(n % datacenters.size());
        hop(steps, tag + "/h0", 2, mfr, dist, n, parent);
        hop(steps, tag + "/h1", 4, dist, dc, n, parent);
        steps.add(List.of(inspect(tag + "/i", 6, parent, dc, n)));
        if (u % 100 == 7) {
            lostAndFound(steps, tag, 7, dc, parent);
        }
        return new Story(steps);
    }

    private Story loose(int u, int hops) {
        Org mfr = manufacturers.get(u % manufacturers.size());
        String tag = "g" + u;
        String serial = "GPU-" + tag;
        Map<String, Object> unit = unitRef(mfr, serial);
        List<List<String>> steps = new ArrayList<>();
        steps.add(List.of(sign(mfr, tag + "/r", 0, "unit.register", Map.of("serial", serial, "kind", "accelerator",
                "model", "H200-SXM", "eccn", "3A090.a", "site", mfr.sites().get(0)))));
        Org holder = mfr;
        for (int h = 0; h < hops; h++) {
            Org next = h == 0 ? distributors.get(u % distributors.size()) : datacenters.get((u + h) % datacenters.size());
            if (next == holder) {
                next = datacenters.get((u + h + 1) % datacenters.size());
            }
            hop(steps, tag + "/h" + h, 1 + 2 * h, holder, next, u + h, unit);
            holder = next;
        }
        steps.add(List.of(inspect(tag + "/i", 1 + 2 * hops, unit, holder, u + hops - 1)));
        if (u % 100 == 7) {
            lostAndFound(steps, tag, 2 + 2 * hops, holder, unit);
        }
        return new Story(steps);
    }

    /** A dispatch from one organisation to another and its receipt at the site the dispatch named. */
    private void hop(List<List<String>> steps, String tag, int day, Org from, Org to, int n, Map<String, Object> unit) {
        String toSite = to.sites().get(n % to.sites().size());
        Map<String, Object> dispatch = new LinkedHashMap<>(Map.of("units", List.of(unit), "to", to.id(), "toSite", toSite,
                "carrier", "Bench Freight", "shipmentRef", "BF-" + tag));
        if (!from.country().equals(to.country())) {
            dispatch.put("licenceRef", "LIC-" + to.country() + "-2025-0001");
        }
        String d = sign(from, tag + "/d", day, "transfer.dispatch", dispatch);
        steps.add(List.of(d));
        String transfer = d.replaceAll("^.*\"id\":\"([0-9a-f-]{36})\".*$", "$1");
        steps.add(List.of(sign(to, tag + "/v", day + 1, "transfer.receive", Map.of("transfer", transfer,
                "site", toSite, "units", List.of(unit)))));
    }

    private String inspect(String tag, int day, Map<String, Object> unit, Org holder, int n) {
        String site = holder.sites().get(n % holder.sites().size());
        return sign(inspector, tag, day, "unit.inspect", Map.of("unit", unit, "site", Map.of("org", holder.id(), "site", site),
                "custodian", holder.id(), "result", "consistent", "notes", "Seal intact; label matches the ledger."));
    }

    private void lostAndFound(List<List<String>> steps, String tag, int day, Org holder, Map<String, Object> unit) {
        steps.add(List.of(sign(holder, tag + "/lost", day, "unit.status", Map.of("unit", unit, "status", "lost",
                "reason", "Not found at the quarterly count"))));
        steps.add(List.of(sign(holder, tag + "/found", day + 1, "unit.status", Map.of("unit", unit, "status", "recovered",
                "reason", "Found in the wrong cage"))));
    }

    private static Map<String, Object> unitRef(Org mfr, String serial) {
        return Map.of("manufacturer", mfr.id(), "serial", serial);
    }

    /** The organisations: 4 manufacturers, 8 distributors, 16 data centres, 1 inspector, each with sites. */
    void onboard() throws Exception {
        if (inspector != null) {
            return;
        }
        for (int i = 0; i < 4; i++) {
            manufacturers.add(org("bench-fab-" + i, "manufacturer", i, 1));
        }
        for (int i = 0; i < 8; i++) {
            distributors.add(org("bench-dist-" + i, "distributor", i + 1, 2));
        }
        for (int i = 0; i < 16; i++) {
            datacenters.add(org("bench-dc-" + i, "datacenter", i + 2, 3));
        }
        inspector = org("bench-inspector", "inspector", 0, 0);
        List<Org> all = new ArrayList<>(manufacturers);
        all.addAll(distributors);
        all.addAll(datacenters);
        all.add(inspector);
        List<String> sites = new ArrayList<>();
        for (Org o : all) {
            post("/api/v1/admin/orgs", "{\"id\":\"" + o.id() + "\",\"name\":\"" + o.id() + "\",\"country\":\"" + o.country()
                    + "\",\"roles\":[\"" + o.role() + "\"]}", 201, 409);
            post("/api/v1/admin/orgs/" + o.id() + "/keys", "{\"publicKey\":"
                    + Jcs.canonicalString(o.key().verificationKey().toPem()) + "}", 201, 409);
            for (String site : o.sites()) {
                sites.add(sign(o, "site/" + site, 0, "site.register", Map.of("site", site, "name", o.id() + " " + site,
                        "country", o.country(), "address", "1 Bench Street")));
            }
        }
        send(sites, 1000, null, new AtomicLong(), new AtomicLong());
    }

    private Org org(String id, String role, int n, int sites) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < sites; i++) {
            s.add("site-" + i);
        }
        return new Org(id, role, COUNTRIES[n % COUNTRIES.length], SigningKey.ed25519FromSeed(hash("key", id)), s);
    }

    /** A signed envelope whose id and time follow from the seed, the tag and the day of its story. */
    String sign(Org actor, String tag, int day, String type, Map<String, Object> fields) {
        Map<String, Object> typed = new LinkedHashMap<>(fields);
        typed.put("id", UUID.nameUUIDFromBytes(hash("id", actor.id() + "/" + tag)).toString());
        typed.put("type", type);
        typed.put("time", base.plus(Duration.ofDays(day)).plusSeconds(Math.floorMod(tag.hashCode(), 80_000)).toString());
        return Jcs.canonicalString(PartnerClient.sign(actor.id(), actor.key(), typed));
    }

    private byte[] hash(String purpose, String what) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(seed);
            d.update((byte) 0);
            d.update(purpose.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(what.getBytes(StandardCharsets.UTF_8));
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends envelopes in batches (in parallel when a pool is given); every item must be 201 or 200. */
    void send(List<String> envelopes, int batch, ExecutorService pool, AtomicLong appended, AtomicLong answered)
            throws Exception {
        List<String> bodies = IntStream.range(0, (envelopes.size() + batch - 1) / batch)
                .mapToObj(i -> "[" + String.join(",", envelopes.subList(i * batch, Math.min(envelopes.size(), (i + 1) * batch))) + "]")
                .toList();
        List<Future<?>> fs = new ArrayList<>();
        for (String body : bodies) {
            if (pool == null) {
                postBatch(body, appended, answered);
            } else {
                fs.add(pool.submit(() -> {
                    postBatch(body, appended, answered);
                    return null;
                }));
            }
        }
        for (Future<?> f : fs) {
            f.get();
        }
    }

    private void postBatch(String body, AtomicLong appended, AtomicLong answered) throws Exception {
        String answer = post("/api/v1/entries/batch", body, 200);
        int created = count(answer, "\"status\":201");
        int again = count(answer, "\"status\":200");
        int items = count(answer, "\"status\":");
        if (created + again != items) {
            int at = answer.indexOf("\"problem\"");
            throw new IllegalStateException("a batch item was refused: " + answer.substring(Math.max(0, at - 80),
                    Math.min(answer.length(), at + 600)));
        }
        appended.addAndGet(created);
        answered.addAndGet(items);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private String post(String path, String body, int... accepted) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            HttpRequest r = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(300))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            for (int a : accepted) {
                if (resp.statusCode() == a) {
                    return resp.body();
                }
            }
            // a full queue or a commit whose outcome is unknown: the same envelopes again are safe (idempotent)
            if (resp.statusCode() == 503 && attempt < 20) {
                Thread.sleep(1000L * (attempt + 1));
                continue;
            }
            throw new IllegalStateException(path + " answered " + resp.statusCode() + ": "
                    + resp.body().substring(0, Math.min(600, resp.body().length())));
        }
    }
}
