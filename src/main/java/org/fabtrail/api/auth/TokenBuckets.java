package org.fabtrail.api.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key, kept in memory, per instance: a bucket holds up to {@code size} tokens (fractions while it
 * refills), regains {@code rate} tokens a second, and starts full. The per-token rate limits ({@link RateLimiter})
 * and the throttled guessing ({@link GuessThrottle}) count with it; they pass size and rate on every call, so a
 * changed setting applies at once. Thread-safe: a bucket is refilled, taken from and forgotten only inside the map's atomic per-key operations.
 *
 * @param <K> what a bucket is kept for (an API token's id, an address, a credential)
 */
final class TokenBuckets<K> {

    private static final class Bucket {
        /** Tokens held (may be fractional while refilling). */
        double tokens;
        long updatedNanos;
    }

    private final ConcurrentHashMap<K, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.nanoTime();

    /**
     * Seconds until the bucket of {@code key} holds a whole token (at least 1); 0 when it holds one at {@code now}
     * or has no bucket. Takes nothing.
     */
    long wait(K key, double size, double rate, long now) {
        long[] wait = {0};
        buckets.computeIfPresent(key, (k, b) -> {
            refill(b, size, rate, now);
            wait[0] = secondsToWhole(b, rate);
            return b;
        });
        return wait[0];
    }

    /**
     * Takes a token from the bucket of {@code key} when it holds one, and returns 0; otherwise takes nothing and
     * returns the seconds until it will hold one (at least 1).
     */
    long tryTake(K key, double size, double rate, long now) {
        long[] wait = {0};
        buckets.compute(key, (k, b) -> {
            Bucket held = refilled(b, size, rate, now);
            wait[0] = secondsToWhole(held, rate);
            if (wait[0] == 0) {
                held.tokens -= 1;
            }
            return held;
        });
        return wait[0];
    }

    /** Takes a token from the bucket of {@code key}, or what is left of one: the bucket never goes below empty. */
    void take(K key, double size, double rate, long now) {
        buckets.compute(key, (k, b) -> {
            Bucket held = refilled(b, size, rate, now);
            held.tokens = Math.max(0, held.tokens - 1);
            return held;
        });
    }

    /**
     * Forgets the buckets untouched for longer than {@code idleNanos} (at most once a minute), so memory follows the
     * callers of the moment; a caller passes a time after which a bucket is full again, so forgetting changes nothing.
     * A bucket is read, taken from and forgotten only inside the map's atomic per-key operations, so a take can never
     * land in a bucket the sweep has just dropped (which would give the key a fresh, full bucket: one token extra).
     */
    void sweep(long idleNanos) {
        long now = System.nanoTime();
        if (now - lastSweep < 60_000_000_000L) {
            return;
        }
        lastSweep = now;
        for (K key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, b) -> now - b.updatedNanos > idleNanos ? null : b);
        }
    }

    /** The bucket {@code b} refilled to {@code now}, or a full one when the key has none. */
    private static Bucket refilled(Bucket b, double size, double rate, long now) {
        if (b == null) {
            Bucket nb = new Bucket();
            nb.tokens = size;
            nb.updatedNanos = now;
            return nb;
        }
        refill(b, size, rate, now);
        return b;
    }

    /**
     * Adds what the time since the bucket's last use regained. A caller reads the clock before its per-key operation runs, so
     * {@code now} may be earlier than a time another caller already counted: then no time has passed (time never goes
     * back for a bucket, as when the clock was read inside the operation).
     */
    private static void refill(Bucket b, double size, double rate, long now) {
        if (now - b.updatedNanos > 0) {
            b.tokens = Math.min(size, b.tokens + (now - b.updatedNanos) / 1e9 * rate);
            b.updatedNanos = now;
        }
    }

    private static long secondsToWhole(Bucket b, double rate) {
        return b.tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - b.tokens) / rate));
    }
}
