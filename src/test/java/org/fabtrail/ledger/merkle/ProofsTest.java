package org.fabtrail.ledger.merkle;

import static org.fabtrail.ledger.merkle.TestTrees.assertHashesEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Production roots and proofs against the recursive reference, exhaustively for small trees. */
class ProofsTest {

    static final int MAX = 300;
    static final int ALL_PAIRS_UP_TO = 130;
    static final Reference REF = TestTrees.log(MAX);

    @Test
    void rootsMatchReference() {
        for (int size = 0; size <= MAX; size++) {
            byte[] want = REF.root(size);
            int s = size;
            assertArrayEquals(want, Merkle.root(leaves(size)), () -> "Merkle.root " + s);
            assertArrayEquals(want, Proofs.root(size, TestTrees.nodes(REF, size)), () -> "Proofs.root " + s);
        }
    }

    @Test
    void everyInclusionProofMatchesReferenceAndVerifies() {
        int proofs = 0;
        for (int size = 1; size <= MAX; size++) {
            NodeSource src = TestTrees.nodes(REF, size);
            byte[] root = REF.root(size);
            for (int index = 0; index < size; index++) {
                int i = index;
                int n = size;
                List<byte[]> proof = Proofs.inclusion(index, size, src);
                assertHashesEqual(REF.inclusion(index, size), proof, () -> "inclusion " + i + " in " + n);
                assertDoesNotThrow(() -> Proofs.verifyInclusion(i, n, REF.leaf(i), proof, root));
                assertArrayEquals(root, assertDoesNotThrow(() -> Proofs.rootFromInclusionProof(i, n, REF.leaf(i), proof)));
                proofs++;
            }
        }
        assertEquals(MAX * (MAX + 1) / 2, proofs);
    }

    @Test
    void everyConsistencyProofMatchesReferenceAndVerifies() {
        int proofs = 0;
        for (int n = 1; n <= MAX; n++) {
            NodeSource src = TestTrees.nodes(REF, n);
            for (int m : oldSizes(n)) {
                int mm = m;
                int nn = n;
                List<byte[]> proof = Proofs.consistency(m, n, src);
                assertHashesEqual(REF.consistency(m, n), proof, () -> "consistency " + mm + " -> " + nn);
                assertDoesNotThrow(() -> Proofs.verifyConsistency(mm, nn, REF.root(mm), REF.root(nn), proof));
                assertTrue(Reference.verifyConsistency(m, n, REF.root(m), REF.root(n), proof));
                proofs++;
            }
        }
        assertTrue(proofs > ALL_PAIRS_UP_TO * (ALL_PAIRS_UP_TO + 1) / 2, "checked " + proofs);
    }

    /** Every m in [1, n] up to ALL_PAIRS_UP_TO; above it, edges, powers of two and a stride. */
    static Set<Integer> oldSizes(int n) {
        Set<Integer> ms = new TreeSet<>();
        if (n <= ALL_PAIRS_UP_TO) {
            for (int m = 1; m <= n; m++) {
                ms.add(m);
            }
            return ms;
        }
        for (int m = 1; m <= n; m += 7) {
            ms.add(m);
        }
        for (int p = 1; p <= n; p <<= 1) {
            ms.add(p);
            ms.add(p - 1 > 0 ? p - 1 : 1);
            if (p + 1 <= n) {
                ms.add(p + 1);
            }
        }
        ms.add(n - 1);
        ms.add(n);
        return ms;
    }

    @Test
    void generatorsReadExactlyTheirPlan() {
        for (int size = 0; size <= MAX; size++) {
            int n = size;
            NodeSource nodes = TestTrees.nodes(REF, size);

            Set<NodeId> rootPlan = Proofs.rootNodes(size);
            assertEquals(Long.bitCount(size), rootPlan.size());
            TestTrees.PlannedSource rootSrc = new TestTrees.PlannedSource(nodes, rootPlan, () -> "root " + n);
            Proofs.root(size, rootSrc);
            rootSrc.assertReadWholePlan();

            for (int index = 0; index < size; index++) {
                int i = index;
                TestTrees.PlannedSource src = new TestTrees.PlannedSource(nodes, Proofs.inclusionNodes(index, size),
                        () -> "inclusion " + i + " in " + n);
                Proofs.inclusion(index, size, src);
                src.assertReadWholePlan();
            }
            for (int m = 1; m <= size; m++) {
                int mm = m;
                TestTrees.PlannedSource src = new TestTrees.PlannedSource(nodes, Proofs.consistencyNodes(m, size),
                        () -> "consistency " + mm + " -> " + n);
                Proofs.consistency(m, size, src);
                src.assertReadWholePlan();
            }
        }
    }

    @Test
    void plansAreLogarithmic() {
        for (long size : new long[] {1, 2, 3, 1000, 1L << 40, (1L << 40) + 12345, Long.MAX_VALUE}) {
            int bound = 2 * (64 - Long.numberOfLeadingZeros(size)) + 2;
            assertTrue(Proofs.rootNodes(size).size() <= 63);
            assertTrue(Proofs.inclusionNodes(size - 1, size).size() <= bound);
            assertTrue(Proofs.inclusionNodes(0, size).size() <= bound);
            assertTrue(Proofs.consistencyNodes(1, size).size() <= bound);
            assertTrue(Proofs.consistencyNodes(Math.max(1, size / 3), size).size() <= bound);
        }
    }

    @Test
    void equalSizesGiveAnEmptyConsistencyProof() {
        NodeSource refuse = (level, index) -> {
            throw new AssertionError("nothing should be read");
        };
        assertEquals(List.of(), Proofs.consistency(5, 5, refuse));
        assertEquals(Set.of(), Proofs.consistencyNodes(5, 5));
        assertArrayEquals(Merkle.emptyRoot(), Proofs.root(0, refuse));
        assertEquals(Set.of(), Proofs.rootNodes(0));
    }

    @ParameterizedTest(name = "inclusion({0}, {1})")
    @CsvSource({"0,0", "1,1", "5,3", "-1,4", "0,-1", "9223372036854775806,9223372036854775806"})
    void inclusionRejectsIndexesOutsideTheTree(long index, long size) {
        assertRejected(src -> Proofs.inclusion(index, size, src), size, () -> Proofs.inclusionNodes(index, size));
    }

    @ParameterizedTest(name = "consistency({0}, {1})")
    @CsvSource({"0,0", "0,5", "6,5", "-1,5", "1,-1", "2,1"})
    void consistencyRejectsBadSizes(long m, long n) {
        assertRejected(src -> Proofs.consistency(m, n, src), m, () -> Proofs.consistencyNodes(m, n));
    }

    /**
     * The {@code proof} refuses with IllegalArgumentException whose message names {@code named}, and so does the
     * matching {@code nodes} call.
     */
    private static void assertRejected(Consumer<NodeSource> proof, long named, Executable nodes) {
        NodeSource src = TestTrees.nodes(REF, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> proof.accept(src));
        assertTrue(e.getMessage().contains(Long.toString(named)), e.getMessage());
        assertThrows(IllegalArgumentException.class, nodes);
    }

    @Test
    void negativeRootSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Proofs.root(-1, TestTrees.nodes(REF, 0)));
        assertThrows(IllegalArgumentException.class, () -> Proofs.rootNodes(-1));
    }

    @Test
    void aBadNodeSourceIsReportedNotTrusted() {
        NodeSource shortHashes = (level, index) -> new byte[31];
        NodeSource nulls = (level, index) -> null;
        assertThrows(IllegalStateException.class, () -> Proofs.root(3, shortHashes));
        assertThrows(IllegalStateException.class, () -> Proofs.inclusion(0, 3, nulls));
    }

    @Test
    void proofsDoNotAliasTheNodeSource() {
        byte[] stored = REF.complete(0, 1).clone();
        NodeSource src = (level, index) -> level == 0 && index == 1 ? stored : REF.complete(level, index);
        List<byte[]> proof = Proofs.inclusion(0, 2, src);
        proof.get(0)[0] ^= 1;
        assertArrayEquals(REF.complete(0, 1), stored);
        assertThrows(UnsupportedOperationException.class, () -> proof.add(new byte[32]));
    }

    /**
     * Huge trees, far beyond what can be materialised: leaves alternate between two hashes, so every
     * complete node of level >= 1 at a given level has the same hash and the source is O(1).
     */
    @Test
    void hugeTreesDoNotOverflow() {
        byte[][] perLevel = new byte[NodeId.MAX_LEVEL + 1][];
        byte[] even = Merkle.leafHash(new byte[] {0});
        byte[] odd = Merkle.leafHash(new byte[] {1});
        perLevel[1] = Merkle.nodeHash(even, odd);
        for (int l = 2; l <= NodeId.MAX_LEVEL; l++) {
            perLevel[l] = Merkle.nodeHash(perLevel[l - 1], perLevel[l - 1]);
        }
        NodeSource src = (level, index) -> level == 0 ? ((index & 1) == 0 ? even : odd) : perLevel[level];
        List<Long> sizes = List.of(Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62, (1L << 62) + 1, (1L << 62) - 1,
                (1L << 40) + 3);
        List<Long> checked = new ArrayList<>();
        for (long size : sizes) {
            byte[] root = Proofs.root(size, src);
            for (long index : new long[] {0, 1, size / 2, size - 2, size - 1}) {
                List<byte[]> proof = Proofs.inclusion(index, size, src);
                byte[] leaf = (index & 1) == 0 ? even : odd;
                assertDoesNotThrow(() -> Proofs.verifyInclusion(index, size, leaf, proof, root),
                        () -> "inclusion " + index + " in " + size);
                assertTrue(Reference.verifyInclusion(index, size, leaf, proof, root));
            }
            for (long m : new long[] {1, 2, 3, size / 3, size - 1, size}) {
                byte[] root1 = Proofs.root(m, src);
                List<byte[]> proof = Proofs.consistency(m, size, src);
                assertDoesNotThrow(() -> Proofs.verifyConsistency(m, size, root1, root, proof),
                        () -> "consistency " + m + " -> " + size);
                assertTrue(Reference.verifyConsistency(m, size, root1, root, proof));
            }
            checked.add(size);
        }
        assertEquals(sizes, checked);
    }

    @Test
    void nodeIdDescribesItsRange() {
        NodeId id = new NodeId(3, 5);
        assertEquals(40, id.start());
        assertEquals(48, id.end());
        assertEquals(8, id.leafCount());
        assertTrue(id.existsIn(48));
        assertTrue(!id.existsIn(47));
        assertTrue(new NodeId(2, 0).compareTo(new NodeId(1, 9)) > 0);
        assertEquals(Long.MAX_VALUE - 1, new NodeId(0, Long.MAX_VALUE - 1).start());
        assertEquals(1L << 62, new NodeId(62, 0).end());
        assertThrows(IllegalArgumentException.class, () -> new NodeId(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new NodeId(63, 0));
        assertThrows(IllegalArgumentException.class, () -> new NodeId(0, -1));
        assertThrows(IllegalArgumentException.class, () -> new NodeId(0, Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new NodeId(62, 1));
    }

    private static List<byte[]> leaves(int size) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            leaves.add(REF.leaf(i));
        }
        return leaves;
    }
}
