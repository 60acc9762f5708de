package org.fabtrail.server;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.OwnDatabaseProfile;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a database Fabtrail does not supervise (an external one), the application recovers by itself once the
 * database is back: the operator's PostgreSQL here is a PostgreSQL server that the test kills with
 * {@code kill -9} and starts again on the same data directory and port, as an operator or an HA manager would.
 * Writes meanwhile get 503, health is DOWN; once it is back, writes succeed without a restart of Fabtrail and no
 * request gets a connection that died with the old server.
 */
@QuarkusTest
@TestProfile(ExternalDatabaseRecoveryTest.External.class)
class ExternalDatabaseRecoveryTest {

    public static class External extends OwnDatabaseProfile {
        public External() {
            super(Server.class);
        }
    }

    /** A PostgreSQL server the application treats as external: started here, never supervised. */
    public static class Server extends OwnServerResource {
        static volatile EmbeddedDatabase db;
        static Path data;

        public Server() {
            super("fabtrail-external", dir -> {
                data = dir;
                db = EmbeddedDatabase.start(dir, 0);
                return db;
            });
        }

        /** The server running now: the first, or the one the test started again in its place. */
        @Override
        EmbeddedDatabase running() {
            return db;
        }
    }

    @Inject
    DataSource dataSource;

    /** 4 threads × 10 writes; the distinct statuses answered (an exception counts as status 0). */
    private static List<Integer> concurrentWrites(Load load, String org, SigningKey key, String token)
            throws InterruptedException {
        java.util.Set<Integer> statuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                for (int n = 0; n < 10; n++) {
                    try {
                        statuses.add(load.write(org, key, token).statusCode());
                    } catch (Throwable e) {
                        statuses.add(0);
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        for (Thread t : writers) {
            t.join(90_000);
        }
        return statuses.stream().sorted().toList();
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void thePoolRecoversOnceTheDatabaseIsBack() throws Exception {
        assertTrue(EmbeddedDatabase.supervised().isEmpty(), "nobody supervises this database");
        Load load = new Load(base);
        String org = "ext-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        SigningKey key = Load.onboard(org);
        String token = Load.token(org);
        // several connections in the pool, all of which die with the server
        assertEquals(List.of(201), concurrentWrites(load, org, key, token), "all writes before the crash");
        assertEquals(200, load.health().statusCode());

        int port = Server.db.port();
        long pid = EmbeddedDatabase.PostmasterPid.read(Server.db.pgData()).orElseThrow().pid();
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "kill -9 of the database server");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (load.health().statusCode() != 503 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(503, load.health().statusCode(), "health is DOWN while the database is");
        assertEquals(503, load.write(org, key, token).statusCode(), "a write while the database is down");
        Thread.sleep(2500); // the database stays down a little: the pool's idle connections are all dead by now

        // the operator starts it again, on the same data and port
        Server.db.close();
        Server.db = EmbeddedDatabase.start(Server.data, port);

        // The server accepts connections again (start() returned): the very next write succeeds, no request gets
        // a pooled connection that died with the old server (the pool checks one idle for over 2 s before use).
        assertEquals(201, load.write(org, key, token).statusCode(), "the first write once the database is back");
        assertEquals(List.of(201), concurrentWrites(load, org, key, token), "all writes after recovery");
        assertEquals(200, load.health().statusCode());
        LedgerAssertions.assertConsistent(dataSource, Load.logKey());
    }
}
