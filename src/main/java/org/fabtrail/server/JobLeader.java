package org.fabtrail.server;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which instance runs the background jobs, and what the database it talks to is, through the database itself:
 * a session-level PostgreSQL advisory lock on a fixed key, held on a connection of its own (not the pool's).
 *
 * <p>Every {@code interval} (and whenever a job asks, {@link #holdsLock()}) one round trip on that connection:
 * while this instance does not hold the lock, {@code pg_try_advisory_lock(KEY)}; while it holds it, a query that
 * proves the session, and so the lock, is still there. Several instances on one database: exactly one gets the lock.
 * When its process dies, its session ends, PostgreSQL releases the lock, and the next instance to check takes it:
 * within one interval. When its connection breaks (the primary died, a switchover), it stops being the holder at
 * once, and after the failover every instance reconnects and one of them gets the lock on the new primary.
 *
 * <p>Each round also reads {@code pg_is_in_recovery()}: the {@linkplain #role() database role} readiness reports.
 * On a standby the lock is not taken (jobs could not write there anyway).
 *
 * <p>Plain Java, so that tests can run two holders on one database; {@code LedgerBeans} makes the instance's one.
 */
public final class JobLeader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobLeader.class);

    /** The advisory lock's key: "FABTJOBS" in ASCII, so that it is recognisable in pg_locks. */
    public static final long KEY = 0x464142544A4F4253L;

    /** What the database this instance connects to said it is at the last check. */
    public enum Role {
        /** Not checked yet. */
        UNKNOWN,
        /** A primary: it takes writes. */
        PRIMARY,
        /** A standby in recovery (read only): an instance connected to it cannot write. */
        STANDBY,
        /** The last check could not reach the database. */
        UNREACHABLE
    }

    /** Opens the lock's own connection (a new one each time it is called). */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final long key;
    private final Duration interval;
    private final boolean contend;
    private ScheduledExecutorService ticker;
    private Connection connection;
    private boolean held;
    private volatile boolean leader;
    private volatile Role role = Role.UNKNOWN;
    private volatile long lastOkNanos;

    /**
     * @param contend whether this instance competes for the lock; false only watches the database's role (an
     *                instance that runs no background jobs must not hold the lock, or nobody would run them)
     */
    public JobLeader(Connector connector, Duration interval, boolean contend) {
        this(connector, KEY, interval, contend);
    }

    JobLeader(Connector connector, long key, Duration interval, boolean contend) {
        this.connector = connector;
        this.key = key;
        this.interval = interval;
        this.contend = contend;
    }

    /** Starts checking every interval in the background (a daemon thread). */
    public synchronized JobLeader start() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fabtrail-job-leader");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(50, interval.toMillis());
            ticker.scheduleWithFixedDelay(this::checkQuietly, 0, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warnf("background job leadership check failed: %s", e.toString());
        }
    }

    /**
     * Checks now, on the lock's connection: one round trip. Returns whether this instance holds the lock, proven by
     * that round trip. A job calls it right before it runs.
     */
    public synchronized boolean holdsLock() {
        check();
        return leader;
    }

    /**
     * Whether this instance held the lock at its last check, and that check is recent (within three intervals):
     * a stalled checker does not keep an instance the holder.
     */
    public boolean isLeader() {
        return leader && System.nanoTime() - lastOkNanos < 3 * interval.toNanos();
    }

    /** What the database was at the last check. */
    public Role role() {
        return role;
    }

    synchronized void check() {
        boolean wasLeader = leader;
        try {
            if (connection == null) {
                connection = connector.connect();
                connection.setAutoCommit(true);
                held = false;
            }
            int timeout = (int) Math.max(1, Math.min(30, 2 * interval.toSeconds()));
            try (Statement st = connection.createStatement()) {
                st.setQueryTimeout(timeout);
                String sql = held ? "SELECT pg_is_in_recovery(), true"
                        : !contend ? "SELECT pg_is_in_recovery(), false"
                        : "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN false "
                        + "ELSE pg_try_advisory_lock(" + key + ") END";
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    boolean standby = rs.getBoolean(1);
                    role = standby ? Role.STANDBY : Role.PRIMARY;
                    if (standby && held) {
                        // A holder's server became a standby under it: let go, a primary's session must hold it.
                        closeConnection();
                    } else {
                        held = rs.getBoolean(2);
                    }
                }
            }
            lastOkNanos = System.nanoTime();
        } catch (SQLException | RuntimeException e) {
            role = Role.UNREACHABLE;
            closeConnection();
            if (wasLeader) {
                LOG.warnf("Background jobs stop on this instance: the connection holding their lock failed (%s)",
                        e.getMessage());
            }
        }
        leader = held;
        if (leader && !wasLeader) {
            LOG.info("This instance now runs the background jobs (it holds their database lock)");
        } else if (!leader && wasLeader && connection != null) {
            LOG.info("This instance no longer runs the background jobs");
        }
    }

    private void closeConnection() {
        held = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken already; closing the socket is all that is left
            }
            connection = null;
        }
    }

    /** Stops checking and ends the lock's session, which releases the lock for another instance at once. */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        closeConnection();
        leader = false;
    }
}
