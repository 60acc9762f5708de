package org.fabtrail.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Shared fixtures: a deterministic log and node sources over it. */
final class TestTrees {

    /** A reference tree over {@code count} leaves "fabtrail leaf 0", "fabtrail leaf 1", ... */
    static Reference log(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(Reference.leafHash(("fabtrail leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return new Reference(leaves);
    }

    /** Serves complete nodes of {@code ref}, failing the test on a node that is not complete in {@code size}. */
    static NodeSource nodes(Reference ref, long size) {
        return (level, index) -> {
            NodeId id = new NodeId(level, index);
            if (!id.existsIn(size)) {
                fail("read " + id + ", which is not complete in the tree of size " + size);
            }
            return ref.complete(level, index).clone();
        };
    }

    /** Wraps a source so that reading a node outside {@code plan}, or reading one twice, fails the test. */
    static final class PlannedSource implements NodeSource {
        private final NodeSource inner;
        private final Set<NodeId> plan;
        private final Set<NodeId> read = new HashSet<>();
        private final Supplier<String> what;

        PlannedSource(NodeSource inner, Set<NodeId> plan, Supplier<String> what) {
            this.inner = inner;
            this.plan = plan;
            this.what = what;
        }

        @Override
        public byte[] node(int level, long index) {
            NodeId id = new NodeId(level, index);
            if (!plan.contains(id)) {
                fail(what.get() + ": read unplanned " + id + ", plan " + plan);
            }
            if (!read.add(id)) {
                fail(what.get() + ": read " + id + " twice");
            }
            return inner.node(level, index);
        }

        void assertReadWholePlan() {
            assertEquals(plan, read, () -> what.get() + ": planned nodes that were not read");
        }
    }

    static void assertHashesEqual(List<byte[]> want, List<byte[]> got, Supplier<String> what) {
        if (want.size() != got.size()) {
            assertEquals(Vectors.hex(want), Vectors.hex(got), what);
        }
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), what);
        }
    }

    private TestTrees() {
    }
}
