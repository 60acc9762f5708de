package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, finding 1: one partner's entry must not fail other partners' writes. A validly signed entry holding text
 * that PostgreSQL cannot store (U+0000) is refused on admission with 400 {@code invalid-text} naming the field; it
 * never reaches the sequencer, so it can never share, and fail, another client's batch.
 */
@QuarkusTest
class EntryIsolationTest {

    private static final String NUL = "Fab\u0000One";
    private static ApiClient.Partner fab;
    /** Another partner, with its own token: the one sending NUL entries while fab writes. */
    private static ApiClient.Partner attacker;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void onboard() throws Exception {
        OncePerClass.run(EntryIsolationTest.class, () -> {
            fab = CustodyClient.partnerWithSite("iso-fab", "manufacturer",
                    "iso-site", "TW");
            attacker = ApiClient.partner("iso-attacker", SignatureAlgorithm.ED25519, "manufacturer");
        });
    }

    private static void invalidText(Response r, String field) {
        EntriesResourceTest.problem(r, 400, "invalid-text");
        r.then().body("field", equalTo(field));
    }

    private static String site(String id, String name) {
        return site(fab, id, name);
    }

    private static String site(ApiClient.Partner p, String id, String name) {
        return ApiClient.envelope(ApiClient.payload("site.register", p.org(), Map.of("site", id, "name", name,
                "country", "TW", "address", "1 Main St")), p.key());
    }

    private void assertConsistent() {
        String vkey = given().get("/api/v1/log/key").then().statusCode(200).extract().asString().trim();
        LedgerAssertions.assertConsistent(dataSource, NoteVerifier.parse(vkey));
    }

    @Test
    void aSignedSiteOrUnitWithANulIsRefusedNamingTheField() {
        long size = EntriesResourceTest.treeSize();
        invalidText(fab.submit(site("nul-site", NUL)), "payload.name");
        invalidText(fab.submit("unit.register", Map.of("serial", "NUL-1", "kind", "accelerator", "model", NUL,
                "eccn", "3A090.a", "site", "iso-site")), "payload.model");
        invalidText(fab.submit("unit.register", Map.of("serial", "NUL-2", "kind", "accelerator", "model", "H200",
                "eccn", "3A090.a", "site", "iso-site", "notes", List.of("fine", "bell\u0007"))), "payload.notes[1]");
        assertEquals(size, EntriesResourceTest.treeSize(), "nothing written");
        // The same entries without the NUL are written.
        fab.submit(site("nul-site", "Fab One")).then().statusCode(201);
        assertConsistent();
    }

    @Test
    void anAdminNameThatCannotBeStoredIsRefusedInTheClientsOwnFieldNames() {
        long size = EntriesResourceTest.treeSize();
        // As JSON text, so that the escapes reach the server as the client wrote them.
        for (String name : List.of("Shell\\u0000Co", "Shell\\ud800Co", "Shell\\u001bCo")) {
            Response r = given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                    .body("{\"id\":\"iso-shell\",\"name\":\"" + name + "\",\"country\":\"DE\",\"roles\":[\"distributor\"]}")
                    .post("/api/v1/admin/orgs");
            invalidText(r, "name");
        }
        invalidText(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body("{\"id\":\"iso-shell\",\"name\":\"Shell\",\"country\":\"DE\",\"roles\":[\"distributor\",\"x\\u0000\"]}")
                .post("/api/v1/admin/orgs"), "roles[1]");
        invalidText(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body("{\"username\":\"iso-user\",\"displayName\":\"A\\u0000B\",\"org\":\"iso-fab\",\"role\":\"member\","
                        + "\"password\":\"correct horse battery staple\"}")
                .post("/api/v1/admin/users"), "displayName");
        invalidText(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body("{\"username\":\"iso-user\",\"displayName\":\"A B\",\"org\":\"iso\\u0000fab\",\"role\":\"member\","
                        + "\"password\":\"correct horse battery staple\"}")
                .post("/api/v1/admin/users"), "org");
        assertEquals(size, EntriesResourceTest.treeSize(), "nothing written");
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("id", "iso-shell", "name", "Shell Co", "country", "DE", "roles", List.of("distributor")))
                .post("/api/v1/admin/orgs").then().statusCode(201);
        assertConsistent();
    }

    @Test
    void aNulEntryInABatchFailsAloneAndItsNeighboursAreWritten() {
        String batch = "[" + site("batch-a", "A") + "," + site("batch-nul", NUL) + "," + site("batch-b", "B") + "]";
        JsonPath r = fab.submitBatch(batch).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(201, 400, 201), r.getList("results.status", Integer.class));
        assertEquals("urn:fabtrail:problem:invalid-text", r.getString("results[1].problem.type"));
        assertEquals("payload.name", r.getString("results[1].problem.field"));
        assertEquals(r.getLong("results[0].receipt.index") + 1, r.getLong("results[2].receipt.index"));
        assertConsistent();
    }

    @Test
    void whileNulEntriesArriveEveryValidWriteOfEightClientsSucceeds() throws Exception {
        int writers = 8;
        int perWriter = 10;
        long size = EntriesResourceTest.treeSize();
        String bearer = fab.bearer();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Integer> hostile = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> attackers = new ArrayList<>();
        for (int a = 0; a < 2; a++) {
            int n = a;
            attackers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; writing.get() || i < 20; i++) {
                    HttpResponse<String> r = CustodyClient.http("POST", "/api/v1/entries", attacker.bearer(),
                            site(attacker, "nul-" + n + "-" + i, NUL));
                    hostile.add(r.statusCode());
                }
                return null;
            }));
        }
        List<Future<List<Integer>>> clients = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            clients.add(pool.submit(() -> {
                start.await();
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                    statuses.add(CustodyClient.http("POST", "/api/v1/entries", bearer,
                            site("w" + writer + "-" + i, "Site " + writer + "/" + i)).statusCode());
                }
                return statuses;
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<List<Integer>> c : clients) {
            statuses.addAll(c.get(120, TimeUnit.SECONDS));
        }
        writing.set(false);
        for (Future<?> a : attackers) {
            a.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(writers * perWriter, statuses.size());
        assertTrue(statuses.stream().allMatch(s -> s == 201), "every valid write succeeds: " + statuses);
        // The attacker floods as fast as it can, so its own token may run into its rate limit (429): refused too.
        assertTrue(hostile.size() >= 40 && hostile.stream().allMatch(s -> s == 400 || s == 429)
                && hostile.stream().filter(s -> s == 400).count() >= 20,
                "every NUL entry is refused (on admission, or by the attacker's own rate limit): " + hostile);
        assertEquals(size + writers * perWriter, EntriesResourceTest.treeSize());
        assertConsistent();
    }
}
