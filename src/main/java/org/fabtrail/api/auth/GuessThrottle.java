package org.fabtrail.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Throttled guessing: failed authentications (unknown bearer tokens, the admin token guessed wrong, wrong sign-ins)
 * are counted per client address and per presented credential, a token's first {@value #PREFIX} characters or a
 * sign-in's username. Each has an allowance of {@code fabtrail.auth.failures-per-address} (or
 * {@code -per-credential}) failures that refills evenly over {@code fabtrail.auth.failure-window}; once it is used
 * up, attempts from that address or with that credential are answered 429 with the seconds until the next may be
 * checked, before anything is looked up: a throttled guess costs no database query, no password hash and no
 * comparison with the admin token. Successful authentications take nothing from the allowance.
 *
 * <p>Kept in memory, per instance, like the per-token rate limits ({@link RateLimiter}); the state of an address or
 * credential is forgotten once its allowance is full again.
 */
@ApplicationScoped
public class GuessThrottle {

    /** How many leading characters of a bearer token name its credential. */
    public static final int PREFIX = 8;

    @Inject
    AuthConfig auth;

    private final TokenBuckets<String> buckets = new TokenBuckets<>();

    /** The credential of a bearer token: its first characters (never logged). */
    public static String tokenCredential(String token) {
        return "token:" + (token.length() > PREFIX ? token.substring(0, PREFIX) : token);
    }

    /** The credential of a sign-in: the username as the sign-in form normalises it. */
    public static String userCredential(String username) {
        return "user:" + (username.length() > 100 ? username.substring(0, 100) : username);
    }

    /**
     * Seconds until an attempt from {@code address} with {@code credential} may be checked; 0 when it may be checked
     * now.
     */
    public long retryAfter(String address, String credential) {
        long now = System.nanoTime();
        return Math.max(buckets.wait("address:" + address, perAddress(), rate(perAddress()), now),
                buckets.wait(credential, perCredential(), rate(perCredential()), now));
    }

    /** Counts one failed authentication against the address and the credential. */
    public void failed(String address, String credential) {
        buckets.sweep(auth.failureWindow().toNanos());
        long now = System.nanoTime();
        buckets.take("address:" + address, perAddress(), rate(perAddress()), now);
        buckets.take(credential, perCredential(), rate(perCredential()), now);
    }

    private int perAddress() {
        return auth.failuresPerAddress();
    }

    private int perCredential() {
        return auth.failuresPerCredential();
    }

    /** Failures regained per second by an allowance of {@code size}. */
    private double rate(int size) {
        return size / Math.max(0.001, auth.failureWindow().toMillis() / 1000.0);
    }
}
