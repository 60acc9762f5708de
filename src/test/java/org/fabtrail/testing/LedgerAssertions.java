package org.fabtrail.testing;

import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteVerifier;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one invariant checker (style guide point 11), written independently of the production tree code:
 * reload every leaf, check indexes are dense and leaf hashes right, recompute the root with a plain recursive
 * RFC 9162 MTH, and check that the latest checkpoint commits to it and is signed by the log key.
 */
public final class LedgerAssertions {

    private LedgerAssertions() {
    }

    public static void assertConsistent(DataSource ds, NoteVerifier logKey) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            List<byte[]> leafHashes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT idx, leaf, leaf_hash FROM log_entries ORDER BY idx")) {
                long expected = 0;
                while (rs.next()) {
                    assertEquals(expected, rs.getLong(1), "log indexes must be dense from 0");
                    byte[] leaf = rs.getBytes(2);
                    assertArrayEquals(sha256((byte) 0, leaf), rs.getBytes(3), "leaf hash of index " + expected);
                    leafHashes.add(rs.getBytes(3));
                    expected++;
                }
            }
            byte[] root = mth(leafHashes, 0, leafHashes.size());
            try (ResultSet rs = st.executeQuery("SELECT tree_size, root_hash FROM tree_head")) {
                assertTrue(rs.next());
                assertEquals(leafHashes.size(), rs.getLong(1), "tree head size");
                assertArrayEquals(root, rs.getBytes(2), "tree head root");
            }
            if (leafHashes.isEmpty()) {
                return;
            }
            try (ResultSet rs = st.executeQuery("SELECT tree_size, note FROM checkpoints ORDER BY tree_size DESC LIMIT 1")) {
                assertTrue(rs.next(), "a non-empty log has a checkpoint");
                assertEquals(leafHashes.size(), rs.getLong(1), "latest checkpoint size");
                byte[] note = rs.getString(2).getBytes(StandardCharsets.UTF_8);
                org.fabtrail.ledger.checkpoint.Notes.open(note, List.of(logKey));
                Checkpoint cp = Checkpoint.parse(Note.parse(note).text());
                assertEquals(leafHashes.size(), cp.size());
                assertArrayEquals(root, cp.rootHash(), "latest checkpoint root");
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("ledger is not consistent: " + e, e);
        }
    }

    /**
     * Independent RFC 9162 section 2.1.3.2 verification: the root an inclusion proof leads to, or null when the
     * proof has the wrong length for (index, size).
     */
    public static byte[] rootFromInclusion(long index, long size, byte[] leafHash, List<byte[]> proof) {
        if (index >= size) {
            return null;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    private static byte[] node(byte[] l, byte[] r) {
        byte[] both = Arrays.copyOf(l, 64);
        System.arraycopy(r, 0, both, 32, 32);
        return sha256((byte) 1, both);
    }

    /** RFC 9162 MTH over leaf hashes [from, to), recursively. */
    public static byte[] mth(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return sha256(null, new byte[0]);
        }
        if (n == 1) {
            return leaves.get(from);
        }
        int k = Integer.highestOneBit(n - 1);
        byte[] l = mth(leaves, from, from + k);
        byte[] r = mth(leaves, from + k, to);
        byte[] both = Arrays.copyOf(l, 64);
        System.arraycopy(r, 0, both, 32, 32);
        return sha256((byte) 1, both);
    }

    static byte[] sha256(Byte prefix, byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (prefix != null) {
                md.update(prefix);
            }
            return md.digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
