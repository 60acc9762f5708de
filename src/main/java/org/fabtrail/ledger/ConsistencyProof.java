package org.fabtrail.ledger;

import java.util.List;

/** An RFC 9162 consistency proof between tree sizes {@code from} and {@code to}. */
public record ConsistencyProof(long from, long to, List<byte[]> hashes) {
}
