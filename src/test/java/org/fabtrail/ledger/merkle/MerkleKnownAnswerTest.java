package org.fabtrail.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The classic RFC 6962 / RFC 9162 known answers ({@code rfc6962-classic-vectors.json}). */
class MerkleKnownAnswerTest {

    private static final JsonNode V = Vectors.classic();

    private static List<byte[]> leafHashes() {
        List<byte[]> hashes = new ArrayList<>();
        V.get("leaves_hex").forEach(leaf -> hashes.add(Merkle.leafHash(Vectors.hex(leaf))));
        return hashes;
    }

    /** Serves the vector's node_hashes_by_level, refusing nodes that are not complete in {@code size}. */
    private static NodeSource vectorNodes(long size) {
        return (level, index) -> {
            if (!new NodeId(level, index).existsIn(size)) {
                fail("read node (" + level + ", " + index + ") outside the tree of size " + size);
            }
            return Vectors.hex(V.get("node_hashes_by_level").get(level).get((int) index));
        };
    }

    @Test
    void hasherVectors() {
        assertEquals(4, V.get("hasher_vectors").size());
        for (JsonNode t : V.get("hasher_vectors")) {
            byte[] got = switch (t.get("op").asText()) {
                case "empty_root" -> Merkle.emptyRoot();
                case "hash_leaf" -> Merkle.leafHash(Vectors.hex(t.get("leaf_hex")));
                case "hash_children" -> Merkle.nodeHash(Vectors.hex(t.get("left_hex")), Vectors.hex(t.get("right_hex")));
                default -> throw new AssertionError("unknown op " + t.get("op"));
            };
            assertEquals(t.get("want").asText(), Vectors.HEX.formatHex(got), t.get("desc").asText());
        }
        assertEquals(V.get("empty_tree_root").asText(), Vectors.HEX.formatHex(Merkle.emptyRoot()));
    }

    @Test
    void leafHashesAreLevelZero() {
        assertEquals(Vectors.hex(Vectors.hexList(V.get("node_hashes_by_level").get(0))), Vectors.hex(leafHashes()));
    }

    @Test
    void everyCompleteSubtreeMatchesNodeHashesByLevel() {
        List<byte[]> leaves = leafHashes();
        JsonNode levels = V.get("node_hashes_by_level");
        assertEquals(4, levels.size());
        int count = 0;
        for (int level = 0; level < levels.size(); level++) {
            assertEquals(8 >> level, levels.get(level).size());
            for (int index = 0; index < levels.get(level).size(); index++) {
                List<byte[]> range = leaves.subList(index << level, (index + 1) << level);
                assertEquals(levels.get(level).get(index).asText(), Vectors.HEX.formatHex(Merkle.root(range)),
                        "node (" + level + ", " + index + ")");
                count++;
            }
        }
        assertEquals(15, count);
    }

    @Test
    void rootsBySize() {
        List<byte[]> leaves = leafHashes();
        JsonNode roots = V.get("roots_by_tree_size");
        assertEquals(9, roots.size());
        for (int size = 0; size <= 8; size++) {
            String want = roots.get(Integer.toString(size)).asText();
            assertEquals(want, Vectors.HEX.formatHex(Merkle.root(leaves.subList(0, size))), "Merkle.root " + size);
            assertEquals(want, Vectors.HEX.formatHex(Proofs.root(size, vectorNodes(size))), "Proofs.root " + size);
            assertEquals(want, Vectors.HEX.formatHex(new Reference(leaves).root(size)), "reference " + size);
        }
    }

    /** Each listed proof of the kind: Proofs and the reference make it, and it verifies against the listed roots. */
    @ParameterizedTest
    @ValueSource(strings = {"inclusion_proofs", "consistency_proofs"})
    void listedProofs(String kind) {
        JsonNode proofs = V.get(kind);
        assertEquals(5, proofs.size());
        List<byte[]> leaves = leafHashes();
        for (JsonNode t : proofs) {
            List<byte[]> listed = Vectors.hexList(t.get("proof"));
            if (kind.equals("inclusion_proofs")) {
                long index = t.get("leaf_index").asLong();
                long size = t.get("tree_size").asLong();
                assertListed("inclusion " + index + " in " + size, listed,
                        Proofs.inclusion(index, size, vectorNodes(size)),
                        new Reference(leaves).inclusion((int) index, (int) size),
                        () -> Proofs.verifyInclusion(index, size, leaves.get((int) index), listed, root(size)));
            } else {
                long m = t.get("size1").asLong();
                long n = t.get("size2").asLong();
                assertListed("consistency " + m + " -> " + n, listed, Proofs.consistency(m, n, vectorNodes(n)),
                        new Reference(leaves).consistency((int) m, (int) n),
                        () -> Proofs.verifyConsistency(m, n, root(m), root(n), listed));
            }
        }
    }

    private static void assertListed(String what, List<byte[]> listed, List<byte[]> made, List<byte[]> byReference,
            Executable verify) {
        List<String> want = Vectors.hex(listed);
        assertEquals(want, Vectors.hex(made), what);
        assertEquals(want, Vectors.hex(byReference), what);
        assertDoesNotThrow(verify, what);
    }

    /** The listed root of the tree of {@code size}. */
    private static byte[] root(long size) {
        return Vectors.hex(V.get("roots_by_tree_size").get(Long.toString(size)));
    }

    @Test
    void noInclusionProofInTheEmptyTree() {
        byte[] leaf = leafHashes().get(0);
        byte[] empty = Merkle.emptyRoot();
        assertThrows(IllegalArgumentException.class, () -> Proofs.inclusion(0, 0, vectorNodes(0)));
        assertThrows(ProofException.class, () -> Proofs.verifyInclusion(0, 0, leaf, List.of(), empty));
    }


    @Test
    void returnedHashesAreFreshCopies() {
        byte[] a = Merkle.emptyRoot();
        a[0] ^= 1;
        assertArrayEquals(Vectors.HEX.parseHex(V.get("empty_tree_root").asText()), Merkle.emptyRoot());
        List<byte[]> one = List.of(leafHashes().get(0));
        byte[] root = Merkle.root(one);
        root[0] ^= 1;
        assertEquals(V.get("node_hashes_by_level").get(0).get(0).asText(), Vectors.HEX.formatHex(one.get(0)));
    }
}
