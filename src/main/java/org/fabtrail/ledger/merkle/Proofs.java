package org.fabtrail.ledger.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 9162 §2.1 roots, inclusion proofs and consistency proofs: generation from stored complete
 * subtrees, and verification of untrusted proofs.
 *
 * <h2>Generation</h2>
 * A tree of size {@code n} is described by its complete, aligned subtrees ({@link NodeId}s). Every
 * hash a proof needs is either such a node or a partial right-edge subtree, which is hashed from its
 * complete constituents (split at the largest power of two, largest first). The generators read
 * {@code O(log n)} nodes from a {@link NodeSource} and never iterate over leaves; the planning methods
 * ({@link #rootNodes}, {@link #inclusionNodes}, {@link #consistencyNodes}) return exactly the set of
 * nodes the matching generator reads, so storage can fetch them in one query. Generators take
 * trusted arguments and throw {@link IllegalArgumentException} on invalid ones.
 *
 * <h2>Verification</h2>
 * The {@code verify*} methods treat every argument as hostile: they check sizes, indexes, hash lengths
 * and proof lengths before hashing, and report any failure as a checked {@link ProofException}. They
 * follow RFC 9162 §2.1.3.2 and §2.1.4.2 plus two rules the transparency-dev/merkle reference applies:
 * hashes must be exactly {@value Merkle#HASH_SIZE} bytes, and a consistency proof from size 0 is
 * always an error, even from 0 to 0.
 *
 * <p>All methods are static and thread-safe. Returned lists are unmodifiable and hold fresh arrays.
 */
public final class Proofs {

    private Proofs() {
    }

    // ---------------------------------------------------------------- generation

    /**
     * Computes the root of the tree of {@code size} leaves from its compact range
     * ({@link #rootNodes(long)}).
     *
     * @param size tree size, {@code >= 0}
     * @param src  stored complete subtrees
     * @return the 32-byte root; {@link Merkle#emptyRoot()} for size 0
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public static byte[] root(long size, NodeSource src) {
        Objects.requireNonNull(src, "src");
        if (size < 0) {
            throw new IllegalArgumentException("tree size must not be negative, got " + size);
        }
        if (size == 0) {
            return Merkle.emptyRoot();
        }
        return fold(rangeNodes(0, size), src);
    }

    /**
     * Returns the nodes {@link #root(long, NodeSource)} reads: the compact range of
     * {@code [0, size)}, i.e. one complete subtree per set bit of {@code size}, largest first.
     *
     * @param size tree size, {@code >= 0}
     * @return an unmodifiable set in read order (empty for size 0)
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public static Set<NodeId> rootNodes(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("tree size must not be negative, got " + size);
        }
        return size == 0 ? Set.of() : toSet(List.of(rangeNodes(0, size)));
    }

    /**
     * Builds the RFC 9162 §2.1.3.1 inclusion proof {@code PATH(index, D[size])}: the sibling hashes
     * from the leaf up to the root, lowest first.
     *
     * @param index leaf index, {@code 0 <= index < size}
     * @param size  tree size
     * @param src   stored complete subtrees
     * @return the audit path (empty for a tree of one leaf)
     * @throws IllegalArgumentException if the index is not inside the tree
     */
    public static List<byte[]> inclusion(long index, long size, NodeSource src) {
        Objects.requireNonNull(src, "src");
        return fetch(inclusionPlan(index, size), src);
    }

    /**
     * Returns the nodes {@link #inclusion(long, long, NodeSource)} reads for these arguments.
     *
     * @throws IllegalArgumentException if the index is not inside the tree
     */
    public static Set<NodeId> inclusionNodes(long index, long size) {
        return toSet(inclusionPlan(index, size));
    }

    /**
     * Builds the RFC 9162 §2.1.4.1 consistency proof {@code PROOF(m, D[n]) = SUBPROOF(m, D[n], true)}
     * that the tree of size {@code m} is a prefix of the tree of size {@code n}.
     *
     * @param m old tree size, {@code 0 < m <= n}
     * @param n new tree size
     * @param src stored complete subtrees
     * @return the proof; empty when {@code m == n}
     * @throws IllegalArgumentException if {@code m <= 0} or {@code m > n}
     */
    public static List<byte[]> consistency(long m, long n, NodeSource src) {
        Objects.requireNonNull(src, "src");
        return fetch(consistencyPlan(m, n), src);
    }

    /**
     * Returns the nodes {@link #consistency(long, long, NodeSource)} reads for these arguments.
     *
     * @throws IllegalArgumentException if {@code m <= 0} or {@code m > n}
     */
    public static Set<NodeId> consistencyNodes(long m, long n) {
        return toSet(consistencyPlan(m, n));
    }

    /**
     * The plan of an inclusion proof: one entry per proof hash, each listing the complete nodes whose
     * right fold is that hash.
     */
    static List<List<NodeId>> inclusionPlan(long index, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("tree size must be positive for an inclusion proof, got " + size);
        }
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is outside the tree of size " + size);
        }
        List<List<NodeId>> plan = new ArrayList<>();
        addPath(plan, 0, index, size);
        return plan;
    }

    static List<List<NodeId>> consistencyPlan(long m, long n) {
        if (m <= 0 || n <= 0) {
            throw new IllegalArgumentException("consistency proofs need 0 < m <= n, got m=" + m + ", n=" + n);
        }
        if (m > n) {
            throw new IllegalArgumentException("old size " + m + " is larger than new size " + n);
        }
        List<List<NodeId>> plan = new ArrayList<>();
        if (m == n) {
            return plan;
        }
        // The smallest subtree of the old tree's compact range, X = (shift, idx), ends at m. The proof
        // is X's hash (omitted when X is the whole old tree) followed by X's path up to the root of n.
        int shift = Long.numberOfTrailingZeros(m);
        long idx = (m - 1) >> shift;
        if (m != 1L << shift) {
            plan.add(List.of(new NodeId(shift, idx)));
        }
        addPath(plan, shift, idx, n);
        return plan;
    }

    /**
     * Appends the audit path of the complete node {@code (level, idx)} in the tree of {@code size}
     * leaves, lowest first.
     */
    private static void addPath(List<List<NodeId>> plan, int level, long idx, long size) {
        long last = (size - 1) >> level; // the node at this level on the path to leaf size-1
        // Below the level where the paths to idx and to the last leaf meet, idx's path has a sibling
        // at every level; above it, only where idx's path is a right child.
        int inner = 64 - Long.numberOfLeadingZeros(idx ^ last);
        for (int j = 0; j < inner; j++) {
            int lv = level + j;
            long sib = (idx >> j) ^ 1;
            if (sib < (size >> lv)) {
                plan.add(List.of(new NodeId(lv, sib)));
            } else {
                // Only the sibling on the path to the last leaf can be partial.
                plan.add(rangeNodes(sib << lv, size));
            }
        }
        for (int j = inner; j < 63 - level && (idx >> j) != 0; j++) {
            if (((idx >> j) & 1) == 1) {
                plan.add(List.of(new NodeId(level + j, (idx >> j) - 1)));
            }
        }
    }

    /**
     * Splits {@code [start, end)} into maximal aligned complete subtrees, left to right. For the ranges
     * used here ({@code start} aligned to a power of two at least {@code end - start}) they come largest
     * first and their right fold is the RFC 9162 hash of the range.
     */
    static List<NodeId> rangeNodes(long start, long end) {
        List<NodeId> nodes = new ArrayList<>();
        while (start < end) {
            int align = start == 0 ? NodeId.MAX_LEVEL : Long.numberOfTrailingZeros(start);
            int fit = 63 - Long.numberOfLeadingZeros(end - start);
            int level = Math.min(align, fit);
            nodes.add(new NodeId(level, start >> level));
            start += 1L << level;
        }
        return nodes;
    }

    /** Folds the hashes of {@code nodes} from the right: {@code H(n0, H(n1, ... H(nk-1, nk)))}. */
    static byte[] fold(List<NodeId> nodes, NodeSource src) {
        int k = nodes.size() - 1;
        byte[] hash = read(src, nodes.get(k));
        if (k == 0) {
            return hash.clone();
        }
        for (int i = k - 1; i >= 0; i--) {
            hash = Merkle.nodeHash(read(src, nodes.get(i)), hash);
        }
        return hash;
    }

    static List<byte[]> fetch(List<List<NodeId>> plan, NodeSource src) {
        List<byte[]> proof = new ArrayList<>(plan.size());
        for (List<NodeId> entry : plan) {
            proof.add(fold(entry, src));
        }
        return Collections.unmodifiableList(proof);
    }

    private static byte[] read(NodeSource src, NodeId id) {
        byte[] hash = src.node(id.level(), id.index());
        if (hash == null || hash.length != Merkle.HASH_SIZE) {
            throw new IllegalStateException("node source returned "
                    + (hash == null ? "null" : hash.length + " bytes") + " for " + id);
        }
        return hash;
    }

    private static Set<NodeId> toSet(List<List<NodeId>> plan) {
        Set<NodeId> set = new LinkedHashSet<>();
        for (List<NodeId> entry : plan) {
            set.addAll(entry);
        }
        return Collections.unmodifiableSet(set);
    }

    // ---------------------------------------------------------------- verification

    /**
     * Verifies an RFC 9162 §2.1.3.2 inclusion proof.
     *
     * @param index    claimed leaf index
     * @param size     claimed tree size
     * @param leafHash claimed leaf hash, must be 32 bytes
     * @param proof    audit path, lowest first; every entry must be 32 bytes
     * @param root     trusted root of the tree of {@code size} leaves, must be 32 bytes
     * @throws ProofException if any check fails, with the reason
     */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws ProofException {
        Objects.requireNonNull(root, "root");
        checkHash("root", root);
        byte[] calculated = rootFromInclusionProof(index, size, leafHash, proof);
        if (!MessageDigest.isEqual(calculated, root)) {
            throw new ProofException("inclusion proof for leaf " + index + " in tree of size " + size
                    + " leads to a different root");
        }
    }

    /**
     * Computes the root that an inclusion proof implies (RFC 9162 §2.1.3.2 without the final
     * comparison). The caller must compare the result with a root it trusts.
     *
     * @return the 32-byte root implied by the proof
     * @throws ProofException if the index, size, leaf hash or proof shape is invalid
     */
    public static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
            throws ProofException {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(proof, "proof");
        if (size <= 0) {
            throw new ProofException("tree size must be positive for an inclusion proof, got " + size);
        }
        if (index < 0 || index >= size) {
            throw new ProofException("leaf index " + index + " is outside the tree of size " + size);
        }
        checkHash("leaf hash", leafHash);
        byte[][] path = checkProof(proof);
        long last = size - 1;
        int inner = 64 - Long.numberOfLeadingZeros(index ^ last);
        int border = Long.bitCount(index >>> inner);
        if (path.length != inner + border) {
            throw new ProofException("inclusion proof for leaf " + index + " in tree of size " + size
                    + " must have " + (inner + border) + " hashes, got " + path.length);
        }
        byte[] hash = leafHash;
        for (int j = 0; j < inner; j++) {
            hash = ((index >> j) & 1) == 0 ? Merkle.nodeHash(hash, path[j]) : Merkle.nodeHash(path[j], hash);
        }
        for (int j = inner; j < path.length; j++) {
            hash = Merkle.nodeHash(path[j], hash);
        }
        return hash == leafHash ? leafHash.clone() : hash;
    }

    /**
     * Verifies an RFC 9162 §2.1.4.2 consistency proof that the tree of size {@code m} with root
     * {@code root1} is a prefix of the tree of size {@code n} with root {@code root2}.
     *
     * <p>Rules, in order: sizes must not be negative and {@code m <= n}; {@code m == 0} is always an
     * error (a proof from the empty tree proves nothing); when {@code m == n} the proof must be empty
     * and the roots byte-for-byte equal (as in transparency-dev/merkle, no length check applies in this
     * case: equal roots are trivially consistent); otherwise both roots and every proof entry must be
     * 32 bytes, the proof must have exactly the expected length, and it must reproduce both roots.
     *
     * @throws ProofException if any check fails, with the reason
     */
    public static void verifyConsistency(long m, long n, byte[] root1, byte[] root2, List<byte[]> proof)
            throws ProofException {
        Objects.requireNonNull(root1, "root1");
        Objects.requireNonNull(root2, "root2");
        Objects.requireNonNull(proof, "proof");
        if (sameTree(m, n, root1, root2, proof)) {
            return;
        }
        checkHash("root1", root1);
        checkHash("root2", root2);
        byte[][] path = checkProof(proof);
        if (path.length == 0) {
            throw new ProofException("consistency proof from " + m + " to " + n + " is empty");
        }
        int shift = Long.numberOfTrailingZeros(m);
        long idx = (m - 1) >> shift;
        long last = (n - 1) >> shift;
        int inner = 64 - Long.numberOfLeadingZeros(idx ^ last);
        int border = Long.bitCount(idx >>> inner);
        boolean mIsSubtree = m == 1L << shift;
        int start = mIsSubtree ? 0 : 1;
        if (path.length != start + inner + border) {
            throw new ProofException("consistency proof from " + m + " to " + n + " must have "
                    + (start + inner + border) + " hashes, got " + path.length);
        }
        byte[] seed = mIsSubtree ? root1 : path[0];
        byte[] hash1 = seed;
        byte[] hash2 = seed;
        for (int j = 0; j < inner; j++) {
            byte[] c = path[start + j];
            if (((idx >> j) & 1) == 1) {
                hash1 = Merkle.nodeHash(c, hash1);
                hash2 = Merkle.nodeHash(c, hash2);
            } else {
                hash2 = Merkle.nodeHash(hash2, c);
            }
        }
        for (int j = start + inner; j < path.length; j++) {
            hash1 = Merkle.nodeHash(path[j], hash1);
            hash2 = Merkle.nodeHash(path[j], hash2);
        }
        if (!MessageDigest.isEqual(hash1, root1)) {
            throw new ProofException("consistency proof from " + m + " to " + n + " does not match the old root");
        }
        if (!MessageDigest.isEqual(hash2, root2)) {
            throw new ProofException("consistency proof from " + m + " to " + n + " does not match the new root");
        }
    }

    /**
     * The size rules of {@link #verifyConsistency}; true when the sizes are equal, the proof empty and the roots
     * equal (nothing more to check).
     */
    private static boolean sameTree(long m, long n, byte[] root1, byte[] root2, List<byte[]> proof)
            throws ProofException {
        if (m < 0 || n < 0) {
            throw new ProofException("tree sizes must not be negative, got " + m + " and " + n);
        }
        if (n < m) {
            throw new ProofException("new size " + n + " is smaller than old size " + m);
        }
        if (m == 0) {
            throw new ProofException("a consistency proof from the empty tree is meaningless");
        }
        if (m == n) {
            if (!proof.isEmpty()) {
                throw new ProofException("sizes are equal (" + m + ") but the proof has " + proof.size() + " hashes");
            }
            if (!MessageDigest.isEqual(root1, root2)) {
                throw new ProofException("sizes are equal (" + m + ") but the roots differ");
            }
        }
        return m == n;
    }

    private static void checkHash(String what, byte[] hash) throws ProofException {
        if (hash.length != Merkle.HASH_SIZE) {
            throw new ProofException(what + " must be " + Merkle.HASH_SIZE + " bytes, got " + hash.length);
        }
    }

    private static byte[][] checkProof(List<byte[]> proof) throws ProofException {
        byte[][] path = proof.toArray(new byte[0][]);
        for (int i = 0; i < path.length; i++) {
            if (path[i] == null) {
                throw new ProofException("proof entry " + i + " is missing");
            }
            checkHash("proof entry " + i, path[i]);
        }
        return path;
    }
}
