package org.fabtrail.api;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.discrepancy.Webhooks;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.fabtrail.api.CustodyClient.ref;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custody webhooks end to end: organisations subscribe to the custody events that concern them (a dispatch to
 * them, a receipt or rejection of what they sent, a status change or inspection of a unit they hold or made), and a
 * real receiver on loopback that fails for a while and then recovers gets every event at least once; deduplicated on
 * the event id (the log index) that is every event exactly once, each signed. Nobody hears of what it may not see,
 * and a webhook gets only the kinds of events it chose.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class CustodyWebhooksTest {

    @Inject
    Webhooks webhooks;

    private static long write(ApiClient.Partner p, String type, Map<String, Object> fields) {
        return p.submit(type, fields).then().statusCode(201).extract().jsonPath().getLong("index");
    }

    private static String register(ApiClient.Partner p, String url, List<String> events) {
        JsonPath hook = p.given().contentType("application/json").body(Map.of("url", url, "events", events))
                .post("/api/v1/orgs/" + p.org() + "/webhooks").then().statusCode(201).extract().jsonPath();
        assertEquals(Webhooks.EVENT_KINDS.stream().filter(events::contains).toList(), hook.getList("events"),
                "each kind once, in a fixed order");
        return hook.getString("secret");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyCustodyEventArrivesExactlyOnceAfterDeduplicationWhileTheReceiverFailsAndRecovers() throws Exception {
        ApiClient.Partner fab = CustodyClient.partnerWithSite("cw-fab", "manufacturer", "cw-line", "TW");
        ApiClient.Partner dist = CustodyClient.partnerWithSite("cw-dist", "distributor", "cw-hub", "NL");
        ApiClient.Partner shop = CustodyClient.partnerWithSite("cw-shop", "distributor", "cw-store", "DE");
        ApiClient.Partner other = ApiClient.partner("cw-other", SignatureAlgorithm.ED25519, "distributor");
        ApiClient.Partner insp = ApiClient.partner("cw-insp", SignatureAlgorithm.ED25519, "inspector");

        // the receiver records every request it gets, then fails the first six and every third after: a receiver
        // that is down for a while, recovers, and still drops the odd answer (so some events arrive twice)
        Map<String, List<String[]>> got = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            got.computeIfAbsent(ex.getRequestURI().getPath(), k -> new CopyOnWriteArrayList<>())
                    .add(new String[]{ex.getRequestHeaders().getFirst("Fabtrail-Signature"), body});
            int n = requests.incrementAndGet();
            ex.sendResponseHeaders(n <= 6 || n % 3 == 0 ? 503 : 204, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            problem(fab.given().contentType("application/json").body(Map.of("url", base + "/x", "events",
                    List.of("custody", "gossip"))).post("/api/v1/orgs/cw-fab/webhooks"), 400, "invalid-parameter");
            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("/fab", register(fab, base + "/fab", List.of("custody")));
            secrets.put("/dist", register(dist, base + "/dist", List.of("custody", "discrepancy")));
            secrets.put("/dist-findings", register(dist, base + "/dist-findings", List.of("discrepancy")));
            secrets.put("/shop", register(shop, base + "/shop", List.of("custody")));
            secrets.put("/other", register(other, base + "/other", List.of("custody")));

            write(fab, "unit.register", CustodyClient.unitFields("CW-1", "accelerator", "H200", "cw-line"));
            write(fab, "unit.register", CustodyClient.unitFields("CW-2", "accelerator", "H200", "cw-line"));
            long d1 = write(fab, "transfer.dispatch", CustodyClient.dispatchFields("cw-dist", "cw-hub",
                    List.of(ref("cw-fab", "CW-1"), ref("cw-fab", "CW-2"))));
            String t1 = CustodyClient.feed(dist.bearer()).stream().filter(e -> CustodyClient.index(e) == d1)
                    .map(e -> (String) ((Map<String, Object>) ((Map<String, Object>) e.get("envelope"))
                            .get("payload")).get("id")).findFirst().orElseThrow();
            long r1 = write(dist, "transfer.receive", CustodyClient.receiveFields(t1, "cw-hub",
                    List.of(ref("cw-fab", "CW-1"), ref("cw-fab", "CW-2"))));
            long lost = write(dist, "unit.status", Map.of("unit", ref("cw-fab", "CW-1"), "status", "lost",
                    "reason", "not on the shelf"));
            long found = write(dist, "unit.status", Map.of("unit", ref("cw-fab", "CW-1"), "status", "recovered",
                    "reason", "behind the rack"));
            long inspected = write(insp, "unit.inspect", Map.of("unit", ref("cw-fab", "CW-1"),
                    "result", "consistent", "notes", "seal intact"));
            long d2 = write(dist, "transfer.dispatch", CustodyClient.dispatchFields("cw-shop", "cw-store",
                    List.of(ref("cw-fab", "CW-1"))));
            long d3 = write(dist, "transfer.dispatch", CustodyClient.dispatchFields("cw-shop", "cw-store",
                    List.of(ref("cw-fab", "CW-2"))));
            List<String> shopTransfers = new ArrayList<>();
            for (Map<String, Object> e : CustodyClient.feed(shop.bearer())) {
                if (CustodyClient.index(e) == d2 || CustodyClient.index(e) == d3) {
                    shopTransfers.add((String) ((Map<String, Object>) ((Map<String, Object>) e.get("envelope"))
                            .get("payload")).get("id"));
                }
            }
            long r2 = write(shop, "transfer.receive", CustodyClient.receiveFields(shopTransfers.get(0), "cw-store",
                    List.of(ref("cw-fab", "CW-1"))));
            long rejected = write(shop, "transfer.reject", Map.of("transfer", shopTransfers.get(1),
                    "reason", "wrong paperwork"));

            // queued only now: CW-1's custodian is cw-shop, which was no party of it at the status changes and
            // the inspection, so it must not hear of them
            Instant at = Instant.now();
            webhooks.deliverDue();
            for (int round = 1; round <= 12; round++) {
                webhooks.attemptDue(at.plus(Duration.ofHours(2L * round)));
            }

            Map<String, List<Long>> expected = new LinkedHashMap<>();
            expected.put("/fab", List.of(r1, lost, found, inspected)); // what it sent was received; what it made
            expected.put("/dist", List.of(d1, inspected, r2, rejected)); // to it; held by it; what it sent
            expected.put("/dist-findings", List.of());
            expected.put("/shop", List.of(d2, d3));
            expected.put("/other", List.of());
            for (Map.Entry<String, List<Long>> e : expected.entrySet()) {
                List<String[]> raw = got.getOrDefault(e.getKey(), List.of());
                Map<Long, String> byId = new LinkedHashMap<>(); // deduplicated on the event id, the log index
                for (String[] r : raw) {
                    JsonPath body = new JsonPath(r[1]);
                    String[] sig = r[0].split(",");
                    long t = Long.parseLong(sig[0].substring(2));
                    assertEquals(sig[1].substring(3), Webhooks.sign(secrets.get(e.getKey()), t, r[1]), "signed");
                    byId.putIfAbsent(body.getLong("index"), body.getString("event"));
                }
                assertEquals(e.getValue(), byId.keySet().stream().sorted().toList(), e.getKey() + " " + byId);
            }
            assertTrue(requests.get() > got.values().stream().mapToInt(l -> (int) l.stream()
                    .map(r -> new JsonPath(r[1]).getLong("index")).distinct().count()).sum(),
                    "some events arrived more than once (at-least-once), and deduplication made them one");
            JsonPath dispatched = new JsonPath(got.get("/shop").get(0)[1]);
            assertEquals("custody.dispatch", dispatched.getString("event"));
            assertEquals("transfer.dispatch", dispatched.getString("type"));
            assertEquals("cw-dist", dispatched.getString("actor"));
            assertEquals("cw-shop", dispatched.getString("envelope.payload.to"));
            Map<Long, String> fabEvents = new TreeMap<>();
            got.get("/fab").forEach(r -> fabEvents.put(new JsonPath(r[1]).getLong("index"),
                    new JsonPath(r[1]).getString("event")));
            assertEquals(List.of("custody.receive", "custody.status", "custody.status", "custody.inspect"),
                    List.copyOf(fabEvents.values()));

            // the delivery log has every attempt of every custody delivery, all delivered in the end
            List<Map<String, Object>> log = fab.given().get("/api/v1/orgs/cw-fab/webhooks/deliveries").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            assertEquals(4, log.size(), log.toString());
            assertTrue(log.stream().allMatch(d -> "delivered".equals(d.get("state")) && d.get("discrepancy") == null
                    && ((List<?>) d.get("history")).size() == (Integer) d.get("attempts")), log.toString());
            assertTrue(log.stream().anyMatch(d -> (Integer) d.get("attempts") > 1), "some failed first");
        } finally {
            server.stop(0);
        }
    }

    /** An EPCIS event of a capture by {@code org}: type, action, bizStep, a time five minutes ago, the one unit. */
    private static Map<String, Object> epcisEvent(String action, String bizStep, String org, String serial) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "ObjectEvent");
        e.put("action", action);
        e.put("bizStep", bizStep);
        e.put("eventTime", Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("eventTimeZoneOffset", "+00:00");
        e.put("epcList", List.of("urn:fabtrail:unit:" + org + ":" + serial));
        return e;
    }

    private static long capture(ApiClient.Partner p, List<Map<String, Object>> events) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@context", List.of("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                Map.of("fabtrail", "https://fabtrail.org/ns/epcis/")));
        doc.put("type", "EPCISDocument");
        doc.put("schemaVersion", "2.0");
        doc.put("creationDate", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        doc.put("epcisBody", Map.of("eventList", events));
        Map<String, Object> payload = ApiClient.payload("epcis.capture", p.org(), Map.of("document", doc));
        return io.restassured.RestAssured.given().header("Authorization", p.bearer()).contentType("application/json")
                .body(ApiClient.envelope(payload, p.key())).post("/api/v1/epcis/capture").then().statusCode(201)
                .extract().jsonPath().getLong("index");
    }

    @Test
    void anEpcisCaptureIsACustodyEventForWhomeverItsOperationsConcern() throws Exception {
        ApiClient.Partner fab = CustodyClient.partnerWithSite("cx-fab", "manufacturer", "cx-line", "TW");
        ApiClient.Partner dist = CustodyClient.partnerWithSite("cx-dist", "distributor", "cx-hub", "NL");
        ApiClient.Partner other = ApiClient.partner("cx-other", SignatureAlgorithm.ED25519, "distributor");
        Map<String, List<String>> got = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            got.computeIfAbsent(ex.getRequestURI().getPath(), k -> new CopyOnWriteArrayList<>())
                    .add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            register(fab, base + "/fab", List.of("custody"));
            register(dist, base + "/dist", List.of("custody"));
            register(other, base + "/other", List.of("custody"));
            Map<String, Object> made = epcisEvent("ADD", "commissioning", "cx-fab", "CX-1");
            made.put("bizLocation", Map.of("id", "urn:fabtrail:site:cx-fab:cx-line"));
            made.put("ilmd", Map.of("fabtrail:kind", "accelerator", "fabtrail:model", "B200"));
            long registered = capture(fab, List.of(made));
            Map<String, Object> ship = epcisEvent("OBSERVE", "shipping", "cx-fab", "CX-1");
            ship.put("destinationList", List.of(Map.of("type", "owning_party", "destination", "urn:fabtrail:org:cx-dist"),
                    Map.of("type", "location", "destination", "urn:fabtrail:site:cx-dist:cx-hub")));
            long shipped = capture(fab, List.of(ship));

            webhooks.deliverDue();
            // a registration concerns nobody but its actor; the shipment concerns its receiver only
            assertEquals(List.of("/dist"), List.copyOf(new java.util.TreeSet<>(got.keySet())), got.toString());
            assertEquals(1, got.get("/dist").size(), got.toString());
            JsonPath body = new JsonPath(got.get("/dist").get(0));
            assertEquals(shipped, body.getLong("index"));
            assertEquals("custody.capture", body.getString("event"));
            assertEquals("epcis.capture", body.getString("type"));
            assertEquals(List.of("transfer.dispatch"), body.getList("applied"));
            assertEquals("shipping", body.getString("envelope.payload.document.epcisBody.eventList[0].bizStep"));
            assertTrue(registered < shipped);
        } finally {
            server.stop(0);
        }
    }
}
