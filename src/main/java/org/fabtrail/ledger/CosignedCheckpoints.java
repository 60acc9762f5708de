package org.fabtrail.ledger;

import org.fabtrail.ledger.checkpoint.WitnessPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The newest checkpoint of this log that meets the operator's witness policy, held in memory (so serving it costs no
 * query), and the requests waiting for one of at least some size.
 *
 * <p>Contract: {@link #offer} only ever moves the newest forward; a waiter completes with the first newest of at
 * least its size, or with {@link CosignatureTimeout} after its timeout; at most {@link #MAX_WAITERS} wait at a time,
 * beyond which waiting is refused at once ({@code 503 ledger-busy}). Thread-safe.
 */
public final class CosignedCheckpoints {

    /** Requests that may wait for a cosigned checkpoint at one time, per instance. */
    public static final int MAX_WAITERS = 10_000;

    /** No cosigned checkpoint of the size asked for came in time. */
    public static final class CosignatureTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CosignatureTimeout() {
            super(null, null, false, false);
        }
    }

    private record Waiter(long size, CompletableFuture<CosignatureStore.Cosigned> future) {
    }

    private final WitnessPolicy policy;
    private volatile CosignatureStore.Cosigned newest;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.size, b.size));

    public CosignedCheckpoints(WitnessPolicy policy) {
        this.policy = policy;
    }

    /** @return the operator's witness policy */
    public WitnessPolicy policy() {
        return policy;
    }

    /** @return the newest checkpoint known to meet the policy */
    public Optional<CosignatureStore.Cosigned> newest() {
        return Optional.ofNullable(newest);
    }

    /** Takes a checkpoint that meets the policy, if it is newer than the one held, and wakes its waiters. */
    public void offer(CosignatureStore.Cosigned cosigned) {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            CosignatureStore.Cosigned held = newest;
            if (held != null && (held.treeSize() > cosigned.treeSize() || (held.treeSize() == cosigned.treeSize()
                    && held.witnesses().size() >= cosigned.witnesses().size()))) {
                return;
            }
            newest = cosigned;
            while (!waiters.isEmpty() && waiters.peek().size <= cosigned.treeSize()) {
                done.add(waiters.poll());
            }
        }
        for (Waiter w : done) {
            w.future.complete(cosigned);
        }
    }

    /**
     * A future of the first checkpoint of at least {@code size} that meets the policy.
     *
     * @param timeout how long to wait at most
     * @return completes with the checkpoint, or exceptionally with {@link CosignatureTimeout}, or with a
     *         {@link LedgerException} BUSY when too many are waiting
     */
    public CompletableFuture<CosignatureStore.Cosigned> await(long size, Duration timeout) {
        CosignatureStore.Cosigned held = newest;
        if (held != null && held.treeSize() >= size) {
            return CompletableFuture.completedFuture(held);
        }
        CompletableFuture<CosignatureStore.Cosigned> f = new CompletableFuture<>();
        Waiter w = new Waiter(size, f);
        synchronized (waiters) {
            held = newest;
            if (held != null && held.treeSize() >= size) {
                return CompletableFuture.completedFuture(held);
            }
            if (waiters.size() >= MAX_WAITERS) {
                return CompletableFuture.failedFuture(new LedgerException(LedgerException.Kind.BUSY, "ledger-busy",
                        "Ledger busy", "Too many requests wait for a cosigned checkpoint; retry shortly",
                        Map.of("retryAfter", 1), null));
            }
            waiters.add(w);
        }
        f.completeOnTimeout(null, Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        return f.thenApply(c -> {
            if (c == null) {
                synchronized (waiters) {
                    waiters.remove(w);
                }
                throw new CosignatureTimeout();
            }
            return c;
        });
    }

    /** @return requests waiting now */
    public int waiting() {
        synchronized (waiters) {
            return waiters.size();
        }
    }
}
