package org.fabtrail.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.ledger.LedgerException;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API token: {@code fabtrail.api.rate-per-second} requests a second on average, bursts up to
 * {@code fabtrail.api.rate-burst}. Over the limit a request is refused with 429 and a Retry-After that says when
 * the next one will be let through. Per instance (each instance counts its own requests).
 */
@ApplicationScoped
public class RateLimiter {

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    @Inject
    ApiConfig api;

    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.nanoTime();

    public void acquire(UUID token) {
        sweep();
        double rate = api.ratePerSecond();
        double burst = api.rateBurst();
        Bucket b = buckets.computeIfAbsent(token, k -> {
            Bucket nb = new Bucket();
            nb.tokens = burst;
            nb.updatedNanos = System.nanoTime();
            return nb;
        });
        synchronized (b) {
            long now = System.nanoTime();
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedNanos) / 1e9 * rate);
            b.updatedNanos = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return;
            }
            long retry = (long) Math.ceil((1 - b.tokens) / rate);
            throw new LedgerException(LedgerException.Kind.RATE_LIMITED, "rate-limited", "Too many requests",
                    "This token may make " + (long) rate + " requests a second (bursts of " + (long) burst
                            + "); retry in " + Math.max(1, retry) + " s", Map.of("retryAfter", Math.max(1, retry)), null);
        }
    }

    /** Forgets buckets idle long enough to be full again (at most once a minute), so memory follows active tokens. */
    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweep < 60_000_000_000L) {
            return;
        }
        lastSweep = now;
        double refillSeconds = api.rateBurst() / Math.max(1e-9, api.ratePerSecond());
        long idle = (long) (Math.max(60, refillSeconds) * 1e9);
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now - e.getValue().updatedNanos > idle;
            }
        });
    }
}
