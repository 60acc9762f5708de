package org.fabtrail.ledger.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The in-memory append engine for group commit: given the current tree's compact range (its
 * "border"), it appends a batch of leaf hashes and produces everything the sequencer must persist
 * and publish, without reading any other stored node.
 *
 * <p>The border of a tree of size {@code n} is its compact range: one complete subtree per set bit
 * of {@code n}, left to right, largest first ({@link #borderNodes(long)}). The border alone
 * determines the root and every hash that new nodes and new leaves' inclusion proofs need from the
 * old tree: a new node's left child that lies in the old tree is always an old border node, and so
 * is every left sibling on a new leaf's audit path that lies in the old tree.
 *
 * <p><b>Immutable.</b> {@link #append(List)} does not change this appender; the next appender is
 * {@link AppendResult#next()}. A sequencer keeps the current appender, appends a batch, persists the
 * result, and only after the commit succeeds replaces its appender with {@code result.next()}. A
 * failed commit therefore needs no rollback: the old appender is still valid. Instances are
 * thread-safe.
 */
public final class TreeAppender {

    private final long size;
    /** The border indexed by level: {@code byLevel[l]} is non-null exactly when bit l of size is set. */
    private final byte[][] byLevel;

    /**
     * Creates an appender for an existing tree.
     *
     * @param size   the tree size, {@code >= 0}
     * @param border the hashes of {@link #borderNodes(long) borderNodes(size)}, in that order (largest
     *               first); each {@value Merkle#HASH_SIZE} bytes. The arrays are copied.
     * @throws IllegalArgumentException if the size is negative or the border has the wrong shape
     */
    public TreeAppender(long size, List<byte[]> border) {
        Objects.requireNonNull(border, "border");
        if (size < 0) {
            throw new IllegalArgumentException("tree size must not be negative, got " + size);
        }
        if (border.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a tree of size " + size + " has " + Long.bitCount(size)
                    + " border nodes, got " + border.size());
        }
        this.size = size;
        this.byLevel = new byte[NodeId.MAX_LEVEL + 1][];
        int i = 0;
        for (int level = NodeId.MAX_LEVEL; level >= 0; level--) {
            if ((size >> level & 1) == 1) {
                byLevel[level] = Merkle.requireHash(border.get(i), "border node " + i).clone();
                i++;
            }
        }
    }

    private TreeAppender(long size, byte[][] byLevel) {
        this.size = size;
        this.byLevel = byLevel;
    }

    /** Returns an appender for the empty tree. */
    public static TreeAppender empty() {
        return new TreeAppender(0, List.of());
    }

    /**
     * Returns the compact range of {@code [0, size)}: the maximal aligned complete subtrees, left to
     * right, largest first. These are the nodes whose hashes the constructor needs.
     *
     * @param size the tree size, {@code >= 0}
     * @return an unmodifiable list of {@code Long.bitCount(size)} ids
     * @throws IllegalArgumentException if the size is negative
     */
    public static List<NodeId> borderNodes(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("tree size must not be negative, got " + size);
        }
        List<NodeId> ids = new ArrayList<>(Long.bitCount(size));
        for (int level = NodeId.MAX_LEVEL; level >= 0; level--) {
            if ((size >> level & 1) == 1) {
                ids.add(new NodeId(level, (size >> level) - 1));
            }
        }
        return Collections.unmodifiableList(ids);
    }

    /** Returns the tree size this appender starts from. */
    public long size() {
        return size;
    }

    /** Returns copies of the border hashes, in {@link #borderNodes(long)} order. */
    public List<byte[]> border() {
        return border(byLevel);
    }

    /** Returns the root of the current tree ({@link Merkle#emptyRoot()} when empty). */
    public byte[] root() {
        return root(byLevel);
    }

    /**
     * Appends a batch of leaf hashes. This appender is not modified.
     *
     * <p>Costs about one node hash per appended leaf plus {@code O(log n)}; reads nothing but the
     * border and the batch.
     *
     * @param newLeafHashes the leaf hashes to append, in order; each {@value Merkle#HASH_SIZE} bytes.
     *                      May be empty, which gives a result with no new nodes and the same root.
     * @return the new tree's root, border, new nodes to store and the new leaves' inclusion proofs
     * @throws IllegalArgumentException if a hash has the wrong length or the tree would overflow
     */
    public AppendResult append(List<byte[]> newLeafHashes) {
        Objects.requireNonNull(newLeafHashes, "newLeafHashes");
        int count = newLeafHashes.size();
        if (count > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException("appending " + count + " leaves to a tree of size " + size
                    + " overflows");
        }
        long newSize = size + count;
        // levels[l][k] is the new node (l, (size >> l) + k): every complete node whose range ends in
        // (size, newSize]. Level 0 is the batch itself.
        List<byte[][]> levels = new ArrayList<>();
        byte[][] leaves = new byte[count][];
        for (int k = 0; k < count; k++) {
            leaves[k] = Merkle.requireHash(newLeafHashes.get(k), "new leaf hash " + k).clone();
        }
        levels.add(leaves);
        for (int level = 1; level <= NodeId.MAX_LEVEL; level++) {
            long first = size >> level;
            int n = (int) ((newSize >> level) - first);
            if (n == 0) {
                break; // a new node always has a new right child, so no higher level has new nodes
            }
            byte[][] nodes = new byte[n][];
            for (int k = 0; k < n; k++) {
                long index = first + k;
                nodes[k] = Merkle.nodeHash(
                        lookup(levels, level - 1, 2 * index), lookup(levels, level - 1, 2 * index + 1));
            }
            levels.add(nodes);
        }
        byte[][] newByLevel = new byte[NodeId.MAX_LEVEL + 1][];
        for (int level = 0; level <= NodeId.MAX_LEVEL; level++) {
            if ((newSize >> level & 1) == 1) {
                newByLevel[level] = lookup(levels, level, (newSize >> level) - 1);
            }
        }
        return new AppendResult(this, new TreeAppender(newSize, newByLevel), levels);
    }

    /**
     * Returns the hash of complete node {@code (level, index)} of the new tree, which must be either a
     * new node or an old border node. Anything else is not available, by construction.
     */
    byte[] lookup(List<byte[][]> levels, int level, long index) {
        long first = size >> level;
        if (index >= first) {
            long k = index - first;
            if (level < levels.size() && k < levels.get(level).length) {
                return levels.get(level)[(int) k];
            }
        } else if (index == first - 1 && byLevel[level] != null) {
            return byLevel[level];
        }
        throw new IllegalStateException("node (" + level + ", " + index + ") is neither new nor on the border of "
                + "the tree of size " + size);
    }

    static List<byte[]> border(byte[][] byLevel) {
        List<byte[]> out = new ArrayList<>();
        for (int level = NodeId.MAX_LEVEL; level >= 0; level--) {
            if (byLevel[level] != null) {
                out.add(byLevel[level].clone());
            }
        }
        return Collections.unmodifiableList(out);
    }

    static byte[] root(byte[][] byLevel) {
        byte[] hash = null;
        for (int level = 0; level <= NodeId.MAX_LEVEL; level++) {
            if (byLevel[level] != null) {
                hash = hash == null ? byLevel[level].clone() : Merkle.nodeHash(byLevel[level], hash);
            }
        }
        return hash == null ? Merkle.emptyRoot() : hash;
    }
}
