package org.fabtrail.api.auth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The token bucket both per-token rate limits and throttled guessing count with. Callers read the clock before they
 * take a bucket's lock, so two requests at once may reach a bucket in the other order than they read the clock; a
 * bucket must then count as if the later one's time had passed for both (what the rate limiter did when it read the
 * clock under the lock), never as if time went back.
 */
class TokenBucketsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBucketStartsFullAndRefillsAtItsRate() {
        TokenBuckets<String> b = new TokenBuckets<>();
        assertEquals(0, b.tryTake("k", 2, 1, 0));
        assertEquals(0, b.tryTake("k", 2, 1, 0));
        assertEquals(1, b.tryTake("k", 2, 1, 0), "empty: a whole token in a second");
        assertEquals(0, b.wait("k", 2, 1, SECOND));
        assertEquals(0, b.wait("other", 2, 1, 0), "no bucket, no wait");
    }

    @Test
    void aRequestThatReadTheClockEarlierButLocksLaterTakesNothingFromTheRefill() {
        TokenBuckets<String> b = new TokenBuckets<>();
        assertEquals(0, b.tryTake("k", 1, 1, 10 * SECOND), "full: the one token taken at 10 s");
        // a request that read the clock at 9.5 s reaches the bucket now: it is empty, and a token is a second away
        assertEquals(1, b.tryTake("k", 1, 1, 10 * SECOND - SECOND / 2));
        assertEquals(0, b.tryTake("k", 1, 1, 11 * SECOND), "a second after the take the bucket holds a token again");
        assertEquals(1, b.wait("k", 1, 1, 11 * SECOND));
    }

    @Test
    void anAllowanceTakenOutOfOrderIsNotGivenBackLater() {
        TokenBuckets<String> b = new TokenBuckets<>();
        b.take("k", 2, 1, 10 * SECOND);
        b.take("k", 2, 1, 10 * SECOND);
        b.take("k", 2, 1, 9 * SECOND);
        // two failures at 10 s used the allowance up; the one read at 9 s cannot add a second of refill back
        assertEquals(1, b.wait("k", 2, 1, 10 * SECOND));
        assertEquals(0, b.wait("k", 2, 1, 11 * SECOND));
        assertEquals(1, b.tryTake("k", 2, 1, 11 * SECOND) + b.tryTake("k", 2, 1, 11 * SECOND),
                "one token regained in the second since 10 s, not two");
    }

    @Test
    void requestsAtOnceTakeEachTokenExactlyOnce() throws Exception {
        TokenBuckets<String> b = new TokenBuckets<>();
        AtomicInteger taken = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        if (b.tryTake("k", 300, 0.001, SECOND) == 0) {
                            taken.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(300, taken.get(), "2,000 requests at one instant against a bucket of 300");
    }
}
