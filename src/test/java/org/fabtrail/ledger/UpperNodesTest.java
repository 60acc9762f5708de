package org.fabtrail.ledger;

import org.fabtrail.ledger.merkle.AppendResult;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.ProofException;
import org.fabtrail.ledger.merkle.Proofs;
import org.fabtrail.ledger.merkle.StoredNode;
import org.fabtrail.ledger.merkle.TreeAppender;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proofs served with the upper tree levels held in memory ({@link UpperNodes}) are byte-identical to proofs computed
 * from the whole tree, the first time and once the nodes are held, and stay right when the same store is pointed at
 * another log; nothing read inside a transaction is held.
 */
class UpperNodesTest {

    private static final int SIZE = 3_000;

    @Test
    void heldNodesGiveTheSameProofs() throws SQLException, ProofException {
        AppendResult tree = TreeAppender.empty().append(leaves("a", SIZE));
        LedgerStore store = new LedgerStore();
        Receipts receipts = new Receipts(store);
        try (Connection c = log("uppernodes", "a", tree)) {
            for (int round = 0; round < 2; round++) {
                for (long i = 0; i < SIZE; i += 97) {
                    assertSame(tree.inclusionProof(i), receipts.inclusion(c, i, SIZE).hashes(), "leaf " + i);
                }
                for (long m = 1; m < SIZE; m += 331) {
                    List<byte[]> want = Proofs.consistency(m, SIZE,
                            LedgerStore.source(store.storedNodes(c, Proofs.consistencyNodes(m, SIZE))));
                    assertSame(want, receipts.consistency(c, m, SIZE).hashes(), "consistency from " + m);
                    Proofs.verifyConsistency(m, SIZE, receipts.root(c, m), tree.root(), want);
                }
            }
            // at most the nodes of levels 8 and up of a 3,000-leaf tree: 11 + 5 + 2 + 1
            assertTrue(store.heldNodes() > 0 && store.heldNodes() <= 19, store.heldNodes() + " nodes held");
        }
    }

    @Test
    void anotherLogBehindTheSameStoreIsNotAnsweredFromTheFirst() throws SQLException {
        AppendResult first = TreeAppender.empty().append(leaves("a", SIZE));
        AppendResult second = TreeAppender.empty().append(leaves("b", SIZE));
        LedgerStore store = new LedgerStore();
        Receipts receipts = new Receipts(store);
        try (Connection c = log("uppernodes1", "a", first)) {
            assertSame(first.inclusionProof(5), receipts.inclusion(c, 5, SIZE).hashes(), "first log");
        }
        assertTrue(store.heldNodes() > 0);
        try (Connection c = log("uppernodes2", "b", second)) {
            for (int round = 0; round < 2; round++) {
                assertSame(second.inclusionProof(5), receipts.inclusion(c, 5, SIZE).hashes(), "second log");
            }
        }
    }

    @Test
    void nothingReadInATransactionIsHeld() throws SQLException {
        AppendResult tree = TreeAppender.empty().append(leaves("a", SIZE));
        LedgerStore store = new LedgerStore();
        try (Connection c = log("uppernodes3", "a", tree)) {
            c.setAutoCommit(false);
            assertSame(tree.inclusionProof(7), new Receipts(store).inclusion(c, 7, SIZE).hashes(), "in a transaction");
            c.rollback();
            assertEquals(0, store.heldNodes());
        }
    }

    private static void assertSame(List<byte[]> want, List<byte[]> got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), what + ", hash " + i);
        }
    }

    private static List<byte[]> leaves(String seed, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Merkle.leafHash((seed + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** A database holding the tree's leaf hashes and nodes as the sequencer stores them. */
    private static Connection log(String name, String seed, AppendResult tree) throws SQLException {
        Connection c = TestDatabase.create(name).migrated().dataSource().getConnection();
        List<byte[]> leaves = leaves(seed, SIZE);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO log_entries (idx, entry_id, entry_type, actor, "
                + "key_id, payload_hash, leaf, leaf_hash, integrated_time) VALUES (?, gen_random_uuid(), 'x', 'a', 'k', "
                + "sha256(int8send(?)), int8send(?), ?, now())")) {
            for (int i = 0; i < SIZE; i++) {
                ps.setLong(1, i);
                ps.setLong(2, i);
                ps.setLong(3, i);
                ps.setBytes(4, leaves.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)")) {
            for (StoredNode n : tree.newNodes()) {
                ps.setShort(1, (short) n.id().level());
                ps.setLong(2, n.id().index());
                ps.setBytes(3, n.hash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return c;
    }
}
