package org.fabtrail.ledger.merkle;

/**
 * Names a complete, aligned subtree of the log: the perfect binary tree over the
 * {@code 2^level} leaves {@code [index * 2^level, (index + 1) * 2^level)}.
 *
 * <p>Level 0 holds the leaf hashes themselves; {@code (level, index)} has children
 * {@code (level - 1, 2 * index)} and {@code (level - 1, 2 * index + 1)}. A node exists in a tree
 * of size {@code n} exactly when its range ends at or before {@code n}, i.e. when
 * {@code index < n >> level}; once it exists its hash never changes, so it can be stored under this
 * id for good. Ids are ordered by level, then index.
 *
 * @param level height above the leaves, {@code 0 <= level <= 62}
 * @param index position among the nodes of that level, counted from 0; the range must end at or
 *              before {@link Long#MAX_VALUE}
 */
public record NodeId(int level, long index) implements Comparable<NodeId> {

    /** The highest level a node can have when tree sizes are non-negative {@code long}s. */
    public static final int MAX_LEVEL = 62;

    /**
     * @throws IllegalArgumentException if the level or index is out of range
     */
    public NodeId {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level must be in [0, " + MAX_LEVEL + "], got " + level);
        }
        if (index < 0 || index >= (Long.MAX_VALUE >> level)) {
            throw new IllegalArgumentException("index " + index + " is out of range for level " + level);
        }
    }

    /** Returns the first leaf index covered by this node. */
    public long start() {
        return index << level;
    }

    /** Returns the leaf index just past the last leaf covered by this node (exclusive). */
    public long end() {
        return (index + 1) << level;
    }

    /** Returns the number of leaves covered, {@code 2^level}. */
    public long leafCount() {
        return 1L << level;
    }

    /** Returns whether this node is complete in a tree of {@code treeSize} leaves. */
    public boolean existsIn(long treeSize) {
        return index < (treeSize >> level);
    }

    @Override
    public int compareTo(NodeId other) {
        int c = Integer.compare(level, other.level);
        return c != 0 ? c : Long.compare(index, other.index);
    }

    @Override
    public String toString() {
        return "NodeId[level=" + level + ", index=" + index + ", leaves=[" + start() + ", " + end() + ")]";
    }
}
