package org.fabtrail.accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import org.fabtrail.crypto.Sealer;
import org.fabtrail.crypto.Totp;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The TOTP second factor of local accounts (RFC 6238, {@link Totp}): enrolment (a pending secret a code must confirm),
 * checking a code at sign-in (the step before and after the current one, and never a step already taken), turning it
 * off. Offered to org admins and the operator's staff; secrets are sealed under the master key, bound to the account.
 */
@ApplicationScoped
public class SecondFactor {

    @Inject
    Clock clock;
    @Inject
    Sealer sealer;

    /** Whether this account may have a second factor: a local account of an org admin or the operator's staff. */
    public static boolean offered(Account a) {
        return !a.externalOnly && (a.isOperator() || a.isOrgAdmin());
    }

    /** Starts (or restarts) enrolment: a new secret, kept pending until {@link #confirm}; returns it for the QR code. */
    public byte[] enrol(UUID account) {
        byte[] secret = Totp.newSecret();
        byte[] sealed = sealer.get().seal(secret, pendingContext(account));
        QuarkusTransaction.requiringNew().run(() -> {
            Account a = Account.findById(account);
            a.totpPending = sealed;
        });
        return secret;
    }

    /** The pending secret, to show again with a refused code; empty when no enrolment is under way. */
    public Optional<byte[]> pending(UUID account) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Account a = Account.findById(account);
            return a == null || a.totpPending == null ? Optional.<byte[]>empty()
                    : Optional.of(sealer.get().open(a.totpPending, pendingContext(account)));
        });
    }

    /** Turns the pending secret on when the code is one of its codes; false (and nothing changed) otherwise. */
    public boolean confirm(UUID account, String code) {
        return locked(account, a -> {
            if (a.totpPending == null) {
                return false;
            }
            byte[] secret = sealer.get().open(a.totpPending, pendingContext(account));
            OptionalLong step = match(secret, code, 0);
            if (step.isEmpty()) {
                return false;
            }
            a.totpSecret = sealer.get().seal(secret, context(account));
            a.totpPending = null;
            a.totpLastStep = step.getAsLong();
            return true;
        });
    }

    /**
     * Checks a code of the account's secret and takes its step, in one transaction holding the account's row, so
     * the same code cannot be taken twice even by two requests at once.
     */
    public boolean check(UUID account, String code) {
        return locked(account, a -> {
            if (a.totpSecret == null) {
                return false;
            }
            OptionalLong step = match(sealer.get().open(a.totpSecret, context(account)), code, a.totpLastStep);
            step.ifPresent(s -> a.totpLastStep = s);
            return step.isPresent();
        });
    }

    /**
     * Runs {@code work} in a new transaction holding the account's row (a code checked in it cannot be taken by another
     * request at the same time); false, and nothing run, when there is no such account.
     */
    private static boolean locked(UUID account, Predicate<Account> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Account a = Account.findById(account, LockModeType.PESSIMISTIC_WRITE);
            return a != null && work.test(a);
        });
    }

    /** The step of {@code code} among the codes of {@code secret} at this time, if later than {@code after}. */
    private OptionalLong match(byte[] secret, String code, long after) {
        return Totp.match(secret, code, clock.instant().getEpochSecond(), after);
    }

    /** Turns the second factor off, given a current code; false (nothing changed) for a wrong one. */
    public boolean turnOff(UUID account, String code) {
        if (!check(account, code)) {
            return false;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Account a = Account.findById(account);
            a.totpSecret = null;
            a.totpPending = null;
        });
        return true;
    }

    private static String context(UUID account) {
        return "totp:" + account;
    }

    private static String pendingContext(UUID account) {
        return "totp-pending:" + account;
    }
}
