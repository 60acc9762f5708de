package org.fabtrail.server;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.deploy.Manifests;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.testing.Appends;
import org.fabtrail.testing.Rollback;
import org.fabtrail.testing.TcpProxy;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints the Kubernetes probes and Prometheus use (the paths are read from deploy/kubernetes), on a running
 * server whose database connection runs through a proxy the test can cut: readiness goes DOWN while PostgreSQL is
 * unreachable and liveness stays UP (an orchestrator must not restart instances during a database failover); liveness
 * goes DOWN once the instance saw the log go backwards; /q/metrics carries the sequencer's counters.
 */
@QuarkusTest
@TestProfile(HealthAndMetricsTest.BehindAProxy.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthAndMetricsTest {

    /** Its own database, reached through a {@link TcpProxy}; no global test resource. */
    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedDatabase.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // fail fast while the database is away, instead of the pool's 5 s default
            return Map.of("quarkus.datasource.jdbc.acquisition-timeout", "2S");
        }
    }

    public static class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {
        private TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            TestDatabase.Database db = TestDatabase.create("fabtrail_health");
            Matcher hostPort = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/").matcher(db.url());
            if (!hostPort.find()) {
                throw new IllegalStateException("cannot proxy " + db.url());
            }
            try {
                proxy = new TcpProxy(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
                String dataDir = Files.createTempDirectory("fabtrail-health-data").toString();
                return Map.of(
                        "quarkus.datasource.jdbc.url", db.url().replace(hostPort.group(1) + ":" + hostPort.group(2),
                                "127.0.0.1:" + proxy.port()),
                        "quarkus.datasource.username", db.user(),
                        "quarkus.datasource.password", db.password() == null ? "" : db.password(),
                        "fabtrail.data-dir", dataDir);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Gives the test a switch for the database (a JDK type, so it crosses the test's class loader). */
        @Override
        public void inject(TestInjector injector) {
            Consumer<Boolean> reachable = up -> {
                if (up) {
                    proxy.restore();
                } else {
                    proxy.cut();
                }
            };
            injector.injectIntoFields(reachable, new TestInjector.MatchesType(Consumer.class));
        }

        @Override
        public void stop() {
            try {
                proxy.close();
            } catch (IOException ignored) {
                // the JVM ends
            }
        }
    }

    Consumer<Boolean> databaseReachable;

    @Inject
    Ledger ledger;
    @Inject
    OperatorEntries operator;
    @Inject
    DataSource dataSource;

    private static Container server() {
        Deployment d = Manifests.render("production").one(Deployment.class);
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String check(Response r, String name) {
        List<Map<String, Object>> checks = r.jsonPath().getList("checks");
        return checks.stream().filter(c -> name.equals(c.get("name"))).map(c -> (String) c.get("status")).findFirst()
                .orElse(null);
    }

    private static double metric(String body, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(body);
        assertTrue(m.find(), series + " in /q/metrics");
        return Double.parseDouble(m.group(1));
    }

    private void register(String org) throws Exception {
        Appends.registerOrg(ledger, operator, org, 60);
    }

    @Test
    @Order(1)
    void theProbesOfTheDeploymentAnswerUp() {
        Container c = server();
        Response started = given().get(c.getStartupProbe().getHttpGet().getPath());
        assertEquals(200, started.statusCode(), started.asString());
        assertEquals("UP", check(started, LedgerHealth.STARTED));
        Response ready = given().get(c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(200, ready.statusCode(), ready.asString());
        assertEquals("UP", check(ready, LedgerHealth.READY));
        assertEquals("UP", check(ready, "Database connections health check"), ready.asString());
        Response live = given().get(c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(200, live.statusCode(), live.asString());
        assertEquals("UP", check(live, LedgerHealth.LIVE));
        assertEquals(null, check(live, "Database connections health check"), "liveness never asks the database");
    }

    @Test
    @Order(2)
    void prometheusScrapesTheSequencer() throws Exception {
        String path = (String) ((List<Map<String, Object>>) Manifests.render("production").custom("PodMonitor").stream()
                .filter(pm -> pm.getMetadata().getName().equals("fabtrail")).findFirst().orElseThrow()
                .get("spec", "podMetricsEndpoints")).get(0).get("path");
        String before = given().get(path).then().statusCode(200).extract().asString();
        double entries = metric(before, "fabtrail_sequencer_entries_total");
        double batches = metric(before, "fabtrail_sequencer_batches_total");
        register("metrics-a");
        register("metrics-b");
        String after = given().get(path).then().statusCode(200).extract().asString();
        assertEquals(entries + 2, metric(after, "fabtrail_sequencer_entries_total"), "two entries appended");
        assertTrue(metric(after, "fabtrail_sequencer_batches_total") >= batches + 1);
        assertEquals(ledger.head().size(), (long) metric(after, "fabtrail_log_tree_size"));
        assertEquals(0, metric(after, "fabtrail_sequencer_queue_entries"));
        assertTrue(metric(after, "fabtrail_sequencer_seconds_total{phase=\"commit\"}") > 0);
        assertTrue(after.contains("agroal_active_count"), "the connection pool's metrics");
    }

    @Test
    @Order(3)
    void readinessIsDownWhileTheDatabaseIsUnreachableAndLivenessIsNot() throws Exception {
        Container c = server();
        String ready = c.getReadinessProbe().getHttpGet().getPath();
        String live = c.getLivenessProbe().getHttpGet().getPath();
        databaseReachable.accept(false);
        try {
            Response r = awaitStatus(ready, 503, 30);
            assertEquals("DOWN", check(r, "Database connections health check"), r.asString());
            Response l = given().get(live);
            assertEquals(200, l.statusCode(), "liveness stays UP while the database is away: " + l.asString());
        } finally {
            databaseReachable.accept(true);
        }
        Response back = awaitStatus(ready, 200, 60);
        assertEquals("UP", check(back, "Database connections health check"));
        register("after-the-outage");
    }

    @Test
    @Order(4)
    void livenessIsDownOnceTheLogWentBackwards() throws Exception {
        register("before-rollback");
        long rolledBackTo = ledger.head().size();
        register("rolled-back");
        try (Connection owner = dataSource.getConnection()) {
            Rollback.toCheckpoint(owner, rolledBackTo);
        }
        LedgerException refused = assertInstanceOf(LedgerException.class,
                assertThrows(Exception.class, () -> register("after-rollback")));
        assertEquals(LedgerException.Kind.UNAVAILABLE, refused.kind());
        Container c = server();
        Response live = given().get(c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(503, live.statusCode(), live.asString());
        assertEquals("DOWN", check(live, LedgerHealth.LIVE));
        Response ready = given().get(c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(503, ready.statusCode());
        assertEquals("DOWN", check(ready, LedgerHealth.READY));
        assertNotNull(ready.jsonPath().getString("checks.find { it.name == 'fabtrail-ledger' }.data.reason"));
    }

    private static Response awaitStatus(String path, int status, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Response r;
        do {
            r = given().get(path);
            if (r.statusCode() == status) {
                return r;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " did not answer " + status + " within " + seconds + " s: " + r.statusCode()
                + " " + r.asString());
    }
}
