package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.ColumnArrays;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The organisation and key registry as the sequencing transaction sees it.
 *
 * <p>Reads are answered from a per-batch cache, filled for the whole batch by {@link #prefetch} (one query per
 * table) or lazily per row. Writes update the cache at once, so later entries of the same batch see them, and are
 * buffered until {@link #flush()} writes them with one statement per table. One instance per batch
 * ({@link #of}). Entry types of other packages read organisations through it ({@link #org}); only custody's
 * {@code org.register}, {@code key.add} and {@code key.revoke} write it.
 */
public final class Registry implements BatchState {

    record KeyRow(String keyId, String orgId, String algorithm, byte[] spki, boolean active) {
    }

    /** A registered organisation: its id, name, ISO 3166-1 alpha-2 country and roles ({@link Roles}). */
    public record OrgRow(String id, String name, String country, List<String> roles) {
    }

    private record NewOrg(OrgRow org, long index, Instant at) {
    }

    private record NewKey(KeyRow key, long index, Instant at) {
    }

    private record Revocation(String keyId, String reason, long index, Instant at) {
    }

    private final Connection c;
    private final Map<String, Optional<KeyRow>> keys = new HashMap<>();
    private final Map<String, Optional<OrgRow>> orgs = new HashMap<>();
    private Boolean operatorHasKeys;
    private final List<NewOrg> newOrgs = new ArrayList<>();
    private final List<NewKey> newKeys = new ArrayList<>();
    private final List<Revocation> revocations = new ArrayList<>();
    private final Set<String> wantedKeys = new HashSet<>();
    private final Set<String> wantedOrgs = new HashSet<>();

    private Registry(Connection c) {
        this.c = c;
    }

    /** The registry as the batch sees it. */
    public static Registry of(BatchContext ctx) {
        return BatchState.of(ctx, Registry.class, Registry::new);
    }

    void wantKey(String keyId) {
        wantedKeys.add(keyId);
    }

    void wantOrg(String org) {
        wantedOrgs.add(org);
    }

    /** Loads the wanted keys and organisations with one query each. */
    @Override
    public void prefetch() throws SQLException {
        load(wantedKeys, wantedOrgs);
        wantedKeys.clear();
        wantedOrgs.clear();
    }

    /** Loads the given keys and organisations (present or absent) into the cache with one query each. */
    private void load(Collection<String> keyIds, Collection<String> orgIds) throws SQLException {
        List<String> wantedKeys = keyIds.stream().filter(k -> !keys.containsKey(k)).distinct().toList();
        if (!wantedKeys.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, org_id, algorithm, spki, revoked_idx IS NULL "
                    + "FROM org_keys WHERE key_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", wantedKeys.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.put(rs.getString(1), Optional.of(new KeyRow(rs.getString(1), rs.getString(2),
                                rs.getString(3), rs.getBytes(4), rs.getBoolean(5))));
                    }
                }
            }
            wantedKeys.forEach(k -> keys.putIfAbsent(k, Optional.empty()));
        }
        List<String> wantedOrgs = orgIds.stream().filter(o -> !orgs.containsKey(o)).distinct().toList();
        if (!wantedOrgs.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, country, roles FROM orgs WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", wantedOrgs.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        orgs.put(rs.getString(1), Optional.of(new OrgRow(rs.getString(1), rs.getString(2),
                                rs.getString(3), List.of((String[]) rs.getArray(4).getArray()))));
                    }
                }
            }
            wantedOrgs.forEach(o -> orgs.putIfAbsent(o, Optional.empty()));
        }
    }

    Optional<KeyRow> key(String keyId) throws SQLException {
        if (!keys.containsKey(keyId)) {
            load(List.of(keyId), List.of());
        }
        return keys.get(keyId);
    }

    /** The organisation as of this point of the batch. */
    public Optional<OrgRow> org(String id) throws SQLException {
        if (!orgs.containsKey(id)) {
            load(List.of(), List.of(id));
        }
        return orgs.get(id);
    }

    boolean operatorHasKeys() throws SQLException {
        if (operatorHasKeys == null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM org_keys WHERE org_id = '" + Operator.ID + "' LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                operatorHasKeys = rs.next();
            }
        }
        return operatorHasKeys;
    }

    void addOrg(OrgRow org, long index, Instant at) {
        newOrgs.add(new NewOrg(org, index, at));
        orgs.put(org.id(), Optional.of(org));
    }

    void addKey(KeyRow key, long index, Instant at) {
        newKeys.add(new NewKey(key, index, at));
        keys.put(key.keyId(), Optional.of(key));
        if (Operator.ID.equals(key.orgId())) {
            operatorHasKeys = true;
        }
    }

    void revokeKey(KeyRow key, String reason, long index, Instant at) {
        revocations.add(new Revocation(key.keyId(), reason, index, at));
        keys.put(key.keyId(), Optional.of(new KeyRow(key.keyId(), key.orgId(), key.algorithm(), key.spki(), false)));
    }

    /** Writes everything buffered by this batch: inserts first, then revocations (a key may be added and revoked). */
    @Override
    public void flush() throws SQLException {
        flushOrgs();
        flushKeys();
        flushRevocations();
    }

    /** The organisations registered in the batch, in one statement. */
    private void flushOrgs() throws SQLException {
        if (newOrgs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orgs (id, name, country, roles, registered_idx, "
                + "registered_at) SELECT u.id, u.name, u.country, string_to_array(u.roles, ','), u.idx, u.at "
                + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::timestamptz[]) "
                + "AS u(id, name, country, roles, idx, at)")) {
            ColumnArrays.of(newOrgs).text(o -> o.org().id()).text(o -> o.org().name()).text(o -> o.org().country())
                    .text(o -> String.join(",", o.org().roles())).bigint(NewOrg::index).timestamptz(NewOrg::at)
                    .executeUpdate(c, ps);
        }
        newOrgs.clear();
    }

    /** The keys added in the batch, in one statement. */
    private void flushKeys() throws SQLException {
        if (newKeys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO org_keys (key_id, org_id, algorithm, spki, "
                + "added_idx, added_at) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[], "
                + "?::bigint[], ?::timestamptz[])")) {
            ColumnArrays.of(newKeys).text(k -> k.key().keyId()).text(k -> k.key().orgId())
                    .text(k -> k.key().algorithm()).bytea(k -> k.key().spki()).bigint(NewKey::index)
                    .timestamptz(NewKey::at).executeUpdate(c, ps);
        }
        newKeys.clear();
    }

    /** The keys revoked in the batch, in one batch of updates. */
    private void flushRevocations() throws SQLException {
        if (revocations.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE org_keys SET revoked_idx = ?, revoked_at = ?, revoke_reason = ? WHERE key_id = ?")) {
            for (Revocation r : revocations) {
                ps.setLong(1, r.index());
                ps.setTimestamp(2, Timestamp.from(r.at()));
                ps.setString(3, r.reason());
                ps.setString(4, r.keyId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        revocations.clear();
    }
}
