package org.fabtrail.testing;

import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.Receipt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Appends as the tests that run a whole application make them: one at a time, or many writers at once. */
public final class Appends {

    private Appends() {
    }

    /** One write of a concurrent writer: its {@code i}-th of writer number {@code writer}. */
    @FunctionalInterface
    public interface Write {
        void run(int writer, int i) throws Exception;
    }

    /** The operator's registration of {@code org}, a distributor in DE named "Org {@code org}". */
    public static Envelope orgRegister(OperatorEntries operator, String org) {
        return operator.sign("org.register", Map.of("org", org, "name", "Org " + org, "country", "DE",
                "roles", List.of("distributor")));
    }

    /**
     * Registers {@code org} ({@link #orgRegister}) through {@code ledger} and waits at most {@code seconds} for its
     * receipt; a refused or failed append throws its own exception.
     */
    public static Receipt registerOrg(Ledger ledger, OperatorEntries operator, String org, int seconds)
            throws Exception {
        try {
            return ledger.append(orgRegister(operator, org)).get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * {@code writers} threads each make {@code each} writes at once; fails if any write fails or the writers are not
     * done within two minutes.
     */
    public static void concurrently(int writers, int each, Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        write.run(writer, i);
                    }
                    return each;
                }));
            }
            for (Future<Integer> d : done) {
                assertEquals(each, d.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
