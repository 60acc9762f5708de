package org.fabtrail.custody;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The organisation and key registry as the sequencing transaction sees it: reads go to the projections once per
 * batch and are cached; writes go to the projections at once and update the cache, so later entries of the same
 * batch see them. One instance per batch (a {@code BatchContext} attribute).
 */
final class Registry {

    record KeyRow(String keyId, String orgId, String algorithm, byte[] spki, boolean active) {
    }

    record OrgRow(String id, String name, String country, List<String> roles) {
    }

    private final Connection c;
    private final Map<String, Optional<KeyRow>> keys = new HashMap<>();
    private final Map<String, Optional<OrgRow>> orgs = new HashMap<>();
    private Boolean operatorHasKeys;

    Registry(Connection c) {
        this.c = c;
    }

    Optional<KeyRow> key(String keyId) throws SQLException {
        Optional<KeyRow> cached = keys.get(keyId);
        if (cached != null) {
            return cached;
        }
        Optional<KeyRow> row = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT org_id, algorithm, spki, revoked_idx IS NULL FROM org_keys WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    row = Optional.of(new KeyRow(keyId, rs.getString(1), rs.getString(2), rs.getBytes(3),
                            rs.getBoolean(4)));
                }
            }
        }
        keys.put(keyId, row);
        return row;
    }

    Optional<OrgRow> org(String id) throws SQLException {
        Optional<OrgRow> cached = orgs.get(id);
        if (cached != null) {
            return cached;
        }
        Optional<OrgRow> row = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, country, roles FROM orgs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    row = Optional.of(new OrgRow(id, rs.getString(1), rs.getString(2),
                            List.of((String[]) rs.getArray(3).getArray())));
                }
            }
        }
        orgs.put(id, row);
        return row;
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

    void addOrg(OrgRow org, long index, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO orgs (id, name, country, roles, registered_idx, registered_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            Array roles = c.createArrayOf("text", org.roles().toArray());
            ps.setString(1, org.id());
            ps.setString(2, org.name());
            ps.setString(3, org.country());
            ps.setArray(4, roles);
            ps.setLong(5, index);
            ps.setTimestamp(6, Timestamp.from(at));
            ps.executeUpdate();
        }
        orgs.put(org.id(), Optional.of(org));
    }

    void addKey(KeyRow key, long index, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO org_keys (key_id, org_id, algorithm, spki, added_idx, added_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.keyId());
            ps.setString(2, key.orgId());
            ps.setString(3, key.algorithm());
            ps.setBytes(4, key.spki());
            ps.setLong(5, index);
            ps.setTimestamp(6, Timestamp.from(at));
            ps.executeUpdate();
        }
        keys.put(key.keyId(), Optional.of(key));
        if (Operator.ID.equals(key.orgId())) {
            operatorHasKeys = true;
        }
    }

    void revokeKey(KeyRow key, String reason, long index, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE org_keys SET revoked_idx = ?, revoked_at = ?, revoke_reason = ? WHERE key_id = ?")) {
            ps.setLong(1, index);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, reason);
            ps.setString(4, key.keyId());
            ps.executeUpdate();
        }
        keys.put(key.keyId(), Optional.of(new KeyRow(key.keyId(), key.orgId(), key.algorithm(), key.spki(), false)));
    }
}
