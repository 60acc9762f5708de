package org.fabtrail.api.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.ledger.LedgerException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Creating, listing and revoking an organisation's API tokens, for the token API and the web UI alike. Who may do
 * it is the caller's business. A new token's secret is returned once; only its SHA-256 is stored.
 */
@ApplicationScoped
public class ApiTokens {

    /** Lifetime of a token when none is asked for. */
    public static final int DEFAULT_DAYS = 90;

    /** A token just made, with its secret: the only time the secret exists outside the caller's hands. */
    public record Created(ApiToken token, String secret) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ApiConfig api;
    @Inject
    Clock clock;

    public int maxDays() {
        return api.maxTokenDays();
    }

    /**
     * @param days null for {@link #DEFAULT_DAYS}
     * @throws LedgerException RULE {@code invalid-token-request} naming the {@code field}
     */
    public Created create(String org, String name, List<String> scopes, Integer days) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw field("name", "name is required (1 to 100 characters)");
        }
        if (scopes == null || scopes.isEmpty() || !Caller.SCOPES.containsAll(scopes)) {
            throw field("scopes", "scopes must be a non-empty subset of " + new TreeSet<>(Caller.SCOPES));
        }
        int lifetime = days == null ? DEFAULT_DAYS : days;
        if (lifetime < 1 || lifetime > maxDays()) {
            throw field("expiresInDays", "expiresInDays must be 1 to " + maxDays());
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = "ftk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ApiToken t = new ApiToken();
        t.id = UUID.randomUUID();
        t.orgId = org;
        t.name = name.trim();
        t.scopes = new TreeSet<>(scopes).toArray(String[]::new);
        t.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        t.expiresAt = t.createdAt.plus(Duration.ofDays(lifetime));
        t.tokenHash = Authenticator.sha256(secret);
        QuarkusTransaction.requiringNew().run(() -> t.persist());
        return new Created(t, secret);
    }

    /** Every token of the organisation, oldest first. */
    public List<ApiToken> list(String org) {
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.list("orgId = ?1 order by createdAt", org));
    }

    /**
     * A page of the organisation's tokens, newest first: those after the token {@code afterId} (null: from the newest).
     */
    public List<ApiToken> page(String org, UUID afterId, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiToken after = afterId == null ? null : ApiToken.findById(afterId);
            if (after == null || !after.orgId.equals(org)) {
                return ApiToken.find("orgId = ?1 order by createdAt desc, id desc", org).page(0, limit).list();
            }
            return ApiToken.find("orgId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3)) "
                    + "order by createdAt desc, id desc", org, after.createdAt, after.id).page(0, limit).list();
        });
    }

    /**
     * Revokes the token (again: no change); it stops working on its next request.
     *
     * @throws LedgerException NOT_FOUND {@code token-not-found} when the organisation has no such token
     */
    public ApiToken revoke(String org, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ApiToken t = ApiToken.findById(id);
            if (t == null || !t.orgId.equals(org)) {
                throw notFound(String.valueOf(id));
            }
            if (t.revokedAt == null) {
                t.revokedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            }
            return t;
        });
    }

    /** Whether the token works now: neither revoked nor expired. */
    public boolean active(ApiToken t) {
        return t.revokedAt == null && t.expiresAt.isAfter(Instant.now(clock));
    }

    public static LedgerException notFound(String id) {
        return new LedgerException(LedgerException.Kind.NOT_FOUND, "token-not-found", "No such token",
                "This organisation has no token " + id);
    }

    private static LedgerException field(String field, String detail) {
        return new LedgerException(LedgerException.Kind.RULE, "invalid-token-request", "Invalid token request", detail,
                Map.of("field", field), null);
    }
}
