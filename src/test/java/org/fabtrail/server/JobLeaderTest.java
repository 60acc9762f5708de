package org.fabtrail.server;

import org.fabtrail.testing.TcpProxy;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The background jobs' leader election on a real PostgreSQL (issue 15): instances are {@link JobLeader}s on one
 * database, each connected through its own {@link TcpProxy}, so that the test can make one instance's session die
 * (its process was killed: the socket closes and PostgreSQL ends the session) or make the database unreachable for it.
 */
class JobLeaderTest {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final TestDatabase.Database db = TestDatabase.create("jobleader");

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private TcpProxy proxy() throws Exception {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        TcpProxy p = new TcpProxy(uri.getHost(), uri.getPort());
        closing.add(p);
        return p;
    }

    /** An instance whose lock connection runs through {@code proxy}. */
    private JobLeader instance(TcpProxy proxy, boolean contend, Duration interval) {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getPath() + "?connectTimeout=5";
        JobLeader leader = new JobLeader(() -> DriverManager.getConnection(url, db.user(), db.password()), interval,
                contend);
        closing.add(leader);
        return leader;
    }

    private JobLeader instance(TcpProxy proxy) {
        return instance(proxy, true, Duration.ofSeconds(2));
    }

    /** Sessions of the test database holding the jobs' advisory lock (from pg_locks). */
    private long holders() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                     + "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database() "
                     + "AND ((l.classid::bigint << 32) | l.objid::bigint) = " + JobLeader.KEY)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void ofTwoInstancesExactlyOneRunsTheJobsAndTheOtherTakesOverWhenItsSessionDies() throws Exception {
        TcpProxy toA = proxy();
        TcpProxy toB = proxy();
        JobLeader a = instance(toA);
        JobLeader b = instance(toB);

        assertTrue(a.holdsLock(), "the first to ask gets the lock");
        assertFalse(b.holdsLock(), "the other does not");
        assertTrue(a.holdsLock(), "the holder keeps it (checked again, a round trip)");
        assertFalse(b.holdsLock());
        assertEquals(1, holders());
        assertEquals(JobLeader.Role.PRIMARY, a.role());
        assertEquals(JobLeader.Role.PRIMARY, b.role());

        // a's process dies: its connection closes and PostgreSQL ends the session, releasing the lock
        toA.dropConnections();
        toA.cut(); // and a stays unreachable for now
        await("the lock is released with a's session", 10, () -> {
            try {
                return holders() == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // b's check is one round trip with a query timeout of a second: on a loaded machine one may time out (b then
        // reconnects at its next check), so b is given a few checks rather than exactly one
        await("b takes over at its next checks", 10, b::holdsLock);
        assertFalse(a.holdsLock(), "a, cut off, knows it no longer runs the jobs");
        assertEquals(JobLeader.Role.UNREACHABLE, a.role());

        // a comes back (a restarted instance): b keeps the jobs
        toA.restore();
        assertFalse(a.holdsLock());
        assertEquals(JobLeader.Role.PRIMARY, a.role());
        assertTrue(b.holdsLock());
        assertEquals(1, holders());

        // b stops cleanly: closing ends its session (PostgreSQL ends it once the closed socket reaches it through the
        // proxy, which takes a moment), and a takes over at its next check
        b.close();
        await("a takes over once b's session has ended", 10, a::holdsLock);
        assertEquals(1, holders());
    }

    @Test
    void inTheBackgroundTheWaitingInstanceTakesOverWithinSecondsOfTheHoldersDeath() throws Exception {
        TcpProxy toA = proxy();
        TcpProxy toB = proxy();
        JobLeader a = instance(toA, true, Duration.ofMillis(200));
        assertTrue(a.holdsLock());
        JobLeader b = instance(toB, true, Duration.ofMillis(200)).start();
        a.start();
        Thread.sleep(1000); // several rounds of both
        assertTrue(a.isLeader());
        assertFalse(b.isLeader());

        toA.cut(); // a dies: session gone, and a never reaches the database again
        await("b runs the jobs", 10, b::isLeader);
        await("a no longer believes it runs them", 10, () -> !a.isLeader());
        assertEquals(1, holders());
    }

    @Test
    void anInstanceThatRunsNoJobsNeverTakesTheLockButStillSeesTheDatabasesRole() throws Exception {
        JobLeader watcher = instance(proxy(), false, Duration.ofSeconds(2));
        assertFalse(watcher.holdsLock());
        assertEquals(JobLeader.Role.PRIMARY, watcher.role());
        assertEquals(0, holders(), "the lock stays free for an instance that runs the jobs");
        JobLeader worker = instance(proxy());
        assertTrue(worker.holdsLock());
    }
}
