package org.fabtrail.ledger;

import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one write path, {@link Ledger#submitAndWait} and {@link Ledger#submitAllAndWait}: a receipt, the entry's own
 * refusal, or {@code 503 commit-timeout} after the configured commit wait, after which the entry may still land.
 */
class SubmitAndWaitTest {

    private LedgerFixture f;
    private final CountDownLatch release = new CountDownLatch(1);
    private Sequencer held;
    /** A ledger on the fixture's database whose sequencer holds every batch until {@link #release} opens. */
    private Ledger slow;

    @BeforeEach
    void setUp() {
        f = LedgerFixture.withGenesis("submitwait");
        EntryPolicy holding = new EntryPolicy() {
            @Override
            public Envelope admit(Envelope envelope) {
                return f.policy.admit(envelope);
            }

            @Override
            public void prepare(List<Envelope> batch, BatchContext context) throws SQLException {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                f.policy.prepare(batch, context);
            }

            @Override
            public void apply(Envelope e, long index, Instant at, BatchContext context) throws SQLException {
                f.policy.apply(e, index, at, context);
            }

            @Override
            public void complete(BatchContext context) throws SQLException {
                f.policy.complete(context);
            }
        };
        held = f.newSequencer(holding, Sequencer.Settings.defaults());
        slow = new Ledger(f.dataSource, f.store, holding, held, Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        held.close();
        f.close();
    }

    @Test
    void aCommitSlowerThanTheWaitIsCommitTimeoutAndTheEntryMayStillLand() {
        Envelope e = f.orgRegister("late-org");
        LedgerException timeout = assertThrows(LedgerException.class, () -> slow.submitAndWait(e));
        assertEquals("commit-timeout", timeout.code());
        assertEquals(LedgerException.Kind.UNAVAILABLE, timeout.kind());
        release.countDown();
        // The same envelope again: answered with the original receipt once the held batch committed.
        Receipt again = f.ledger.submitAndWait(e);
        assertTrue(again.duplicate());
        assertEquals(again.index(), slow.submitAndWait(e).index());
    }

    @Test
    void aRunHasOneOutcomePerEntryInOrder() {
        release.countDown();
        Envelope ok = f.orgRegister("run-org");
        Envelope refused = f.keyAdd("no-such-org", f.operatorKey);
        List<Ledger.Outcome> out = f.ledger.submitAllAndWait(List.of(ok, refused));
        assertEquals(2, out.size());
        assertTrue(out.get(0).written());
        assertNull(out.get(0).refusal());
        assertFalse(out.get(1).written());
        assertNull(out.get(1).receipt());
        assertEquals(LedgerException.Kind.RULE, out.get(1).refusal().kind());
    }

    @Test
    void aRunSlowerThanTheWaitTimesOutAsAWhole() {
        List<Ledger.Outcome> out = slow.submitAllAndWait(List.of(f.orgRegister("a-org"), f.orgRegister("b-org")));
        assertEquals(List.of("commit-timeout", "commit-timeout"),
                out.stream().map(o -> o.refusal().code()).toList());
    }
}
