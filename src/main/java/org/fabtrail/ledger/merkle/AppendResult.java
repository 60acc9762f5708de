package org.fabtrail.ledger.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of {@link TreeAppender#append(List)}: what changed between the old tree
 * ({@link #oldSize()}) and the new one ({@link #newSize()}), computed in memory.
 *
 * <p>Immutable and thread-safe; every returned array is a fresh copy.
 */
public final class AppendResult {

    private final TreeAppender before;
    private final TreeAppender after;
    private final List<byte[][]> levels;
    private final List<StoredNode> newNodes;

    AppendResult(TreeAppender before, TreeAppender after, List<byte[][]> levels) {
        this.before = before;
        this.after = after;
        this.levels = levels;
        List<StoredNode> nodes = new ArrayList<>();
        for (int level = 1; level < levels.size(); level++) {
            long first = before.size() >> level;
            byte[][] hashes = levels.get(level);
            for (int k = 0; k < hashes.length; k++) {
                nodes.add(new StoredNode(new NodeId(level, first + k), hashes[k]));
            }
        }
        this.newNodes = Collections.unmodifiableList(nodes);
    }

    /** Returns the tree size before the batch. */
    public long oldSize() {
        return before.size();
    }

    /** Returns the tree size after the batch. */
    public long newSize() {
        return after.size();
    }

    /** Returns the root of the new tree. */
    public byte[] root() {
        return after.root();
    }

    /** Returns the border of the new tree, in {@link TreeAppender#borderNodes(long)} order. */
    public List<byte[]> border() {
        return after.border();
    }

    /**
     * Returns every complete node of level {@code >= 1} that exists in the new tree but not in the old
     * one, i.e. whose leaf range ends in {@code (oldSize, newSize]}, in increasing (level, index)
     * order. Storing these (with the leaf hashes) keeps every complete node of the tree stored, so
     * later proofs need only lookups.
     */
    public List<StoredNode> newNodes() {
        return newNodes;
    }

    /**
     * Returns the RFC 9162 inclusion proof of a leaf of this batch against the new tree, computed from
     * the batch and the old border only.
     *
     * @param leafIndex a leaf index in {@code [oldSize, newSize)}
     * @return the audit path, lowest first (identical to {@link Proofs#inclusion} over a store holding
     *     the whole new tree)
     * @throws IllegalArgumentException if the leaf is not part of this batch
     */
    public List<byte[]> inclusionProof(long leafIndex) {
        if (leafIndex < oldSize() || leafIndex >= newSize()) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in this batch [" + oldSize() + ", "
                    + newSize() + ")");
        }
        return Proofs.fetch(Proofs.inclusionPlan(leafIndex, newSize()),
                (level, index) -> before.lookup(levels, level, index));
    }

    /**
     * Returns the appender for the new tree, ready for the next batch. Use it only once the batch is
     * durably stored; until then the old appender stays valid.
     */
    public TreeAppender next() {
        return after;
    }
}
