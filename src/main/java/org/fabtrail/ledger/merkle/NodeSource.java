package org.fabtrail.ledger.merkle;

/**
 * Read access to the stored hashes of complete subtrees, the only thing {@link Proofs} needs to
 * build roots and proofs.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>{@code node(level, index)} returns the {@value Merkle#HASH_SIZE}-byte hash of the
 *       <em>complete</em> subtree {@link NodeId}{@code (level, index)}: the leaf hash itself at
 *       level 0, and {@code Merkle.nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1))}
 *       above it. It never returns the hash of a partial (right-edge) subtree.</li>
 *   <li>The hash of a node never changes once the node exists: the log is append-only, so any
 *       snapshot that contains the node may answer.</li>
 *   <li>Callers only ask for nodes that exist in the tree size they are working on, and they never
 *       modify the returned array. An implementation asked for a node it does not have must throw
 *       (for example {@link IllegalStateException}); it must never return null or a made-up
 *       value.</li>
 *   <li>{@link Proofs} reads exactly the nodes returned by its planning methods
 *       ({@link Proofs#rootNodes}, {@link Proofs#inclusionNodes}, {@link Proofs#consistencyNodes}),
 *       each at most once, so an implementation backed by a database can fetch them all in one
 *       query and answer from memory.</li>
 * </ul>
 */
@FunctionalInterface
public interface NodeSource {

    /**
     * Returns the hash of the complete subtree {@code (level, index)}.
     *
     * @param level height above the leaves, 0 for leaf hashes
     * @param index position of the node within its level
     * @return the node's {@value Merkle#HASH_SIZE}-byte hash, never null
     */
    byte[] node(int level, long index);
}
