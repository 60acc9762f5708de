package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.epcis.EpcisSchema;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EPCIS capture (docs/api.md, "EPCIS 2.0"): a signed {@code epcis.capture} entry whose events are applied in order as
 * custody entries, all or nothing, with the native entries' problems naming the failing event; the export gives the
 * captured events back.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class EpcisCaptureTest {

    private static final List<Object> CONTEXT = List.of(
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            Map.of("fabtrail", "https://fabtrail.org/ns/epcis/"));
    private static ApiClient.Partner fab;
    private static ApiClient.Partner dist;

    @BeforeEach
    void onboard() throws Exception {
        OncePerClass.run(EpcisCaptureTest.class, () -> {
            fab = CustodyClient.partnerWithSite("ec-fab", "manufacturer", "ec-line", "TW");
            dist = CustodyClient.partnerWithSite("ec-dist", SignatureAlgorithm.ES256, "distributor", "ec-hub", "NL");
        });
    }

    private static String when(int minutesAgo) {
        return OffsetDateTime.now().minusMinutes(minutesAgo).truncatedTo(ChronoUnit.SECONDS)
                .withOffsetSameInstant(java.time.ZoneOffset.ofHours(2))
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME); // toString() drops ":00" seconds
    }

    private static Map<String, Object> event(String type, String action, String bizStep, String time) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("action", action);
        if (bizStep != null) {
            e.put("bizStep", bizStep);
        }
        e.put("eventTime", time);
        e.put("eventTimeZoneOffset", "+02:00");
        return e;
    }

    static Map<String, Object> commissioning(String serial, String site, String time) {
        Map<String, Object> e = event("ObjectEvent", "ADD", "commissioning", time);
        e.put("epcList", List.of("urn:fabtrail:unit:ec-fab:" + serial));
        e.put("disposition", "active");
        e.put("bizLocation", Map.of("id", "urn:fabtrail:site:ec-fab:" + site));
        e.put("ilmd", Map.of("fabtrail:kind", "accelerator", "fabtrail:model", "B200"));
        return e;
    }

    static Map<String, Object> document(List<Map<String, Object>> events) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("@context", CONTEXT);
        d.put("type", "EPCISDocument");
        d.put("schemaVersion", "2.0");
        d.put("creationDate", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        d.put("epcisBody", Map.of("eventList", events));
        return d;
    }

    private static Response capture(ApiClient.Partner p, Object document) {
        Map<String, Object> payload = ApiClient.payload("epcis.capture", p.org(), Map.of("document", document));
        return given().header("Authorization", p.bearer()).contentType("application/json")
                .body(ApiClient.envelope(payload, p.key())).post("/api/v1/epcis/capture");
    }

    private static List<Map<String, Object>> story(ApiClient.Partner p, String serial) {
        String body = given().header("Authorization", p.bearer()).get("/api/v1/units/ec-fab/" + serial + "/epcis")
                .then().statusCode(200).extract().asString();
        assertEquals(List.of(), EpcisSchema.violations(body));
        return JsonPath.from(body).getList("epcisBody.eventList");
    }

    /** The members both sides state, times compared as instants. */
    private static Map<String, Object> essence(Map<String, Object> e) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("type", "action", "epcList", "parentID", "childEPCs", "bizStep", "disposition",
                "bizLocation", "destinationList", "bizTransactionList", "eventID", "ilmd")) {
            if (e.containsKey(k)) {
                out.put(k, e.get(k));
            }
        }
        out.put("eventTime", OffsetDateTime.parse((String) e.get("eventTime")).toInstant());
        return out;
    }

    @Test
    void capturedEventsAreAppliedAsCustodyEntriesAndExportedBackEquivalent() {
        List<Map<String, Object>> fabEvents = new ArrayList<>();
        fabEvents.add(commissioning("GPU-A", "ec-line", when(30)));
        fabEvents.get(0).put("eventID", "urn:uuid:6f1d7c2e-0000-4000-8000-000000000001");
        fabEvents.add(commissioning("SRV-A", "ec-line", when(29)));
        Map<String, Object> pack = event("AggregationEvent", "ADD", "packing", when(28));
        pack.put("parentID", "urn:fabtrail:unit:ec-fab:SRV-A");
        pack.put("childEPCs", List.of("urn:fabtrail:unit:ec-fab:GPU-A"));
        fabEvents.add(pack);
        Map<String, Object> ship = event("ObjectEvent", "OBSERVE", "shipping", when(27));
        ship.put("epcList", List.of("urn:fabtrail:unit:ec-fab:SRV-A"));
        ship.put("disposition", "in_transit");
        ship.put("destinationList", List.of(
                Map.of("type", "owning_party", "destination", "urn:fabtrail:org:ec-dist"),
                Map.of("type", "location", "destination", "urn:fabtrail:site:ec-dist:ec-hub")));
        ship.put("fabtrail:licenceRef", "EXP-7");
        fabEvents.add(ship);
        Map<String, Object> doc = document(fabEvents);
        assertEquals(List.of(), EpcisSchema.violations(EpcisSchema.JSON.valueToTree(doc)));
        capture(fab, doc).then().statusCode(201).body("index", org.hamcrest.Matchers.notNullValue());

        // one log entry about GPU-A: its export is the whole document's events, each as it was captured
        List<Map<String, Object>> exported = story(fab, "GPU-A");
        assertEquals(4, exported.size(), exported.toString());
        for (int i = 0; i < 4; i++) {
            Map<String, Object> want = essence(fabEvents.get(i));
            Map<String, Object> got = new LinkedHashMap<>(essence(exported.get(i)));
            got.keySet().retainAll(want.keySet());
            assertEquals(want, got, "event " + i);
        }
        assertEquals("urn:uuid:6f1d7c2e-0000-4000-8000-000000000001", exported.get(0).get("eventID"));
        Map<String, Object> shipped = exported.get(3);
        assertEquals("epcis.capture", shipped.get("fabtrail:entryType"));
        assertEquals("transfer.dispatch", shipped.get("fabtrail:appliedAs"));
        assertEquals(3, shipped.get("fabtrail:captureEvent"));
        assertEquals("EXP-7", shipped.get("fabtrail:licenceRef"));
        assertEquals(List.of("urn:fabtrail:unit:ec-fab:SRV-A"), shipped.get("epcList"));
        assertEquals(List.of(Map.of("type", "owning_party", "source", "urn:fabtrail:org:ec-fab"),
                Map.of("type", "location", "source", "urn:fabtrail:site:ec-fab:ec-line")), shipped.get("sourceList"));

        // the receiver captures the receipt, naming the transfer as the export gave it
        Map<String, Object> receive = event("ObjectEvent", "OBSERVE", "receiving", when(1));
        receive.put("epcList", List.of("urn:fabtrail:unit:ec-fab:SRV-A"));
        receive.put("disposition", "in_progress");
        receive.put("bizLocation", Map.of("id", "urn:fabtrail:site:ec-dist:ec-hub"));
        receive.put("bizTransactionList", shipped.get("bizTransactionList"));
        capture(dist, document(List.of(receive))).then().statusCode(201);
        given().header("Authorization", dist.bearer()).get("/api/v1/units/ec-fab/GPU-A").then().statusCode(200)
                .body("custodian", equalTo("ec-dist")).body("site", equalTo("ec-hub"))
                .body("parent.serial", equalTo("SRV-A"));
        List<Map<String, Object>> after = story(dist, "GPU-A");
        Map<String, Object> received = after.get(after.size() - 1);
        assertEquals("transfer.receive", received.get("fabtrail:appliedAs"));
        assertEquals(essence(receive).get("eventTime"), essence(received).get("eventTime"));
        assertEquals(receive.get("bizLocation"), received.get("bizLocation"));
        // the log keeps the document verbatim: the history's payload.document is what was signed
        List<Map<String, Object>> history = given().header("Authorization", dist.bearer())
                .get("/api/v1/units/ec-fab/GPU-A/history").then().statusCode(200).extract().jsonPath().getList("");
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) ((Map<String, Object>) history.get(0).get("envelope"))
                .get("payload");
        assertEquals(StrictJson.parse(org.fabtrail.crypto.Jcs.canonicalString(doc)), payload.get("document"));
        // and the query finds captured events like native ones
        String q = given().header("Authorization", fab.bearer()).queryParam("MATCH_epc", "urn:fabtrail:unit:ec-fab:SRV-A")
                .queryParam("EQ_bizStep", "shipping").get("/api/v1/epcis/events").then().statusCode(200).extract().asString();
        assertEquals(1, JsonPath.from(q).getList("epcisBody.queryResults.resultsBody.eventList").size());
    }

    @Test
    void aRefusedEventRefusesTheWholeDocumentAndNamesTheEvent() {
        long size = CustodyClient.treeSize();
        Map<String, Object> ship = event("ObjectEvent", "OBSERVE", "shipping", when(5));
        ship.put("epcList", List.of("urn:fabtrail:unit:ec-fab:NOPE-1"));
        ship.put("destinationList", List.of(
                Map.of("type", "owning_party", "destination", "urn:fabtrail:org:ec-dist"),
                Map.of("type", "location", "destination", "urn:fabtrail:site:ec-dist:ec-hub")));
        Response r = capture(fab, document(List.of(commissioning("GPU-B", "ec-line", when(6)), ship)));
        problem(r, 422, "unknown-unit");
        r.then().body("event", equalTo(1)).body("detail", org.hamcrest.Matchers.startsWith("Event 1 of the EPCIS document"));
        given().header("Authorization", fab.bearer()).get("/api/v1/units/ec-fab/GPU-B").then().statusCode(404);

        Response twice = capture(fab, document(List.of(commissioning("GPU-C", "ec-line", when(6)),
                commissioning("GPU-C", "ec-line", when(5)))));
        problem(twice, 409, "unit-exists");
        twice.then().body("event", equalTo(1));
        given().header("Authorization", fab.bearer()).get("/api/v1/units/ec-fab/GPU-C").then().statusCode(404);

        Map<String, Object> noSite = commissioning("GPU-D", "ec-line", when(4));
        noSite.put("bizLocation", Map.of("id", "urn:fabtrail:site:ec-fab:nowhere"));
        problem(capture(fab, document(List.of(commissioning("GPU-E", "ec-line", when(6)), noSite))), 422,
                "unknown-site");
        assertEquals(size, CustodyClient.treeSize(), "nothing was written");
    }

    @Test
    void whatCannotBeCapturedIsRefusedClearly() {
        long size = CustodyClient.treeSize();
        Map<String, Object> tx = event("TransactionEvent", "ADD", null, when(3));
        problem(capture(fab, document(List.of(tx))), 422, "unsupported-epcis-event");
        problem(capture(fab, Map.of("type", "Something")), 422, "invalid-epcis-document");
        problem(capture(fab, document(List.of())), 422, "invalid-epcis-document");
        Map<String, Object> future = commissioning("GPU-F", "ec-line", OffsetDateTime.now().plusHours(1).format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        problem(capture(fab, document(List.of(future))), 422, "invalid-time");
        Map<String, Object> notMine = commissioning("GPU-G", "ec-line", when(3));
        notMine.put("epcList", List.of("urn:fabtrail:unit:ec-dist:GPU-G"));
        problem(capture(fab, document(List.of(notMine))), 422, "unknown-epc");
        // the GS1 examples name their objects by SGTIN and their places by SGLN, which name no Fabtrail unit or site
        Object gs1 = StrictJson.parse(EpcisSchema.resource("examples/Example_9.6.1-ObjectEvent.jsonld"));
        Response r = capture(fab, gs1);
        problem(r, 422, "unknown-epc");
        r.then().body("event", equalTo(0)).body("field", equalTo("payload.document.epcisBody.eventList[0].epcList[0]"));
        // another entry type is not captured here
        Map<String, Object> payload = ApiClient.payload("site.register", fab.org(), CustodyClient.siteFields("ec-x", "TW"));
        problem(given().header("Authorization", fab.bearer()).contentType("application/json")
                .body(ApiClient.envelope(payload, fab.key())).post("/api/v1/epcis/capture"), 422, "not-epcis-capture");
        assertEquals(size, CustodyClient.treeSize());
        assertTrue(size > 0);
    }

    /** A status captured by disposition alone (CBV has no "lost": {@code unknown}) applies as unit.status. */
    @Test
    void aStatusIsCapturedFromItsDisposition() {
        Map<String, Object> reg = commissioning("GPU-R", "ec-line", when(9));
        Map<String, Object> lost = event("ObjectEvent", "OBSERVE", null, when(8));
        lost.put("epcList", List.of("urn:fabtrail:unit:ec-fab:GPU-R"));
        lost.put("disposition", "unknown");
        lost.put("fabtrail:reason", "fell off the truck");
        capture(fab, document(List.of(reg, lost))).then().statusCode(201);
        given().header("Authorization", fab.bearer()).get("/api/v1/units/ec-fab/GPU-R").then().statusCode(200)
                .body("status", equalTo("lost"));
        Map<String, Object> exported = story(fab, "GPU-R").get(1);
        assertEquals("lost", exported.get("fabtrail:status"));
        assertEquals("unit.status", exported.get("fabtrail:appliedAs"));
    }

    /** Client-shaped documents that are wrong in every way a partner's mapper might get wrong: 4xx, nothing written. */
    @Test
    void hostileDocumentsAreRefusedWithProblemsAndWriteNothing() {
        long size = CustodyClient.treeSize();
        String t = when(2);
        List<Map<String, Object>> events = new ArrayList<>();
        Map<String, Object> e;
        e = commissioning("H-1", "ec-line", t); e.put("epcList", "urn:fabtrail:unit:ec-fab:H-1"); events.add(e);
        e = commissioning("H-2", "ec-line", t); e.put("epcList", List.of(42)); events.add(e);
        e = commissioning("H-3", "ec-line", t); e.put("epcList", List.of("urn:fabtrail:unit:ec-fab:bad serial")); events.add(e);
        e = commissioning("H-4", "ec-line", t); e.put("eventTime", 1.0E308); events.add(e);
        e = commissioning("H-5", "ec-line", t); e.put("eventTime", "9".repeat(300)); events.add(e);
        e = commissioning("H-6", "ec-line", t); e.put("ilmd", List.of()); events.add(e);
        e = commissioning("H-7", "ec-line", t); e.put("bizLocation", "urn:fabtrail:site:ec-fab:ec-line"); events.add(e);
        e = commissioning("H-8", "ec-line", t); e.put("epcList", List.of()); events.add(e);
        e = event("ObjectEvent", "OBSERVE", "receiving", t); e.put("epcList", List.of("urn:fabtrail:unit:ec-fab:H-9"));
        e.put("bizTransactionList", List.of(Map.of("bizTransaction", "urn:uuid:not-a-uuid"))); events.add(e);
        e = event("ObjectEvent", "OBSERVE", "shipping", t); e.put("epcList", List.of("urn:fabtrail:unit:ec-fab:H-10"));
        e.put("destinationList", List.of("x", Map.of("type", "owning_party", "destination", 7))); events.add(e);
        e = event("ObjectEvent", "OBSERVE", null, t); e.put("epcList", List.of("urn:fabtrail:unit:ec-fab:H-11"));
        e.put("fabtrail:status", "vaporised"); e.put("fabtrail:reason", "x"); events.add(e);
        e = event("AggregationEvent", "ADD", "packing", t); e.put("parentID", List.of("x")); events.add(e);
        e = event("ObjectEvent", null, "inspecting", t); events.add(e);
        for (Map<String, Object> bad : events) {
            Response r = capture(fab, document(List.of(bad)));
            int status = r.statusCode();
            assertTrue(status == 400 || status == 409 || status == 422, status + " for " + bad + ": " + r.asString());
            r.then().contentType("application/problem+json");
        }
        problem(capture(fab, List.of(1, 2)), 422, "invalid-epcis-document");
        problem(capture(fab, Map.of("type", "EPCISDocument", "epcisBody", Map.of("eventList", List.of("x")))), 422,
                "invalid-epcis-event");
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(Map.of("type", "ObjectEvent"));
        }
        problem(capture(fab, Map.of("type", "EPCISDocument", "epcisBody", Map.of("eventList", many))), 422,
                "invalid-epcis-document");
        assertEquals(size, CustodyClient.treeSize(), "nothing was written");
    }
}
