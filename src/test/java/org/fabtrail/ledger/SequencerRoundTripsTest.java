package org.fabtrail.ledger;

import org.fabtrail.testing.LedgerFixture;
import org.fabtrail.testing.RoundTrips;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one sequencer batch costs in round trips to PostgreSQL, counted (issue 14: small batches pay the per-batch
 * round trips; ADR 0026): the same for 10 entries as for 200, and no more than {@link #BUDGET}.
 */
class SequencerRoundTripsTest {

    /**
     * Round trips of a batch of organisation registrations after ADR 0026: head lock with the batch's planning mode,
     * idempotency lookup, the registry's reads and writes, entries and nodes by COPY, checkpoint with head, commit.
     */
    static final int BUDGET = 9;

    @Test
    void aBatchCostsTheSameRoundTripsWhateverItsSize() {
        try (LedgerFixture f = new LedgerFixture("roundtrips")) {
            f.genesis();
            RoundTrips trips = new RoundTrips();
            try (Sequencer s = new Sequencer(trips.wrap(f.dataSource), f.store, f.signer, f.policy,
                    Sequencer.Settings.defaults(), f.clock)) {
                batch(f, s, "warm", 3); // the first batch also loads the tree's border
                trips.take();
                batch(f, s, "small", 10);
                Map<String, Integer> small = trips.take();
                batch(f, s, "large", 200);
                Map<String, Integer> large = trips.take();
                assertEquals(small, large, "round trips per batch of 10 and of 200 entries");
                int total = large.values().stream().mapToInt(Integer::intValue).sum();
                assertTrue(total <= BUDGET, total + " round trips per batch: " + large);
            }
        }
    }

    private static void batch(LedgerFixture f, Sequencer s, String prefix, int n) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            envelopes.add(f.orgRegister(prefix + "-" + i));
        }
        List<CompletableFuture<Receipt>> receipts = s.submitAll(envelopes);
        long size = receipts.stream().map(CompletableFuture::join).map(r -> r.inclusionProof().treeSize()).distinct()
                .count();
        assertEquals(1, size, "one batch, one checkpoint");
    }
}
