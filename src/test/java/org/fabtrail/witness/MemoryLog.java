package org.fabtrail.witness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.NoteSigner;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.NodeSource;
import org.fabtrail.ledger.merkle.Proofs;

/**
 * A log in memory for witness and monitor tests: random leaves, checkpoints signed by its key, RFC 9162 proofs and
 * tlog-tiles hash tiles, all computed from the leaf hashes (slowly; fine for a few thousand leaves).
 */
final class MemoryLog {

    final String origin;
    final NoteSigner signer;
    final List<byte[]> leaves = new ArrayList<>();
    private final Random random;

    MemoryLog(String origin, SigningKey key, long seed) {
        this.origin = origin;
        this.signer = new NoteSigner(origin, key);
        this.random = new Random(seed);
    }

    /** A log that starts as a copy of another's first {@code size} leaves (a fork after a common prefix). */
    MemoryLog fork(long size, long seed) {
        MemoryLog other = new MemoryLog(origin, null, seed, signer);
        other.leaves.addAll(leaves.subList(0, (int) size));
        return other;
    }

    private MemoryLog(String origin, SigningKey unused, long seed, NoteSigner signer) {
        this.origin = origin;
        this.signer = signer;
        this.random = new Random(seed);
    }

    NoteVerifier vkey() {
        return signer.verifier();
    }

    MemoryLog grow(int n) {
        for (int i = 0; i < n; i++) {
            byte[] leaf = new byte[24];
            random.nextBytes(leaf);
            leaves.add(Merkle.leafHash(leaf));
        }
        return this;
    }

    long size() {
        return leaves.size();
    }

    byte[] root(long size) {
        return Merkle.root(leaves.subList(0, (int) size));
    }

    Checkpoint checkpoint(long size) {
        return new Checkpoint(origin, size, root(size));
    }

    /** The signed checkpoint note of the tree of {@code size} leaves. */
    byte[] signed(long size) {
        return checkpoint(size).sign(signer);
    }

    String signedText(long size) {
        return new String(signed(size), StandardCharsets.UTF_8);
    }

    NodeSource nodes() {
        return (level, index) -> {
            long from = index << level;
            long to = Math.min(leaves.size(), (index + 1) << level);
            return Merkle.root(leaves.subList((int) from, (int) to));
        };
    }

    List<byte[]> consistency(long m, long n) {
        return m == 0 || m == n ? List.of() : Proofs.consistency(m, n, nodes());
    }

    /** An add-checkpoint request body. */
    byte[] request(long old, long size) {
        return new AddCheckpoint(old, consistency(old, size), signed(size)).encode();
    }

    /** The hashes of tile (level, index) of width {@code width} in the current tree. */
    byte[] tile(int level, long index, int width) {
        byte[] out = new byte[32 * width];
        NodeSource src = nodes();
        for (int k = 0; k < width; k++) {
            System.arraycopy(src.node(8 * level, index * 256 + k), 0, out, 32 * k, 32);
        }
        return out;
    }
}
