package org.fabtrail.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.ledger.LedgerException;

import java.util.Map;
import java.util.UUID;

/**
 * A token bucket per API token: {@code fabtrail.api.rate-per-second} requests a second on average, bursts up to
 * {@code fabtrail.api.rate-burst}. Over the limit a request is refused with 429 and a Retry-After that says when
 * the next one will be let through. Per instance (each instance counts its own requests).
 */
@ApplicationScoped
public class RateLimiter {

    @Inject
    ApiConfig api;

    private final TokenBuckets<UUID> buckets = new TokenBuckets<>();

    public void acquire(UUID token) {
        double rate = api.ratePerSecond();
        double burst = api.rateBurst();
        // forget buckets idle long enough to be full again (at least a minute), so memory follows active tokens
        buckets.sweep((long) (Math.max(60, burst / Math.max(1e-9, rate)) * 1e9));
        long retry = buckets.tryTake(token, burst, rate, System.nanoTime());
        if (retry > 0) {
            throw new LedgerException(LedgerException.Kind.RATE_LIMITED, "rate-limited", "Too many requests",
                    "This token may make " + (long) rate + " requests a second (bursts of " + (long) burst
                            + "); retry in " + retry + " s", Map.of("retryAfter", retry), null);
        }
    }
}
