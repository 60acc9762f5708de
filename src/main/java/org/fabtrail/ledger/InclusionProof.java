package org.fabtrail.ledger;

import java.util.List;

/** An RFC 9162 inclusion proof of leaf {@code leafIndex} in the tree of size {@code treeSize}. */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> hashes) {
}
