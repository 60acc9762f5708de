package org.fabtrail.api.auth;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.api.HttpLimits;
import org.fabtrail.ledger.LedgerException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization: Bearer ...} header into a {@link Caller}, or refuses with 401. Every request
 * reads the token's row, so a revocation or expiry takes effect on the very next request; then the token's rate
 * limit is applied (429 with Retry-After).
 *
 * <p>Guessing is throttled ({@link GuessThrottle}): an unknown token (which is also what a wrong admin token is)
 * counts as a failure against the client's address and the token's first characters. Once either is throttled, a
 * token is answered {@code 429 auth-throttled} before it is compared with the admin token or looked up, unless this
 * instance has seen that very token succeed in the last {@link #KNOWN_FOR} hours: such a token is looked up as
 * usual, so partners keep working from an address that someone else behind it is guessing from (matching a guess
 * against the tokens seen is no help to a guesser: the tokens are 256-bit random). The admin token is not exempt:
 * it is the operator's choice, and comparing guesses with it would let them go on at full speed. Revoked and expired
 * tokens are answered 401 and do not count as guesses.
 */
@ApplicationScoped
public class Authenticator {

    @Inject
    DataSource dataSource;
    @Inject
    @ConfigProperty(name = "fabtrail.bootstrap-admin-token")
    Optional<String> bootstrapAdminToken;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    Clock clock;
    @Inject
    GuessThrottle throttle;
    @Inject
    CurrentVertxRequest currentRequest;

    /** Hours a token that worked lets its holder past a throttled address or prefix. */
    static final int KNOWN_FOR = 24;
    /** Most tokens remembered as having worked (only successful lookups add one). */
    private static final int MOST_KNOWN = 100_000;

    /** When each token's last_used_at was last written (written at most once a minute). */
    private final Map<UUID, Instant> lastUsedWritten = new ConcurrentHashMap<>();
    /** Hashes (hex) of tokens that worked lately, with when they last did (System.nanoTime). */
    private final Map<String, Long> known = new ConcurrentHashMap<>();

    public Caller caller(String authorization) {
        String token = bearer(authorization);
        String address = clientAddress();
        String credential = GuessThrottle.tokenCredential(token);
        byte[] hash = sha256(token);
        String hex = HexFormat.of().formatHex(hash);
        long wait = throttle.retryAfter(address, credential);
        if (wait > 0 && !knownLately(hex)) {
            throw new LedgerException(LedgerException.Kind.RATE_LIMITED, "auth-throttled",
                    "Too many failed authentications", "Too many unknown tokens were presented from this address or "
                    + "with this token's first characters; retry in " + wait + " s",
                    Map.of("retryAfter", wait), null);
        }
        String admin = bootstrapAdminToken.orElse("");
        if (wait == 0 && !admin.isEmpty() && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                admin.getBytes(StandardCharsets.UTF_8))) {
            return Caller.operator();
        }
        Caller caller;
        try {
            caller = lookup(hash);
        } catch (UnknownToken e) {
            throttle.failed(address, credential);
            throw unauthenticated("The token is not valid");
        } catch (LedgerException e) {
            known.remove(hex);
            throw e;
        }
        remember(hex);
        rateLimiter.acquire(caller.tokenId());
        return caller;
    }

    /** The address of the client of the current request, as the HTTP limits count it. */
    private String clientAddress() {
        if (!Arc.container().requestContext().isActive()) {
            return "unknown";
        }
        RoutingContext rc = currentRequest.getCurrent();
        return rc == null ? "unknown" : HttpLimits.clientAddress(rc.request());
    }

    private boolean knownLately(String hex) {
        Long at = known.get(hex);
        return at != null && System.nanoTime() - at < KNOWN_FOR * 3_600_000_000_000L;
    }

    private void remember(String hex) {
        long now = System.nanoTime();
        if (known.size() >= MOST_KNOWN) {
            known.values().removeIf(at -> now - at >= KNOWN_FOR * 3_600_000_000_000L);
        }
        if (known.size() < MOST_KNOWN || known.containsKey(hex)) {
            known.put(hex, now);
        }
    }

    /** No token has that hash. */
    private static final class UnknownToken extends Exception {
        UnknownToken() {
            super(null, null, false, false);
        }
    }

    /** The operator only (bootstrap admin token); 403 when the admin API is disabled. */
    public Caller operator(String authorization) {
        if (bootstrapAdminToken.orElse("").isEmpty()) {
            throw new LedgerException(LedgerException.Kind.FORBIDDEN, "admin-disabled", "Admin API disabled",
                    "The admin API is disabled on this instance: set FABTRAIL_BOOTSTRAP_ADMIN_TOKEN to enable it");
        }
        return caller(authorization).requireOperator();
    }

    private static String bearer(String header) {
        // The scheme name is case-insensitive (RFC 9110 section 11.1).
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated("Send a token as Authorization: Bearer <token>");
        }
        return header.substring(7).trim();
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Caller lookup(byte[] hash) throws UnknownToken {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT t.id, t.org_id, t.scopes, t.expires_at, t.revoked_at, o.roles FROM api_tokens t "
                        + "LEFT JOIN orgs o ON o.id = t.org_id WHERE t.token_hash = ?")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownToken();
                }
                UUID id = rs.getObject(1, UUID.class);
                Instant now = clock.instant();
                if (rs.getTimestamp(5) != null) {
                    throw unauthenticated("The token was revoked");
                }
                if (!rs.getTimestamp(4).toInstant().isAfter(now)) {
                    throw unauthenticated("The token expired");
                }
                List<String> roles = rs.getArray(6) == null ? List.of() : List.of((String[]) rs.getArray(6).getArray());
                boolean seesAll = roles.contains("inspector") || roles.contains("regulator");
                Caller caller = new Caller(rs.getString(2), Set.of((String[]) rs.getArray(3).getArray()), seesAll, id);
                touch(c, id, now);
                return caller;
            }
        } catch (SQLException e) {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "database-unavailable", "Database unavailable",
                    "Could not check the token; try again shortly", Map.of(), e);
        }
    }

    private void touch(Connection c, UUID id, Instant now) throws SQLException {
        Instant last = lastUsedWritten.get(id);
        if (last != null && last.isAfter(now.minusSeconds(60))) {
            return;
        }
        lastUsedWritten.put(id, now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    static LedgerException unauthenticated(String detail) {
        return new LedgerException(LedgerException.Kind.UNAUTHENTICATED, "unauthenticated", "Not authenticated", detail);
    }
}
