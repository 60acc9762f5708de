package org.fabtrail.attestation;

import org.fabtrail.custody.UnitKey;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues attestation challenges: 32 random bytes bound to a unit and to the organisation that asked (an inspector,
 * or the unit's custodian for a self-check), single use, expiring after a configured time. Challenges are not ledger
 * facts; they are kept in {@code attestation_challenges}, where the {@code unit.inspect} rule finds them (and marks
 * the one it used), and never deleted, so a replay of the log finds them again.
 *
 * <p>Who may ask for which unit is the caller's business (the API and the inspector's page check it).
 */
public final class Challenges {

    /** Bytes of a challenge. */
    public static final int SIZE = 32;

    /**
     * An issued challenge.
     *
     * @param requester the organisation it was issued to, or {@code operator}
     * @param usedIdx   the index of the inspection that used it, or null
     */
    public record Challenge(UUID id, UnitKey unit, String requester, byte[] value, Instant createdAt,
                            Instant expiresAt, Long usedIdx) {
        /** What the device signs ({@link Attestations#message}). */
        public byte[] message() {
            return Attestations.message(unit.manufacturer(), unit.serial(), value);
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    public Challenges(DataSource dataSource, Clock clock, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the challenge lifetime must be positive, not " + ttl);
        }
        this.dataSource = dataSource;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** How long a challenge stays valid. */
    public Duration ttl() {
        return ttl;
    }

    /** A fresh challenge for {@code unit}, issued to {@code requester}, stored before it is returned. */
    public Challenge issue(UnitKey unit, String requester) throws SQLException {
        byte[] value = new byte[SIZE];
        random.nextBytes(value);
        // PostgreSQL keeps microseconds: issue times that read back exactly as they are answered
        Instant created = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Challenge ch = new Challenge(UUID.randomUUID(), unit, requester, value, created, created.plus(ttl), null);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO attestation_challenges (id, manufacturer, serial, requester, challenge, created_at, "
                        + "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, ch.id());
            ps.setString(2, unit.manufacturer());
            ps.setString(3, unit.serial());
            ps.setString(4, requester);
            ps.setBytes(5, value);
            ps.setTimestamp(6, Timestamp.from(ch.createdAt()));
            ps.setTimestamp(7, Timestamp.from(ch.expiresAt()));
            ps.executeUpdate();
        }
        return ch;
    }

    /** A challenge by id. */
    public Optional<Challenge> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT manufacturer, serial, requester, challenge, created_at, expires_at, used_idx "
                        + "FROM attestation_challenges WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Challenge(id, new UnitKey(rs.getString(1), rs.getString(2)), rs.getString(3),
                        rs.getBytes(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
                        (Long) rs.getObject(7)));
            }
        }
    }
}
