package org.fabtrail.web.bulk;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.UnitRegistration;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.web.Forms;
import org.fabtrail.web.Pages;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.pages.units.UnitsPage;
import org.fabtrail.web.signing.UiSigning;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bulk registrations running in the background: an in-memory registry of jobs keyed by a random id, each owned by
 * the organisation that started it. A job checks its rows a run at a time (shape, serial, site, duplicates in the
 * file, already registered), signs the good ones as the organisation and appends each run with
 * {@link org.fabtrail.ledger.Ledger#appendAll}; a row the ledger refuses is reported with the ledger's reason.
 * Nothing is lost on bad input: good rows register, bad rows are reported. Jobs live in memory only: a restart
 * forgets their reports (the registered units are in the log, of course).
 */
@ApplicationScoped
public class BulkJobs {

    private static final Logger LOG = Logger.getLogger(BulkJobs.class);
    static final int RUN = 500;
    static final Duration KEEP = Duration.ofHours(12);
    static final int MAX_JOBS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Pages pages;
    @Inject
    UiSigning signing;
    @Inject
    Clock clock;

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "bulk-registration");
        t.setDaemon(true);
        return t;
    });

    /** A rejected row: its number in the file, why, and its fields as given. */
    public record Rejected(int row, String reason, BulkCsv.Row data) {
        public String serial() {
            return data.get("serial");
        }
    }

    /** One bulk registration. Counters are safe to read while it runs. */
    public static final class Job {
        final String id;
        final String org;
        final String startedBy;
        final String source;
        final int total;
        final Instant createdAt;
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final List<Rejected> rejected = Collections.synchronizedList(new ArrayList<>());
        volatile boolean running;
        volatile boolean finished;
        volatile Instant finishedAt;
        volatile long firstIndex = -1;
        volatile long lastIndex = -1;
        volatile String failure;

        Job(String id, String org, String startedBy, String source, int total, Instant createdAt) {
            this.id = id;
            this.org = org;
            this.startedBy = startedBy;
            this.source = source;
            this.total = total;
            this.createdAt = createdAt;
        }

        public String id() {
            return id;
        }

        public String org() {
            return org;
        }

        public String startedBy() {
            return startedBy;
        }

        public String source() {
            return source;
        }

        public int total() {
            return total;
        }

        public int done() {
            return done.get();
        }

        public int accepted() {
            return accepted.get();
        }

        public int rejectedCount() {
            return rejected.size();
        }

        public boolean running() {
            return running;
        }

        public boolean finished() {
            return finished;
        }

        public Instant createdAt() {
            return createdAt;
        }

        public Instant finishedAt() {
            return finishedAt;
        }

        public String failure() {
            return failure;
        }

        public Long firstIndex() {
            return firstIndex < 0 ? null : firstIndex;
        }

        public Long lastIndex() {
            return lastIndex < 0 ? null : lastIndex;
        }

        public int percent() {
            return total == 0 ? 100 : (int) (100L * done.get() / total);
        }

        /** The rejected rows so far, in file order. */
        public List<Rejected> rejectedRows() {
            synchronized (rejected) {
                List<Rejected> copy = new ArrayList<>(rejected);
                copy.sort(java.util.Comparator.comparingInt(Rejected::row));
                return copy;
            }
        }

        /** The first rejected rows, for the page (the CSV has them all). */
        public List<Rejected> rejectedPreview() {
            List<Rejected> all = rejectedRows();
            return all.subList(0, Math.min(50, all.size()));
        }
    }

    /** Starts a job on the rows of an uploaded file; returns at once. */
    public Job start(Viewer viewer, String source, List<BulkCsv.Row> rows) {
        evictOld();
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Job job = new Job(id, viewer.org(), viewer.username(), source, rows.size(), clock.instant());
        jobs.put(id, job);
        executor.submit(() -> run(job, viewer, rows));
        return job;
    }

    /** The job, if it exists and belongs to the viewer's organisation. */
    public Optional<Job> find(Viewer viewer, String id) {
        if (id == null || viewer.org() == null) {
            return Optional.empty();
        }
        Job job = jobs.get(id);
        return job != null && job.org.equals(viewer.org()) ? Optional.of(job) : Optional.empty();
    }

    private void run(Job job, Viewer viewer, List<BulkCsv.Row> rows) {
        job.running = true;
        try {
            Set<String> sites = new HashSet<>();
            pages.registry.sites(job.org).forEach(s -> sites.add(s.id()));
            Map<String, Integer> firstRow = new HashMap<>();
            for (int from = 0; from < rows.size(); from += RUN) {
                List<BulkCsv.Row> run = rows.subList(from, Math.min(rows.size(), from + RUN));
                runOnce(job, viewer, run, sites, firstRow);
                job.done.addAndGet(run.size());
            }
        } catch (RuntimeException e) {
            LOG.error("Bulk registration " + job.id + " failed", e);
            job.failure = e instanceof LedgerException le ? Forms.readable(le)
                    : "The server failed while registering; the rows not counted as done were not registered.";
        } finally {
            job.running = false;
            job.finishedAt = clock.instant();
            job.finished = true;
        }
    }

    private void runOnce(Job job, Viewer viewer, List<BulkCsv.Row> run, Set<String> sites, Map<String, Integer> firstRow) {
        List<BulkCsv.Row> good = new ArrayList<>();
        for (BulkCsv.Row r : run) {
            String why = check(r, job.org, sites, firstRow);
            if (why != null) {
                job.rejected.add(new Rejected(r.row(), why, r));
            } else {
                good.add(r);
            }
        }
        Set<String> existing = pages.units.registeredSerials(job.org, good.stream().map(r -> r.get("serial")).toList());
        List<BulkCsv.Row> toSign = new ArrayList<>();
        for (BulkCsv.Row r : good) {
            if (existing.contains(r.get("serial"))) {
                job.rejected.add(new Rejected(r.row(), "already registered: " + new UnitKey(job.org, r.get("serial"))
                        + " is in the ledger", r));
            } else {
                toSign.add(r);
            }
        }
        List<Envelope> envelopes = new ArrayList<>(toSign.size());
        List<BulkCsv.Row> signed = new ArrayList<>(toSign.size());
        for (BulkCsv.Row r : toSign) {
            try {
                envelopes.add(signing.sign(viewer, "unit.register", payload(r)));
                signed.add(r);
            } catch (LedgerException e) {
                job.rejected.add(new Rejected(r.row(), Forms.readable(e), r));
            }
        }
        List<Ledger.Outcome> outcomes = pages.ledger.submitAllAndWait(envelopes);
        for (int i = 0; i < outcomes.size(); i++) {
            Ledger.Outcome o = outcomes.get(i);
            if (o.written()) {
                job.accepted.incrementAndGet();
                if (job.firstIndex < 0 || o.receipt().index() < job.firstIndex) {
                    job.firstIndex = o.receipt().index();
                }
                job.lastIndex = Math.max(job.lastIndex, o.receipt().index());
            } else {
                job.rejected.add(new Rejected(signed.get(i).row(), Forms.readable(o.refusal()), signed.get(i)));
            }
        }
    }

    /** Why the row cannot be registered, as far as can be told before the ledger sees it; null when it may. */
    static String check(BulkCsv.Row r, String org, Set<String> sites, Map<String, Integer> firstRow) {
        if (r.problem() != null) {
            return r.problem();
        }
        String serial = r.get("serial");
        if (serial.isEmpty()) {
            return "serial is empty";
        }
        if (!UnitKey.SERIAL.matcher(serial).matches()) {
            return "invalid serial \"" + serial + "\": a serial is 1 to 64 letters, digits, dots, underscores or "
                    + "hyphens, exactly as printed";
        }
        Integer first = firstRow.putIfAbsent(serial, r.row());
        if (first != null) {
            return "duplicate serial " + serial + " in the file: also on row " + first;
        }
        String site = r.get("site");
        if (site.isEmpty()) {
            return "site is empty";
        }
        if (!EnvelopeParser.SLUG.matcher(site).matches() || !sites.contains(site)) {
            return "unknown site \"" + site + "\": " + org + " has no such site";
        }
        if (!UnitsPage.KINDS.contains(r.get("kind"))) {
            return "invalid kind \"" + r.get("kind") + "\": one of " + String.join(", ", UnitsPage.KINDS);
        }
        if (r.get("model").isEmpty()) {
            return "model is empty";
        }
        return null;
    }

    private static UnitRegistration payload(BulkCsv.Row r) {
        String eccn = r.get("eccn");
        String pem = r.get(BulkCsv.CERTIFICATE);
        return new UnitRegistration(r.get("serial"), r.get("kind"), r.get("model"), eccn.isEmpty() ? null : eccn,
                r.get("site"), pem.isBlank() ? null : pem.replace("\r\n", "\n").trim() + "\n");
    }

    private void evictOld() {
        Instant cutoff = clock.instant().minus(KEEP);
        jobs.values().removeIf(j -> j.finished && j.finishedAt != null && j.finishedAt.isBefore(cutoff));
        if (jobs.size() >= MAX_JOBS) {
            jobs.values().stream().filter(j -> j.finished)
                    .min(java.util.Comparator.comparing(j -> j.finishedAt))
                    .ifPresent(j -> jobs.remove(j.id));
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
