package org.fabtrail.ledger;

import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The log as the rest of the application uses it: admit and append entries, read the head, checkpoints,
 * proofs and hash tiles. Reads never fabricate: a proof or tile outside the current tree is refused.
 */
public final class Ledger {

    private static final Logger LOG = Logger.getLogger(Ledger.class);

    /** Hashes per full tlog-tiles tile. */
    public static final int TILE_WIDTH = 256;

    private final DataSource dataSource;
    private final LedgerStore store;
    private final EntryPolicy policy;
    private final Sequencer sequencer;
    private final Receipts receipts;
    private final Duration commitWait;

    /** How long {@link #submitAndWait} waits for a commit when not configured otherwise. */
    public static final Duration DEFAULT_COMMIT_WAIT = Duration.ofSeconds(60);

    public Ledger(DataSource dataSource, LedgerStore store, EntryPolicy policy, Sequencer sequencer) {
        this(dataSource, store, policy, sequencer, DEFAULT_COMMIT_WAIT);
    }

    /** @param commitWait how long a writer waits for its entry's commit ({@code fabtrail.ledger.commit-wait}) */
    public Ledger(DataSource dataSource, LedgerStore store, EntryPolicy policy, Sequencer sequencer,
            Duration commitWait) {
        this.dataSource = dataSource;
        this.store = store;
        this.policy = policy;
        this.sequencer = sequencer;
        this.receipts = new Receipts(store);
        this.commitWait = commitWait;
    }

    /**
     * The one write path: admits the entry, queues it and waits (at most the commit wait) until it is durable and
     * covered by a signed checkpoint. Every writer (API, UI, detectors, demo data, start-up) goes through here or
     * {@link #submitAllAndWait}, so all of them share one timeout and one set of outcomes.
     *
     * @return the entry's receipt
     * @throws LedgerException the entry's own refusal (as the rules say); {@code 503 commit-timeout} when it was not
     *         committed in time (it may still be: a resubmission with the same payload.id answers the original
     *         receipt); {@code 503 interrupted} when the waiting thread was interrupted; {@code 503 write-failed} when
     *         the sequencer failed for a reason that is not a refusal
     */
    public Receipt submitAndWait(Envelope envelope) {
        return await(append(envelope), System.nanoTime() + commitWait.toNanos());
    }

    /**
     * {@link #submitAndWait} for a run of entries, appended in order as by {@link #appendAll}, with one deadline for
     * the whole run. Each entry has its own outcome, in the order given.
     */
    public List<Outcome> submitAllAndWait(List<Envelope> envelopes) {
        List<CompletableFuture<Receipt>> pending = appendAll(envelopes);
        long deadline = System.nanoTime() + commitWait.toNanos();
        List<Outcome> out = new ArrayList<>(pending.size());
        for (CompletableFuture<Receipt> p : pending) {
            try {
                out.add(new Outcome(await(p, deadline), null));
            } catch (LedgerException e) {
                out.add(new Outcome(null, e));
            }
        }
        return out;
    }

    /** One entry's outcome of {@link #submitAllAndWait}: its receipt, or the refusal it would have thrown. */
    public record Outcome(Receipt receipt, LedgerException refusal) {
        public boolean written() {
            return refusal == null;
        }
    }

    private Receipt await(Future<Receipt> pending, long deadlineNanos) {
        try {
            return pending.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "write-failed", "Not written",
                    "The ledger could not take the entry; try again shortly with the same payload.id", Map.of(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "commit-timeout", "Commit timed out",
                    "The entry was not committed within " + commitWait.toSeconds() + " s. Retry with the same "
                            + "payload.id: if it was written meanwhile, the retry returns the original receipt.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "interrupted", "Interrupted",
                    "The server is shutting down; retry with the same payload.id");
        }
    }

    /**
     * Checks the entry (fields, signature) and queues it. The future completes once the entry is durable and
     * covered by a signed checkpoint.
     *
     * @throws LedgerException when the entry is refused before queueing, or the queue is full
     */
    public CompletableFuture<Receipt> append(Envelope envelope) {
        return sequencer.submit(policy.admit(envelope));
    }

    /**
     * Appends a run of entries in order; each has its own outcome. Entries refused on admission complete
     * exceptionally at once and are not queued; the others are queued together, in order.
     */
    public List<CompletableFuture<Receipt>> appendAll(List<Envelope> envelopes) {
        List<CompletableFuture<Receipt>> out = new ArrayList<>(envelopes.size());
        List<Envelope> admitted = new ArrayList<>(envelopes.size());
        List<Integer> positions = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            try {
                admitted.add(policy.admit(envelopes.get(i)));
                positions.add(i);
                out.add(null);
            } catch (LedgerException e) {
                out.add(CompletableFuture.failedFuture(e));
            }
        }
        List<CompletableFuture<Receipt>> queued = sequencer.submitAll(admitted);
        for (int j = 0; j < queued.size(); j++) {
            out.set(positions.get(j), queued.get(j));
        }
        return out;
    }

    public TreeHead head() {
        return read(store::head);
    }

    public Optional<LedgerStore.StoredCheckpoint> latestCheckpoint() {
        return read(store::latestCheckpoint);
    }

    /** The receipt an entry was answered with, by its payload.id. */
    public Optional<Receipt> receipt(UUID entryId) {
        return read(c -> {
            LedgerStore.EntryRef ref = store.findByEntryIds(c, List.of(entryId)).get(entryId);
            return ref == null ? Optional.empty() : Optional.of(receipts.forEntry(c, ref));
        });
    }

    public Optional<LedgerStore.StoredEntry> entry(long index) {
        return read(c -> store.entry(c, index));
    }

    public InclusionProof inclusion(long index, long size) {
        return read(c -> {
            long treeSize = store.head(c).size();
            if (size < 1 || size > treeSize) {
                throw outOfRange("size", "size must be between 1 and the tree size " + treeSize + ", not " + size);
            }
            if (index < 0 || index >= size) {
                throw outOfRange("index", "index must be between 0 and size - 1 (" + (size - 1) + "), not " + index);
            }
            return receipts.inclusion(c, index, size);
        });
    }

    public ConsistencyProof consistency(long from, long to) {
        return read(c -> {
            long treeSize = store.head(c).size();
            if (to < 1 || to > treeSize) {
                throw outOfRange("to", "to must be between 1 and the tree size " + treeSize + ", not " + to);
            }
            if (from < 1 || from > to) {
                throw outOfRange("from", "from must be between 1 and to (" + to + "), not " + from);
            }
            return receipts.consistency(c, from, to);
        });
    }

    /**
     * A C2SP tlog-tiles hash tile: the concatenated hashes of tree level {@code 8 * level}, nodes
     * [index * 256, index * 256 + width), as of the current tree.
     *
     * @param width 256 for a full tile, 1..255 for a partial one
     * @return empty when the tree does not (yet) hold that many nodes there
     */
    public Optional<byte[]> hashTile(int level, long index, int width) {
        if (level < 0 || level > 7 || index < 0 || index > Long.MAX_VALUE / TILE_WIDTH || width < 1
                || width > TILE_WIDTH) {
            return Optional.empty();
        }
        return read(c -> {
            long size = store.head(c).size();
            long nodesAtLevel = size >> (8 * level);
            long available = nodesAtLevel - index * TILE_WIDTH;
            // A partial tile of width W is a prefix of the final tile: valid whenever W hashes exist.
            if (available < width) {
                return Optional.<byte[]>empty();
            }
            List<byte[]> hashes = store.levelRange(c, 8 * level, index * TILE_WIDTH, width);
            if (hashes.size() != width) {
                throw new SQLException("tile " + level + "/" + index + " has " + hashes.size() + " of " + width
                        + " hashes stored");
            }
            byte[] out = new byte[32 * width];
            for (int i = 0; i < width; i++) {
                System.arraycopy(hashes.get(i), 0, out, 32 * i, 32);
            }
            return Optional.of(out);
        });
    }

    private static LedgerException outOfRange(String param, String detail) {
        return new LedgerException(LedgerException.Kind.MALFORMED, "out-of-range", "Out of range", detail,
                Map.of("parameter", param), null);
    }

    /** A read on a pooled connection in auto-commit mode. */
    public interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled connection. A database failure is {@code 503 database-unavailable}, except a
     * data exception (SQLSTATE class 22: a value the database cannot hold or compare, such as U+0000 in text),
     * which a request's own input caused: that is {@code 400 invalid-input}, logged as a warning without a stack
     * trace. The admission checks refuse such input before it gets here; this keeps any that slips past a 4xx.
     */
    public <T> T read(Read<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                String message = String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", "?");
                LOG.warnf("Refused a request's value the database cannot use (SQLSTATE %s): %s", e.getSQLState(),
                        message.length() > 200 ? message.substring(0, 200) + "..." : message);
                throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-input", "Invalid input",
                        "A value of this request is not one the database can store or compare (SQLSTATE "
                                + e.getSQLState() + ")", Map.of(), null);
            }
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "database-unavailable", "Database unavailable",
                    "The ledger database could not be read; try again shortly", Map.of(), e);
        }
    }
}
