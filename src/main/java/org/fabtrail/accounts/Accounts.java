package org.fabtrail.accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.crypto.Passwords;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SafeText;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creating and managing the people who use the UI. */
@ApplicationScoped
public class Accounts {

    public static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{1,63}");
    static final int MIN_PASSWORD = 10;
    static final Set<String> ORG_ROLES = Set.of(Account.ORG_ADMIN, Account.MEMBER);

    @Inject
    Clock clock;

    /**
     * @param org null (and role operator) for the operator's staff
     * @throws LedgerException RULE with a {@code field} when a value is unacceptable, CONFLICT when taken
     */
    public Account create(String username, String displayName, String org, String role, String password) {
        String user = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(user).matches()) {
            throw invalid("username", "A username is 2 to 64 lowercase letters, digits, dots, hyphens, underscores or @");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 100) {
            throw invalid("displayName", "Give a name of 1 to 100 characters");
        }
        SafeText.singleLine("displayName", displayName);
        if (org == null ? !Account.OPERATOR.equals(role) : !ORG_ROLES.contains(role)) {
            throw invalid("role", "A role is " + (org == null ? "operator" : "org-admin or member"));
        }
        checkPassword(password);
        String hash = Passwords.hash(password);
        return QuarkusTransaction.requiringNew().call(() -> {
            if (Account.byUsername(user).isPresent()) {
                throw new LedgerException(LedgerException.Kind.CONFLICT, "username-taken", "Username taken",
                        "The username \"" + user + "\" is taken", Map.of("field", "username"), null);
            }
            Account a = new Account();
            a.id = UUID.randomUUID();
            a.username = user;
            a.displayName = displayName.trim();
            a.orgId = org;
            a.role = role;
            a.passwordHash = hash;
            a.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            a.persist();
            return a;
        });
    }

    public List<Account> ofOrg(String org) {
        return QuarkusTransaction.requiringNew().call(() -> Account.list("orgId = ?1 order by username", org));
    }

    /** A page of the organisation's accounts in username order: those after {@code after} (null: from the first). */
    public List<Account> page(String org, String after, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> Account.find("orgId = ?1 and username > ?2 order by username",
                org, after == null ? "" : after).page(0, limit).list());
    }

    /** Disables an account and ends its sessions. */
    public void disable(UUID id, String org) {
        QuarkusTransaction.requiringNew().run(() -> {
            Account a = Account.findById(id);
            if (a == null || !Objects.equals(a.orgId, org)) {
                throw new LedgerException(LedgerException.Kind.NOT_FOUND, "user-not-found", "No such user",
                        "No such user in this organisation");
            }
            a.disabledAt = clock.instant();
            WebSession.delete("userId", id); // its sessions end with it
        });
    }

    static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
            throw invalid("password", "A password has at least " + MIN_PASSWORD + " characters");
        }
    }

    static LedgerException invalid(String field, String detail) {
        return new LedgerException(LedgerException.Kind.RULE, "invalid-account", "Invalid account", detail,
                Map.of("field", field), null);
    }
}
