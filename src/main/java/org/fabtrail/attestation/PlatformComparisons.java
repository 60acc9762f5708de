package org.fabtrail.attestation;

import org.fabtrail.custody.UnitKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of platform certificates, for the unit page, the API and the discrepancy detectors. Works on the
 * caller's connection; applies no visibility rule (the caller checks that the unit may be seen).
 *
 * <ul>
 *   <li>{@link #current}: the unit's current platform certificate, as stored ({@code platform_certificates});</li>
 *   <li>{@link #compare}: that certificate compared with the units assembled in the platform <em>now</em>
 *       ({@link PlatformMatching}): present, missing and unexpected rows with the custody unit of each;</li>
 *   <li>{@link #recordedMismatches}: the entries ({@code unit.certify}, {@code unit.inspect}) whose recorded
 *       comparison had a missing or unexpected component, in log order, for detectors that scan forward.</li>
 * </ul>
 */
public final class PlatformComparisons {

    /** A unit's current platform certificate and the comparison recorded when it was certified. */
    public record PlatformRecord(UnitKey unit, long index, Instant at, byte[] der, String fingerprint, String caId,
                                 PlatformComparison.Counts recorded) {
    }

    /**
     * An entry whose recorded comparison found components missing or unexpected.
     *
     * @param type        {@code unit.certify} or {@code unit.inspect}
     * @param fingerprint the platform certificate's SHA-256
     */
    public record RecordedMismatch(long index, String type, UnitKey unit, String fingerprint, int missing,
                                   int unexpected) {
    }

    private final PlatformCertificates platforms;

    public PlatformComparisons(PlatformCertificates platforms) {
        this.platforms = platforms;
    }

    /** The unit's current platform certificate, if it has one. */
    public Optional<PlatformRecord> current(Connection c, UnitKey unit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, certified_at, der, fingerprint, ca_id, present, "
                + "missing, unexpected, not_comparable FROM platform_certificates WHERE manufacturer = ? AND serial = ?")) {
            ps.setString(1, unit.manufacturer());
            ps.setString(2, unit.serial());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PlatformRecord(unit, rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getBytes(3), rs.getString(4), rs.getString(5), new PlatformComparison.Counts(rs.getInt(6),
                        rs.getInt(7), rs.getInt(8), rs.getInt(9))));
            }
        }
    }

    /**
     * The unit's current platform certificate compared with the units assembled in it now; empty when the unit has
     * no platform certificate (or does not exist).
     */
    public Optional<PlatformComparison> compare(Connection c, UnitKey unit) throws SQLException {
        Optional<PlatformRecord> current = current(c, unit);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        PlatformRecord r = current.get();
        String platformModel = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT model FROM units WHERE manufacturer = ? AND serial = ?")) {
            ps.setString(1, unit.manufacturer());
            ps.setString(2, unit.serial());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    platformModel = rs.getString(1);
                }
            }
        }
        List<PlatformMatching.Assembled> assembled = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer, serial, model FROM units "
                + "WHERE parent_manufacturer = ? AND parent_serial = ? ORDER BY manufacturer, serial")) {
            ps.setString(1, unit.manufacturer());
            ps.setString(2, unit.serial());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assembled.add(new PlatformMatching.Assembled(new UnitKey(rs.getString(1), rs.getString(2)),
                            rs.getString(3)));
                }
            }
        }
        List<String> orgs = new ArrayList<>(List.of(unit.manufacturer()));
        assembled.forEach(a -> orgs.add(a.key().manufacturer()));
        Map<String, String> names = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM orgs WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", orgs.stream().distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return Optional.of(PlatformMatching.compare(platforms, unit, platformModel, platforms.parse(r.der()), r.index(),
                r.at(), r.caId(), assembled, names));
    }

    /** The subject of a manufacturer's registered device CA (the one that verified a platform certificate). */
    public Optional<String> caSubject(Connection c, String org, String caId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT subject FROM device_cas WHERE org_id = ? AND ca_id = ?")) {
            ps.setString(1, org);
            ps.setString(2, caId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The certificate's facts for display (it parsed when it was accepted). */
    public PlatformCertificates.Certificate describe(PlatformRecord r) {
        return platforms.parse(r.der());
    }

    /**
     * Entries after {@code afterIndex} whose recorded comparison had missing or unexpected components: each
     * {@code unit.certify} that made a platform certificate current (only the unit's current one is kept) and each
     * {@code unit.inspect} whose platform certificate passed its checks. In log order, at most {@code limit}.
     */
    public List<RecordedMismatch> recordedMismatches(Connection c, long afterIndex, int limit) throws SQLException {
        List<RecordedMismatch> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT idx, type, manufacturer, serial, fingerprint, missing, "
                + "unexpected FROM (SELECT idx, 'unit.certify' AS type, manufacturer, serial, fingerprint, missing, "
                + "unexpected FROM platform_certificates WHERE (missing > 0 OR unexpected > 0) AND idx > ? "
                + "UNION ALL SELECT idx, 'unit.inspect', manufacturer, serial, platform_fingerprint, platform_missing, "
                + "platform_unexpected FROM unit_inspections WHERE (platform_missing > 0 OR platform_unexpected > 0) "
                + "AND idx > ?) m ORDER BY idx LIMIT ?")) {
            ps.setLong(1, afterIndex);
            ps.setLong(2, afterIndex);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RecordedMismatch(rs.getLong(1), rs.getString(2), new UnitKey(rs.getString(3),
                            rs.getString(4)), rs.getString(5), rs.getInt(6), rs.getInt(7)));
                }
            }
        }
        return out;
    }
}
