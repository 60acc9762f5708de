package org.fabtrail.ledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * The RFC 9162 §2.1 Merkle tree hash over SHA-256.
 *
 * <ul>
 *   <li>leaf hash: {@code SHA-256(0x00 || leaf data)}</li>
 *   <li>interior node hash: {@code SHA-256(0x01 || left || right)}</li>
 *   <li>root of the empty tree: {@code SHA-256("")}</li>
 *   <li>root of {@code n > 1} leaves: split at the largest power of two smaller than {@code n},
 *       hash the left (complete) and right subtrees recursively and combine them with the node
 *       hash.</li>
 * </ul>
 *
 * <p>All methods are static, thread-safe and allocation-light: each thread reuses one
 * {@link MessageDigest}. Every returned array is a fresh copy the caller may keep or modify; input
 * arrays are never modified.
 */
public final class Merkle {

    /** Length in bytes of every hash in the tree (SHA-256). */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Merkle::newDigest);

    private static final byte[] EMPTY_ROOT = SHA256.get().digest();

    private Merkle() {
    }

    /**
     * Returns the RFC 9162 leaf hash {@code SHA-256(0x00 || leafData)}.
     *
     * @param leafData the leaf's bytes, of any length (including zero)
     * @return a fresh 32-byte hash
     */
    public static byte[] leafHash(byte[] leafData) {
        Objects.requireNonNull(leafData, "leafData");
        MessageDigest md = SHA256.get();
        md.update(LEAF_PREFIX);
        md.update(leafData);
        return md.digest();
    }

    /**
     * Returns the RFC 9162 interior node hash {@code SHA-256(0x01 || left || right)}.
     *
     * <p>The inputs are hashed as given, whatever their length; inside a tree they are always
     * {@value #HASH_SIZE} bytes.
     *
     * @param left  hash of the left child
     * @param right hash of the right child
     * @return a fresh 32-byte hash
     */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        MessageDigest md = SHA256.get();
        md.update(NODE_PREFIX);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /**
     * Returns the root of the empty tree, {@code SHA-256("")}.
     *
     * @return a fresh copy of the 32-byte empty root
     */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    /**
     * Computes the Merkle tree hash (MTH) of a list of leaf hashes in {@code n - 1} node hashes.
     *
     * @param leafHashes the leaf hashes in log order; each must be {@value #HASH_SIZE} bytes
     * @return the root: {@link #emptyRoot()} for an empty list, a copy of the only leaf hash for one
     *     leaf
     * @throws IllegalArgumentException if an element is not {@value #HASH_SIZE} bytes
     * @throws NullPointerException     if the list or an element is null
     */
    public static byte[] root(List<byte[]> leafHashes) {
        Objects.requireNonNull(leafHashes, "leafHashes");
        int n = leafHashes.size();
        if (n == 0) {
            return emptyRoot();
        }
        byte[][] level = new byte[n][];
        for (int i = 0; i < n; i++) {
            level[i] = requireHash(leafHashes.get(i), "leaf hash " + i);
        }
        // Pairing left to right and promoting an unpaired last node unchanged builds exactly the
        // RFC 9162 tree: the left subtree at every split is a complete, aligned power of two.
        while (n > 1) {
            int half = n / 2;
            for (int i = 0; i < half; i++) {
                level[i] = nodeHash(level[2 * i], level[2 * i + 1]);
            }
            if ((n & 1) == 1) {
                level[half] = level[n - 1];
            }
            n = (n + 1) / 2;
        }
        return level[0].clone();
    }

    /** Returns {@code hash} after checking that it is a non-null {@value #HASH_SIZE}-byte array. */
    static byte[] requireHash(byte[] hash, String what) {
        Objects.requireNonNull(hash, what);
        if (hash.length != HASH_SIZE) {
            throw new IllegalArgumentException(what + " must be " + HASH_SIZE + " bytes, got " + hash.length);
        }
        return hash;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }
}
