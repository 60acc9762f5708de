package org.fabtrail.server;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.Optional;

/**
 * What the health endpoints say about the ledger, for the probes of an orchestrator (deploy/kubernetes):
 *
 * <ul>
 *   <li>{@code /q/health/started}, check {@value #STARTED}: UP once the start checks have passed (durable
 *       database, no rollback, the operator key and origin the log knows, genesis written) and the sequencer and
 *       background jobs run. Until then the instance must get no traffic and must not be restarted for being slow.</li>
 *   <li>{@code /q/health/ready}, check {@value #READY} next to Quarkus's own database check (DOWN while no
 *       connection to PostgreSQL can be had, as during a failover): UP once started, DOWN while the database it
 *       connects to is a read-only standby (in recovery, as {@link JobLeader} last saw it), DOWN for good once this
 *       instance saw the log go backwards under it.</li>
 *   <li>{@code /q/health/live}, check {@value #LIVE}: DOWN only when restarting is the remedy: this instance saw the
 *       database go backwards (it answers every write 503 until restarted, and its start check then refuses, naming
 *       the sizes). It never depends on the database being reachable: an unreachable database is a reason to take the
 *       instance out of the load balancer (readiness), not to restart it.</li>
 * </ul>
 */
@ApplicationScoped
public class LedgerHealth {

    static final String STARTED = "fabtrail-started";
    static final String READY = "fabtrail-ledger";
    static final String LIVE = "fabtrail-log";

    @Inject
    CheckpointFile checkpointFile;
    @Inject
    JobLeader jobLeader;

    private volatile boolean started;

    /** After every other start observer (LedgerStartup's checks, the background worker): the default is 2500. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        started = true;
    }

    boolean started() {
        return started;
    }

    @Produces
    @org.eclipse.microprofile.health.Startup
    HealthCheck startedCheck() {
        return () -> HealthCheckResponse.named(STARTED).status(started).build();
    }

    @Produces
    @Readiness
    HealthCheck readyCheck() {
        return () -> {
            Optional<String> backwards = checkpointFile.wentBackwards();
            JobLeader.Role role = jobLeader.role();
            boolean standby = role == JobLeader.Role.STANDBY;
            var r = HealthCheckResponse.named(READY).status(started && backwards.isEmpty() && !standby)
                    .withData("treeSize", checkpointFile.treeSize())
                    .withData("databaseRole", role.name().toLowerCase(java.util.Locale.ROOT))
                    .withData("backgroundJobs", jobLeader.isLeader());
            backwards.ifPresent(why -> r.withData("reason", why));
            if (standby && backwards.isEmpty()) {
                r.withData("reason", "the database is a read-only standby (in recovery): this instance cannot write");
            }
            if (!started) {
                r.withData("reason", "starting");
            }
            return r.build();
        };
    }

    @Produces
    @Liveness
    HealthCheck liveCheck() {
        return () -> {
            Optional<String> backwards = checkpointFile.wentBackwards();
            var r = HealthCheckResponse.named(LIVE).status(backwards.isEmpty());
            backwards.ifPresent(why -> r.withData("reason", why));
            return r.build();
        };
    }
}
