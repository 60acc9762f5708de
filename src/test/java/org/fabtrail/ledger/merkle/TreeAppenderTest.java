package org.fabtrail.ledger.merkle;

import static org.fabtrail.ledger.merkle.TestTrees.assertHashesEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The group-commit engine against the reference, starting from borders the reference computed. */
class TreeAppenderTest {

    static final int[] BATCHES = {1, 2, 3, 7, 64, 200};
    static final int MAX_OLD = 130;
    static final Reference REF = TestTrees.log(MAX_OLD + 200);

    /** The border of {@code size} straight from the reference. */
    static List<byte[]> referenceBorder(int size) {
        List<byte[]> border = new ArrayList<>();
        for (NodeId id : TreeAppender.borderNodes(size)) {
            border.add(REF.complete(id.level(), id.index()));
        }
        return border;
    }

    /** Every complete node of level >= 1 whose range ends in (oldSize, newSize], in (level, index) order. */
    static List<StoredNode> referenceNewNodes(int oldSize, int newSize) {
        List<StoredNode> nodes = new ArrayList<>();
        for (int level = 1; (newSize >> level) > 0; level++) {
            for (long index = 0; index < (newSize >> level); index++) {
                NodeId id = new NodeId(level, index);
                if (id.end() > oldSize) {
                    nodes.add(new StoredNode(id, REF.complete(level, index)));
                }
            }
        }
        return nodes;
    }

    @Test
    void borderNodesAreTheCompactRangeLargestFirst() {
        assertEquals(List.of(), TreeAppender.borderNodes(0));
        assertEquals(List.of(new NodeId(0, 0)), TreeAppender.borderNodes(1));
        assertEquals(List.of(new NodeId(2, 0), new NodeId(1, 2), new NodeId(0, 6)), TreeAppender.borderNodes(7));
        for (long size = 0; size <= 1000; size++) {
            long next = 0;
            for (NodeId id : TreeAppender.borderNodes(size)) {
                assertEquals(next, id.start(), "border of " + size + " is contiguous");
                next = id.end();
            }
            assertEquals(size, next);
            assertEquals(Proofs.rootNodes(size), Set.copyOf(TreeAppender.borderNodes(size)));
        }
        assertEquals(63, TreeAppender.borderNodes(Long.MAX_VALUE).size());
        assertThrows(IllegalArgumentException.class, () -> TreeAppender.borderNodes(-1));
    }

    @Test
    void everyBatchFromEveryOldSizeMatchesReference() {
        int results = 0;
        for (int oldSize = 0; oldSize <= MAX_OLD; oldSize++) {
            TreeAppender appender = new TreeAppender(oldSize, referenceBorder(oldSize));
            assertArrayEquals(REF.root(oldSize), appender.root(), "root of the starting tree " + oldSize);
            for (int batch : BATCHES) {
                int from = oldSize;
                int to = oldSize + batch;
                String what = "append [" + from + ", " + to + ")";
                AppendResult r = appender.append(leaves(from, to));

                assertEquals(from, r.oldSize());
                assertEquals(to, r.newSize());
                assertArrayEquals(REF.root(to), r.root(), what + ": root");
                assertEquals(referenceNewNodes(from, to), r.newNodes(), what + ": new nodes");
                assertHashesEqual(referenceBorder(to), r.border(), () -> what + ": border");
                assertEquals(to, r.next().size());
                assertArrayEquals(REF.root(to), r.next().root());
                for (int leaf = from; leaf < to; leaf++) {
                    int i = leaf;
                    List<byte[]> proof = r.inclusionProof(leaf);
                    assertHashesEqual(REF.inclusion(leaf, to), proof, () -> what + ": inclusion of " + i);
                    assertDoesNotThrow(() -> Proofs.verifyInclusion(i, to, REF.leaf(i), proof, r.root()));
                }
                results++;
            }
            assertEquals(oldSize, appender.size(), "append does not modify the appender");
        }
        assertEquals((MAX_OLD + 1) * BATCHES.length, results);
    }

    /**
     * Why the appender needs nothing but the old border and the batch: on the audit path of a leaf at
     * or after oldSize, every entry whose range lies inside the old tree is exactly an old border node,
     * and every other entry is a right range (built from nodes that end after the leaf, so new) or a
     * complete aligned node that ends after oldSize (so new). Checked on the reference's own PATH
     * ranges, independent of the appender.
     */
    @Test
    void oldTreeSiblingsOfNewLeavesAreBorderNodes() {
        int fromBorder = 0;
        for (int oldSize = 0; oldSize <= MAX_OLD; oldSize++) {
            Set<List<Long>> border = new HashSet<>();
            for (NodeId id : TreeAppender.borderNodes(oldSize)) {
                border.add(List.of(id.start(), id.end()));
            }
            for (int batch : BATCHES) {
                int newSize = oldSize + batch;
                for (int leaf = oldSize; leaf < newSize; leaf++) {
                    for (int[] range : Reference.pathRanges(leaf, 0, newSize)) {
                        String what = "leaf " + leaf + " of " + newSize + " (old " + oldSize + ") needs "
                                + range[0] + ".." + range[1];
                        int width = range[1] - range[0];
                        if (range[1] <= oldSize) {
                            assertTrue(border.contains(List.of((long) range[0], (long) range[1])), what);
                            fromBorder++;
                        } else if (range[0] > leaf) {
                            // Right of the leaf: every constituent ends after leaf >= oldSize, so is new.
                            assertTrue(range[1] <= newSize, what);
                        } else {
                            assertEquals(1, Integer.bitCount(width), what + ": a left sibling is complete");
                            assertEquals(0, range[0] % width, what + ": and aligned");
                        }
                    }
                }
            }
        }
        assertTrue(fromBorder > 1000, "checked " + fromBorder);
    }

    /** The appender holds only the border: a wrong border node changes exactly what it should. */
    @Test
    void proofsOfNewLeavesUseTheGivenBorder() {
        int oldSize = 13; // border: [0,8) [8,12) [12,13)
        List<byte[]> border = new ArrayList<>(referenceBorder(oldSize));
        byte[] bogus = Merkle.leafHash("not the real subtree".getBytes());
        border.set(0, bogus);
        AppendResult r = new TreeAppender(oldSize, border).append(leaves(oldSize, oldSize + 3));
        List<byte[]> proof = r.inclusionProof(15);
        assertArrayEquals(bogus, proof.get(proof.size() - 1), "the top sibling of leaf 15 is border node [0,8)");
        assertDoesNotThrow(() -> Proofs.verifyInclusion(15, 16, REF.leaf(15), proof, r.root()));
    }

    @Test
    void chainedBatchesStoreEveryNodeExactlyOnce() {
        Random random = new Random(0xFAB7_2A11L);
        Reference ref = TestTrees.log(3000);
        TreeAppender appender = TreeAppender.empty();
        Set<NodeId> stored = new HashSet<>();
        int batches = 0;
        while (appender.size() < 2500) {
            int from = (int) appender.size();
            int to = Math.min(3000, from + (random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(150)));
            List<byte[]> batch = new ArrayList<>();
            for (int i = from; i < to; i++) {
                batch.add(ref.leaf(i));
            }
            AppendResult r = appender.append(batch);
            for (StoredNode node : r.newNodes()) {
                assertTrue(stored.add(node.id()), "stored twice: " + node.id());
                assertArrayEquals(ref.complete(node.id().level(), node.id().index()), node.hash());
            }
            assertArrayEquals(ref.root(to), r.root(), "root after " + to);
            appender = r.next();
            batches++;
        }
        long size = appender.size();
        long expected = 0;
        for (int level = 1; (size >> level) > 0; level++) {
            expected += size >> level;
        }
        assertEquals(expected, stored.size(), "every complete node of level >= 1 was stored");
        assertTrue(batches > 20);
    }

    @Test
    void emptyBatchIsANoOp() {
        TreeAppender appender = new TreeAppender(11, referenceBorder(11));
        AppendResult r = appender.append(List.of());
        assertEquals(11, r.oldSize());
        assertEquals(11, r.newSize());
        assertEquals(List.of(), r.newNodes());
        assertArrayEquals(REF.root(11), r.root());
        assertHashesEqual(referenceBorder(11), r.border(), () -> "border");
        assertEquals(11, r.next().size());
        assertThrows(IllegalArgumentException.class, () -> r.inclusionProof(10));
        assertThrows(IllegalArgumentException.class, () -> r.inclusionProof(11));

        AppendResult empty = TreeAppender.empty().append(List.of());
        assertArrayEquals(Merkle.emptyRoot(), empty.root());
        assertEquals(List.of(), empty.border());
    }

    @Test
    void knownAnswersFromTheEmptyTree() {
        JsonNode v = Vectors.classic();
        List<byte[]> leaves = new ArrayList<>();
        v.get("leaves_hex").forEach(leaf -> leaves.add(Merkle.leafHash(Vectors.hex(leaf))));
        AppendResult r = TreeAppender.empty().append(leaves);
        assertEquals(v.get("roots_by_tree_size").get("8").asText(), Vectors.HEX.formatHex(r.root()));
        List<StoredNode> want = new ArrayList<>();
        for (int level = 1; level < v.get("node_hashes_by_level").size(); level++) {
            JsonNode hashes = v.get("node_hashes_by_level").get(level);
            for (int index = 0; index < hashes.size(); index++) {
                want.add(new StoredNode(new NodeId(level, index), Vectors.hex(hashes.get(index))));
            }
        }
        assertEquals(want, r.newNodes());
        for (JsonNode t : v.get("inclusion_proofs")) {
            if (t.get("tree_size").asInt() == 8) {
                assertEquals(Vectors.hex(Vectors.hexList(t.get("proof"))),
                        Vectors.hex(r.inclusionProof(t.get("leaf_index").asLong())));
            }
        }
    }

    @Test
    void hugeTreeAppendsWithoutOverflow() {
        // Leaves alternate between two hashes, so every complete node of a level >= 1 has the same hash.
        byte[] even = Merkle.leafHash(new byte[] {0});
        byte[] odd = Merkle.leafHash(new byte[] {1});
        byte[][] perLevel = new byte[NodeId.MAX_LEVEL + 1][];
        perLevel[1] = Merkle.nodeHash(even, odd);
        for (int l = 2; l <= NodeId.MAX_LEVEL; l++) {
            perLevel[l] = Merkle.nodeHash(perLevel[l - 1], perLevel[l - 1]);
        }
        NodeSource src = (level, index) -> level == 0 ? ((index & 1) == 0 ? even : odd) : perLevel[level];
        long oldSize = Long.MAX_VALUE - 40;
        List<byte[]> border = new ArrayList<>();
        for (NodeId id : TreeAppender.borderNodes(oldSize)) {
            border.add(src.node(id.level(), id.index()));
        }
        List<byte[]> batch = new ArrayList<>();
        for (long i = oldSize; i < Long.MAX_VALUE; i++) {
            batch.add(src.node(0, i));
        }
        AppendResult r = new TreeAppender(oldSize, border).append(batch);
        assertEquals(Long.MAX_VALUE, r.newSize());
        assertArrayEquals(Proofs.root(Long.MAX_VALUE, src), r.root());
        for (StoredNode node : r.newNodes()) {
            assertArrayEquals(src.node(node.id().level(), node.id().index()), node.hash());
        }
        for (long leaf = oldSize; leaf < Long.MAX_VALUE; leaf++) {
            assertHashesEqual(Proofs.inclusion(leaf, Long.MAX_VALUE, src), r.inclusionProof(leaf), () -> "inclusion");
        }
        assertThrows(IllegalArgumentException.class, () -> r.next().append(List.of(even)));
    }

    @Test
    void rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> new TreeAppender(-1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TreeAppender(3, List.of(new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> new TreeAppender(1, List.of(new byte[31])));
        assertThrows(NullPointerException.class, () -> new TreeAppender(1, new ArrayList<>(java.util.Arrays.asList((byte[]) null))));
        TreeAppender appender = new TreeAppender(5, referenceBorder(5));
        assertThrows(IllegalArgumentException.class, () -> appender.append(List.of(new byte[33])));
        AppendResult r = appender.append(leaves(5, 9));
        assertThrows(IllegalArgumentException.class, () -> r.inclusionProof(4));
        assertThrows(IllegalArgumentException.class, () -> r.inclusionProof(9));
    }

    @Test
    void resultsAreCopies() {
        List<byte[]> border = new ArrayList<>(referenceBorder(6));
        TreeAppender appender = new TreeAppender(6, border);
        border.get(0)[0] ^= 1; // caller's array: the appender took a copy
        assertArrayEquals(REF.root(6), appender.root());
        AppendResult r = appender.append(leaves(6, 9));
        r.root()[0] ^= 1;
        r.border().get(0)[0] ^= 1;
        r.newNodes().get(0).hash()[0] ^= 1;
        r.inclusionProof(6).get(0)[0] ^= 1;
        assertArrayEquals(REF.root(9), r.root());
        assertEquals(referenceNewNodes(6, 9), r.newNodes());
        assertHashesEqual(REF.inclusion(6, 9), r.inclusionProof(6), () -> "proof");
        assertSame(r.next(), r.next());
    }

    private static List<byte[]> leaves(int from, int to) {
        List<byte[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(REF.leaf(i).clone());
        }
        return out;
    }
}
