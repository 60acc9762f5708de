package org.fabtrail.ledger;

import java.time.Instant;

/** The size and root of the log's Merkle tree as of the last committed batch. */
public record TreeHead(long size, byte[] root, Instant updatedAt) {
}
