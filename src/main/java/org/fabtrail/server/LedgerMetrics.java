package org.fabtrail.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.Sequencer;

/**
 * Fabtrail's own Prometheus metrics at {@code /q/metrics}, next to Quarkus's (HTTP requests, JVM, connection pool).
 * They are read from the sequencer's counters and the checkpoint file at scrape time; nothing is counted twice and
 * the ledger package stays free of any metrics library.
 *
 * <ul>
 *   <li>{@code fabtrail_sequencer_batches_total}, {@code fabtrail_sequencer_entries_total}: batches this instance
 *       committed and the entries in them (entries per batch is the group commit at work);</li>
 *   <li>{@code fabtrail_sequencer_queue_entries}: entries waiting for the sequencer (writes are refused with
 *       {@code 503 ledger-busy} at {@code FABTRAIL_LEDGER_QUEUE_CAPACITY});</li>
 *   <li>{@code fabtrail_sequencer_seconds_total{phase=...}}: time spent in each phase of a batch (lock, dedupe,
 *       prepare, apply, flush, append, commit);</li>
 *   <li>{@code fabtrail_log_tree_size}: the tree size of the newest checkpoint this instance signed or checked at its
 *       start; across instances, the largest is the log's size.</li>
 *   <li>with witnesses: {@code fabtrail_log_cosigned_tree_size} (the newest checkpoint that meets the witness
 *       policy, -1 before one does; its distance to {@code fabtrail_log_tree_size} is the witnesses' lag),
 *       {@code fabtrail_witness_tree_size{witness=...}} (the size each witness holds, as far as this instance knows),
 *       {@code fabtrail_witness_failures_total{witness=...}} (submissions that failed: unreachable, timed out,
 *       refused) and {@code fabtrail_witness_conflicts_total} (witnesses holding a checkpoint this log does not
 *       extend: alert on any increase).</li>
 * </ul>
 */
@ApplicationScoped
public class LedgerMetrics {

    void register(@Observes StartupEvent event, MeterRegistry registry, Sequencer sequencer,
                  CheckpointFile checkpointFile, CosignatureCollector witnesses,
                  CosignedCheckpoints cosigned) {
        Sequencer.Stats stats = sequencer.stats();
        FunctionCounter.builder("fabtrail.sequencer.batches", stats, Sequencer.Stats::batches)
                .description("Batches this instance's sequencer committed")
                .register(registry);
        FunctionCounter.builder("fabtrail.sequencer.entries", stats, Sequencer.Stats::entries)
                .description("Entries this instance's sequencer appended to the log")
                .register(registry);
        Gauge.builder("fabtrail.sequencer.queue", sequencer, Sequencer::queued)
                .baseUnit("entries")
                .description("Entries waiting for the sequencer")
                .register(registry);
        for (String phase : Sequencer.Stats.PHASES) {
            FunctionCounter.builder("fabtrail.sequencer", stats, s -> s.nanos().getOrDefault(phase, 0L) / 1e9)
                    .baseUnit("seconds")
                    .tag("phase", phase)
                    .description("Time the sequencer spent in each phase of its batches")
                    .register(registry);
        }
        Gauge.builder("fabtrail.log.tree.size", checkpointFile, CheckpointFile::treeSize)
                .description("Tree size of the newest checkpoint this instance signed or checked at its start")
                .register(registry);
        if (!witnesses.witnessed()) {
            return;
        }
        Gauge.builder("fabtrail.log.cosigned.tree.size", cosigned,
                        c -> c.newest().map(x -> (double) x.treeSize()).orElse(-1.0))
                .description("Tree size of the newest checkpoint that meets the witness policy")
                .register(registry);
        for (String name : witnesses.names()) {
            Gauge.builder("fabtrail.witness.tree.size", witnesses, w -> w.witnessSizes().getOrDefault(name, -1L))
                    .tag("witness", name)
                    .description("Tree size of the checkpoint the witness holds, as far as this instance knows")
                    .register(registry);
            FunctionCounter.builder("fabtrail.witness.failures", witnesses, w -> w.failures(name))
                    .tag("witness", name)
                    .description("Submissions to the witness that failed (unreachable, timed out, refused)")
                    .register(registry);
        }
        FunctionCounter.builder("fabtrail.witness.conflicts", witnesses, CosignatureCollector::conflicts)
                .description("Witnesses that hold a checkpoint this log does not extend (a fork or a rollback)")
                .register(registry);
    }
}
