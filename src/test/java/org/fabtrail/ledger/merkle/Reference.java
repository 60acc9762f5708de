package org.fabtrail.ledger.merkle;

import org.fabtrail.testing.LedgerAssertions;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.fabtrail.testing.Bytes.concat;

/**
 * A direct, recursive transcription of RFC 9162 §2.1 (MTH, PATH, SUBPROOF and the §2.1.3.2 /
 * §2.1.4.2 verifiers), written without any production code so the fast implementation can be
 * compared against it. Subtree hashes are memoised by range only to keep the exhaustive tests fast; the public helpers
 * return copies so a test cannot corrupt the memo.
 */
final class Reference {

    private final List<byte[]> leaves; // leaf hashes D[0..]
    private final Map<Long, byte[]> memo = new HashMap<>();

    Reference(List<byte[]> leafHashes) {
        this.leaves = List.copyOf(leafHashes);
    }

    int leafCount() {
        return leaves.size();
    }

    byte[] leaf(int i) {
        return leaves.get(i).clone();
    }

    // ---- The ten-line core: RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1 over D[lo:hi].

    /** MTH(D[lo:hi]). */
    byte[] mth(int lo, int hi) {
        int n = hi - lo;
        if (n == 0) return sha256(new byte[0]);
        if (n == 1) return leaves.get(lo);
        byte[] h = memo.get(((long) lo << 32) | hi);
        if (h == null) memo.put(((long) lo << 32) | hi, h = node(mth(lo, lo + k(n)), mth(lo + k(n), hi)));
        return h;
    }

    /** PATH(m, D[lo:hi]), m relative to lo. */
    List<byte[]> path(int m, int lo, int hi) {
        if (hi - lo == 1) return new ArrayList<>();
        int k = k(hi - lo);
        List<byte[]> p = m < k ? path(m, lo, lo + k) : path(m - k, lo + k, hi);
        p.add(m < k ? mth(lo + k, hi) : mth(lo, lo + k));
        return p;
    }

    /** SUBPROOF(m, D[lo:hi], b), m relative to lo. */
    List<byte[]> subproof(int m, int lo, int hi, boolean b) {
        if (m == hi - lo) return b ? new ArrayList<>() : new ArrayList<>(List.of(mth(lo, hi)));
        int k = k(hi - lo);
        List<byte[]> p = m <= k ? subproof(m, lo, lo + k, b) : subproof(m - k, lo + k, hi, false);
        p.add(m <= k ? mth(lo + k, hi) : mth(lo, lo + k));
        return p;
    }

    /** The largest power of two smaller than n (n >= 2). */
    static int k(int n) {
        return Integer.highestOneBit(n - 1);
    }

    // ---- Convenience wrappers.

    byte[] root(int size) {
        return mth(0, size).clone();
    }

    List<byte[]> inclusion(int index, int size) {
        return copies(path(index, 0, size));
    }

    List<byte[]> consistency(int m, int size) {
        return copies(subproof(m, 0, size, true));
    }

    private static List<byte[]> copies(List<byte[]> hashes) {
        List<byte[]> out = new ArrayList<>();
        hashes.forEach(h -> out.add(h.clone()));
        return out;
    }

    /** The leaf ranges [lo, hi) that the entries of PATH(m, D[lo:hi]) hash, lowest first. */
    static List<int[]> pathRanges(int m, int lo, int hi) {
        if (hi - lo == 1) return new ArrayList<>();
        int k = k(hi - lo);
        List<int[]> p = m < k ? pathRanges(m, lo, lo + k) : pathRanges(m - k, lo + k, hi);
        p.add(m < k ? new int[] {lo + k, hi} : new int[] {lo, lo + k});
        return p;
    }

    /** The hash of complete node (level, index), straight from the definition. */
    byte[] complete(int level, long index) {
        return mth((int) (index << level), (int) ((index + 1) << level)).clone();
    }

    // ---- RFC 9162 §2.1.3.2 and §2.1.4.2, step by step, returning true on success.

    static boolean verifyInclusion(long index, long size, byte[] hash, List<byte[]> path, byte[] root) {
        if (index >= size || index < 0 || hash.length != 32 || root.length != 32) return false;
        // a path hash of another length leads to no root; the walk below takes 32-byte hashes only
        if (path.stream().anyMatch(p -> p.length != 32)) return false;
        byte[] r = LedgerAssertions.rootFromInclusion(index, size, hash, path);
        return r != null && MessageDigest.isEqual(r, root);
    }

    static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> path) {
        // Size rules shared with transparency-dev/merkle (the RFC assumes 0 < first < second).
        if (first <= 0 || second < first) return false;
        if (first == second) return path.isEmpty() && MessageDigest.isEqual(firstHash, secondHash);
        if (firstHash.length != 32 || secondHash.length != 32) return false;
        if (path.isEmpty()) return false;
        List<byte[]> c = new ArrayList<>(path);
        if (Long.bitCount(first) == 1) c.add(0, firstHash);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = c.get(0);
        byte[] sr = c.get(0);
        for (byte[] v : c.subList(1, c.size())) {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(v, fr);
                sr = node(v, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = node(sr, v);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return MessageDigest.isEqual(fr, firstHash) && MessageDigest.isEqual(sr, secondHash) && sn == 0;
    }

    // ---- Hashing, independent of Merkle.java.

    static byte[] leafHash(byte[] data) {
        return sha256(concat(new byte[] {0}, data));
    }

    static byte[] node(byte[] l, byte[] r) {
        return sha256(concat(new byte[] {1}, l, r));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
