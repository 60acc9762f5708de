package org.fabtrail.ledger;

import org.fabtrail.ledger.checkpoint.NoteSignature;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The witnesses' cosignatures on the log's checkpoints ({@code checkpoint_cosignatures}, append-only).
 *
 * <p>Contract: only cosignatures that verified with the witness's configured key on the stored checkpoint of that
 * size are inserted; a witness's second cosignature of the same size is not stored (the first is kept). Reads never
 * return cosignatures beyond the tree head (rows a rolled-back database may have left behind).
 */
public final class CosignatureStore {

    /**
     * A checkpoint with the cosignature lines that meet a policy.
     *
     * @param treeSize  its size
     * @param note      the log's signed note followed by the cosignature lines, in policy order
     * @param witnesses the vkeys of the witnesses whose lines it carries, in policy order
     */
    public record Cosigned(long treeSize, String note, List<String> witnesses) {
    }

    /**
     * Stores a verified cosignature.
     *
     * @param witness   the witness's vkey
     * @param signature the cosignature
     * @param timestamp its timestamp (POSIX seconds)
     * @return whether it was stored (false when that witness's cosignature of that size is there already)
     */
    public boolean insert(Connection c, long treeSize, NoteVerifier witness, NoteSignature signature, long timestamp,
                          Instant receivedAt) throws SQLException {
        String line = signature.line();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO checkpoint_cosignatures "
                + "(tree_size, witness, signature_line, cosigned_at, received_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (tree_size, witness) DO NOTHING")) {
            ps.setLong(1, treeSize);
            ps.setString(2, witness.vkey());
            ps.setString(3, line.substring(0, line.length() - 1));
            ps.setTimestamp(4, Timestamp.from(Instant.ofEpochSecond(timestamp)));
            ps.setTimestamp(5, Timestamp.from(receivedAt));
            return ps.executeUpdate() == 1;
        }
    }

    /** The largest tree size each witness cosigned (within the tree head), by witness vkey. */
    public Map<String, Long> newestPerWitness(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.witness, max(s.tree_size) FROM checkpoint_cosignatures s "
                + "JOIN tree_head h ON s.tree_size <= h.tree_size GROUP BY s.witness");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * The newest checkpoint that at least {@code policy.required()} of the policy's witnesses cosigned, with all their
     * lines. With a policy of no witnesses, the newest checkpoint.
     */
    public Optional<Cosigned> newestCosigned(Connection c, WitnessPolicy policy) throws SQLException {
        if (policy.required() == 0) {
            Optional<LedgerStore.StoredCheckpoint> latest = new LedgerStore().latestCheckpoint(c);
            if (latest.isEmpty() || !policy.witnessed()) {
                return latest.map(cp -> new Cosigned(cp.treeSize(), cp.note(), List.of()));
            }
            return at(c, latest.get().treeSize(), policy);
        }
        List<String> vkeys = policy.witnesses().stream().map(NoteVerifier::vkey).toList();
        Array keys = c.createArrayOf("text", vkeys.toArray());
        long size;
        try (PreparedStatement ps = c.prepareStatement("SELECT s.tree_size FROM checkpoint_cosignatures s "
                + "JOIN tree_head h ON s.tree_size <= h.tree_size WHERE s.witness = ANY (?) "
                + "GROUP BY s.tree_size HAVING count(*) >= ? ORDER BY s.tree_size DESC LIMIT 1")) {
            ps.setArray(1, keys);
            ps.setInt(2, policy.required());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                size = rs.getLong(1);
            }
        }
        return at(c, size, policy);
    }

    /** The checkpoint of {@code size} with the cosignatures of the policy's witnesses it has (maybe none). */
    public Optional<Cosigned> at(Connection c, long size, WitnessPolicy policy) throws SQLException {
        Optional<LedgerStore.StoredCheckpoint> cp = new LedgerStore().checkpointAt(c, size);
        if (cp.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> lines = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT witness, signature_line FROM checkpoint_cosignatures "
                + "WHERE tree_size = ?")) {
            ps.setLong(1, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        StringBuilder note = new StringBuilder(cp.get().note());
        List<String> by = new java.util.ArrayList<>();
        for (NoteVerifier w : policy.witnesses()) {
            String line = lines.get(w.vkey());
            if (line != null) {
                note.append(line).append('\n');
                by.add(w.vkey());
            }
        }
        return Optional.of(new Cosigned(size, note.toString(), by));
    }
}
