package org.fabtrail.ledger.merkle;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A complete subtree hash to persist: {@code hash} is the hash of the complete subtree {@code id}.
 * Once written it never changes, so storage may key it by {@code (level, index)} and refuse updates.
 *
 * <p>The hash is copied on construction and on access; equality compares the id and the hash bytes.
 *
 * @param id   which complete subtree
 * @param hash its {@value Merkle#HASH_SIZE}-byte hash
 */
public record StoredNode(NodeId id, byte[] hash) {

    /**
     * @throws IllegalArgumentException if the hash is not {@value Merkle#HASH_SIZE} bytes
     */
    public StoredNode {
        Objects.requireNonNull(id, "id");
        hash = Merkle.requireHash(hash, "hash of " + id).clone();
    }

    /** Returns a copy of the hash. */
    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredNode other && id.equals(other.id) && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "StoredNode[" + id.level() + "/" + id.index() + " " + HexFormat.of().formatHex(hash) + "]";
    }
}
