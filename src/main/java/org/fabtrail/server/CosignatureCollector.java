package org.fabtrail.server;

import org.fabtrail.ledger.CosignatureStore;
import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipts;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.fabtrail.witness.WitnessClient;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the log's witnesses to cosign its checkpoints (c2sp.org/tlog-witness), in the background: the sequencer only
 * {@link #offer}s each committed checkpoint (a field write and a notify; it never waits for a witness), and writes
 * stay zero-merge-delay.
 *
 * <p>Rounds: a coordinator thread takes the newest checkpoint (offered by this instance's sequencer, or found in the
 * database, where other instances' land) at most once per {@code minInterval}, and only once the previous round is
 * settled: the policy met for it, every witness done, or {@code timeout} passed. Each witness has a worker thread that
 * submits the current round's checkpoint with the consistency proof from the size that witness holds, so one slow or
 * dead witness delays nobody but itself, and the fast witnesses cosign the same checkpoints. A 409 tells the worker the
 * witness's size; it proves again from there. Cosignatures are verified, stored, and the newest checkpoint that meets
 * the policy goes to {@link CosignedCheckpoints}.
 *
 * <p>A witness whose submission failed (unreachable, timed out, an error answer) is asked again after a pause that
 * doubles from 1 s up to 10 s, with the current round's checkpoint even when no newer one came: a witness that comes
 * back catches up without waiting for the next write, and a dead one costs a request every 10 s, not one a round.
 *
 * <p>A witness that refuses the proof from its own checkpoint (422), or holds another checkpoint of the same size
 * (409 at equal sizes), or one larger than the database's log, holds a checkpoint this log does not extend: that is
 * logged as an ERROR and counted ({@link #conflicts()}); it means a fork or a rollback of this log. Such a witness is
 * left alone for a minute: it would refuse every checkpoint, and keep each refusal as evidence.
 */
public final class CosignatureCollector implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CosignatureCollector.class);

    /** The pause after a failed submission doubles from 1 s up to this. */
    static final long MAX_BACKOFF_NANOS = 10_000_000_000L;
    /** The pause after a witness refused a checkpoint because it holds one this log does not extend. */
    static final long CONFLICT_BACKOFF_NANOS = 60_000_000_000L;

    /**
     * @param timeout      how long a submission may take
     * @param minInterval  the least time between rounds
     * @param pollInterval how often the database's newest checkpoint is read
     */
    public record Settings(Duration timeout, Duration minInterval, Duration pollInterval) {
    }

    /** A checkpoint to submit. */
    record Target(long size, String note) {
    }

    /** What one witness said about one checkpoint, after following its 409s. */
    enum Kind { COSIGNED, AHEAD, FORK, NOT_WITNESSED, FAILED }

    record Outcome(Kind kind, long witnessSize, String detail) {
    }

    /**
     * One witness and what this instance knows of it. Fields are guarded by the collector's lock, except what is
     * logged about it ({@code lastProblem}, {@code lastLogged}, {@code lastLoggedAt}), guarded by the witness itself:
     * its worker and the coordinator both report problems, and neither holds the collector's lock while it logs.
     */
    final class Witness {
        final WitnessSettings.Configured config;
        final WitnessClient client;
        long known;          // the size the witness holds, as far as we know
        long cosignedSize;   // the largest size it cosigned for us
        long lastRound;      // the round it last worked on
        boolean busy;
        boolean retry;       // its last submission failed: try the current round again after the backoff
        long backoffUntil = System.nanoTime();
        long failureBackoff;
        String lastProblem;
        String lastLogged;
        long lastLoggedAt;
        final AtomicLong failures = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        Thread thread;

        Witness(WitnessSettings.Configured config, HttpClient http) {
            this.config = config;
            this.client = new WitnessClient(config.url(), config.key(), settings.timeout(), http);
        }
    }

    private final DataSource dataSource;
    private final CosignatureStore store = new CosignatureStore();
    private final LedgerStore ledgerStore = new LedgerStore();
    private final CosignedCheckpoints cosigned;
    private final WitnessPolicy policy;
    private final Settings settings;
    private final Clock clock;
    private final List<Witness> witnesses = new ArrayList<>();
    private final Object lock = new Object();

    private Target offered;        // the newest checkpoint offered or found
    private Target round;          // the checkpoint of the current round
    private long roundStarted;     // nanoTime
    private volatile boolean running;
    private Thread coordinator;

    public CosignatureCollector(DataSource dataSource, CosignedCheckpoints cosigned, WitnessSettings witnessSettings,
                                Settings settings, Clock clock, HttpClient http) {
        this.dataSource = dataSource;
        this.cosigned = cosigned;
        this.policy = witnessSettings.policy();
        this.settings = settings;
        this.clock = clock;
        for (WitnessSettings.Configured w : witnessSettings.witnesses()) {
            witnesses.add(new Witness(w, http));
        }
    }

    /** @return whether there is any witness to ask */
    public boolean witnessed() {
        return !witnesses.isEmpty();
    }

    /**
     * A checkpoint the sequencer just committed. Never blocks and never throws: it only records the newest and wakes
     * the coordinator.
     */
    public void offer(long size, String note) {
        if (witnesses.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (offered == null || size > offered.size()) {
                offered = new Target(size, note);
                lock.notifyAll();
            }
        }
    }

    /** Loads what the database knows (the witnesses' sizes, the newest cosigned checkpoint) and starts the threads. */
    public void start() throws SQLException {
        if (witnesses.isEmpty() || running) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Map<String, Long> sizes = store.newestPerWitness(c);
            synchronized (lock) {
                for (Witness w : witnesses) {
                    long s = sizes.getOrDefault(w.config.key().vkey(), 0L);
                    w.known = Math.max(w.known, s);
                    w.cosignedSize = Math.max(w.cosignedSize, s);
                }
            }
            store.newestCosigned(c, policy).ifPresent(cosigned::offer);
        }
        running = true;
        coordinator = new Thread(this::coordinate, "fabtrail-witness-rounds");
        coordinator.setDaemon(true);
        coordinator.start();
        for (Witness w : witnesses) {
            w.thread = new Thread(() -> work(w), "fabtrail-witness-" + w.config.name());
            w.thread.setDaemon(true);
            w.thread.start();
        }
    }

    // ------------------------------------------------------------------ rounds

    private void coordinate() {
        long lastPoll = 0;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now - lastPoll >= settings.pollInterval().toNanos()) {
                    lastPoll = now;
                    pollDatabase();
                }
                synchronized (lock) {
                    long waitMs = settings.pollInterval().toMillis();
                    if (offered != null && (round == null || offered.size() > round.size())) {
                        long sinceRound = System.nanoTime() - roundStarted;
                        if (round != null && sinceRound < settings.minInterval().toNanos()) {
                            waitMs = Math.max(1, (settings.minInterval().toNanos() - sinceRound) / 1_000_000);
                        } else if (round == null || settled(sinceRound)) {
                            round = offered;
                            roundStarted = System.nanoTime();
                            lock.notifyAll();
                            continue;
                        } else {
                            waitMs = 20; // a round in progress: look again soon
                        }
                    }
                    lock.wait(Math.max(1, Math.min(waitMs, settings.pollInterval().toMillis())));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Witness rounds: %s", e.toString());
            }
        }
    }

    /** Caller holds the lock. */
    private boolean settled(long sinceRoundNanos) {
        if (sinceRoundNanos >= settings.timeout().toNanos()) {
            return true;
        }
        if (cosigned.newest().map(c -> c.treeSize() >= round.size()).orElse(false)) {
            return true;
        }
        for (Witness w : witnesses) {
            if (w.busy || w.lastRound < round.size()) {
                return false;
            }
        }
        return true;
    }

    private void pollDatabase() {
        try (Connection c = dataSource.getConnection()) {
            long head = ledgerStore.head(c).size();
            ledgerStore.latestCheckpoint(c).ifPresent(cp -> offer(cp.treeSize(), cp.note()));
            List<Witness> ahead = new ArrayList<>();
            synchronized (lock) {
                for (Witness w : witnesses) {
                    if (w.known > head) {
                        ahead.add(w);
                    }
                }
            }
            for (Witness w : ahead) {
                // The database went backwards under this instance: a witness holds more of this log than it has.
                conflict(w, "holds a checkpoint of tree size " + w.known + " of this log, but the database's log "
                        + "has tree size " + head + ": the database was rolled back");
            }
        } catch (SQLException e) {
            LOG.debugf("Witness rounds: the newest checkpoint could not be read (%s)", e.getMessage());
        }
    }

    private void work(Witness w) {
        while (running) {
            Target t;
            try {
                synchronized (lock) {
                    while (running) {
                        long now = System.nanoTime();
                        boolean due = round != null && (round.size() > w.lastRound || w.retry);
                        if (due && now - w.backoffUntil >= 0) {
                            break;
                        }
                        long waitMs = due ? Math.max(1, (w.backoffUntil - now) / 1_000_000) : 1000;
                        lock.wait(Math.min(waitMs, 1000));
                    }
                    if (!running) {
                        return;
                    }
                    t = round;
                    w.busy = true;
                    w.retry = false;
                }
            } catch (InterruptedException e) {
                return;
            }
            Outcome outcome = null;
            try {
                long known;
                long done;
                synchronized (lock) {
                    known = w.known;
                    done = w.cosignedSize;
                }
                if (known > t.size() || done >= t.size()) {
                    if (known > t.size()) {
                        checkAhead(w, known);
                    }
                } else {
                    outcome = submit(w, t, known);
                    handle(w, t, outcome);
                }
            } catch (RuntimeException e) {
                outcome = new Outcome(Kind.FAILED, 0, "failed: " + e);
                problem(w, outcome.detail());
            } finally {
                synchronized (lock) {
                    w.busy = false;
                    w.lastRound = Math.max(w.lastRound, t.size());
                    backoff(w, outcome);
                    lock.notifyAll();
                }
            }
        }
    }

    /**
     * A witness that failed is tried again (the same round, if no newer one came) after a backoff that doubles up to
     * 10 s; one that holds a checkpoint this log does not extend is left alone for a minute (it will refuse every
     * checkpoint, and each refusal costs it an evidence file). Caller holds the lock.
     */
    private static void backoff(Witness w, Outcome o) {
        long now = System.nanoTime();
        if (o == null || o.kind() == Kind.COSIGNED || o.kind() == Kind.AHEAD) {
            w.failureBackoff = 0;
            w.backoffUntil = now;
        } else if (o.kind() == Kind.FORK) {
            w.backoffUntil = now + CONFLICT_BACKOFF_NANOS;
        } else {
            w.failureBackoff = w.failureBackoff == 0 ? 1_000_000_000L : Math.min(MAX_BACKOFF_NANOS, 2 * w.failureBackoff);
            w.backoffUntil = now + w.failureBackoff;
            w.retry = true;
        }
    }

    private void handle(Witness w, Target t, Outcome o) {
        switch (o.kind()) {
            case COSIGNED -> {
                synchronized (w) {
                    if (w.lastProblem != null) {
                        LOG.infof("Witness %s cosigns again (tree size %d)", w.config.name(), t.size());
                        w.lastProblem = null;
                        w.lastLogged = null;
                    }
                }
            }
            case AHEAD -> checkAhead(w, o.witnessSize());
            case FORK -> conflict(w, o.detail());
            case NOT_WITNESSED, FAILED -> problem(w, o.detail());
        }
    }

    /** A witness holds a larger checkpoint than this round's: fine if the database has one that large. */
    private void checkAhead(Witness w, long witnessSize) {
        try (Connection c = dataSource.getConnection()) {
            long head = ledgerStore.head(c).size();
            if (witnessSize > head) {
                conflict(w, "holds a checkpoint of tree size " + witnessSize + " of this log, but the database's "
                        + "log has tree size " + head + ": the database was rolled back, or another log signs with "
                        + "this log's key");
            }
        } catch (SQLException e) {
            LOG.debugf("Witness %s: the tree head could not be read (%s)", w.config.name(), e.getMessage());
        }
    }

    private void conflict(Witness w, String detail) {
        w.conflicts.incrementAndGet();
        synchronized (w) {
            w.lastProblem = detail;
            if (shouldLog(w, "conflict")) {
                LOG.errorf("WITNESS CONFLICT: witness %s (%s) %s. This log does not extend a checkpoint the witness "
                        + "cosigned (a fork or a rollback); it will not cosign this log until that is resolved. "
                        + "Compare the witness's evidence with this log (verify --checkpoint).", w.config.name(),
                        w.config.url(), detail);
            }
        }
    }

    private void problem(Witness w, String detail) {
        w.failures.incrementAndGet();
        synchronized (w) {
            w.lastProblem = detail;
            if (shouldLog(w, detail.replaceAll("\\d+", "#"))) {
                LOG.warnf("Witness %s (%s): %s; writes go on, the checkpoint it has not cosigned waits (asked again "
                        + "after a pause)", w.config.name(), w.config.url(), detail);
            }
        }
    }

    /** The same kind of problem of one witness is logged once a minute at most. Caller holds the witness's monitor. */
    private static boolean shouldLog(Witness w, String kind) {
        long now = System.nanoTime();
        if (kind.equals(w.lastLogged) && now - w.lastLoggedAt < 60_000_000_000L) {
            return false;
        }
        w.lastLogged = kind;
        w.lastLoggedAt = now;
        return true;
    }

    // ------------------------------------------------------------------ one submission

    /**
     * Submits a checkpoint to a witness, starting from {@code old} and following its 409s (at most a few), storing
     * the cosignature when it comes.
     */
    Outcome submit(Witness w, Target t, long old) {
        byte[] note = t.note().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 4; attempt++) {
            if (old > t.size()) {
                return new Outcome(Kind.AHEAD, old, "it holds tree size " + old);
            }
            List<byte[]> proof;
            try {
                proof = old == 0 || old == t.size() ? List.of() : consistency(old, t.size());
            } catch (SQLException e) {
                return new Outcome(Kind.FAILED, old, "the consistency proof from " + old + " could not be read: "
                        + e.getMessage());
            }
            WitnessClient.Result r = w.client.submit(old, proof, note);
            if (r instanceof WitnessClient.Cosigned cs) {
                store(w, t, cs);
                return new Outcome(Kind.COSIGNED, t.size(), "");
            }
            if (r instanceof WitnessClient.Conflict cf) {
                long m = cf.witnessSize();
                synchronized (lock) {
                    w.known = Math.max(w.known, m);
                }
                if (m == old) {
                    return new Outcome(Kind.FORK, m, "holds another checkpoint of tree size " + m + " (409 at equal "
                            + "sizes: the same size with another root)");
                }
                old = m;
                continue;
            }
            if (r instanceof WitnessClient.Refused rf) {
                if (rf.status() == 422) {
                    return new Outcome(Kind.FORK, old, "refuses the consistency proof from the checkpoint of tree size "
                            + old + " it holds to tree size " + t.size() + " (422: " + rf.message() + ")");
                }
                if (rf.status() == 403 || rf.status() == 404) {
                    return new Outcome(Kind.NOT_WITNESSED, old, "does not witness this log with this key ("
                            + rf.status() + ": " + rf.message() + "); configure the log's origin and vkey on the "
                            + "witness");
                }
                return new Outcome(Kind.FAILED, old, "answered " + rf.status() + ": " + rf.message());
            }
            return new Outcome(Kind.FAILED, old, ((WitnessClient.Failed) r).why());
        }
        return new Outcome(Kind.FAILED, old, "its size kept changing (other instances submitting at the same time)");
    }

    private List<byte[]> consistency(long m, long n) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return new Receipts(ledgerStore).consistency(c, m, n).hashes();
        }
    }

    private void store(Witness w, Target t, WitnessClient.Cosigned cs) {
        synchronized (lock) {
            w.known = Math.max(w.known, t.size());
            w.cosignedSize = Math.max(w.cosignedSize, t.size());
        }
        if (t.size() == 0) {
            return; // the empty checkpoint of a start check is not stored
        }
        try (Connection c = dataSource.getConnection()) {
            store.insert(c, t.size(), w.config.key(), cs.cosignature(), cs.timestamp(), clock.instant());
            Optional<CosignatureStore.Cosigned> now = store.at(c, t.size(), policy);
            if (now.isPresent() && now.get().witnesses().size() >= policy.required()) {
                cosigned.offer(now.get());
            }
        } catch (SQLException e) {
            LOG.warnf("Witness %s: its cosignature of tree size %d could not be stored (%s)", w.config.name(),
                    t.size(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the start check

    /**
     * Asks every witness, with an old size of 0 as the spec allows, which checkpoint of this log it holds, and checks
     * that the database's log extends it (proving consistency from there). Witnesses answer in parallel.
     *
     * @param headSize the database's tree size
     * @param note     the database's newest checkpoint (for an empty log, a signed checkpoint of size 0)
     * @return one line per witness that holds a checkpoint this database does not extend; empty when all is well
     *         (witnesses that cannot be reached or do not witness this log are logged, not returned)
     */
    public List<String> checkAtStart(long headSize, String note) throws InterruptedException {
        Target t = new Target(headSize, note);
        // One slot per witness, so that the refusal names them in configuration order, whichever answers first.
        java.util.concurrent.atomic.AtomicReferenceArray<String> problems =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(witnesses.size());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < witnesses.size(); i++) {
            Witness w = witnesses.get(i);
            int slot = i;
            Thread th = new Thread(() -> {
                Outcome o = submit(w, t, 0);
                switch (o.kind()) {
                    case COSIGNED -> LOG.infof("Witness %s holds a checkpoint this log extends and cosigned tree size %d",
                            w.config.name(), headSize);
                    case AHEAD -> problems.set(slot, "witness " + w.config.name() + " (" + w.config.url() + ") holds a "
                            + "checkpoint of tree size " + o.witnessSize() + " of this log, but the database's log has "
                            + "tree size " + headSize + ": " + (o.witnessSize() - headSize) + " newest entries are "
                            + "missing, the database was rolled back");
                    case FORK -> problems.set(slot, "witness " + w.config.name() + " (" + w.config.url() + ") " + o.detail()
                            + ": the database's log of tree size " + headSize + " does not extend the checkpoint the "
                            + "witness cosigned, the log was forked or rewritten");
                    case NOT_WITNESSED, FAILED -> LOG.warnf("Start check: witness %s (%s) %s; not checked",
                            w.config.name(), w.config.url(), o.detail());
                }
            }, "fabtrail-witness-check-" + w.config.name());
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(settings.timeout().toMillis() * 5 + 1000);
        }
        List<String> found = new ArrayList<>();
        for (int i = 0; i < problems.length(); i++) {
            if (problems.get(i) != null) {
                found.add(problems.get(i));
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ for metrics and tests

    /** @return the size each witness holds as far as this instance knows, by witness name */
    public Map<String, Long> witnessSizes() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        synchronized (lock) {
            for (Witness w : witnesses) {
                out.put(w.config.name(), w.known);
            }
        }
        return out;
    }

    /** @return failed submissions (unreachable, timed out, refused) of a witness since start */
    public long failures(String witness) {
        return witnesses.stream().filter(w -> w.config.name().equals(witness)).mapToLong(w -> w.failures.get()).sum();
    }

    /** @return witnesses' conflicts since start: a fork or rollback of this log seen by them */
    public long conflicts() {
        return witnesses.stream().mapToLong(w -> w.conflicts.get()).sum();
    }

    /** @return the names of the configured witnesses */
    public List<String> names() {
        return witnesses.stream().map(w -> w.config.name()).toList();
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (coordinator != null) {
            coordinator.interrupt();
        }
        for (Witness w : witnesses) {
            if (w.thread != null) {
                w.thread.interrupt();
            }
        }
    }
}
