package org.fabtrail.bench;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.ledger.Sequencer;
import org.fabtrail.testing.LedgerFixture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ledger without HTTP: admission (parse, signature) and the sequencer against the embedded durable
 * PostgreSQL, with the sequencer's time per phase. Separates what the database costs from what the HTTP layer
 * costs (compare with LedgerBenchmark). Run: see docs/benchmarks.md.
 */
public final class SequencerBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int run = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        try (LedgerFixture f = new LedgerFixture("bench")) {
            f.genesis();
            SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
            f.append(f.operator.sign("org.register", Map.of("org", "fab", "name", "Fab", "country", "TW",
                    "roles", List.of("manufacturer"))));
            f.append(f.keyAdd("fab", key));
            f.append(f.signed(key, "fab", "site.register", Map.of("site", "f1", "name", "F1", "country", "TW", "address", "x")));
            List<String> bodies = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bodies.add(org.fabtrail.crypto.Jcs.canonicalString(f.signed(key, "fab", "unit.register",
                        Map.of("serial", "G-" + UUID.randomUUID(), "kind", "accelerator", "model", "H200-SXM",
                                "eccn", "3A090.a", "site", "f1")).json()));
            }
            System.out.printf("%d unit registrations in runs of %d from %d clients (parse + verify + sequence)%n",
                    n, run, clients);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                fs.add(pool.submit(() -> {
                    for (int from = client * run; from < n; from += clients * run) {
                        List<Envelope> envs = new ArrayList<>(run);
                        for (String b : bodies.subList(from, Math.min(n, from + run))) {
                            envs.add(f.parser.parse(b));
                        }
                        for (CompletableFuture<Receipt> r : f.ledger.appendAll(envs)) {
                            r.get();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> fu : fs) {
                fu.get();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            Sequencer.Stats s = f.sequencer.stats();
            System.out.printf("%.0f entries/s (%.1f s); %d batches, %.0f entries per batch%n", n / secs, secs,
                    s.batches(), (double) s.entries() / Math.max(1, s.batches()));
            s.nanos().forEach((phase, nanos) -> System.out.printf("  %-8s %7.1f ms total, %6.3f ms/batch, %5.1f us/entry%n",
                    phase, nanos / 1e6, nanos / 1e6 / Math.max(1, s.batches()), nanos / 1e3 / Math.max(1, s.entries())));
        }
    }
}
