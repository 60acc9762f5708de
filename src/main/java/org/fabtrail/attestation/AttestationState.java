package org.fabtrail.attestation;

import org.fabtrail.custody.BatchState;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.ColumnArrays;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Device CAs, device keys, attestation challenges and inspections as the sequencing transaction sees them, with the
 * discipline of {@link CustodyState}: a {@link BatchState}, reads from a per-batch cache ({@link #prefetch} fills it
 * with one query per table), writes applied to the cache at once and flushed with one statement per table in
 * {@link #flush()}.
 *
 * <p>Challenges are not a projection: the API issues them outside the log. The rules only read them and mark the one
 * an inspection used ({@code used_idx}); a replay finds the mark it set itself ({@link Challenge#usedBefore}).
 */
final class AttestationState implements BatchState {

    /** A registered device CA of a manufacturer (mutable within the batch). */
    static final class Ca {
        final String org;
        final String caId;
        final byte[] der;
        final String subject;
        long addedIdx;
        Instant addedAt;
        Long revokedIdx;
        Instant revokedAt;
        byte[] crl;
        Instant crlThisUpdate;
        BigInteger crlNumber;
        Long crlIdx;
        boolean fresh;

        Ca(String org, String caId, byte[] der, String subject) {
            this.org = org;
            this.caId = caId;
            this.der = der;
            this.subject = subject;
        }

        boolean revoked() {
            return revokedIdx != null;
        }
    }

    /** An issued challenge. */
    static final class Challenge {
        UUID id;
        UnitKey unit;
        String requester;
        byte[] value;
        Instant createdAt;
        Instant expiresAt;
        Long usedIdx;

        /** Used by an entry before {@code index} (a replay sees its own mark at {@code index} itself). */
        boolean usedBefore(long index) {
            return usedIdx != null && usedIdx < index;
        }
    }

    /** What one unit.inspect found. */
    record Inspection(long index, UnitKey unit, String inspector, Instant at, String result, CustodyState.SiteKey site,
                      String custodian, String recordedCustodian, String recordedSite, String attestation,
                      List<String> reasons, List<String> findings, PlatformCheck platform) {
    }

    /**
     * The platform certificate an inspection carried: its fingerprint, {@code pass} or the reason its check failed,
     * and when it passed the comparison's counts (else null).
     */
    record PlatformCheck(String fingerprint, String check, PlatformComparison.Counts counts) {
    }

    /** A unit's current platform certificate (platform_certificates). */
    record PlatformRow(UnitKey unit, long index, Instant at, byte[] der, String fingerprint, String caId,
                       PlatformComparison.Counts counts) {
    }

    private record Binding(String keyId, UnitKey unit, long index) {
    }

    private final Connection c;
    private final Map<String, Map<String, Ca>> cas = new HashMap<>();
    private final Map<String, Optional<UnitKey>> deviceKeys = new HashMap<>();
    private final Map<UUID, Optional<Challenge>> challenges = new HashMap<>();
    private final Set<Ca> dirtyCas = new LinkedHashSet<>();
    private final List<Binding> bindings = new ArrayList<>();
    private final Set<Challenge> used = new LinkedHashSet<>();
    private final List<Inspection> inspections = new ArrayList<>();
    private final Map<UnitKey, PlatformRow> platformCertificates = new LinkedHashMap<>();
    private final Set<String> wantedCas = new HashSet<>();
    private final Set<String> wantedKeys = new HashSet<>();
    private final Set<UUID> wantedChallenges = new HashSet<>();

    private AttestationState(Connection c) {
        this.c = c;
    }

    static AttestationState of(BatchContext ctx) {
        return BatchState.of(ctx, AttestationState.class, AttestationState::new);
    }

    // ---------------------------------------------------------------- reads

    /** The device CAs (and their CRLs) of a manufacturer. */
    void wantCas(String org) {
        wantedCas.add(org);
    }

    void wantDeviceKey(String keyId) {
        wantedKeys.add(keyId);
    }

    void wantChallenge(UUID id) {
        wantedChallenges.add(id);
    }

    @Override
    public void prefetch() throws SQLException {
        if (!wantedCas.isEmpty() || !wantedKeys.isEmpty() || !wantedChallenges.isEmpty()) {
            load(wantedCas, wantedKeys, wantedChallenges);
        }
        wantedCas.clear();
        wantedKeys.clear();
        wantedChallenges.clear();
    }

    private void load(Collection<String> orgs, Collection<String> keyIds, Collection<UUID> challengeIds)
            throws SQLException {
        loadCas(orgs.stream().filter(o -> !cas.containsKey(o)).distinct().toList());
        loadKeys(keyIds.stream().filter(k -> !deviceKeys.containsKey(k)).distinct().toList());
        loadChallenges(challengeIds.stream().filter(k -> !challenges.containsKey(k)).distinct().toList());
    }

    /** The organisation's device CAs by id, in the order they were added (revoked ones included). */
    Map<String, Ca> cas(String org) throws SQLException {
        if (!cas.containsKey(org)) {
            loadCas(List.of(org));
        }
        return cas.get(org);
    }

    /**
     * The certificates of every device CA that was revoked, of any manufacturer, as of now in the batch. For the rare
     * {@code ca.add}: one query, not cached.
     */
    List<byte[]> revokedCaCertificates() throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT der FROM device_cas WHERE revoked_idx IS NOT NULL "
                + "AND NOT (org_id = ANY (?))")) {
            ps.setArray(1, c.createArrayOf("text", cas.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
        }
        for (Map<String, Ca> org : cas.values()) { // the batch's own view of the organisations it has read
            for (Ca ca : org.values()) {
                if (ca.revoked()) {
                    out.add(ca.der);
                }
            }
        }
        return out;
    }

    /** The unit a device key is bound to. */
    Optional<UnitKey> deviceKey(String keyId) throws SQLException {
        if (!deviceKeys.containsKey(keyId)) {
            loadKeys(List.of(keyId));
        }
        return deviceKeys.get(keyId);
    }

    Optional<Challenge> challenge(UUID id) throws SQLException {
        if (!challenges.containsKey(id)) {
            loadChallenges(List.of(id));
        }
        return challenges.get(id);
    }

    /**
     * The facts for the discrepancy detectors about stale CRLs that a check of {@code unit} at {@code index} let
     * through (each CRL looked up among the manufacturer's CAs).
     */
    List<StaleCrlFact> staleCrlFacts(List<DeviceIdentity.StaleCrl> stale, long index, Instant at, String type,
                                     String actor, UnitKey unit) throws SQLException {
        List<StaleCrlFact> out = new ArrayList<>();
        for (DeviceIdentity.StaleCrl crl : stale) {
            Ca ca = cas(unit.manufacturer()).get(crl.caId());
            if (ca != null && ca.crlIdx != null) {
                out.add(new StaleCrlFact(index, at, type, actor, unit, unit.manufacturer(), ca.caId, ca.subject,
                        crl.nextUpdate(), ca.crlIdx));
            }
        }
        return out;
    }

    /** What a chain of the organisation's devices may end in, as of now in the batch. */
    DeviceIdentity.Trust trust(String org) throws SQLException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        Set<String> revoked = new LinkedHashSet<>();
        Map<String, byte[]> crls = new LinkedHashMap<>();
        for (Ca ca : cas(org).values()) {
            all.put(ca.caId, ca.der);
            if (ca.revoked()) {
                revoked.add(ca.caId);
            }
            if (ca.crl != null) {
                crls.put(ca.caId, ca.crl);
            }
        }
        return new DeviceIdentity.Trust(all, revoked, crls);
    }

    private void loadCas(List<String> orgs) throws SQLException {
        if (orgs.isEmpty()) {
            return;
        }
        orgs.forEach(o -> cas.put(o, new LinkedHashMap<>()));
        try (PreparedStatement ps = c.prepareStatement("SELECT org_id, ca_id, der, subject, added_idx, added_at, "
                + "revoked_idx, revoked_at, crl, crl_this_update, crl_number, crl_idx FROM device_cas "
                + "WHERE org_id = ANY (?) ORDER BY added_idx")) {
            ps.setArray(1, c.createArrayOf("text", orgs.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Ca ca = new Ca(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4));
                    ca.addedIdx = rs.getLong(5);
                    ca.addedAt = rs.getTimestamp(6).toInstant();
                    ca.revokedIdx = (Long) rs.getObject(7);
                    ca.revokedAt = instant(rs.getTimestamp(8));
                    ca.crl = rs.getBytes(9);
                    ca.crlThisUpdate = instant(rs.getTimestamp(10));
                    BigDecimal n = rs.getBigDecimal(11);
                    ca.crlNumber = n == null ? null : n.toBigIntegerExact();
                    ca.crlIdx = (Long) rs.getObject(12);
                    cas.get(ca.org).put(ca.caId, ca);
                }
            }
        }
    }

    private void loadKeys(List<String> keyIds) throws SQLException {
        if (keyIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id, manufacturer, serial FROM device_keys "
                + "WHERE key_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", keyIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deviceKeys.put(rs.getString(1), Optional.of(new UnitKey(rs.getString(2), rs.getString(3))));
                }
            }
        }
        keyIds.forEach(k -> deviceKeys.putIfAbsent(k, Optional.empty()));
    }

    private void loadChallenges(List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, manufacturer, serial, requester, challenge, "
                + "created_at, expires_at, used_idx FROM attestation_challenges WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Challenge ch = new Challenge();
                    ch.id = rs.getObject(1, UUID.class);
                    ch.unit = new UnitKey(rs.getString(2), rs.getString(3));
                    ch.requester = rs.getString(4);
                    ch.value = rs.getBytes(5);
                    ch.createdAt = rs.getTimestamp(6).toInstant();
                    ch.expiresAt = rs.getTimestamp(7).toInstant();
                    ch.usedIdx = (Long) rs.getObject(8);
                    challenges.put(ch.id, Optional.of(ch));
                }
            }
        }
        ids.forEach(id -> challenges.putIfAbsent(id, Optional.empty()));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    // ---------------------------------------------------------------- writes (buffered)

    void addCa(Ca ca) throws SQLException {
        ca.fresh = true;
        cas(ca.org).put(ca.caId, ca);
        dirtyCas.add(ca);
    }

    void changedCa(Ca ca) {
        dirtyCas.add(ca);
    }

    void bindKey(String keyId, UnitKey unit, long index) {
        deviceKeys.put(keyId, Optional.of(unit));
        bindings.add(new Binding(keyId, unit, index));
    }

    void use(Challenge ch, long index) {
        if (ch.usedIdx == null) {
            ch.usedIdx = index;
            used.add(ch);
        }
    }

    void inspected(Inspection i) {
        inspections.add(i);
    }

    /** The unit's platform certificate from now on (a later one in the same batch replaces it). */
    void platformCertified(PlatformRow row) {
        platformCertificates.put(row.unit(), row);
    }

    @Override
    public void flush() throws SQLException {
        flushCas();
        flushKeys();
        flushChallenges();
        flushInspections();
        flushPlatformCertificates();
    }

    private void flushPlatformCertificates() throws SQLException {
        if (platformCertificates.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO platform_certificates (manufacturer, serial, idx, "
                + "certified_at, der, fingerprint, ca_id, present, missing, unexpected, not_comparable) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (manufacturer, serial) DO UPDATE SET "
                + "idx = EXCLUDED.idx, certified_at = EXCLUDED.certified_at, der = EXCLUDED.der, "
                + "fingerprint = EXCLUDED.fingerprint, ca_id = EXCLUDED.ca_id, present = EXCLUDED.present, "
                + "missing = EXCLUDED.missing, unexpected = EXCLUDED.unexpected, "
                + "not_comparable = EXCLUDED.not_comparable")) {
            for (PlatformRow r : platformCertificates.values()) {
                ps.setString(1, r.unit().manufacturer());
                ps.setString(2, r.unit().serial());
                ps.setLong(3, r.index());
                ps.setTimestamp(4, Timestamp.from(r.at()));
                ps.setBytes(5, r.der());
                ps.setString(6, r.fingerprint());
                ps.setString(7, r.caId());
                ps.setInt(8, r.counts().present());
                ps.setInt(9, r.counts().missing());
                ps.setInt(10, r.counts().unexpected());
                ps.setInt(11, r.counts().notComparable());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        platformCertificates.clear();
    }

    private void flushCas() throws SQLException {
        if (dirtyCas.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_cas (org_id, ca_id, der, subject, added_idx, "
                + "added_at, revoked_idx, revoked_at, crl, crl_this_update, crl_number, crl_idx) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, ca_id) DO UPDATE SET "
                + "revoked_idx = EXCLUDED.revoked_idx, revoked_at = EXCLUDED.revoked_at, crl = EXCLUDED.crl, "
                + "crl_this_update = EXCLUDED.crl_this_update, crl_number = EXCLUDED.crl_number, "
                + "crl_idx = EXCLUDED.crl_idx")) {
            for (Ca ca : dirtyCas) {
                ps.setString(1, ca.org);
                ps.setString(2, ca.caId);
                ps.setBytes(3, ca.der);
                ps.setString(4, ca.subject);
                ps.setLong(5, ca.addedIdx);
                ps.setTimestamp(6, Timestamp.from(ca.addedAt));
                ps.setObject(7, ca.revokedIdx);
                ps.setTimestamp(8, ca.revokedAt == null ? null : Timestamp.from(ca.revokedAt));
                ps.setBytes(9, ca.crl);
                ps.setTimestamp(10, ca.crlThisUpdate == null ? null : Timestamp.from(ca.crlThisUpdate));
                ps.setBigDecimal(11, ca.crlNumber == null ? null : new BigDecimal(ca.crlNumber));
                ps.setObject(12, ca.crlIdx);
                ps.addBatch();
                ca.fresh = false;
            }
            ps.executeBatch();
        }
        dirtyCas.clear();
    }

    private void flushKeys() throws SQLException {
        if (bindings.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_keys (key_id, manufacturer, serial, bound_idx) "
                + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[])")) {
            ColumnArrays.of(bindings).text(Binding::keyId).text(b -> b.unit().manufacturer())
                    .text(b -> b.unit().serial()).bigint(Binding::index).executeUpdate(c, ps);
        }
        bindings.clear();
    }

    private void flushChallenges() throws SQLException {
        if (used.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE attestation_challenges SET used_idx = ? WHERE id = ? AND (used_idx IS NULL OR used_idx = ?)")) {
            for (Challenge ch : used) {
                ps.setLong(1, ch.usedIdx);
                ps.setObject(2, ch.id);
                ps.setLong(3, ch.usedIdx);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int n : counts) {
                if (n != 1 && n != java.sql.Statement.SUCCESS_NO_INFO) {
                    throw new SQLException("a challenge used in this batch was marked used by another entry");
                }
            }
        }
        used.clear();
    }

    private void flushInspections() throws SQLException {
        if (inspections.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO unit_inspections (idx, manufacturer, serial, "
                + "inspector, inspected_at, result, site_org, site, custodian, recorded_custodian, recorded_site, "
                + "attestation, reasons, findings, platform_fingerprint, platform_check, platform_present, "
                + "platform_missing, platform_unexpected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Inspection i : inspections) {
                ps.setLong(1, i.index());
                ps.setString(2, i.unit().manufacturer());
                ps.setString(3, i.unit().serial());
                ps.setString(4, i.inspector());
                ps.setTimestamp(5, Timestamp.from(i.at()));
                ps.setString(6, i.result());
                ps.setString(7, i.site() == null ? null : i.site().org());
                ps.setString(8, i.site() == null ? null : i.site().id());
                ps.setString(9, i.custodian());
                ps.setString(10, i.recordedCustodian());
                ps.setString(11, i.recordedSite());
                ps.setString(12, i.attestation());
                ps.setArray(13, c.createArrayOf("text", i.reasons().toArray()));
                ps.setArray(14, c.createArrayOf("text", i.findings().toArray()));
                PlatformCheck pc = i.platform();
                PlatformComparison.Counts n = pc == null ? null : pc.counts();
                ps.setString(15, pc == null ? null : pc.fingerprint());
                ps.setString(16, pc == null ? null : pc.check());
                ps.setObject(17, n == null ? null : n.present(), java.sql.Types.INTEGER);
                ps.setObject(18, n == null ? null : n.missing(), java.sql.Types.INTEGER);
                ps.setObject(19, n == null ? null : n.unexpected(), java.sql.Types.INTEGER);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        inspections.clear();
    }
}
