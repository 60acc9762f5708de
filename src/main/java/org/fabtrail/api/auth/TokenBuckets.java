package org.fabtrail.api.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key, kept in memory, per instance: a bucket holds up to {@code size} tokens (fractions while it
 * refills), regains {@code rate} tokens a second, and starts full. The per-token rate limits ({@link RateLimiter})
 * and the throttled guessing ({@link GuessThrottle}) count with it; they pass size and rate on every call, so a
 * changed setting applies at once. Thread-safe: a bucket is refilled and taken from under its own lock.
 *
 * @param <K> what a bucket is kept for (an API token's id, an address, a credential)
 */
final class TokenBuckets<K> {

    private static final class Bucket {
        /** Tokens held (may be fractional while refilling). */
        double tokens;
        long updatedNanos;
    }

    private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.nanoTime();

    /**
     * Seconds until the bucket of {@code key} holds a whole token (at least 1); 0 when it holds one at {@code now}
     * or has no bucket. Takes nothing.
     */
    long wait(K key, double size, double rate, long now) {
        Bucket b = buckets.get(key);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            refill(b, size, rate, now);
            return secondsToWhole(b, rate);
        }
    }

    /**
     * Takes a token from the bucket of {@code key} when it holds one, and returns 0; otherwise takes nothing and
     * returns the seconds until it will hold one (at least 1).
     */
    long tryTake(K key, double size, double rate, long now) {
        Bucket b = bucket(key, size, now);
        synchronized (b) {
            refill(b, size, rate, now);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return secondsToWhole(b, rate);
        }
    }

    /** Takes a token from the bucket of {@code key}, or what is left of one: the bucket never goes below empty. */
    void take(K key, double size, double rate, long now) {
        Bucket b = bucket(key, size, now);
        synchronized (b) {
            refill(b, size, rate, now);
            b.tokens = Math.max(0, b.tokens - 1);
        }
    }

    /**
     * Forgets the buckets untouched for longer than {@code idleNanos} (at most once a minute), so memory follows the
     * callers of the moment; a caller passes a time after which a bucket is full again, so forgetting changes nothing.
     */
    void sweep(long idleNanos) {
        long now = System.nanoTime();
        if (now - lastSweep < 60_000_000_000L) {
            return;
        }
        lastSweep = now;
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now - e.getValue().updatedNanos > idleNanos;
            }
        });
    }

    private Bucket bucket(K key, double size, long now) {
        return buckets.computeIfAbsent(key, k -> {
            Bucket nb = new Bucket();
            nb.tokens = size;
            nb.updatedNanos = now;
            return nb;
        });
    }

    /**
     * Adds what the time since the bucket's last use regained. A caller reads the clock before it takes the lock, so
     * {@code now} may be earlier than a time another caller already counted: then no time has passed (time never goes
     * back for a bucket, as when the clock was read under the lock).
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
