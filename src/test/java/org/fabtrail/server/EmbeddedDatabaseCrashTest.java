package org.fabtrail.server;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.OwnDatabaseProfile;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, findings 6 and 8, as the packaged server runs them: the application on the embedded PostgreSQL that
 * Fabtrail starts and supervises (not the test suite's shared server). Its runtime connection cannot switch the
 * ledger off; and when the PostgreSQL is killed under load, health goes DOWN and back UP, writes in flight are
 * answered 503 and never acknowledged without being durable, new writes succeed without a restart, and every
 * acknowledged entry is in the log at its index with its leaf hash.
 */
@QuarkusTest
@TestProfile(EmbeddedDatabaseCrashTest.Embedded.class)
class EmbeddedDatabaseCrashTest {

    private static final int WRITERS = 4;

    /** The application on a supervised embedded database of its own, wired as FabtrailMain wires it. */
    public static class Embedded extends OwnDatabaseProfile {
        public Embedded() {
            super(Server.class);
        }
    }

    public static class Server extends OwnServerResource {
        public Server() {
            super("fabtrail-embedded-crash", data -> EmbeddedDatabase.start(data, 0).supervise());
        }
    }

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    @Test
    void theApplicationsConnectionCannotSwitchTheLedgerOff() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
                rs.next();
                assertEquals(EmbeddedDatabase.APP, rs.getString(1));
            }
            assertEquals(List.of(), EmbeddedDatabaseTest.notRefused(c, EmbeddedDatabaseTest.REFUSED_TO_THE_APPLICATION));
        }
        EmbeddedDatabase db = EmbeddedDatabase.supervised().orElseThrow();
        EmbeddedDatabaseTest.assertPasswordLoginsOnly(db, db.pgData().getParent());
        LedgerAssertions.assertConsistent(dataSource, Load.logKey());
    }

    private record Outcome(String id, String envelope, int status, String body) {
    }

    @Test
    void aKilledDatabaseComesBackAndNoAcknowledgedEntryIsLost() throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.supervised().orElseThrow();
        String org = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        Load load = new Load(base);
        SigningKey key = Load.onboard(org);
        String token = Load.token(org);
        assertEquals(200, load.health().statusCode());
        long restartsBefore = db.restarts();

        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> healthSeen = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger okAfterRecovery = new AtomicInteger();
        AtomicBoolean recovered = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Load.Write write = Load.siteRegister(org, key);
                        HttpResponse<String> r = load.post(token, write.envelope());
                        outcomes.add(new Outcome(write.id(), write.envelope(), r.statusCode(), r.body()));
                        if (r.statusCode() == 201 && recovered.get()) {
                            okAfterRecovery.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "writer-" + w);
            threads.add(t);
        }
        Thread healthPoller = new Thread(() -> {
            try {
                while (!stop.get()) {
                    int s = load.health().statusCode();
                    healthSeen.add(s);
                    if (killed.get() && s == 200 && healthSeen.contains(503)) {
                        recovered.set(true);
                    }
                    sleep(25);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "health-poller");
        threads.forEach(Thread::start);
        healthPoller.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (count(outcomes, 201) < 40 && System.nanoTime() < deadline) {
            sleep(20);
        }
        long pid = EmbeddedDatabase.PostmasterPid.read(db.pgData()).orElseThrow().pid();
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "kill -9 of the embedded PostgreSQL");
        killed.set(true);
        while ((!recovered.get() || okAfterRecovery.get() < 40) && System.nanoTime() < deadline) {
            sleep(20);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(70));
        }
        healthPoller.join(10_000);
        assertEquals(List.of(), List.copyOf(failures), "every request was answered");

        assertTrue(healthSeen.contains(503), "health went DOWN: " + summary(healthSeen));
        assertTrue(recovered.get(), "health came back UP: " + summary(healthSeen));
        assertTrue(okAfterRecovery.get() >= 40, "writes succeed again without a restart: " + okAfterRecovery.get());
        assertEquals(restartsBefore + 1, db.restarts(), "the supervisor restarted PostgreSQL once");
        JsonPath h = new JsonPath(load.health().body());
        assertEquals("UP", h.getString("status"));
        assertEquals("UP", h.getString("checks.find { it.name == 'embedded-postgres' }.status"));
        assertEquals(1, h.getInt("checks.find { it.name == 'embedded-postgres' }.data.restarts"));

        Map<Integer, Integer> statuses = new HashMap<>();
        outcomes.forEach(o -> statuses.merge(o.status(), 1, Integer::sum));
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 201 || s == 503),
                "every write is acknowledged (201) or refused as unavailable (503): " + statuses);
        assertTrue(statuses.getOrDefault(503, 0) > 0, "writes in flight during the crash got 503: " + statuses);
        for (Outcome o : outcomes) {
            if (o.status() == 503) {
                assertTrue(o.body().contains("urn:fabtrail:problem:"), o.body());
            }
        }

        // Every acknowledged entry is in the log, at its index, with its leaf hash.
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT entry_id::text, leaf_hash FROM log_entries WHERE idx = ?")) {
            for (Outcome o : outcomes) {
                if (o.status() != 201) {
                    continue;
                }
                JsonPath receipt = new JsonPath(o.body());
                ps.setLong(1, receipt.getLong("index"));
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "acknowledged index " + receipt.getLong("index") + " is in the log");
                    assertEquals(o.id(), rs.getString(1));
                    assertArrayEquals(HexFormat.of().parseHex(receipt.getString("leafHash")), rs.getBytes(2));
                }
            }
        }
        // A write answered 503 may or may not have landed; resubmitting it tells, and never makes a second entry.
        for (Outcome o : outcomes) {
            if (o.status() == 503) {
                int again = load.post(token, o.envelope()).statusCode();
                assertTrue(again == 200 || again == 201, "resubmitted " + o.id() + ": " + again);
            }
        }
        LedgerAssertions.assertConsistent(dataSource, Load.logKey());
    }

    private static long count(ConcurrentLinkedQueue<Outcome> outcomes, int status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** The health answers in order, runs collapsed: "200 x40, 503 x12, 200 x30". */
    private static String summary(ConcurrentLinkedQueue<Integer> seen) {
        StringBuilder s = new StringBuilder();
        Integer last = null;
        int run = 0;
        for (Integer v : seen) {
            if (v.equals(last)) {
                run++;
                continue;
            }
            if (last != null) {
                s.append(last).append(" x").append(run).append(", ");
            }
            last = v;
            run = 1;
        }
        return s.append(last).append(" x").append(run).toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
