package org.fabtrail.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.OptionalLong;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): the code of a 30-second step from Unix time 0, with
 * HMAC-SHA-1 (what authenticator apps use), SHA-256 or SHA-512. {@link #match} accepts the step before and after
 * the current one (clock drift), and only a step later than the last one used, so a code is never taken twice.
 * Pure functions; the caller keeps the secret (sealed) and the last step used.
 */
public final class Totp {

    /** The step length, seconds (RFC 6238's X). */
    public static final long STEP = 30;
    /** Digits of the codes people type. */
    public static final int DIGITS = 6;
    /** A new secret's length: 160 bits, RFC 4226's recommendation for SHA-1. */
    public static final int SECRET_BYTES = 20;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public enum Algorithm {
        SHA1("HmacSHA1"), SHA256("HmacSHA256"), SHA512("HmacSHA512");

        final String mac;

        Algorithm(String mac) {
            this.mac = mac;
        }
    }

    private Totp() {
    }

    /** A new random secret. */
    public static byte[] newSecret() {
        byte[] s = new byte[SECRET_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }

    /** The step that Unix time {@code epochSeconds} falls in (RFC 6238's T). */
    public static long step(long epochSeconds) {
        return Math.floorDiv(epochSeconds, STEP);
    }

    /** The {@code digits}-digit code of a step, zero-padded (RFC 4226 section 5.3, dynamic truncation). */
    public static String code(byte[] secret, long step, int digits, Algorithm algorithm) {
        if (digits < 6 || digits > 9) {
            throw new IllegalArgumentException("6 to 9 digits");
        }
        byte[] hash;
        try {
            Mac mac = Mac.getInstance(algorithm.mac);
            mac.init(new SecretKeySpec(secret, algorithm.mac));
            hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.mac + " unavailable", e);
        }
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        int mod = 1;
        for (int i = 0; i < digits; i++) {
            mod *= 10;
        }
        String s = Integer.toString(binary % mod);
        return "0".repeat(digits - s.length()) + s;
    }

    /**
     * The step a typed 6-digit SHA-1 code belongs to, if it is the code of the current step or of the one before or
     * after, and that step is later than {@code lastUsed} (a code already taken, or an older one, never matches).
     * The comparison does not stop at the first differing digit.
     */
    public static OptionalLong match(byte[] secret, String typed, long epochSeconds, long lastUsed) {
        if (typed == null) {
            return OptionalLong.empty();
        }
        String t = typed.replace(" ", "");
        if (t.length() != DIGITS || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long now = step(epochSeconds);
        for (long s = now - 1; s <= now + 1; s++) {
            if (s > lastUsed && java.security.MessageDigest.isEqual(
                    code(secret, s, DIGITS, Algorithm.SHA1).getBytes(StandardCharsets.US_ASCII),
                    t.getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }

    /** RFC 4648 base32, no padding (how otpauth URIs carry the secret). */
    public static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /**
     * The {@code otpauth://totp/} URI authenticator apps read (Google Authenticator's key URI format): the issuer and
     * account as the label, the secret in base32, SHA-1, 6 digits, 30 seconds.
     */
    public static String uri(String issuer, String account, byte[] secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
