package org.fabtrail.accounts;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.fabtrail.crypto.Passwords;
import org.fabtrail.crypto.Sealer;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SafeText;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The organisations' OpenID Connect identity providers (ADR 0021): their settings, the client secret sealed at rest,
 * and who a provider's ID token signs in. A provider signs in only accounts of its own organisation, and only ever as
 * {@code org-admin} or {@code member}: no claim or group of any provider makes anyone the operator's staff or a
 * member of another organisation.
 */
@ApplicationScoped
public class IdentityProviders {

    /** A claim name: what providers use ({@code preferred_username}, {@code email}, {@code groups}, URLs not). */
    public static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    static final int MAX_VALUE = 200;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Clock clock;
    @Inject
    Sealer sealer;

    /**
     * What an organisation's admin sets; the issuer was checked as a URL the server may call (web). Kept in the
     * provider's row ({@link IdentityProvider#settings}) as {@link #save} accepted it.
     *
     * @param adminGroup  the group whose members sign in as {@code org-admin}, or null
     * @param memberGroup the group whose members sign in as {@code member}, or null
     */
    @Embeddable
    public record Settings(@Column(nullable = false) String issuer,
                           @Column(name = "client_id", nullable = false) String clientId,
                           @Column(name = "user_claim", nullable = false) String userClaim,
                           @Column(name = "groups_claim", nullable = false) String groupsClaim,
                           @Column(name = "admin_group") String adminGroup,
                           @Column(name = "member_group") String memberGroup,
                           @Column(nullable = false) boolean provision) {
    }

    /** Why a provider's sign-in was refused, in words for the sign-in page. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    public Optional<IdentityProvider> of(String org) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(IdentityProvider.findById(org)));
    }

    /** How long the sign-in page's list of providers is reused before it is read again (other instances' changes). */
    static final long LIST_TTL_MS = 30_000;

    private record Listed(List<String> orgs, long readAt) {
    }

    private volatile Listed listed;

    /**
     * The organisations whose people can sign in through a provider, in id order (the sign-in page's links). Read at
     * most every {@link #LIST_TTL_MS} (and after every change here): every sign-in answer shows it, a guessed or
     * throttled one too, and guessing must cost no database work.
     */
    public List<String> organisations() {
        Listed l = listed;
        long now = System.nanoTime() / 1_000_000;
        if (l == null || now - l.readAt() > LIST_TTL_MS) {
            l = new Listed(QuarkusTransaction.requiringNew().call(() -> IdentityProvider.<IdentityProvider>list(
                    "order by orgId").stream().map(p -> p.orgId).toList()), now);
            listed = l;
        }
        return l.orgs();
    }

    /**
     * Sets the organisation's provider.
     *
     * @param secret the client secret; null or blank keeps the one stored (required the first time)
     * @throws LedgerException RULE with a {@code field} when a value is unacceptable; UNAVAILABLE without a master key
     */
    public void save(String org, Settings s, String secret, String by) {
        Settings accepted = new Settings(s.issuer(), value("clientId", s.clientId(), true),
                claim("userClaim", s.userClaim()), claim("groupsClaim", s.groupsClaim()),
                value("adminGroup", s.adminGroup(), false), value("memberGroup", s.memberGroup(), false), s.provision());
        String given = secret == null || secret.isBlank() ? null : value("clientSecret", secret, true);
        byte[] sealed = given == null ? null : sealer.get().seal(given.getBytes(StandardCharsets.UTF_8), context(org));
        QuarkusTransaction.requiringNew().run(() -> {
            IdentityProvider p = IdentityProvider.findById(org);
            if (p == null && sealed == null) {
                throw Accounts.invalid("clientSecret", "Give the client secret the identity provider issued");
            }
            if (p == null) {
                p = new IdentityProvider();
                p.orgId = org;
            }
            p.settings = accepted;
            if (sealed != null) {
                p.sealedSecret = sealed;
            }
            p.updatedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            p.updatedBy = by;
            p.persist();
        });
        listed = null;
    }

    /** Removes the organisation's provider; its people's accounts stay (and sign in no more through it). */
    public boolean remove(String org) {
        boolean removed = QuarkusTransaction.requiringNew().call(() -> IdentityProvider.deleteById(org));
        listed = null;
        return removed;
    }

    /** The client secret, unsealed for the token request. */
    public String clientSecret(IdentityProvider p) {
        return new String(sealer.get().open(p.sealedSecret, context(p.orgId)), StandardCharsets.UTF_8);
    }

    /**
     * The account a verified ID token signs in: the user claim names it (as a username); it must be of the
     * provider's organisation. The groups decide the role when the provider maps any (an admin group's member is
     * {@code org-admin}, a member group's {@code member}, anyone else is refused), and then at every sign-in, so
     * leaving the group at the provider takes the role away. An unknown user gets an account with that role when the
     * provider provisions, and is refused otherwise. Nothing is written on a refusal.
     *
     * @param user   the user claim's value, as the token has it (null when missing)
     * @param groups the groups claim's value (a list of strings or one string; null when missing)
     * @param name   the {@code name} claim, a new account's display name when it is one line of 1 to 100 characters
     */
    public Account signIn(IdentityProvider p, Object user, Object groups, Object name) throws Refused {
        if (!(user instanceof String claimed) || claimed.isBlank()) {
            throw new Refused("The identity provider's answer has no " + p.settings.userClaim()
                    + " claim, which names you here. Ask your organisation's admin.");
        }
        String username = claimed.trim().toLowerCase(Locale.ROOT);
        if (!Accounts.USERNAME.matcher(username).matches()) {
            throw new Refused("The identity provider's " + p.settings.userClaim()
                    + " claim is not a username this site can use.");
        }
        String role = role(p.settings, groups);
        Account signedIn = QuarkusTransaction.requiringNew().call(() -> {
            Account a = Account.byUsername(username).orElse(null);
            if (a != null) {
                if (!p.orgId.equals(a.orgId) || a.isOperator() || a.disabledAt != null) {
                    return null; // another organisation's, the operator's, or disabled: never through this provider
                }
                if (role != null) {
                    a.role = role;
                }
                return a;
            }
            if (!p.settings.provision()) {
                return null;
            }
            Account made = new Account();
            made.id = UUID.randomUUID();
            made.username = username;
            made.displayName = name instanceof String n && !n.isBlank() && n.trim().length() <= 100
                    && SafeText.isSingleLine(n) ? n.trim() : username;
            made.orgId = p.orgId;
            made.role = role == null ? Account.MEMBER : role;
            made.passwordHash = unusablePassword();
            made.externalOnly = true;
            made.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            made.persist();
            return made;
        });
        if (signedIn == null) {
            throw new Refused("There is no account " + username + " of " + p.orgId + " that its identity provider may "
                    + "sign in. Ask your organisation's admin.");
        }
        return signedIn;
    }

    /** The role the groups give (null: the provider maps none, so the account's own role, or member, stands). */
    private static String role(Settings s, Object groups) throws Refused {
        if (s.adminGroup() == null && s.memberGroup() == null) {
            return null;
        }
        List<?> list = groups instanceof List<?> l ? l : groups instanceof String one ? List.of(one) : List.of();
        if (s.adminGroup() != null && list.contains(s.adminGroup())) {
            return Account.ORG_ADMIN;
        }
        if (s.memberGroup() != null && list.contains(s.memberGroup())) {
            return Account.MEMBER;
        }
        throw new Refused("Your organisation's identity provider does not put you in a group that may use this site.");
    }

    private static String unusablePassword() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Passwords.hash(Base64.getEncoder().encodeToString(raw));
    }

    private static String claim(String field, String name) {
        String n = name == null ? "" : name.trim();
        if (!CLAIM.matcher(n).matches()) {
            throw Accounts.invalid(field, "A claim name is 1 to 64 letters, digits, dots, colons, hyphens or underscores");
        }
        return n;
    }

    private static String value(String field, String v, boolean required) {
        String t = v == null ? "" : v.trim();
        if (t.isEmpty()) {
            if (required) {
                throw Accounts.invalid(field, "Required");
            }
            return null;
        }
        if (t.length() > MAX_VALUE || !SafeText.isSingleLine(t)) {
            throw Accounts.invalid(field, "At most " + MAX_VALUE + " characters on one line, no control characters");
        }
        return t;
    }

    private static String context(String org) {
        return "identity-provider-client-secret:" + org;
    }
}
