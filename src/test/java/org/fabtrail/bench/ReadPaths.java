package org.fabtrail.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The request paths of the read phases for an external load generator (wrk with deploy/bench/reads.lua): inclusion
 * proofs of random entries at the log's current size, lookups and histories of random units of a data set that
 * deploy/bench/load.sh built, and feed pages of 100 from random places. One path per line, one file per kind, drawn
 * with a fixed seed so that two runs ask for the same things.
 *
 * <pre>
 *   ReadPaths --url URL --out DIR --count N [--dataset-units U] [--seed S]
 * </pre>
 */
public final class ReadPaths {

    private ReadPaths() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String url = "http://127.0.0.1:18471";
        Path out = Path.of(".");
        int count = 20_000;
        int units = 0;
        long seed = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--out" -> out = Path.of(args[i + 1]);
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                case "--dataset-units" -> units = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--token" -> { } // the read phases send the operator token themselves
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpResponse<String> cp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url + "/api/v1/log/checkpoint")).build(), HttpResponse.BodyHandlers.ofString());
        long size = Long.parseLong(cp.body().split("\n")[1]);
        Random random = new Random(seed);
        write(out.resolve("proofs.txt"), count, i -> "/api/v1/log/proof/inclusion?index="
                + (long) (random.nextDouble() * size) + "&size=" + size);
        write(out.resolve("feed.txt"), count, i -> "/api/v1/feed?limit=100&after=" + (long) (random.nextDouble() * size));
        if (units > 0) {
            int n = units;
            write(out.resolve("lookups.txt"), count, i -> unitPath(random.nextInt(n)));
            write(out.resolve("histories.txt"), count, i -> unitPath(random.nextInt(n)) + "/history");
        }
        System.out.printf("wrote %d paths per kind to %s (tree size %d)%n", count, out, size);
    }

    private static String unitPath(int u) {
        String[] unit = DatasetLoader.unit(u);
        return "/api/v1/units/" + unit[0] + "/" + unit[1];
    }

    private static void write(Path file, int count, IntFunction<String> path) throws IOException {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(path.apply(i));
        }
        Files.write(file, lines);
    }
}
