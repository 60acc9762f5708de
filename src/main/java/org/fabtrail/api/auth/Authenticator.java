package org.fabtrail.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.server.FabtrailConfig;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization: Bearer ...} header into a {@link Caller}, or refuses with 401. Every request
 * reads the token's row, so a revocation or expiry takes effect on the very next request; then the token's rate
 * limit is applied (429 with Retry-After).
 */
@ApplicationScoped
public class Authenticator {

    @Inject
    DataSource dataSource;
    @Inject
    FabtrailConfig config;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    Clock clock;

    /** When each token's last_used_at was last written (written at most once a minute). */
    private final Map<UUID, Instant> lastUsedWritten = new ConcurrentHashMap<>();

    public Caller caller(String authorization) {
        String token = bearer(authorization);
        String admin = config.bootstrapAdminToken().orElse("");
        if (!admin.isEmpty() && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                admin.getBytes(StandardCharsets.UTF_8))) {
            return Caller.operator();
        }
        Caller caller = lookup(sha256(token));
        rateLimiter.acquire(caller.tokenId());
        return caller;
    }

    /** The operator only (bootstrap admin token); 403 when the admin API is disabled. */
    public Caller operator(String authorization) {
        if (config.bootstrapAdminToken().orElse("").isEmpty()) {
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

    private Caller lookup(byte[] hash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT t.id, t.org_id, t.scopes, t.expires_at, t.revoked_at, o.roles FROM api_tokens t "
                        + "LEFT JOIN orgs o ON o.id = t.org_id WHERE t.token_hash = ?")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw unauthenticated("The token is not valid");
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
