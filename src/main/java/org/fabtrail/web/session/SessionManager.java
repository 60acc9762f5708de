package org.fabtrail.web.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.SecondFactor;
import org.fabtrail.accounts.WebSession;
import org.fabtrail.api.auth.GuessThrottle;
import org.fabtrail.crypto.Passwords;
import org.fabtrail.custody.Organisations;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Form login and server-side sessions. Passwords are Argon2id hashes; a session is a random 256-bit token in an
 * HttpOnly cookie whose SHA-256 keys a row, so logout (deleting the row) really ends it. Sessions end after
 * {@link #IDLE} without a request and after {@link #ABSOLUTE} in any case. Repeated failures for a username or
 * from an address are throttled ({@link GuessThrottle}: {@code fabtrail.auth.*}, per instance): once throttled, a
 * sign-in is refused before the account is looked up or any password hashed, the right password included. Each
 * checked failure is recorded in {@code login_failures} (username, address, time) for the operator's review.
 */
@ApplicationScoped
public class SessionManager {

    public static final String COOKIE = "ft_session";
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);
    /** How long the code form of a second factor stays valid, and how many codes it takes. */
    public static final Duration CODE_FORM = Duration.ofMinutes(5);
    public static final int CODE_TRIES = 5;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Compared against when the username does not exist, so timing does not reveal which usernames exist. */
    private static final String DECOY = Passwords.decoy();

    @Inject
    Clock clock;
    @Inject
    Organisations organisations;
    @Inject
    GuessThrottle throttle;
    @Inject
    SecondFactor secondFactor;

    /** Why a login was refused, in words for the form. */
    public static final class LoginRefused extends Exception {
        LoginRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** A sign-in refused unchecked because of earlier failures (HTTP 429); {@link #retryAfter} in seconds. */
    public static final class LoginThrottled extends Exception {
        public final long retryAfter;

        LoginThrottled(long retryAfter) {
            super(retryAfter < 120 ? Texts.of(FormMessages.class).signin_throttled_seconds(retryAfter)
                    : Texts.of(FormMessages.class).signin_throttled_minutes((retryAfter + 59) / 60), null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /**
     * The password was right and the account has a second factor: the code form carries {@link #challenge}, and
     * {@link #completeSecondFactor} opens the session.
     */
    public static final class SecondFactorRequired extends Exception {
        public final String challenge;

        SecondFactorRequired(String challenge) {
            super("second factor required", null, false, false);
            this.challenge = challenge;
        }
    }

    /**
     * Checks the password and opens a session; returns the cookie token.
     *
     * @param address the client's address as the HTTP limits count it (api.HttpLimits#clientAddress)
     * @param next    where the code form, if the account has a second factor, leads afterwards
     * @throws SecondFactorRequired when the password was right and the account has a second factor
     */
    public String login(String username, String password, String address, String next) throws LoginRefused,
            LoginThrottled, SecondFactorRequired {
        String user = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        String credential = GuessThrottle.userCredential(user);
        long wait = throttle.retryAfter(address, credential);
        if (wait > 0) {
            throw new LoginThrottled(wait);
        }
        Instant now = clock.instant();
        Optional<Account> account = QuarkusTransaction.requiringNew().call(() -> Account.byUsername(user));
        boolean ok = Passwords.verify(password == null ? "" : password,
                account.map(a -> a.passwordHash).orElse(DECOY)) && account.isPresent() && account.get().disabledAt == null
                && !account.get().externalOnly;
        if (!ok) {
            failed(user, address, credential);
            throw new LoginRefused(Texts.of(FormMessages.class).signin_wrong_password());
        }
        if (account.get().totpSecret != null) {
            String challenge = randomToken();
            QuarkusTransaction.requiringNew().run(() -> {
                SecondFactorChallenge c = new SecondFactorChallenge();
                c.tokenHash = sha256(challenge);
                c.userId = account.get().id;
                c.nextPath = next;
                c.createdAt = now;
                c.persist();
            });
            throw new SecondFactorRequired(challenge);
        }
        return open(account.get().id);
    }

    /** A wrong code in a code form that may be tried again (the form is shown once more). */
    public static final class WrongCode extends Exception {
        WrongCode() {
            super(Texts.of(FormMessages.class).signin_wrong_code(), null, false, false);
        }
    }

    /** Where a finished code form leads: the {@code next} of its sign-in. */
    public record CodeAccepted(String token, String next) {
    }

    /**
     * The code form's second step: the account's current TOTP code (the step before or after too; never one already
     * taken) opens the session. A wrong code counts as a failed sign-in of the account (throttling, the failures
     * table); the form takes {@link #CODE_TRIES} codes within {@link #CODE_FORM}, then the password is asked again.
     */
    public CodeAccepted completeSecondFactor(String challenge, String code, String address) throws LoginRefused,
            LoginThrottled, WrongCode {
        if (challenge == null || challenge.isEmpty() || challenge.length() > 100) {
            throw new LoginRefused(Texts.of(FormMessages.class).signin_expired());
        }
        byte[] hash = sha256(challenge);
        Instant now = clock.instant();
        Optional<Account> account = QuarkusTransaction.requiringNew().call(() -> {
            SecondFactorChallenge c = SecondFactorChallenge.findById(hash);
            if (c == null) {
                return Optional.<Account>empty();
            }
            if (c.createdAt.plus(CODE_FORM).isBefore(now) || c.attempts >= CODE_TRIES) {
                c.delete();
                return Optional.<Account>empty();
            }
            return Optional.ofNullable(Account.<Account>findById(c.userId));
        });
        if (account.isEmpty() || account.get().disabledAt != null) {
            throw new LoginRefused(Texts.of(FormMessages.class).signin_expired());
        }
        String user = account.get().username;
        String credential = GuessThrottle.userCredential(user);
        long wait = throttle.retryAfter(address, credential);
        if (wait > 0) {
            throw new LoginThrottled(wait);
        }
        if (!secondFactor.check(account.get().id, code)) {
            QuarkusTransaction.requiringNew().run(() -> SecondFactorChallenge.update("attempts = attempts + 1 "
                    + "where tokenHash = ?1", hash));
            failed(user, address, credential);
            throw new WrongCode();
        }
        String next = QuarkusTransaction.requiringNew().call(() -> {
            SecondFactorChallenge c = SecondFactorChallenge.findById(hash);
            String n = c == null ? "/" : c.nextPath;
            SecondFactorChallenge.delete("tokenHash", hash);
            return n;
        });
        return new CodeAccepted(open(account.get().id), next);
    }

    private void failed(String user, String address, String credential) {
        throttle.failed(address, credential);
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            LoginFailure f = new LoginFailure();
            f.username = user;
            f.address = address;
            f.at = now;
            f.persist();
        });
    }

    /** Opens a session for an account that proved who it is (password and code, or its identity provider). */
    public String open(UUID accountId) {
        Instant now = clock.instant();
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        QuarkusTransaction.requiringNew().run(() -> {
            WebSession s = new WebSession();
            s.tokenHash = sha256(token);
            s.userId = accountId;
            s.csrfToken = randomToken();
            s.createdAt = now;
            s.lastSeenAt = now;
            s.persist();
        });
        return token;
    }

    /** The signed-in viewer for a cookie token, if the session is alive; refreshes its idle timer. */
    public Optional<Viewer> viewer(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            WebSession s = WebSession.findById(hash);
            if (s == null) {
                return Optional.<Viewer>empty();
            }
            if (s.lastSeenAt.plus(IDLE).isBefore(now) || s.createdAt.plus(ABSOLUTE).isBefore(now)) {
                s.delete();
                return Optional.<Viewer>empty();
            }
            Account a = Account.findById(s.userId);
            if (a == null || a.disabledAt != null) {
                s.delete();
                return Optional.<Viewer>empty();
            }
            if (s.lastSeenAt.isBefore(now.minusSeconds(30))) {
                s.lastSeenAt = now;
            }
            List<String> roles = a.orgId == null ? List.of() : orgRoles(a.orgId);
            boolean seesAll = a.isOperator() || roles.contains("inspector") || roles.contains("regulator");
            return Optional.of(new Viewer(a.id, a.username, a.displayName, a.orgId, a.role, seesAll, roles, s.csrfToken));
        });
    }

    private List<String> orgRoles(String org) {
        return organisations.roles(org);
    }

    /** Ends the session for good (the row is deleted; the cookie is worthless from now on). */
    public void logout(String token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        byte[] hash = sha256(token);
        QuarkusTransaction.requiringNew().run(() -> WebSession.delete("tokenHash", hash));
    }

    static String randomToken() {
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
