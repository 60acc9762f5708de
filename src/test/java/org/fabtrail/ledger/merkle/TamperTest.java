package org.fabtrail.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Seeded random tampering: any changed byte, dropped, added or resized proof entry, or changed leaf
 * index must make verification fail. Changing a tree size can legitimately keep a proof valid
 * (inclusion proofs do not commit to the size, e.g. leaf 0 of size 3 and of size 4 have paths of the
 * same shape), so size changes are checked against the step-by-step RFC 9162 verifier instead.
 */
class TamperTest {

    static final long SEED = 0x5EED_FAB7L;
    static final int LEAVES = 300;
    static final int CASES = 150;

    private final Random random = new Random(SEED);
    private final Reference ref = randomLog();

    private Reference randomLog() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < LEAVES; i++) {
            byte[] data = new byte[1 + random.nextInt(40)];
            random.nextBytes(data);
            leaves.add(Reference.leafHash(data));
        }
        return new Reference(leaves);
    }

    @Test
    void tamperedInclusionProofsFail() {
        int rejected = 0;
        int sizeChanges = 0;
        int sizeChangesAccepted = 0;
        for (long[] c : inclusionCases()) {
            long index = c[0];
            long size = c[1];
            byte[] leaf = ref.leaf((int) index);
            byte[] root = ref.root((int) size);
            List<byte[]> proof = Proofs.inclusion(index, size, TestTrees.nodes(ref, size));
            String what = "leaf " + index + " of " + size;
            rejected += rejectTampering((p, l, r) -> Proofs.verifyInclusion(index, size, l, p, r), proof, leaf, root,
                    what, " leaf", " root");
            for (long other : new long[] {index - 1, index + 1, index ^ 1, size, -1, Long.MAX_VALUE,
                    random.nextInt((int) size)}) {
                if (other != index) {
                    rejected += reject(() -> Proofs.verifyInclusion(other, size, leaf, proof, root),
                            what + " as leaf " + other);
                }
            }
            for (long other : new long[] {size - 1, size + 1, size * 2, size / 2, 0, -size, index + 1 + random.nextInt(400)}) {
                if (other == size) {
                    continue;
                }
                boolean accepted = accepts(() -> Proofs.verifyInclusion(index, other, leaf, proof, root));
                assertEquals(Reference.verifyInclusion(index, other, leaf, proof, root), accepted,
                        what + " claimed in size " + other);
                sizeChanges++;
                sizeChangesAccepted += accepted ? 1 : 0;
            }
        }
        assertTrue(rejected > 40_000, "rejected " + rejected);
        // Both outcomes occur (about a quarter of these size changes keep the path shape), and every
        // one agreed with the RFC verifier above.
        assertTrue(sizeChangesAccepted > 0 && sizeChangesAccepted < sizeChanges,
                sizeChangesAccepted + " of " + sizeChanges + " size changes kept the proof valid");
    }

    @Test
    void tamperedConsistencyProofsFail() {
        int rejected = 0;
        int sizeChanges = 0;
        for (long[] c : consistencyCases()) {
            long m = c[0];
            long n = c[1];
            byte[] root1 = ref.root((int) m);
            byte[] root2 = ref.root((int) n);
            List<byte[]> proof = Proofs.consistency(m, n, TestTrees.nodes(ref, n));
            String what = "consistency " + m + " -> " + n;
            rejected += rejectTampering((p, r1, r2) -> Proofs.verifyConsistency(m, n, r1, r2, p), proof, root1, root2,
                    what, " root1", " root2");
            if (m != n) {
                rejected += reject(() -> Proofs.verifyConsistency(m, n, root2, root1, proof), what + " swapped");
                rejected += reject(() -> Proofs.verifyConsistency(n, m, root2, root1, proof), what + " reversed");
            }
            rejected += reject(() -> Proofs.verifyConsistency(0, n, Merkle.emptyRoot(), root2, proof), what + " from 0");
            long[] otherSizes = {m - 1, m + 1, n - 1, n + 1, 2 * n, 1 + random.nextInt((int) n)};
            for (int i = 0; i < otherSizes.length; i++) {
                long m2 = i < 2 || i == 5 ? otherSizes[i] : m;
                long n2 = i < 2 || i == 5 ? n : otherSizes[i];
                if (m2 == m && n2 == n) {
                    continue;
                }
                boolean accepted = accepts(() -> Proofs.verifyConsistency(m2, n2, root1, root2, proof));
                assertEquals(Reference.verifyConsistency(m2, n2, root1, root2, proof), accepted,
                        what + " claimed as " + m2 + " -> " + n2);
                sizeChanges++;
            }
        }
        assertTrue(rejected > 40_000, "rejected " + rejected);
        assertTrue(sizeChanges > CASES, "size changes " + sizeChanges);
    }

    @Test
    void malformedEntriesAreProofExceptionsNotCrashes() {
        List<byte[]> proof = Proofs.inclusion(5, 13, TestTrees.nodes(ref, 13));
        List<byte[]> withNull = new ArrayList<>(proof);
        withNull.set(1, null);
        byte[] leaf = ref.leaf(5);
        byte[] root = ref.root(13);
        ProofException e = assertThrows(ProofException.class,
                () -> Proofs.verifyInclusion(5, 13, leaf, withNull, root));
        assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
        List<byte[]> cproof = new ArrayList<>(Proofs.consistency(5, 13, TestTrees.nodes(ref, 13)));
        cproof.set(0, null);
        assertThrows(ProofException.class, () -> Proofs.verifyConsistency(5, 13, ref.root(5), root, cproof));
        assertThrows(ProofException.class, () -> Proofs.verifyConsistency(-1, 13, ref.root(5), root, cproof));
        assertThrows(ProofException.class, () -> Proofs.verifyInclusion(-1, 13, leaf, proof, root));
        assertThrows(ProofException.class, () -> Proofs.verifyInclusion(5, 13, leaf, proof, new byte[0]));
    }

    /** A verification of a proof against the two hashes it connects (a leaf and a root, or two roots). */
    @FunctionalInterface
    private interface Verification {
        void verify(List<byte[]> proof, byte[] first, byte[] second) throws ProofException;
    }

    /**
     * Checks that {@code verification} accepts the proof as given and rejects every tampered proof and every flip of
     * either hash; returns how many it rejected.
     */
    private int rejectTampering(Verification verification, List<byte[]> proof, byte[] first, byte[] second,
            String what, String firstName, String secondName) {
        assertDoesNotThrow(() -> verification.verify(proof, first, second), what);
        int rejected = 0;
        for (List<byte[]> bad : tamperedProofs(proof)) {
            rejected += reject(() -> verification.verify(bad, first, second), what);
        }
        for (byte[] bad : flips(first)) {
            rejected += reject(() -> verification.verify(proof, bad, second), what + firstName);
        }
        for (byte[] bad : flips(second)) {
            rejected += reject(() -> verification.verify(proof, first, bad), what + secondName);
        }
        return rejected;
    }

    /** Mutations of a proof that must all be rejected. */
    private List<List<byte[]>> tamperedProofs(List<byte[]> proof) {
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            for (byte[] flipped : flips(proof.get(i))) {
                List<byte[]> bad = new ArrayList<>(proof);
                bad.set(i, flipped);
                out.add(bad);
            }
            List<byte[]> dropped = new ArrayList<>(proof);
            dropped.remove(i);
            out.add(dropped);
            for (int len : new int[] {0, 31, 33}) {
                List<byte[]> resized = new ArrayList<>(proof);
                resized.set(i, Arrays.copyOf(proof.get(i), len));
                out.add(resized);
            }
            List<byte[]> duplicated = new ArrayList<>(proof);
            duplicated.add(i, proof.get(i));
            out.add(duplicated);
        }
        for (int i = 0; i <= proof.size(); i++) {
            byte[] extra = new byte[32];
            random.nextBytes(extra);
            List<byte[]> added = new ArrayList<>(proof);
            added.add(i, extra);
            out.add(added);
        }
        if (proof.size() > 1) {
            List<byte[]> reversed = new ArrayList<>(proof);
            java.util.Collections.reverse(reversed);
            out.add(reversed);
        }
        return out;
    }

    /** One copy per byte position, with a random non-zero change to that byte. */
    private List<byte[]> flips(byte[] hash) {
        List<byte[]> out = new ArrayList<>();
        for (int j = 0; j < hash.length; j++) {
            byte[] copy = hash.clone();
            copy[j] ^= (byte) (1 + random.nextInt(255));
            out.add(copy);
        }
        return out;
    }

    /** (index, size): the edge cases, then distinct random ones up to {@link #CASES}. */
    private List<long[]> inclusionCases() {
        return cases(new long[][] {{0, 1}, {0, 2}, {1, 2}, {2, 3}, {0, 256}, {255, 256}, {256, 257}, {299, 300}}, () -> {
            long size = 1 + random.nextInt(LEAVES);
            return List.of((long) random.nextInt((int) size), size);
        });
    }

    /** (m, n): the edge cases, then distinct random ones up to {@link #CASES}. */
    private List<long[]> consistencyCases() {
        return cases(new long[][] {{1, 1}, {1, 2}, {2, 3}, {4, 8}, {6, 8}, {7, 300}, {128, 300}, {299, 300}}, () -> {
            long n = 1 + random.nextInt(LEAVES);
            return List.of(1L + random.nextInt((int) n), n);
        });
    }

    private static List<long[]> cases(long[][] edges, Supplier<List<Long>> randomCase) {
        Set<List<Long>> cases = new LinkedHashSet<>();
        for (long[] c : edges) {
            cases.add(List.of(c[0], c[1]));
        }
        while (cases.size() < CASES) {
            cases.add(randomCase.get());
        }
        return cases.stream().map(c -> new long[] {c.get(0), c.get(1)}).toList();
    }

    private static int reject(Executable verification, String what) {
        assertThrows(ProofException.class, verification, what + " must be rejected");
        return 1;
    }

    private static boolean accepts(Executable verification) {
        try {
            verification.execute();
            return true;
        } catch (ProofException e) {
            return false;
        } catch (Throwable t) {
            throw new AssertionError("verification must fail only with ProofException", t);
        }
    }
}
