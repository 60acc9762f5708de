package org.fabtrail.server;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthType;
import io.smallrye.health.registry.HealthRegistries;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Ties the supervised embedded PostgreSQL to the application: a readiness check {@code embedded-postgres} (DOWN
 * from the moment the server process is gone until it answers again, with the number of restarts), and, once the
 * supervisor has brought the server back, a flush of the connection pool, whose connections all died with the old
 * server. With an external database neither exists; the pool's own validation recovers its connections.
 */
@ApplicationScoped
public class EmbeddedDatabaseHealth {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseHealth.class);
    static final String CHECK = "embedded-postgres";

    @Inject
    AgroalDataSource dataSource;

    private EmbeddedDatabase db;
    private Runnable flush;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        EmbeddedDatabase.supervised().ifPresent(d -> {
            db = d;
            flush = () -> {
                // idle connections go now, those in use (each failing or about to) when they are returned
                dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
                LOG.info("Connection pool flushed after the embedded PostgreSQL restarted");
            };
            d.onRestart(flush);
            HealthRegistries.getRegistry(HealthType.READINESS).register(CHECK, (HealthCheck) this::check);
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (db != null) {
            db.removeRestartListener(flush);
            HealthRegistries.getRegistry(HealthType.READINESS).remove(CHECK);
        }
    }

    HealthCheckResponse check() {
        EmbeddedDatabase.State state = db.state();
        var r = HealthCheckResponse.named(CHECK).status(state == EmbeddedDatabase.State.UP)
                .withData("state", state.name())
                .withData("port", db.port())
                .withData("restarts", db.restarts());
        db.lastCrash().ifPresent(t -> r.withData("lastCrash", t.toString()));
        return r.build();
    }
}
