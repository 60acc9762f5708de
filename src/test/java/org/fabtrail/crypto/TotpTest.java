package org.fabtrail.crypto;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 6238 Appendix B's test vectors (8 digits, all three hash functions), and the window and reuse rules. */
class TotpTest {

    private static final byte[] SEED20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED32 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED64 = ("12345678901234567890123456789012345678901234567890123456789012"
            + "34").getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T = {0}")
    @CsvSource({
            "59,          94287082, 46119246, 90693936",
            "1111111109,  07081804, 68084774, 25091201",
            "1111111111,  14050471, 67062674, 99943326",
            "1234567890,  89005924, 91819424, 93441116",
            "2000000000,  69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238AppendixB(long time, String sha1, String sha256, String sha512) {
        long step = Totp.step(time);
        assertEquals(sha1, Totp.code(SEED20, step, 8, Totp.Algorithm.SHA1));
        assertEquals(sha256, Totp.code(SEED32, step, 8, Totp.Algorithm.SHA256));
        assertEquals(sha512, Totp.code(SEED64, step, 8, Totp.Algorithm.SHA512));
    }

    @Test
    void sixDigitCodesAreTheLastSixOfTheRfcsEight() {
        // dynamic truncation mod 10^6: the RFC's 8-digit SHA-1 value at T = 1111111109 is 07081804
        assertEquals("081804", Totp.code(SEED20, Totp.step(1111111109L), 6, Totp.Algorithm.SHA1));
    }

    @Test
    void acceptsTheStepBeforeAndAfterButNoFurther() {
        long now = 1_234_567_890L;
        long step = Totp.step(now);
        for (long delta = -3; delta <= 3; delta++) {
            String code = Totp.code(SEED20, step + delta, 6, Totp.Algorithm.SHA1);
            OptionalLong m = Totp.match(SEED20, code, now, 0);
            if (Math.abs(delta) <= 1) {
                assertEquals(OptionalLong.of(step + delta), m, "delta " + delta);
            } else {
                java.util.Set<String> window = new java.util.HashSet<>();
                for (long w = step - 1; w <= step + 1; w++) {
                    window.add(Totp.code(SEED20, w, 6, Totp.Algorithm.SHA1));
                }
                if (!window.contains(code)) {
                    assertTrue(m.isEmpty(), "delta " + delta);
                }
            }
        }
    }

    @Test
    void aCodeIsNeverTakenTwiceNorAnOlderOneAfterANewer() {
        long now = 2_000_000_000L;
        long step = Totp.step(now);
        String current = Totp.code(SEED20, step, 6, Totp.Algorithm.SHA1);
        String previous = Totp.code(SEED20, step - 1, 6, Totp.Algorithm.SHA1);
        OptionalLong used = Totp.match(SEED20, current, now, 0);
        assertEquals(OptionalLong.of(step), used);
        assertTrue(Totp.match(SEED20, current, now, used.getAsLong()).isEmpty(), "the same code again");
        assertTrue(Totp.match(SEED20, previous, now, used.getAsLong()).isEmpty(), "an older code after a newer one");
        String next = Totp.code(SEED20, step + 1, 6, Totp.Algorithm.SHA1);
        assertEquals(OptionalLong.of(step + 1), Totp.match(SEED20, next, now + 30, used.getAsLong()));
    }

    @Test
    void refusesWhatIsNotSixDigits() {
        long now = 59;
        for (String typed : new String[]{null, "", "12345", "1234567", "12a456", "１２３４５６", "287082\u0000"}) {
            assertTrue(Totp.match(SEED20, typed, now, -1).isEmpty(), String.valueOf(typed));
        }
        assertEquals(OptionalLong.of(1), Totp.match(SEED20, "287 082", now, -1), "spaces people type are ignored");
    }

    @Test
    void base32AndTheOtpauthUriAuthenticatorAppsRead() {
        // RFC 4648 section 10
        assertEquals("MZXW6YTBOI", Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("MY", Totp.base32("f".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(SEED20));
        assertEquals("otpauth://totp/Fabtrail:acme.admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Fabtrail"
                + "&algorithm=SHA1&digits=6&period=30", Totp.uri("Fabtrail", "acme.admin", SEED20));
    }
}
