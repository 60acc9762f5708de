package org.fabtrail.custody;

import org.fabtrail.crypto.VerificationKey;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered signing keys by key id, for checking signatures before an entry is queued. A key id is a hash of
 * the key, and a key belongs to one organisation for good, so a found key is cached forever; whether it is
 * still active is decided in the sequencing transaction, never from this cache.
 */
public final class KeyRegistry {

    /** A registered key: whose it is and how to verify with it. */
    public record RegisteredKey(String keyId, String orgId, VerificationKey key) {
    }

    private final DataSource dataSource;
    private final ConcurrentHashMap<String, RegisteredKey> cache = new ConcurrentHashMap<>();

    public KeyRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<RegisteredKey> find(String keyId) {
        RegisteredKey k = cache.get(keyId);
        if (k != null) {
            return Optional.of(k);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT org_id, spki FROM org_keys WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                RegisteredKey found = new RegisteredKey(keyId, rs.getString(1), VerificationKey.fromSpki(rs.getBytes(2)));
                cache.put(keyId, found);
                return Optional.of(found);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the key registry: " + e.getMessage(), e);
        }
    }
}
