package org.fabtrail.server;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.Webhooks;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background round, every {@code fabtrail.discrepancy.publish-interval}: check for overdue dispatches, sign the
 * detectors' waiting findings into the log, and deliver partner webhooks. With several instances on one database,
 * only the one holding the jobs' lock runs it ({@link JobLeader}). Off when
 * {@code fabtrail.discrepancy.publish=false} (tests run the rounds themselves).
 */
@ApplicationScoped
public class DiscrepancyWorker {

    private static final Logger LOG = Logger.getLogger(DiscrepancyWorker.class);

    @Inject
    DiscrepancyEngine engine;
    @Inject
    Webhooks webhooks;
    @Inject
    FabtrailConfig config;
    @Inject
    JobLeader leader;

    private ScheduledExecutorService executor;

    synchronized void start() {
        leader.start();
        if (!config.discrepancy().publish() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabtrail-discrepancies");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, config.discrepancy().publishInterval().toMillis());
        executor.scheduleWithFixedDelay(this::roundIfLeader, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * The scheduled round runs on one instance at a time: the one holding the jobs' database lock, checked by a
     * round trip right before (see {@link JobLeader}). The others wait and take over when the holder is gone.
     */
    void roundIfLeader() {
        if (leader.holdsLock()) {
            round();
        }
    }

    /** One round; failures are logged and retried on the next. */
    public void round() {
        try {
            engine.scanOverdue();
            engine.publish();
        } catch (Exception e) {
            LOG.warnf("discrepancy round failed (retried next round): %s", e.toString());
        }
        try {
            webhooks.deliverDue();
        } catch (Exception e) {
            LOG.warnf("webhook round failed (retried next round): %s", e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
