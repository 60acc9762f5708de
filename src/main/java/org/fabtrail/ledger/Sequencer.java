package org.fabtrail.ledger;

import java.nio.charset.StandardCharsets;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.AppendResult;
import org.fabtrail.ledger.merkle.TreeAppender;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The single writer of the log: group commit with zero merge delay.
 *
 * <p>Submissions queue up while the previous batch commits; the sequencer thread then takes everything queued
 * (up to {@code maxBatch}) and, in ONE database transaction, locks the tree head, applies each entry's rules and
 * projections in order, appends the accepted entries, stores the new tree nodes, signs and stores a checkpoint
 * and moves the tree head. Only after the commit is each submitter answered with its index, the checkpoint and
 * an inclusion proof against it. A failed transaction answers every submitter of the batch with
 * {@code UNAVAILABLE} and publishes nothing.
 *
 * <p>Several sequencers (in several processes) may share one database: the row lock on the tree head makes them
 * take turns, and each reloads the tree's right border when another has moved the head.
 */
public final class Sequencer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Sequencer.class);

    /** Tuning. {@code maxBatch} bounds a transaction; {@code queueCapacity} bounds memory under overload. */
    public record Settings(int maxBatch, int queueCapacity) {
        public static Settings defaults() {
            return new Settings(4000, 50_000);
        }
    }

    private record Pending(Envelope envelope, CompletableFuture<Receipt> result) {
    }

    private record Accepted(Pending pending, LedgerStore.NewEntry entry) {
    }

    private final DataSource dataSource;
    private final LedgerStore store;
    private final CheckpointSigner signer;
    private final EntryPolicy policy;
    private final Settings settings;
    private final Clock clock;
    private final Receipts receipts;
    private final CheckpointKeeper keeper;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Stats stats = new Stats();
    private final Thread thread;
    private volatile boolean running = true;
    /** The tree as this sequencer last wrote it; null when it must be reloaded. Only the sequencer thread uses it. */
    private TreeAppender appender;

    public Sequencer(DataSource dataSource, LedgerStore store, CheckpointSigner signer, EntryPolicy policy,
                     Settings settings, Clock clock) {
        this(dataSource, store, signer, policy, settings, clock, CheckpointKeeper.NONE);
    }

    /** @param keeper gets each committed checkpoint before any of its batch's submitters is answered */
    public Sequencer(DataSource dataSource, LedgerStore store, CheckpointSigner signer, EntryPolicy policy,
                     Settings settings, Clock clock, CheckpointKeeper keeper) {
        this.keeper = keeper;
        this.dataSource = dataSource;
        this.store = store;
        this.signer = signer;
        this.policy = policy;
        this.settings = settings;
        this.clock = clock;
        this.receipts = new Receipts(store);
        this.thread = new Thread(this::loop, "fabtrail-sequencer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues one admitted envelope. The future completes with the receipt once the entry is committed, or
     * exceptionally with a {@link LedgerException} (a rule refusal, an id conflict, or UNAVAILABLE).
     *
     * @throws LedgerException BUSY when the queue is full
     */
    public CompletableFuture<Receipt> submit(Envelope envelope) {
        return submitAll(List.of(envelope)).get(0);
    }

    /** Queues envelopes as one contiguous run: they are sequenced in this order, none interleaved. */
    public List<CompletableFuture<Receipt>> submitAll(List<Envelope> envelopes) {
        List<CompletableFuture<Receipt>> out = new ArrayList<>(envelopes.size());
        synchronized (queue) {
            if (!running) {
                throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "ledger-stopped", "Ledger stopped",
                        "The ledger is shutting down; retry against another instance or later");
            }
            if (queue.size() + envelopes.size() > settings.queueCapacity()) {
                throw new LedgerException(LedgerException.Kind.BUSY, "ledger-busy", "Ledger busy",
                        "The sequencer queue is full (" + settings.queueCapacity() + " entries); retry shortly");
            }
            for (Envelope e : envelopes) {
                CompletableFuture<Receipt> f = new CompletableFuture<>();
                queue.addLast(new Pending(e, f));
                out.add(f);
            }
            queue.notifyAll();
        }
        return out;
    }

    /**
     * Where the sequencer spends its time, cumulative since start, in nanoseconds per phase of a batch:
     * lock (tree head and border), dedupe (payload.id lookup), prepare (projection reads), apply (rules, per entry),
     * flush (projection writes, tree append), append (entries, nodes, checkpoint, head) and commit.
     */
    public static final class Stats {
        private final java.util.concurrent.atomic.AtomicLongArray totals = new java.util.concurrent.atomic.AtomicLongArray(9);
        public static final List<String> PHASES = List.of("lock", "dedupe", "prepare", "apply", "flush", "append", "commit");

        void record(long entries, long... phases) {
            totals.incrementAndGet(0);
            totals.addAndGet(1, entries);
            for (int i = 0; i < phases.length; i++) {
                totals.addAndGet(2 + i, phases[i]);
            }
        }

        public long batches() {
            return totals.get(0);
        }

        public long entries() {
            return totals.get(1);
        }

        /** Nanoseconds spent in each of {@link #PHASES}. */
        /** One line for logs: batches, entries per batch, and microseconds per entry in each phase. */
        public String describe() {
            long b = Math.max(1, batches());
            long e = Math.max(1, entries());
            StringBuilder s = new StringBuilder(String.format("%d batches, %.1f entries/batch; us/entry:", batches(),
                    (double) entries() / b));
            nanos().forEach((phase, ns) -> s.append(String.format(" %s %.1f", phase, ns / 1e3 / e)));
            return s.toString();
        }

        public Map<String, Long> nanos() {
            Map<String, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < PHASES.size(); i++) {
                out.put(PHASES.get(i), totals.get(2 + i));
            }
            return out;
        }
    }

    public Stats stats() {
        return stats;
    }

    /** Entries queued and not yet taken into a batch. */
    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private List<Pending> take() throws InterruptedException {
        synchronized (queue) {
            while (queue.isEmpty() && running) {
                queue.wait(500);
            }
            List<Pending> batch = new ArrayList<>(Math.min(queue.size(), settings.maxBatch()));
            while (!queue.isEmpty() && batch.size() < settings.maxBatch()) {
                batch.add(queue.pollFirst());
            }
            return batch;
        }
    }

    private void loop() {
        while (running) {
            List<Pending> batch;
            try {
                batch = take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                sequence(batch);
            } catch (Throwable t) {
                appender = null;
                LOG.errorf(t, "Sequencing a batch of %d entries failed; nothing of it was written", batch.size());
                LedgerException failure = new LedgerException(LedgerException.Kind.UNAVAILABLE, "ledger-unavailable",
                        "Ledger unavailable", "The ledger could not commit this entry and wrote nothing of its batch. "
                        + "Retry with the same payload.id: if it was in fact written, the retry returns the original receipt.",
                        Map.of(), null);
                for (Pending p : batch) {
                    p.result().completeExceptionally(failure);
                }
            }
        }
        failQueued();
    }

    private void sequence(List<Pending> batch) throws SQLException {
        Map<Pending, Receipt> done = new LinkedHashMap<>();
        Map<Pending, LedgerException> refused = new HashMap<>();
        Map<Pending, LedgerStore.EntryRef> duplicates = new HashMap<>();
        List<Accepted> accepted = new ArrayList<>();
        Map<UUID, Accepted> acceptedById = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long t0 = System.nanoTime();
                TreeHead head = store.lockHead(c);
                if (appender == null || appender.size() != head.size()) {
                    appender = new TreeAppender(head.size(), store.border(c, head.size()));
                }
                // Integrated time never runs backwards, even across instances with skewed clocks.
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                Instant integrated = now.isBefore(head.updatedAt()) ? head.updatedAt().truncatedTo(ChronoUnit.MILLIS) : now;

                List<UUID> ids = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    ids.add(p.envelope().id());
                }
                long t1 = System.nanoTime();
                Map<UUID, LedgerStore.EntryRef> existing = store.findByEntryIds(c, ids);
                BatchContext ctx = BatchContext.on(c);
                List<Envelope> fresh = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    if (!existing.containsKey(p.envelope().id())) {
                        fresh.add(p.envelope());
                    }
                }
                long t2 = System.nanoTime();
                policy.prepare(fresh, ctx);
                long t3 = System.nanoTime();
                long next = head.size();
                for (Pending p : batch) {
                    Envelope e = p.envelope();
                    LedgerStore.EntryRef prior = existing.get(e.id());
                    if (prior != null) {
                        if (java.util.Arrays.equals(prior.payloadHash(), e.payloadHash())) {
                            duplicates.put(p, prior);
                        } else {
                            refused.put(p, idConflict(e));
                        }
                        continue;
                    }
                    Accepted earlier = acceptedById.get(e.id());
                    if (earlier != null) {
                        if (java.util.Arrays.equals(earlier.entry().payloadHash(), e.payloadHash())) {
                            duplicates.put(p, null); // resolved against the earlier one after commit
                        } else {
                            refused.put(p, idConflict(e));
                        }
                        continue;
                    }
                    try {
                        policy.apply(e, next, integrated, ctx);
                    } catch (LedgerException rejection) {
                        refused.put(p, rejection);
                        continue;
                    }
                    byte[] leaf = leaf(e, next, integrated);
                    Accepted a = new Accepted(p, new LedgerStore.NewEntry(next, e.id(), e.type(), e.actor(), e.keyId(),
                            e.payloadHash(), leaf, Merkle.leafHash(leaf)));
                    accepted.add(a);
                    acceptedById.put(e.id(), a);
                    next++;
                }

                long t4 = System.nanoTime();
                policy.complete(ctx);
                long t5 = System.nanoTime();
                AppendResult appended = null;
                String note = null;
                if (!accepted.isEmpty()) {
                    List<LedgerStore.NewEntry> rows = new ArrayList<>(accepted.size());
                    List<byte[]> hashes = new ArrayList<>(accepted.size());
                    for (Accepted a : accepted) {
                        rows.add(a.entry());
                        hashes.add(a.entry().leafHash());
                    }
                    appended = appender.append(hashes);
                    t5 = System.nanoTime();
                    store.insertEntries(c, rows, integrated);
                    store.insertNodes(c, appended.newNodes());
                    note = signer.sign(appended.newSize(), appended.root());
                    store.insertCheckpoint(c, appended.newSize(), appended.root(), note, integrated);
                    store.updateHead(c, appended.newSize(), appended.root(), integrated);
                }
                long t6 = System.nanoTime();
                c.commit();
                if (appended != null) {
                    // Rollback protection: kept outside the database before any receipt is released (if it throws,
                    // the batch is answered 503; its entries are committed, so a retry returns the receipt).
                    keeper.keep(appended.newSize(), note);
                }
                stats.record(accepted.size(), t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, System.nanoTime() - t6);
                if (appended != null) {
                    appender = appended.next();
                    for (Accepted a : accepted) {
                        long idx = a.entry().index();
                        done.put(a.pending(), new Receipt(idx, a.entry().leafHash(), integrated, note,
                                new InclusionProof(idx, appended.newSize(), appended.inclusionProof(idx)), false));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
            // Committed: answer the accepted and the refused now, then look up the originals of resubmissions.
            done.forEach((p, r) -> p.result().complete(r));
            refused.forEach((p, r) -> p.result().completeExceptionally(r));
            for (Map.Entry<Pending, LedgerStore.EntryRef> d : duplicates.entrySet()) {
                Accepted twin = acceptedById.get(d.getKey().envelope().id());
                Receipt original = twin != null ? done.get(twin.pending()) : receipts.forEntry(c, d.getValue());
                d.getKey().result().complete(original.asDuplicate());
            }
            c.commit();
        }
    }

    /** The leaf bytes: RFC 8785 canonical {"envelope": ..., "index": n, "integratedTime": "...Z"}. */
    public static byte[] leaf(Envelope e, long index, Instant integratedTime) {
        // Members in RFC 8785 order (envelope < index < integratedTime); the envelope is already canonical and
        // the index a plain integer, so concatenation is the canonical form (LogVerifier re-checks it).
        byte[] head = "{\"envelope\":".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (",\"index\":" + index + ",\"integratedTime\":\"" + Receipts.formatTime(integratedTime) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] env = e.canonicalEnvelope();
        byte[] leaf = new byte[head.length + env.length + tail.length];
        System.arraycopy(head, 0, leaf, 0, head.length);
        System.arraycopy(env, 0, leaf, head.length, env.length);
        System.arraycopy(tail, 0, leaf, head.length + env.length, tail.length);
        return leaf;
    }

    private static LedgerException idConflict(Envelope e) {
        return new LedgerException(LedgerException.Kind.CONFLICT, "id-conflict", "Entry id already used",
                "payload.id " + e.id() + " is already in the log with a different payload; choose a new id",
                Map.of("field", "payload.id"), null);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private void failQueued() {
        List<Pending> rest;
        synchronized (queue) {
            rest = new ArrayList<>(queue);
            queue.clear();
        }
        LedgerException stopped = new LedgerException(LedgerException.Kind.UNAVAILABLE, "ledger-stopped",
                "Ledger stopped", "The ledger stopped before this entry was sequenced; nothing was written");
        for (Pending p : rest) {
            p.result().completeExceptionally(stopped);
        }
    }

    /** Stops taking work, finishes the batch in progress and fails whatever is still queued. */
    @Override
    public void close() {
        LOG.infof("Sequencer: %s", stats.describe());
        synchronized (queue) {
            running = false;
            queue.notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
    }

}
