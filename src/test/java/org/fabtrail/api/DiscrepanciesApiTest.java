package org.fabtrail.api;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.Webhooks;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.Proofs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The discrepancy API: what each caller sees, filters and paging, the CSV export, the report's proofs, webhooks
 * delivered on loopback with retries, and the operator's restricted-party import.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class DiscrepanciesApiTest {

    @Inject
    DiscrepancyEngine engine;
    @Inject
    Webhooks webhooks;

    private static ApiClient.Partner fab;
    private static ApiClient.Partner dist;
    private static ApiClient.Partner other;
    private static ApiClient.Partner insp;
    private static int serials;

    @BeforeEach
    void onboard() {
        if (fab != null) {
            return;
        }
        fab = CustodyClient.partnerWithSite("dz-fab", "manufacturer", "dz-line", "TW");
        dist = CustodyClient.partnerWithSite("dz-dist", "distributor", "dz-hub", "NL");
        other = ApiClient.partner("dz-other", SignatureAlgorithm.ED25519, "distributor");
        insp = ApiClient.partner("dz-insp", SignatureAlgorithm.ED25519, "inspector");
    }

    /** Dispatches two fresh units to dz-dist and receives one: a short receipt (and, with ECCNs, no licence). */
    private String shortReceipt() throws Exception {
        String a = "DZ-" + (++serials);
        String b = "DZ-" + (++serials);
        CustodyClient.write(fab, "unit.register", Map.of("serial", a, "kind", "accelerator", "model", "H200",
                "site", "dz-line", "eccn", "3A090.a"));
        CustodyClient.register(fab, b, "accelerator", "H200", "dz-line");
        String t = CustodyClient.dispatch(fab, "dz-dist", "dz-hub", List.of(ref("dz-fab", a), ref("dz-fab", b)));
        CustodyClient.receive(dist, t, "dz-hub", List.of(ref("dz-fab", a)));
        engine.publish();
        return t;
    }

    private static JsonPath list(String bearer, String query) {
        return given().header("Authorization", bearer).when().get("/api/v1/discrepancies" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void eachCallerSeesTheFindingsThatNameItAndWorksThemThroughEntries() throws Exception {
        String t = shortReceipt();
        JsonPath mine = list(dist.bearer(), "?org=dz-dist&rule=short-receipt");
        List<Map<String, Object>> items = mine.getList("items");
        Map<String, Object> f = items.stream().filter(i -> ((Map<?, ?>) i.get("details")).get("transfer").equals(t))
                .findFirst().orElseThrow();
        assertEquals("medium", f.get("severity"));
        assertEquals("open", f.get("state"));
        assertEquals(List.of("dz-fab", "dz-dist"), f.get("orgs"));
        String id = (String) f.get("id");

        assertEquals(List.of(), list(other.bearer(), "?org=dz-dist").getList("items"), "not named: sees none");
        problem(given().header("Authorization", other.bearer()).get("/api/v1/discrepancies/" + id), 404,
                "discrepancy-not-found");
        assertTrue(list(insp.bearer(), "?org=dz-dist").getList("items").size() >= 1, "inspectors see all");
        problem(given().header("Authorization", dist.bearer()).get("/api/v1/discrepancies?severity=extreme"), 400,
                "invalid-parameter");
        problem(given().header("Authorization", dist.bearer()).get("/api/v1/discrepancies?from=yesterday"), 400,
                "invalid-parameter");
        problem(given().get("/api/v1/discrepancies"), 401, "unauthenticated");

        // the workflow is entries: the involved organisation notes, the inspector resolves
        CustodyClient.write(dist, "discrepancy.note", Map.of("discrepancy", id, "note", "second crate held by customs"));
        problem(dist.submit("discrepancy.resolve", Map.of("discrepancy", id, "outcome", "explained",
                "reason", "x")), 422, "role-required");
        CustodyClient.write(insp, "discrepancy.note", Map.of("discrepancy", id, "note", "called customs",
                "state", "investigating"));
        CustodyClient.write(insp, "discrepancy.resolve", Map.of("discrepancy", id, "outcome", "explained",
                "reason", "customs released it"));
        JsonPath detail = given().header("Authorization", dist.bearer()).get("/api/v1/discrepancies/" + id)
                .then().statusCode(200).extract().jsonPath();
        assertEquals("resolved", detail.getString("state"));
        assertEquals("explained", detail.getString("outcome"));
        assertEquals(List.of("open", "note", "note", "resolve"), detail.getList("history.kind"));
        assertEquals(List.of("operator", "dz-dist", "dz-insp", "dz-insp"), detail.getList("history.actor"));
        assertEquals(0, list(dist.bearer(), "?org=dz-dist&state=unresolved&rule=short-receipt").getList("items")
                .stream().filter(i -> ((Map<?, ?>) i).get("id").equals(id)).count());
    }

    @Test
    void pagesExportAndReport() throws Exception {
        shortReceipt();
        shortReceipt();
        JsonPath first = list(fab.bearer(), "?org=dz-fab&limit=1");
        assertEquals(1, first.getList("items").size());
        String next = first.getString("next");
        JsonPath second = list(fab.bearer(), "?org=dz-fab&limit=1&after=" + next);
        long a = first.getLong("items[0].openedIndex");
        long b = second.getLong("items[0].openedIndex");
        assertTrue(b < a, "newest first, no repeats");
        problem(given().header("Authorization", fab.bearer()).get("/api/v1/discrepancies?after=abc"), 400,
                "invalid-cursor");

        String csv = given().header("Authorization", fab.bearer()).get("/api/v1/discrepancies/export?org=dz-fab")
                .then().statusCode(200).contentType("text/csv").extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals(String.join(",", DiscrepanciesResource.CSV_HEADER), lines[0]);
        int total = list(fab.bearer(), "?org=dz-fab&limit=500").getList("items").size();
        assertEquals(total, lines.length - 1);
        assertTrue(lines[1].contains("dz-fab"), lines[1]);

        String id = first.getString("items[0].id");
        JsonPath report = given().header("Authorization", fab.bearer()).get("/api/v1/discrepancies/" + id + "/report")
                .then().statusCode(200).extract().jsonPath();
        String[] cp = report.getString("checkpoint").split("\n");
        long size = Long.parseLong(cp[1]);
        byte[] root = Base64.getDecoder().decode(cp[2]);
        List<Map<String, Object>> entries = report.getList("entries");
        List<Integer> evidence = report.getList("discrepancy.evidence");
        assertEquals(evidence.size() + 1, entries.size(), "the evidence and the open entry");
        for (Map<String, Object> e : entries) {
            byte[] leaf = Base64.getDecoder().decode((String) e.get("leaf"));
            byte[] hash = Merkle.leafHash(leaf);
            assertEquals(e.get("leafHash"), HexFormat.of().formatHex(hash));
            List<byte[]> proof = new ArrayList<>();
            for (Object h : (List<?>) e.get("inclusionProof")) {
                proof.add(HexFormat.of().parseHex((String) h));
            }
            Proofs.verifyInclusion(((Number) e.get("index")).longValue(), size, hash, proof, root);
        }
        assertEquals("open", entries.get(entries.size() - 1).get("role"));
        problem(given().header("Authorization", other.bearer()).get("/api/v1/discrepancies/" + id + "/report"), 404,
                "discrepancy-not-found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void webhooksAreSignedRetriedAndLogged() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = calls.incrementAndGet();
            int status = n == 1 ? 500 : 204; // the first delivery fails and is retried
            if (status == 204) {
                received.add(new String[]{ex.getRequestHeaders().getFirst("Fabtrail-Signature"), body});
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            problem(given().header("Authorization", other.bearer()).contentType("application/json")
                    .body(Map.of("url", url)).post("/api/v1/orgs/dz-dist/webhooks"), 403, "other-organisation");
            problem(dist.given().contentType("application/json").body(Map.of("url", "ftp://x"))
                    .post("/api/v1/orgs/dz-dist/webhooks"), 422, "invalid-webhook-url");
            JsonPath hook = dist.given().contentType("application/json").body(Map.of("url", url))
                    .post("/api/v1/orgs/dz-dist/webhooks").then().statusCode(201).extract().jsonPath();
            String secret = hook.getString("secret");
            assertEquals(64, secret.length());
            JsonPath listed = dist.given().get("/api/v1/orgs/dz-dist/webhooks").then().statusCode(200).extract().jsonPath();
            assertNull(listed.get("[0].secret"), "the secret is shown once");

            shortReceipt();
            webhooks.deliverDue();
            assertTrue(calls.get() >= 1);
            assertEquals(calls.get() - 1, received.size(), "every delivery but the first (answered 500) arrived");
            List<Map<String, Object>> log = dist.given().get("/api/v1/orgs/dz-dist/webhooks/deliveries").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            assertTrue(log.stream().anyMatch(d -> "pending".equals(d.get("state")) && Integer.valueOf(500)
                    .equals(d.get("lastStatus"))), log.toString());
            assertTrue(Webhooks.MAX_ATTEMPTS > 1);
            while (webhooks.attemptDue(Instant.now().plus(Duration.ofHours(2))) > 0) {
                // deliver everything due, including the retry
            }
            assertEquals(calls.get() - 1, received.size(), "the failed one delivered on retry");
            for (String[] r : received) {
                String[] parts = r[0].split(",");
                long ts = Long.parseLong(parts[0].substring(2));
                assertEquals(parts[1].substring(3), Webhooks.sign(secret, ts, r[1]), "HMAC over t.body");
                JsonPath body = new JsonPath(r[1]);
                assertTrue(body.getList("discrepancy.orgs").contains("dz-dist"));
            }
            assertTrue(received.stream().anyMatch(r -> r[1].contains("\"event\":\"discrepancy.open\"")
                    && r[1].contains("\"rule\":\"short-receipt\"")));
            List<Map<String, Object>> after = dist.given().get("/api/v1/orgs/dz-dist/webhooks/deliveries").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            assertTrue(after.stream().allMatch(d -> "delivered".equals(d.get("state"))), after.toString());
            // every attempt is in the log, not only the last: the retried delivery shows the 500, then the 204
            Map<String, Object> retried = after.stream().filter(d -> Integer.valueOf(2).equals(d.get("attempts")))
                    .findFirst().orElseThrow(() -> new AssertionError(after.toString()));
            List<Map<String, Object>> history = (List<Map<String, Object>>) retried.get("history");
            assertEquals(List.of(1, 2), history.stream().map(h -> h.get("attempt")).toList());
            assertEquals(Arrays.asList(500, 204), history.stream().map(h -> h.get("status")).toList());
            assertEquals(Arrays.asList("HTTP 500", null), history.stream().map(h -> h.get("error")).toList());
            assertTrue(history.stream().allMatch(h -> "127.0.0.1".equals(h.get("address"))), history.toString());
            assertTrue(after.stream().filter(d -> !d.equals(retried))
                    .allMatch(d -> ((List<?>) d.get("history")).size() == 1), after.toString());
            shortReceipt(); // queued while the receiver is down ...
            server.stop(0);
            webhooks.deliverDue();
            dist.given().delete("/api/v1/orgs/dz-dist/webhooks/" + hook.getString("id")).then().statusCode(204);
            List<Map<String, Object>> stopped = dist.given().get("/api/v1/orgs/dz-dist/webhooks/deliveries").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            assertTrue(stopped.stream().anyMatch(d -> "stopped".equals(d.get("state"))), stopped.toString());
            assertTrue(stopped.stream().noneMatch(d -> "pending".equals(d.get("state"))), "... and not retried");
            problem(dist.given().delete("/api/v1/orgs/dz-dist/webhooks/" + hook.getString("id")), 404,
                    "webhook-not-found");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theOperatorImportsTheRestrictedListAndABadFileChangesNothing() {
        String csv = "name,country,aliases,source_list,identifiers\n\"Zz Shady Test Co., Ltd.\",HK,,Entity List,\n";
        problem(dist.given().contentType("text/csv").body(csv).put("/api/v1/admin/restricted-parties"), 403,
                "operator-only");
        given().header("Authorization", ApiClient.ADMIN).contentType("text/csv").body(csv)
                .put("/api/v1/admin/restricted-parties").then().statusCode(200)
                .body("rows", org.hamcrest.Matchers.equalTo(1));
        problem(given().header("Authorization", ApiClient.ADMIN).contentType("text/csv")
                .body("name,country,aliases,source_list,identifiers\nX,Germany,,Entity List,\n")
                .put("/api/v1/admin/restricted-parties"), 422, "invalid-restricted-list");
        List<Map<String, Object>> all = given().header("Authorization", ApiClient.ADMIN)
                .get("/api/v1/admin/restricted-parties").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, all.size());
        assertEquals("Zz Shady Test Co., Ltd.", all.get(0).get("name"));
        given().header("Authorization", ApiClient.ADMIN).contentType("text/csv")
                .body("name,country,aliases,source_list,identifiers\n").put("/api/v1/admin/restricted-parties")
                .then().statusCode(200).body("rows", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void documentsAreStoredOffTheLogAndTheirHashesAreInIt() throws Exception {
        shortReceipt();
        String id = list(dist.bearer(), "?org=dz-dist&rule=short-receipt&state=unresolved&limit=1").getString("items[0].id");
        byte[] pdf = "%PDF-1.4 customs release note for AWB 297-48213375".getBytes(StandardCharsets.UTF_8);
        JsonPath stored = dist.given().contentType("application/pdf").body(pdf)
                .post("/api/v1/discrepancies/" + id + "/documents?name=../../customs release.pdf")
                .then().statusCode(201).extract().jsonPath();
        String sha = org.fabtrail.discrepancy.Documents.sha256(pdf);
        assertEquals(sha, stored.getString("sha256"));
        assertEquals("customs release.pdf", stored.getString("name"), "no path");
        assertEquals(pdf.length, stored.getInt("size"));

        CustodyClient.write(dist, "discrepancy.note", Map.of("discrepancy", id, "note", "customs released the crate",
                "documents", List.of(Map.of("name", "customs release.pdf", "sha256", sha, "size", pdf.length))));
        problem(dist.submit("discrepancy.note", Map.of("discrepancy", id, "note", "x", "documents",
                List.of(Map.of("name", "a", "sha256", "ABC", "size", 1)))), 422, "invalid-documents");
        JsonPath detail = dist.given().get("/api/v1/discrepancies/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(sha, detail.getString("history.find { it.kind == 'note' }.documents[0].sha256"));

        io.restassured.response.Response file = dist.given().get("/api/v1/discrepancies/" + id + "/documents/" + sha);
        file.then().statusCode(200).header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment"));
        assertEquals(sha, org.fabtrail.discrepancy.Documents.sha256(file.asByteArray()));
        problem(other.given().get("/api/v1/discrepancies/" + id + "/documents/" + sha), 404, "discrepancy-not-found");
        problem(other.given().contentType("application/pdf").body(pdf)
                .post("/api/v1/discrepancies/" + id + "/documents?name=x.pdf"), 404, "discrepancy-not-found");
        problem(dist.given().get("/api/v1/discrepancies/" + id + "/documents/" + "0".repeat(64)), 404,
                "document-not-found");
        problem(dist.given().contentType("application/pdf").body(new byte[0])
                .post("/api/v1/discrepancies/" + id + "/documents?name=empty.pdf"), 422, "invalid-document");
    }

    /**
     * The name a document is answered with is one a note may quote: a long name is not cut inside a character (a
     * lone surrogate, which the ledger refuses in text), and a media type that is not printable ASCII is not kept.
     */
    @Test
    void aStoredDocumentsNameCanBeQuotedByANote() throws Exception {
        shortReceipt();
        String id = list(dist.bearer(), "?org=dz-dist&rule=short-receipt&state=unresolved&limit=1").getString("items[0].id");
        byte[] doc = ("a scan " + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        JsonPath stored = dist.given().contentType("text/plain; charset=\"\u00e9\"").body(doc)
                .urlEncodingEnabled(false)
                .post("/api/v1/discrepancies/" + id + "/documents?name=" + "a".repeat(199) + "%F0%9F%98%80.pdf")
                .then().statusCode(201).extract().jsonPath();
        assertEquals("a".repeat(199), stored.getString("name"));
        assertEquals("application/octet-stream", stored.getString("mediaType"));
        CustodyClient.write(dist, "discrepancy.note", Map.of("discrepancy", id, "note", "the scan",
                "documents", List.of(Map.of("name", stored.getString("name"), "sha256", stored.getString("sha256"),
                        "size", doc.length))));
    }
}
