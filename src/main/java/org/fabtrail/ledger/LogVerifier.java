package org.fabtrail.ledger;

import org.fabtrail.crypto.StrictJson;
import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.Notes;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.fabtrail.ledger.merkle.AppendResult;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.NodeId;
import org.fabtrail.ledger.merkle.StoredNode;
import org.fabtrail.ledger.merkle.TreeAppender;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Re-reads the whole log and checks everything the log claims, trusting nothing stored but the bytes of each
 * leaf: indexes are dense and each leaf names its own index; each leaf is canonical and hashes to its stored leaf
 * hash; each entry's signature verifies with the key registry as it stood at that index; every stored tree node
 * is the hash it must be; every checkpoint is signed by an operator key and commits to exactly the recomputed
 * root at its size (so all checkpoints are consistent with each other); the tree head matches.
 *
 * <p>Given a trusted checkpoint from elsewhere (a partner's receipt, the instance's {@code latest-checkpoint}
 * file), it also checks that the log extends it: the checkpoint is signed by an operator key of the log (and by the
 * pinned log key, when one is given), the log holds at least its tree size, and the root at that size is its root.
 * A log rolled back consistently (newest entries deleted with their nodes, checkpoints and head) verifies on its
 * own; only a checkpoint held outside the database shows that it once was larger.
 *
 * <p>It stops at the first problem and names the log index where it found it, on every failure.
 */
public final class LogVerifier {

    /** The outcome. {@code ok} or the first problem, at log {@code index} (-1 only when ok). */
    public record Result(boolean ok, long entries, long checkpoints, byte[] root, long index, String problem) {

        public String describe() {
            if (ok) {
                return "OK: " + entries + " entries, " + checkpoints + " checkpoints verified; root "
                        + HexFormat.of().formatHex(root);
            }
            return index >= 0 ? "FAIL at index " + index + ": " + problem : "FAIL: " + problem;
        }
    }

    /** Progress after each chunk. */
    public interface Progress {
        void verified(long entries);
    }

    /** Entries read and checked per round. */
    public static final int DEFAULT_CHUNK = 4096;

    private final LedgerStore store = new LedgerStore();
    private final EnvelopeParser parser;
    private final Supplier<SignerHistory> history;
    private final int threads;

    private final java.util.Optional<NoteVerifier> trusted;

    public LogVerifier(EnvelopeParser parser, Supplier<SignerHistory> history, int threads) {
        this(parser, history, threads, java.util.Optional.empty());
    }

    /**
     * @param trusted a log key the auditor already holds (vkey); when given, every checkpoint must carry its
     *                origin and a valid signature by it, so a wholly replaced log with its own keys is refused
     */
    public LogVerifier(EnvelopeParser parser, Supplier<SignerHistory> history, int threads,
                       java.util.Optional<NoteVerifier> trusted) {
        this(parser, history, threads, trusted, DEFAULT_CHUNK);
    }

    /** @param chunk entries read and checked per round (smaller in tests, to cross chunk boundaries) */
    public LogVerifier(EnvelopeParser parser, Supplier<SignerHistory> history, int threads,
                       java.util.Optional<NoteVerifier> trusted, int chunk) {
        this(parser, history, threads, trusted, java.util.Optional.empty(), chunk);
    }

    /**
     * @param trustedCheckpoint a signed checkpoint text held outside the database (a receipt's checkpoint, the
     *                          {@code latest-checkpoint} file): the log must extend it
     * @throws IllegalArgumentException when the checkpoint text is not a signed checkpoint
     */
    public LogVerifier(EnvelopeParser parser, Supplier<SignerHistory> history, int threads,
                       java.util.Optional<NoteVerifier> trusted, java.util.Optional<String> trustedCheckpoint,
                       int chunk) {
        this.parser = parser;
        this.history = history;
        this.threads = Math.max(1, threads);
        this.trusted = trusted;
        this.chunkSize = chunk;
        if (trustedCheckpoint.isPresent()) {
            this.trustedNote = trustedCheckpoint.get().getBytes(StandardCharsets.UTF_8);
            try {
                this.trustedBody = Checkpoint.parse(Note.parse(trustedNote).text());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a signed checkpoint: " + e.getMessage(), e);
            }
        } else {
            this.trustedNote = null;
            this.trustedBody = null;
        }
    }

    private final int chunkSize;
    /** The trusted checkpoint's note bytes and body, or null. */
    private final byte[] trustedNote;
    private final Checkpoint trustedBody;

    private static final class Failure extends Exception {
        final long index;

        Failure(long index, String message) {
            super(message, null, false, false);
            this.index = index;
        }
    }

    /** A check that is independent of the others (a signature), run in parallel; reports at {@code index}. */
    private record Check(long index, String problem, java.util.function.BooleanSupplier passes) {
    }

    public Result verify(Connection c, Progress progress) throws SQLException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fabtrail-verify");
            t.setDaemon(true);
            return t;
        });
        Walk walk = new Walk(c, history.get());
        // Signature checks run on the pool while the next chunk is read and decoded; they are collected one
        // chunk behind, and before any failure is reported all of them are collected, so the failure named is
        // always the one at the lowest index.
        java.util.ArrayDeque<List<Future<Check>>> outstanding = new java.util.ArrayDeque<>();
        try {
            try {
                while (true) {
                    List<LedgerStore.StoredEntry> chunk = store.entries(c, walk.next, chunkSize);
                    if (chunk.isEmpty()) {
                        break;
                    }
                    List<Check> checks = new ArrayList<>(chunk.size() + 8);
                    List<byte[]> hashes = new ArrayList<>(chunk.size());
                    List<Envelope> envelopes = decodeAll(chunk, walk.next, pool);
                    for (int k = 0; k < chunk.size(); k++) {
                        authorise(envelopes.get(k), walk.next, walk.keys, checks);
                        hashes.add(chunk.get(k).leafHash());
                        walk.next++;
                    }
                    checkNodes(c, walk.feed(hashes, checks)); // every stored node this chunk completed, in one query
                    outstanding.addLast(submitChecks(checks, pool));
                    while (outstanding.size() > 1) {
                        awaitChecks(outstanding.pollFirst());
                    }
                    progress.verified(walk.next);
                }
                while (!outstanding.isEmpty()) {
                    awaitChecks(outstanding.pollFirst());
                }
            } catch (Failure f) {
                throw lowest(f, outstanding);
            }
            return new Result(true, walk.next, walk.checkpointsOk, checkEnd(c, walk), -1, null);
        } catch (Failure f) {
            return new Result(false, walk.next, walk.checkpointsOk, null, f.index, f.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Where a walk over the log stands: entries read, the tree so far, the next stored checkpoint to check. */
    private final class Walk {
        final SignerHistory keys;
        final CheckpointCursor checkpoints;
        final String[] origin = {null};
        TreeAppender tree = new TreeAppender(0, List.of());
        LedgerStore.StoredCheckpoint pending;
        boolean trustedDone = trustedBody == null;
        long next;
        long checkpointsOk;

        Walk(Connection c, SignerHistory keys) throws SQLException {
            this.keys = keys;
            this.checkpoints = new CheckpointCursor(c);
            this.pending = checkpoints.next();
        }

        /**
         * Feeds the leaves to the tree up to each checkpoint boundary, checking that checkpoint (and the trusted one)
         * at its size; answers the nodes the leaves completed.
         */
        List<StoredNode> feed(List<byte[]> hashes, List<Check> checks) throws SQLException, Failure {
            int from = 0;
            List<StoredNode> newNodes = new ArrayList<>();
            while (from < hashes.size()) {
                long toBoundary = pending != null ? pending.treeSize() - tree.size() : Long.MAX_VALUE;
                if (!trustedDone && trustedBody.size() > tree.size()) {
                    toBoundary = Math.min(toBoundary, trustedBody.size() - tree.size());
                }
                // (capped before adding: "no checkpoint ahead" is Long.MAX_VALUE and must not overflow)
                int to = (int) Math.min(hashes.size(), from + Math.min(Math.max(1, toBoundary), hashes.size()));
                AppendResult r = tree.append(hashes.subList(from, to));
                newNodes.addAll(r.newNodes());
                tree = r.next();
                from = to;
                while (pending != null && pending.treeSize() <= tree.size()) {
                    checks.add(checkCheckpoint(pending, tree, keys, origin));
                    checkpointsOk++;
                    pending = checkpoints.next();
                }
                if (!trustedDone && trustedBody.size() == tree.size()) {
                    checkTrusted(tree, keys, origin);
                    trustedDone = true;
                }
            }
            return newNodes;
        }
    }

    /** Of a failure and those of the checks still outstanding, the one at the lowest index. */
    private static Failure lowest(Failure f, java.util.ArrayDeque<List<Future<Check>>> outstanding) {
        Failure first = f;
        while (!outstanding.isEmpty()) {
            try {
                awaitChecks(outstanding.pollFirst());
            } catch (Failure earlier) {
                if (earlier.index >= 0 && (first.index < 0 || earlier.index < first.index)) {
                    first = earlier;
                }
            }
        }
        return first;
    }

    /**
     * The checks once every entry is read: the trusted checkpoint, no stored checkpoint beyond the log, the tree
     * head and the number of stored nodes; answers the root recomputed from the entries.
     */
    private byte[] checkEnd(Connection c, Walk walk) throws SQLException, Failure {
        long next = walk.next;
        if (!walk.trustedDone) {
            checkTrusted(walk.tree, walk.keys, walk.origin); // a log shorter than the trusted checkpoint (or a checkpoint of size 0)
        }
        if (walk.pending != null) {
            throw new Failure(next, endsAt(next) + " but its checkpoint for tree size " + walk.pending.treeSize()
                    + " covers up to index " + (walk.pending.treeSize() - 1) + ": entries are missing");
        }
        TreeHead head = store.head(c);
        byte[] root = walk.tree.root();
        if (head.size() != next) {
            throw new Failure(next, "the tree head says " + head.size() + " entries but the log holds " + next);
        }
        if (!Arrays.equals(head.root(), root)) {
            throw new Failure(Math.max(0, next - 1), "the tree head (size " + next + ") root does not match the "
                    + "root recomputed from the entries up to index " + (next - 1));
        }
        long storedNodes = countNodes(c);
        long expectedNodes = expectedNodeCount(next);
        if (storedNodes != expectedNodes) {
            throw new Failure(next, "tree_nodes holds " + storedNodes + " nodes; a tree of " + next
                    + " entries has " + expectedNodes + firstExtraNode(c, next));
        }
        return root;
    }

    /**
     * What the witnesses cosigned, under a k-of-n policy.
     *
     * @param ok                  whether every stored cosignature of the policy's witnesses verifies and the checked
     *                            checkpoint has at least {@code required} of them
     * @param treeSize            the size of the checkpoint checked (the trusted one, or the newest in the log that
     *                            meets the policy); -1 when there is none
     * @param cosigned            the policy's witnesses that cosigned it, in policy order
     * @param required            the policy's threshold
     * @param cosignaturesChecked stored cosignatures of the policy's witnesses that were verified
     * @param problem             what failed, or null
     */
    public record WitnessResult(boolean ok, long treeSize, List<WitnessPolicy.Cosignature> cosigned, int required,
                                long cosignaturesChecked, String problem) {

        public String describe() {
            String by = cosigned.isEmpty() ? "none" : String.join(", ", cosigned.stream().map(w -> w.witness().name()
                    + " (" + java.time.Instant.ofEpochSecond(w.timestamp()) + ")").toList());
            if (ok) {
                return "witnesses OK: the checkpoint of tree size " + treeSize + " is cosigned by " + cosigned.size()
                        + " of the " + required + " required: " + by + "; " + cosignaturesChecked
                        + " stored cosignatures verified";
            }
            return "witnesses FAIL: " + problem + (treeSize >= 0 ? " (cosigned by: " + by + ")" : "");
        }
    }

    /**
     * Checks the witnesses' side of the log under a policy: every stored cosignature of the policy's witnesses must
     * verify on its checkpoint, and the trusted checkpoint given to the constructor (or, without one, the newest
     * checkpoint of the log) must carry at least {@code policy.required()} of their cosignatures. Run it after
     * {@link #verify}, which checks that the checkpoints themselves are the log's.
     */
    public WitnessResult verifyWitnesses(Connection c, WitnessPolicy policy) throws SQLException {
        long checked = 0;
        java.util.Map<String, NoteVerifier> keys = new java.util.HashMap<>();
        for (NoteVerifier w : policy.witnesses()) {
            keys.put(w.vkey(), w);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT s.tree_size, s.witness, s.signature_line, k.note "
                + "FROM checkpoint_cosignatures s JOIN checkpoints k ON k.tree_size = s.tree_size ORDER BY s.tree_size");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                NoteVerifier w = keys.get(rs.getString(2));
                if (w == null) {
                    continue;
                }
                String note = rs.getString(4) + rs.getString(3) + "\n";
                try {
                    if (policy.cosignatures(note.getBytes(StandardCharsets.UTF_8)).stream()
                            .noneMatch(x -> x.witness().equals(w))) {
                        throw new IllegalArgumentException("it is not a signature of that witness's key");
                    }
                } catch (RuntimeException e) {
                    return new WitnessResult(false, -1, List.of(), policy.required(), checked, "the stored cosignature "
                            + "of witness " + w.name() + " on the checkpoint of tree size " + rs.getLong(1)
                            + " does not verify: " + e.getMessage());
                }
                checked++;
            }
        }
        byte[] note;
        long size;
        if (trustedNote != null) {
            note = trustedNote;
            size = trustedBody.size();
        } else {
            java.util.Optional<CosignatureStore.Cosigned> newest = new CosignatureStore().newestCosigned(c, policy);
            if (newest.isEmpty()) {
                return new WitnessResult(false, -1, List.of(), policy.required(), checked, "no checkpoint of this "
                        + "log has " + policy.required() + " cosignatures of the given witnesses");
            }
            note = newest.get().note().getBytes(StandardCharsets.UTF_8);
            size = newest.get().treeSize();
        }
        List<WitnessPolicy.Cosignature> cosigned;
        try {
            cosigned = policy.cosignatures(note);
        } catch (RuntimeException e) {
            return new WitnessResult(false, size, List.of(), policy.required(), checked, "a cosignature on the "
                    + "checkpoint of tree size " + size + " does not verify: " + e.getMessage());
        }
        if (cosigned.size() < policy.required()) {
            return new WitnessResult(false, size, cosigned, policy.required(), checked, "the "
                    + (trustedNote != null ? "trusted " : "") + "checkpoint of tree size " + size + " has "
                    + cosigned.size() + " of the " + policy.required() + " witness cosignatures the policy requires");
        }
        return new WitnessResult(true, size, cosigned, policy.required(), checked, null);
    }

    /** Decodes and checks every row of a chunk in parallel; the first bad row (lowest index) fails. */
    private List<Envelope> decodeAll(List<LedgerStore.StoredEntry> chunk, long first, ExecutorService pool)
            throws Failure {
        int parts = Math.max(1, Math.min(chunk.size() / 64, threads * 4));
        int per = (chunk.size() + parts - 1) / parts;
        List<Future<Object>> futures = new ArrayList<>();
        for (int from = 0; from < chunk.size(); from += per) {
            int start = from;
            int end = Math.min(chunk.size(), from + per);
            futures.add(pool.submit(() -> {
                List<Envelope> out = new ArrayList<>(end - start);
                for (int k = start; k < end; k++) {
                    try {
                        out.add(decode(chunk.get(k), first + k));
                    } catch (Failure f) {
                        return f;
                    }
                }
                return out;
            }));
        }
        List<Envelope> all = new ArrayList<>(chunk.size());
        Failure worst = null;
        for (Future<Object> f : futures) {
            Object r;
            try {
                r = f.get();
            } catch (Exception ex) {
                throw new IllegalStateException("verification failed to run", ex);
            }
            if (r instanceof Failure failure) {
                if (worst == null || failure.index < worst.index) {
                    worst = failure;
                }
            } else if (worst == null) {
                @SuppressWarnings("unchecked")
                List<Envelope> part = (List<Envelope>) r;
                all.addAll(part);
            }
        }
        if (worst != null) {
            throw worst;
        }
        return all;
    }

    /**
     * Everything about one row that needs no other row: its position, its hash, and that the leaf is exactly
     * the canonical {"envelope","index","integratedTime"} for this position and time, with a well-formed
     * envelope matching the stored columns.
     */
    private Envelope decode(LedgerStore.StoredEntry row, long expected) throws Failure {
        long i = row.index();
        if (i != expected) {
            throw new Failure(expected, "index " + expected + " is missing (the next stored index is " + i + ")");
        }
        if (!Arrays.equals(Merkle.leafHash(row.leaf()), row.leafHash())) {
            throw new Failure(i, "the stored leaf hash is not SHA-256(0x00 || leaf)");
        }
        Map<String, Object> leaf;
        try {
            Object parsed = StrictJson.parse(row.leaf());
            if (!(parsed instanceof Map)) {
                throw new Failure(i, "the leaf is not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) parsed;
            leaf = m;
        } catch (RuntimeException e) {
            throw new Failure(i, "the leaf is not valid JSON: " + e.getMessage());
        }
        Envelope e;
        try {
            e = parser.fromLog(leaf.get("envelope"));
        } catch (LedgerException ex) {
            throw new Failure(i, "the envelope is malformed: " + ex.getMessage());
        }
        // One comparison checks canonical form, the exact members, the index and the time.
        if (!Arrays.equals(Sequencer.leaf(e, i, row.integratedTime()), row.leaf())) {
            if (!(leaf.get("index") instanceof Number n) || n.doubleValue() != i) {
                throw new Failure(i, "the leaf names index " + leaf.get("index") + ", not its position " + i);
            }
            if (!Objects.equals(leaf.get("integratedTime"), Receipts.formatTime(row.integratedTime()))) {
                throw new Failure(i, "the leaf's integratedTime differs from the stored one");
            }
            if (!leaf.keySet().equals(Set.of("envelope", "index", "integratedTime"))) {
                throw new Failure(i, "the leaf must have exactly envelope, index and integratedTime");
            }
            throw new Failure(i, "the leaf is not in RFC 8785 canonical form");
        }
        if (!e.id().equals(row.entryId()) || !e.type().equals(row.type()) || !e.actor().equals(row.actor())
                || !e.keyId().equals(row.keyId()) || !Arrays.equals(e.payloadHash(), row.payloadHash())) {
            throw new Failure(i, "the stored columns (id, type, actor, key, payload hash) differ from the leaf");
        }
        return e;
    }

    /** In log order: the key registry as of this entry says who had to sign it; the signature check is queued. */
    private static void authorise(Envelope e, long i, SignerHistory keys, List<Check> checks) throws Failure {
        VerificationKey key;
        try {
            key = keys.signerOf(e);
        } catch (LedgerException ex) {
            throw new Failure(i, ex.getMessage());
        }
        byte[] message = e.canonicalPayload();
        byte[] signature = e.signature();
        checks.add(new Check(i, "the signature does not verify with the registered key " + e.keyId(),
                () -> key.verify(message, signature)));
        keys.apply(e, i);
    }

    /** Starts the independent checks (signatures) on the pool. */
    private List<Future<Check>> submitChecks(List<Check> checks, ExecutorService pool) {
        List<Future<Check>> futures = new ArrayList<>();
        if (checks.isEmpty()) {
            return futures;
        }
        int per = (checks.size() + threads * 4 - 1) / (threads * 4);
        for (int p = 0; p < checks.size(); p += per) {
            List<Check> slice = checks.subList(p, Math.min(checks.size(), p + per));
            futures.add(pool.submit(() -> {
                Check first = null;
                for (Check ch : slice) {
                    if (!ch.passes().getAsBoolean() && (first == null || ch.index() < first.index())) {
                        first = ch;
                    }
                }
                return first;
            }));
        }
        return futures;
    }

    /** Waits for submitted checks; fails with the lowest-index failure among them. */
    private static void awaitChecks(List<Future<Check>> futures) throws Failure {
        Check worst = null;
        for (Future<Check> f : futures) {
            try {
                Check bad = f.get();
                if (bad != null && (worst == null || bad.index() < worst.index())) {
                    worst = bad;
                }
            } catch (Exception ex) {
                throw new IllegalStateException("verification failed to run", ex);
            }
        }
        if (worst != null) {
            throw new Failure(worst.index(), worst.problem());
        }
    }

    private void checkNodes(Connection c, List<StoredNode> expected) throws SQLException, Failure {
        if (expected.isEmpty()) {
            return;
        }
        Set<NodeId> ids = new HashSet<>();
        for (StoredNode n : expected) {
            ids.add(n.id());
        }
        Map<NodeId, byte[]> stored = store.storedNodes(c, ids);
        StoredNode worst = null;
        for (StoredNode n : expected) {
            if (!Arrays.equals(stored.get(n.id()), n.hash()) && (worst == null || firstLeaf(n.id()) < firstLeaf(worst.id()))) {
                worst = n;
            }
        }
        if (worst != null) {
            long first = firstLeaf(worst.id());
            String what = stored.containsKey(worst.id()) ? "is not the hash of those entries: one of them or the node was changed"
                    : "is missing from the store";
            throw new Failure(first, "tree node " + worst.id().level() + "/" + worst.id().index() + " (entries " + first
                    + " to " + (first + (1L << worst.id().level()) - 1) + ") " + what);
        }
    }

    private static long firstLeaf(NodeId id) {
        return id.index() << id.level();
    }

    private Check checkCheckpoint(LedgerStore.StoredCheckpoint cp, TreeAppender tree, SignerHistory keys,
                                  String[] origin) throws Failure {
        long size = cp.treeSize();
        String where = "checkpoint for tree size " + size;
        byte[] noteBytes = cp.note().getBytes(StandardCharsets.UTF_8);
        Note note;
        Checkpoint body;
        try {
            note = Note.parse(noteBytes);
            body = Checkpoint.parse(note.text());
        } catch (RuntimeException e) {
            throw new Failure(size - 1, where + " is not a well-formed signed checkpoint: " + e.getMessage());
        }
        if (size != tree.size()) {
            throw new Failure(size - 1, where + " was not expected at this point of the log");
        }
        if (origin[0] != null && !origin[0].equals(body.origin())) {
            throw new Failure(size - 1, where + " has origin " + body.origin() + ", earlier ones " + origin[0]);
        }
        origin[0] = body.origin();
        if (trusted.isPresent() && !trusted.get().name().equals(body.origin())) {
            throw new Failure(size - 1, where + " has origin " + body.origin() + ", not the trusted key's "
                    + trusted.get().name());
        }
        if (body.size() != size || !Arrays.equals(body.rootHash(), cp.rootHash())) {
            throw new Failure(size - 1, where + ": the signed body differs from the stored size or root");
        }
        if (!Arrays.equals(tree.root(), body.rootHash())) {
            throw new Failure(size - 1, where + " does not commit to the recomputed root: the log before index "
                    + size + " was changed after this checkpoint was signed");
        }
        List<NoteVerifier> verifiers = new ArrayList<>();
        for (VerificationKey k : keys.operatorKeys(size)) {
            verifiers.add(NoteVerifier.ed25519(body.origin(), k));
        }
        return new Check(size - 1, where + " is not validly signed by an operator key active at that size"
                + (trusted.isPresent() ? " and by the trusted key" : ""), () -> {
            try {
                Notes.open(noteBytes, verifiers);
                if (trusted.isPresent()) {
                    Notes.open(noteBytes, List.of(trusted.get()));
                }
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * The log must extend the trusted checkpoint. Called when the walk reaches the checkpoint's size, or at the end
     * of a log that is shorter than it.
     */
    private void checkTrusted(TreeAppender tree, SignerHistory keys, String[] origin) throws Failure {
        long m = trustedBody.size();
        long n = tree.size();
        boolean covered = m <= n;
        long at = covered ? Math.max(0, m - 1) : n;
        String what = "the trusted checkpoint (tree size " + m + ")";
        String shorter = covered ? "" : "; " + endsAt(n) + ", the checkpoint covers up to index " + (m - 1);
        if (origin[0] != null && !origin[0].equals(trustedBody.origin())) {
            throw new Failure(at, what + " is of the log " + trustedBody.origin() + ", not of this log " + origin[0]
                    + shorter);
        }
        List<NoteVerifier> verifiers = new ArrayList<>();
        for (VerificationKey k : keys.operatorKeys(covered && m > 0 ? m : n)) {
            verifiers.add(NoteVerifier.ed25519(trustedBody.origin(), k));
        }
        try {
            Notes.open(trustedNote, verifiers);
            if (trusted.isPresent()) {
                Notes.open(trustedNote, List.of(trusted.get()));
            }
        } catch (RuntimeException e) {
            throw new Failure(at, what + " is not validly signed by an operator key of this log"
                    + (trusted.isPresent() ? " and by the trusted key" : "") + shorter);
        }
        if (!covered) {
            throw new Failure(n, endsAt(n) + " but the trusted checkpoint covers up to index " + (m - 1)
                    + ": entries " + n + " to " + (m - 1) + " are missing, the log was rolled back or truncated");
        }
        if (!Arrays.equals(tree.root(), trustedBody.rootHash())) {
            throw new Failure(at, "the log's root at tree size " + m + " differs from " + what + ": the log up to "
                    + "index " + (m - 1) + " is not the one that checkpoint signed (forked or rewritten)");
        }
    }

    private static String endsAt(long n) {
        return n == 0 ? "the log is empty" : "the log ends at index " + (n - 1);
    }

    /** Names a stored node that no tree of {@code n} entries has (one reaching past the end of the log). */
    private static String firstExtraNode(Connection c, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT level, idx FROM tree_nodes "
                + "WHERE (idx + 1) * power(2::numeric, level) > ? ORDER BY idx * power(2::numeric, level), level LIMIT 1")) {
            ps.setLong(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "";
                }
                long first = rs.getLong(2) << rs.getInt(1);
                return "; tree node " + rs.getInt(1) + "/" + rs.getLong(2) + " covers entries from index " + first
                        + " on, past " + (n == 0 ? "the empty log" : "index " + (n - 1));
            }
        }
    }

    private static long countNodes(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM tree_nodes");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Complete subtrees of level >= 1 in a tree of n leaves: sum over levels of floor(n / 2^level). */
    static long expectedNodeCount(long n) {
        long total = 0;
        for (int level = 1; level < 63 && (n >> level) > 0; level++) {
            total += n >> level;
        }
        return total;
    }

    /** Walks the checkpoints in tree-size order, a thousand at a time. */
    private static final class CheckpointCursor {
        private final Connection c;
        private final java.util.ArrayDeque<LedgerStore.StoredCheckpoint> buffer = new java.util.ArrayDeque<>();
        private long after = -1;

        CheckpointCursor(Connection c) {
            this.c = c;
        }

        LedgerStore.StoredCheckpoint next() throws SQLException {
            if (buffer.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT tree_size, root_hash, note, created_at "
                        + "FROM checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT 1000")) {
                    ps.setLong(1, after);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            after = rs.getLong(1);
                            buffer.add(new LedgerStore.StoredCheckpoint(rs.getLong(1), rs.getBytes(2),
                                    rs.getString(3), rs.getTimestamp(4).toInstant()));
                        }
                    }
                }
            }
            return buffer.pollFirst();
        }
    }
}
