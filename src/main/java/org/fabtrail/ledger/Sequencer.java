package org.fabtrail.ledger;

import java.nio.charset.StandardCharsets;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.AppendResult;
import org.fabtrail.ledger.merkle.TreeAppender;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The single writer of the log: group commit with zero merge delay.
 *
 * <p>Submissions queue up while the previous batch commits; the sequencer thread then takes everything queued
 * (up to {@code maxBatch}) and, in ONE database transaction, locks the tree head, applies each entry's rules and
 * projections in order, appends the accepted entries, stores the new tree nodes, signs and stores a checkpoint
 * and moves the tree head. Only after the commit is each submitter answered with its index, the checkpoint and
 * an inclusion proof against it.
 *
 * <p>No entry can fail another. A rule refusal ({@link LedgerException} from {@link EntryPolicy#apply}) refuses its
 * entry alone. Any other failure while sequencing is either about the database (connection lost, out of resources,
 * read-only, our own triggers: see {@link #unavailable}), and then the whole batch is answered {@code UNAVAILABLE},
 * nothing written, safe to retry; or it may lie in one entry, and then the transaction is rolled back and the batch
 * sequenced again in one new transaction, split behind savepoints until the failing entry is alone: that entry is
 * answered with a problem ({@code entry-not-storable} or {@code entry-failed}) and every other entry is written, in
 * order. The common path pays nothing for this: no savepoint until something has failed.
 * (docs/adr/0007-sequencer-isolation.md)
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
            Throwable failure = null;
            for (int attempt = 1; attempt <= 2; attempt++) {
                try {
                    sequence(batch);
                    failure = null;
                    break;
                } catch (Throwable t) {
                    appender = null;
                    failure = t;
                    // Once: the batch's transaction failed before its commit, so nothing of it was written, and the
                    // database may just have dropped this connection (a failover, a restart). Another connection
                    // from the pool may work; if it does not, the batch is answered 503 and its clients retry.
                    if (attempt == 1 && !committing && retryable(t) && running) {
                        LOG.warnf("Sequencing a batch of %d entries failed before its commit (%s); nothing of it was "
                                + "written; trying once more on another connection", batch.size(), describe(t));
                        continue;
                    }
                    break;
                }
            }
            if (failure != null) {
                answerFailed(batch, failure);
            }
        }
        failQueued();
    }

    /** Answers every entry of a batch that failed: 503, with what the client can know about its fate. */
    private void answerFailed(List<Pending> batch, Throwable t) {
        LedgerException failure;
        if (t instanceof CommitOutcomeUnknown unknown) {
            LOG.errorf("The connection failed while a batch of %d entries was committing (%s): it may or may not "
                    + "have been written; its clients are answered 503 commit-outcome-unknown and may resubmit",
                    batch.size(), describe(unknown.getCause()));
            failure = new LedgerException(LedgerException.Kind.UNAVAILABLE, "commit-outcome-unknown",
                    "Commit outcome unknown", "The database connection failed while this entry's batch was "
                    + "committing, so the ledger cannot tell whether it was written. Resubmit the same envelope (same "
                    + "payload.id): if it was written, the resubmission returns its original receipt; if not, it is "
                    + "written now.", Map.of(), null);
        } else {
            LOG.errorf(t, "Sequencing a batch of %d entries failed; nothing of it was written", batch.size());
            failure = new LedgerException(LedgerException.Kind.UNAVAILABLE, "ledger-unavailable",
                    "Ledger unavailable", "The ledger could not commit this entry and wrote nothing of its batch. "
                    + "Retry with the same payload.id: if it was in fact written, the retry returns the original receipt.",
                    Map.of(), null);
        }
        for (Pending p : batch) {
            p.result().completeExceptionally(failure);
        }
    }

    /**
     * Thrown by {@link #sequence} when the connection failed during COMMIT: the server may have committed the
     * transaction (and, with synchronous replication, a standby may hold it) without our hearing so.
     */
    private static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * True while the current batch's COMMIT is in flight or done: from then on a failure must not be retried (the
     * batch may be written, or is).
     */
    private boolean committing;

    /**
     * Failures before the commit after which another attempt on another connection may succeed: the connection
     * broke (SQLState class 08, or an I/O failure without one), the server is shutting down or restarting (57P01 to
     * 57P03), a read-only standby after a failover (25006), a serialization failure or deadlock (class 40). Not our
     * statements, rights, triggers or resources: those would fail again.
     */
    static boolean retryable(Throwable t) {
        String state = sqlState(t);
        if (state == null) {
            // no SQLState: an I/O failure below JDBC, or a fault of ours; only the former is worth another attempt
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof java.io.IOException || c instanceof java.sql.SQLTransientConnectionException) {
                    return true;
                }
            }
            return false;
        }
        return state.startsWith("08") || state.startsWith("40") || state.equals("25006") || state.equals("57P01")
                || state.equals("57P02") || state.equals("57P03");
    }

    /**
     * A failure of COMMIT itself whose outcome we cannot know: the connection broke (class 08, or no SQLState, an
     * I/O failure), or the server ended the session while the commit waited (57P01 to 57P03: PostgreSQL has then
     * written the commit locally and may have replicated it). Any other error is the server's answer to COMMIT,
     * and then the transaction was rolled back.
     */
    static boolean outcomeUnknown(SQLException e) {
        String state = sqlState(e);
        return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03");
    }

    private void sequence(List<Pending> batch) throws SQLException {
        committing = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Run run = new Run(c, batch);
            AppendResult appended;
            try {
                run.begin();
                try {
                    // The common case: the whole batch as one segment, no savepoint, one flush of everything.
                    run.segment(0, batch.size());
                } catch (SQLException | RuntimeException | StackOverflowError fault) {
                    int at = run.applying;
                    rollbackQuietly(c);
                    if (unavailable(fault, c)) {
                        throw fault;
                    }
                    run = isolate(c, batch, fault, at);
                }
                long t0 = System.nanoTime();
                appended = run.appendTree();
                run.appendNs += System.nanoTime() - t0;
                t0 = System.nanoTime();
                committing = true;
                try {
                    c.commit();
                } catch (SQLException e) {
                    if (outcomeUnknown(e)) {
                        throw new CommitOutcomeUnknown(e);
                    }
                    throw e;
                }
                if (appended != null) {
                    // Rollback protection: kept outside the database before any receipt is released (if it throws,
                    // the batch is answered 503; its entries are committed, so a retry returns the receipt).
                    keeper.keep(appended.newSize(), run.note);
                }
                stats.record(run.accepted.size(), run.lockNs, run.dedupeNs, run.prepareNs, run.applyNs, run.flushNs,
                        run.appendNs, System.nanoTime() - t0);
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            }
            if (appended != null) {
                appender = appended.next();
            }
            answer(c, run, appended);
        }
    }

    /**
     * Answers a committed batch: the accepted, the refused and the failed now, then the resubmissions with their
     * originals' receipts (read on the batch's connection).
     */
    private void answer(Connection c, Run run, AppendResult appended) throws SQLException {
        Map<Pending, Receipt> done = new HashMap<>();
        for (Accepted a : run.accepted) {
            long idx = a.entry().index();
            Receipt r = new Receipt(idx, a.entry().leafHash(), run.integrated, run.note,
                    new InclusionProof(idx, appended.newSize(), appended.inclusionProof(idx)), false);
            done.put(a.pending(), r);
            a.pending().result().complete(r);
        }
        for (Map.Entry<Pending, LedgerException> r : run.refused.entrySet()) {
            r.getKey().result().completeExceptionally(r.getValue());
        }
        for (Map.Entry<Pending, LedgerException> f : run.failed.entrySet()) {
            f.getKey().result().completeExceptionally(f.getValue());
        }
        for (Map.Entry<Pending, LedgerStore.EntryRef> d : run.duplicates.entrySet()) {
            Accepted twin = run.acceptedById.get(d.getKey().envelope().id());
            Receipt original = twin != null ? done.get(twin.pending()) : receipts.forEntry(c, d.getValue());
            d.getKey().result().complete(original.asDuplicate());
        }
        if (!run.duplicates.isEmpty()) {
            c.commit(); // ends the read of the originals' receipts
        }
    }

    /**
     * One transaction's work on a batch: the tree head it locked, and what it decided about each entry. Entries are
     * applied and written in segments (the whole batch at once unless an entry failed); each segment has its own
     * {@link BatchContext}, and only a segment that was written adds its outcome here.
     */
    private final class Run {
        final Connection c;
        final List<Pending> batch;
        Instant integrated;
        Map<UUID, LedgerStore.EntryRef> existing;
        /** The index the next accepted entry gets. */
        long next;
        /** Entries of the written segments, in log order. */
        final List<Accepted> accepted = new ArrayList<>();
        final Map<UUID, Accepted> acceptedById = new HashMap<>();
        final Map<Pending, LedgerException> refused = new HashMap<>();
        /** Resubmissions: the original's reference, or null when the original is in this batch. */
        final Map<Pending, LedgerStore.EntryRef> duplicates = new HashMap<>();
        /** Entries that failed on their own (isolated): their answer. */
        final Map<Pending, LedgerException> failed = new HashMap<>();
        /** Position in the batch of the entry whose rules are running, or -1: names the culprit of a failure. */
        int applying = -1;
        String note;
        long lockNs;
        long dedupeNs;
        long prepareNs;
        long applyNs;
        long flushNs;
        long appendNs;

        Run(Connection c, List<Pending> batch) {
            this.c = c;
            this.batch = batch;
        }

        /** Locks the tree head, fixes the integrated time and looks up which entries are already in the log. */
        void begin() throws SQLException {
            long t0 = System.nanoTime();
            TreeHead head = store.lockHead(c); // and plans the batch for the tables' current sizes
            // Reloaded whenever the head is not where this sequencer left it: another instance appended, or a
            // failover or restore put another tree under it (same size, another root, included).
            if (appender == null || appender.size() != head.size() || !Arrays.equals(appender.root(), head.root())) {
                appender = new TreeAppender(head.size(), store.border(c, head.size()));
            }
            next = head.size();
            // Integrated time never runs backwards, even across instances with skewed clocks.
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            integrated = now.isBefore(head.updatedAt()) ? head.updatedAt().truncatedTo(ChronoUnit.MILLIS) : now;
            List<UUID> ids = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                ids.add(p.envelope().id());
            }
            long t1 = System.nanoTime();
            existing = store.findByEntryIds(c, ids);
            lockNs += t1 - t0;
            dedupeNs += System.nanoTime() - t1;
        }

        /**
         * Applies the rules of {@code batch[from, to)} in order on a fresh context, writes their projections and
         * appends the accepted entries. On success the segment's outcome joins this run; on failure nothing of it
         * does, {@link #applying} names the entry whose rules failed (or is -1 when the failure came later) and the
         * caller must roll the transaction back to before the segment.
         */
        void segment(int from, int to) throws SQLException {
            long t0 = System.nanoTime();
            BatchContext ctx = BatchContext.on(c);
            List<Envelope> fresh = fresh(from, to);
            long t1 = System.nanoTime();
            policy.prepare(fresh, ctx);
            long t2 = System.nanoTime();
            List<Accepted> mine = new ArrayList<>(fresh.size());
            Map<UUID, Accepted> mineById = new HashMap<>();
            Map<Pending, LedgerException> myRefusals = new HashMap<>();
            Map<Pending, LedgerStore.EntryRef> myDuplicates = new HashMap<>();
            long index = next;
            for (int i = from; i < to; i++) {
                Pending p = batch.get(i);
                Envelope e = p.envelope();
                if (seenBefore(p, mineById, myRefusals, myDuplicates)) {
                    continue;
                }
                applying = i;
                try {
                    policy.apply(e, index, integrated, ctx);
                } catch (LedgerException rejection) {
                    applying = -1;
                    myRefusals.put(p, rejection);
                    continue;
                }
                applying = -1;
                byte[] leaf = leaf(e, index, integrated);
                Accepted a = new Accepted(p, new LedgerStore.NewEntry(index, e.id(), e.type(), e.actor(), e.keyId(),
                        e.payloadHash(), leaf, Merkle.leafHash(leaf)));
                mine.add(a);
                mineById.put(e.id(), a);
                index++;
            }
            long t3 = System.nanoTime();
            policy.complete(ctx);
            long t4 = System.nanoTime();
            if (!mine.isEmpty()) {
                List<LedgerStore.NewEntry> rows = new ArrayList<>(mine.size());
                for (Accepted a : mine) {
                    rows.add(a.entry());
                }
                store.insertEntries(c, rows, integrated);
            }
            // Written: the segment's outcome is now part of the transaction.
            accepted.addAll(mine);
            acceptedById.putAll(mineById);
            refused.putAll(myRefusals);
            duplicates.putAll(myDuplicates);
            next = index;
            dedupeNs += t1 - t0;
            prepareNs += t2 - t1;
            applyNs += t3 - t2;
            flushNs += t4 - t3;
            appendNs += System.nanoTime() - t4;
        }

        /** The segment's envelopes whose ids are not in the log yet. */
        private List<Envelope> fresh(int from, int to) {
            List<Envelope> fresh = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Envelope e = batch.get(i).envelope();
                if (!existing.containsKey(e.id())) {
                    fresh.add(e);
                }
            }
            return fresh;
        }

        /**
         * Whether the entry's id is already in the log or earlier in this batch: then it is a duplicate (same
         * payload; answered with the earlier entry's receipt) or refused as an id conflict, and not applied.
         */
        private boolean seenBefore(Pending p, Map<UUID, Accepted> mineById, Map<Pending, LedgerException> myRefusals,
                                   Map<Pending, LedgerStore.EntryRef> myDuplicates) {
            Envelope e = p.envelope();
            LedgerStore.EntryRef prior = existing.get(e.id());
            if (prior != null) {
                if (Arrays.equals(prior.payloadHash(), e.payloadHash())) {
                    myDuplicates.put(p, prior);
                } else {
                    myRefusals.put(p, idConflict(e));
                }
                return true;
            }
            Accepted earlier = mineById.get(e.id());
            if (earlier == null) {
                earlier = acceptedById.get(e.id());
            }
            if (earlier == null) {
                return false;
            }
            if (Arrays.equals(earlier.entry().payloadHash(), e.payloadHash())) {
                myDuplicates.put(p, null); // resolved against the earlier one after commit
            } else {
                myRefusals.put(p, idConflict(e));
            }
            return true;
        }

        /** Appends the accepted entries' leaves to the tree: nodes, signed checkpoint, head; null when none. */
        AppendResult appendTree() throws SQLException {
            if (accepted.isEmpty()) {
                return null;
            }
            List<byte[]> hashes = new ArrayList<>(accepted.size());
            for (Accepted a : accepted) {
                hashes.add(a.entry().leafHash());
            }
            AppendResult appended = appender.append(hashes);
            store.insertNodes(c, appended.newNodes());
            note = signer.sign(appended.newSize(), appended.root());
            store.appendCheckpoint(c, appended.newSize(), appended.root(), note, integrated);
            return appended;
        }
    }

    /**
     * Sequences a batch again after its first transaction failed for a reason that may lie in one of its entries
     * (see docs/adr/0007-sequencer-isolation.md). In a new transaction, the batch is applied segment by segment,
     * in order, each behind a savepoint and on a fresh {@link BatchContext}; a segment that fails is rolled back to
     * its savepoint and split (around the entry whose rules failed when that is known, else in halves) until the
     * failing entry is alone. That entry alone is answered with a problem; every other entry is written.
     *
     * @throws SQLException or another failure when the database itself is unavailable: the batch then fails whole
     */
    private Run isolate(Connection c, List<Pending> batch, Throwable first, int at) throws SQLException {
        LOG.warnf("A batch of %d entries failed (%s); sequencing it again with the failing entry isolated",
                batch.size(), describe(first));
        Run run = new Run(c, batch);
        ArrayDeque<int[]> work = new ArrayDeque<>();
        split(run, work, 0, batch.size(), first, at);
        run.begin();
        while (!work.isEmpty()) {
            int[] segment = work.pollFirst();
            Savepoint savepoint = c.setSavepoint();
            try {
                run.segment(segment[0], segment[1]);
                c.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException | StackOverflowError fault) {
                int failedAt = run.applying;
                run.applying = -1;
                c.rollback(savepoint);
                if (unavailable(fault, c)) {
                    throw fault;
                }
                split(run, work, segment[0], segment[1], fault, failedAt);
            }
        }
        return run;
    }

    /**
     * A segment {@code [from, to)} failed with {@code fault}: alone, its entry is answered with a problem; else its
     * parts go to the front of the work, in order: around entry {@code at} when its rules failed, else two halves.
     */
    private static void split(Run run, ArrayDeque<int[]> work, int from, int to, Throwable fault, int at) {
        if (to - from == 1) {
            Pending alone = run.batch.get(from);
            run.failed.put(alone, entryFailure(alone.envelope(), fault));
            return;
        }
        List<int[]> parts = new ArrayList<>(3);
        if (at >= from && at < to) {
            if (at > from) {
                parts.add(new int[]{from, at});
            }
            parts.add(new int[]{at, at + 1});
            if (at + 1 < to) {
                parts.add(new int[]{at + 1, to});
            }
        } else {
            int mid = (from + to) >>> 1;
            parts.add(new int[]{from, mid});
            parts.add(new int[]{mid, to});
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            work.addFirst(parts.get(i));
        }
    }

    /**
     * SQLState classes that say the database (or its setup) cannot take writes now, whatever the entries hold:
     * connection (08), transaction state such as a read-only standby (25), rollback by serialization failure or
     * deadlock (40), our statements or the role's rights (42), resources (53), lock or object state (55), operator
     * intervention (57), system I/O (58), configuration (F0), our own triggers (P0) and internal errors (XX).
     * Splitting the batch cannot find a culprit for these, so the batch fails whole, UNAVAILABLE, safe to retry.
     */
    private static final Set<String> UNAVAILABLE_CLASSES =
            Set.of("08", "25", "40", "42", "53", "55", "57", "58", "F0", "P0", "XX");

    /** True when {@code fault} is about the database rather than an entry (see {@link #UNAVAILABLE_CLASSES}). */
    static boolean unavailable(Throwable fault, Connection c) {
        String state = sqlState(fault);
        // 25P02 (a statement after an earlier, swallowed error) says nothing about the cause: look for the culprit.
        if (state != null && state.length() == 5 && UNAVAILABLE_CLASSES.contains(state.substring(0, 2))
                && !"25P02".equals(state)) {
            return true;
        }
        try {
            return c.isClosed() || !c.isValid(5);
        } catch (SQLException e) {
            return true;
        }
    }

    /** The SQLState of the first SQLException in the cause chain of {@code t} (or of its next exception). */
    static String sqlState(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null) {
                        return s.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /**
     * The answer to an entry that failed on its own. A data exception (SQLState class 22: PostgreSQL cannot store
     * one of its values) comes from what the client sent: 400 {@code entry-not-storable}. Anything else is a fault
     * of ours in that entry's rules or projections: 500 {@code entry-failed}, logged at ERROR with the entry's id
     * and type (never its payload).
     */
    static LedgerException entryFailure(Envelope e, Throwable fault) {
        if (fault instanceof RefusedAfterWrites refused) {
            return refused.refusal(); // a rule's refusal, only thrown so that the entry's writes are rolled back
        }
        String state = sqlState(fault);
        if (state != null && state.startsWith("22")) {
            LOG.warnf("Entry %s (%s) not written: PostgreSQL cannot store one of its values (SQLState %s)", e.id(),
                    e.type(), state);
            return new LedgerException(LedgerException.Kind.MALFORMED, "entry-not-storable", "Entry not storable",
                    "The database cannot store a value of this entry (SQLState " + state + "), so nothing of it was "
                            + "written; the other entries of its batch are not affected. Check its text and numbers "
                            + "against the entry type's fields.", Map.of(), null);
        }
        LOG.errorf(fault, "Entry %s (%s) failed on its own and was not written; the rest of its batch was sequenced",
                e.id(), e.type());
        return new LedgerException(LedgerException.Kind.FAULT, "entry-failed", "Entry failed",
                "The server failed while sequencing this entry and wrote nothing of it; the other entries of its batch "
                        + "are not affected. The failure is logged under payload.id " + e.id() + ".", Map.of(), null);
    }

    private static String describe(Throwable t) {
        String state = sqlState(t);
        return t.getClass().getSimpleName() + (state == null ? "" : ", SQLState " + state);
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
