package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.epcis.EpcisSchema;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EPCIS 2.0 export and query (docs/api.md, "EPCIS 2.0"): every custody entry type's event, the schema, the query
 * parameters and paging, visibility, and hostile parameters.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class EpcisResourceTest {

    static final String FAB = "ep-fab";
    private static ApiClient.Partner fab;
    private static ApiClient.Partner dist;
    private static ApiClient.Partner dc;
    private static ApiClient.Partner insp;
    private static ApiClient.Partner other;

    @BeforeEach
    void story() throws Exception {
        OncePerClass.run(EpcisResourceTest.class, () -> {
            fab = CustodyClient.partnerWithSite(FAB, SignatureAlgorithm.ED25519, "manufacturer", "ep-line", "TW");
            dist = CustodyClient.partnerWithSite("ep-dist", "distributor", "ep-hub", "NL");
            dc = CustodyClient.partnerWithSite("ep-dc", SignatureAlgorithm.ES256, "datacenter", "ep-hall", "DE");
            insp = ApiClient.partner("ep-insp", SignatureAlgorithm.ED25519, "inspector");
            other = CustodyClient.partnerWithSite("ep-other", "manufacturer",
                    "ep-other-line", "KR");
            CustodyClient.register(fab, "GPU-1", "accelerator", "H100", "ep-line");
            CustodyClient.register(fab, "GPU-2", "accelerator", "H100", "ep-line");
            CustodyClient.register(fab, "SRV-1", "server", "HGX", "ep-line");
            CustodyClient.register(other, "OTHER-1", "accelerator", "X1", "ep-other-line");
            CustodyClient.write(fab, "unit.assemble", Map.of("parent", ref(FAB, "SRV-1"), "components",
                    List.of(ref(FAB, "GPU-1"), ref(FAB, "GPU-2"))));
            CustodyClient.write(fab, "unit.disassemble", Map.of("parent", ref(FAB, "SRV-1"), "components",
                    List.of(ref(FAB, "GPU-2"))));
            String t1 = CustodyClient.dispatch(fab, "ep-dist", "ep-hub", List.of(ref(FAB, "SRV-1"), ref(FAB, "GPU-2")));
            CustodyClient.receive(dist, t1, "ep-hub", List.of(ref(FAB, "SRV-1"), ref(FAB, "GPU-2")));
            String t2 = CustodyClient.dispatch(dist, "ep-dc", "ep-hall", List.of(ref(FAB, "GPU-2")));
            CustodyClient.write(dc, "transfer.reject", Map.of("transfer", t2, "reason", "wrong paperwork"));
            String t3 = CustodyClient.dispatch(dist, "ep-dc", "ep-hall", List.of(ref(FAB, "GPU-2")));
            CustodyClient.write(dist, "transfer.cancel", Map.of("transfer", t3, "reason", "order changed"));
            CustodyClient.write(dist, "unit.status", Map.of("unit", ref(FAB, "GPU-2"), "status", "lost", "reason", "gone"));
            CustodyClient.write(dist, "unit.status", Map.of("unit", ref(FAB, "GPU-2"), "status", "recovered",
                    "reason", "found"));
            CustodyClient.write(dist, "unit.status", Map.of("unit", ref(FAB, "GPU-2"), "status", "stolen", "reason", "x"));
            CustodyClient.write(dist, "unit.status", Map.of("unit", ref(FAB, "GPU-2"), "status", "recovered",
                    "reason", "back"));
            CustodyClient.write(dist, "unit.status", Map.of("unit", ref(FAB, "GPU-2"), "status", "decommissioned",
                    "reason", "end of life"));
            CustodyClient.write(dist, "unit.status", Map.of("unit", ref(FAB, "GPU-1"), "status", "destroyed",
                    "reason", "burn-in"));
            CustodyClient.write(insp, "unit.inspect", Map.of("unit", ref(FAB, "SRV-1"), "site",
                    Map.of("org", "ep-dist", "site", "ep-hub"), "result", "consistent", "notes", "seal intact"));
            CustodyClient.write(insp, "unit.inspect", Map.of("unit", ref(FAB, "GPU-1"), "result", "discrepancy",
                    "notes", "label missing"));
        });
    }

    private static Response epcis(String bearer, String path) {
        return given().header("Authorization", bearer).get(path);
    }

    private static JsonPath unitDoc(String bearer, String serial) {
        String body = epcis(bearer, "/api/v1/units/" + FAB + "/" + serial + "/epcis").then().statusCode(200)
                .contentType("application/json").header("GS1-EPCIS-Version", "2.0.0").extract().asString();
        assertEquals(List.of(), EpcisSchema.violations(body), body);
        return JsonPath.from(body);
    }

    private static List<String> steps(JsonPath doc) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> e : doc.<Map<String, Object>>getList("epcisBody.eventList")) {
            out.add(e.get("type") + " " + e.get("action") + " " + e.get("bizStep") + " " + e.get("disposition"));
        }
        return out;
    }

    @Test
    void everyCustodyEntryOfAUnitIsAnEpcisEventInLogOrder() {
        JsonPath gpu2 = unitDoc(fab.bearer(), "GPU-2");
        assertEquals("EPCISDocument", gpu2.getString("type"));
        assertEquals(List.of(
                "ObjectEvent ADD commissioning active",
                "AggregationEvent ADD packing null",
                "AggregationEvent DELETE unpacking null",
                "ObjectEvent OBSERVE shipping in_transit",
                "ObjectEvent OBSERVE receiving in_progress",
                "ObjectEvent OBSERVE shipping in_transit",
                "ObjectEvent OBSERVE receiving non_conformant",
                "ObjectEvent OBSERVE shipping in_transit",
                "ObjectEvent OBSERVE void_shipping null",
                "ObjectEvent OBSERVE null unknown",
                "ObjectEvent OBSERVE null active",
                "ObjectEvent OBSERVE null stolen",
                "ObjectEvent OBSERVE null active",
                "ObjectEvent DELETE decommissioning inactive"), steps(gpu2));
        List<Map<String, Object>> events = gpu2.getList("epcisBody.eventList");
        Map<String, Object> reg = events.get(0);
        assertEquals(List.of("urn:fabtrail:unit:ep-fab:GPU-2"), reg.get("epcList"));
        assertEquals(Map.of("id", "urn:fabtrail:site:ep-fab:ep-line"), reg.get("bizLocation"));
        assertEquals(Map.of("fabtrail:kind", "accelerator", "fabtrail:model", "H100", "fabtrail:eccn", "3A090.a"),
                reg.get("ilmd"));
        Map<String, Object> pack = events.get(1);
        assertEquals("urn:fabtrail:unit:ep-fab:SRV-1", pack.get("parentID"));
        assertEquals(List.of("urn:fabtrail:unit:ep-fab:GPU-1", "urn:fabtrail:unit:ep-fab:GPU-2"), pack.get("childEPCs"));
        Map<String, Object> ship = events.get(3);
        assertEquals(List.of("urn:fabtrail:unit:ep-fab:SRV-1", "urn:fabtrail:unit:ep-fab:GPU-2"), ship.get("epcList"));
        assertEquals(List.of(Map.of("type", "owning_party", "source", "urn:fabtrail:org:ep-fab"),
                Map.of("type", "location", "source", "urn:fabtrail:site:ep-fab:ep-line")), ship.get("sourceList"));
        assertEquals(List.of(Map.of("type", "owning_party", "destination", "urn:fabtrail:org:ep-dist"),
                Map.of("type", "location", "destination", "urn:fabtrail:site:ep-dist:ep-hub")),
                ship.get("destinationList"));
        assertEquals("EXP-2026-001", ship.get("fabtrail:licenceRef"));
        Map<String, Object> receive = events.get(4);
        assertEquals(ship.get("bizTransactionList"), receive.get("bizTransactionList"));
        assertEquals(List.of(Map.of("type", "desadv", "bizTransaction", "urn:uuid:" + ship.get("fabtrail:entryId"))),
                ship.get("bizTransactionList"));
        assertEquals(Map.of("id", "urn:fabtrail:site:ep-dist:ep-hub"), receive.get("readPoint"));
        assertEquals(ship.get("sourceList"), receive.get("sourceList"));
        assertEquals(List.of("urn:fabtrail:unit:ep-fab:GPU-2"), events.get(6).get("epcList"));
        assertEquals("wrong paperwork", events.get(6).get("fabtrail:reason"));
        assertEquals(List.of("urn:fabtrail:unit:ep-fab:GPU-2"), events.get(8).get("epcList"));
        assertEquals("lost", events.get(9).get("fabtrail:status"));

        JsonPath gpu1 = unitDoc(fab.bearer(), "GPU-1");
        List<String> g1 = steps(gpu1);
        assertEquals("ObjectEvent DELETE destroying destroyed", g1.get(g1.size() - 2));
        assertEquals("ObjectEvent OBSERVE inspecting non_conformant", g1.get(g1.size() - 1));
        JsonPath srv = unitDoc(fab.bearer(), "SRV-1");
        Map<String, Object> inspect = srv.<Map<String, Object>>getList("epcisBody.eventList").get(
                srv.getList("epcisBody.eventList").size() - 1);
        assertEquals("inspecting", inspect.get("bizStep"));
        assertEquals("conformant", inspect.get("disposition"));
        assertEquals(Map.of("id", "urn:fabtrail:site:ep-dist:ep-hub"), inspect.get("bizLocation"));
        assertEquals("ep-insp", inspect.get("fabtrail:actor"));
    }

    /** Each event names its entry in the log: index, leaf hash and a working link to its inclusion proof. */
    @Test
    void eachEventCarriesItsPlaceInTheLog() {
        JsonPath doc = unitDoc(fab.bearer(), "GPU-2");
        assertEquals(List.of("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                Map.of("fabtrail", "https://fabtrail.org/ns/epcis/")), doc.getList("@context"));
        List<Map<String, Object>> history = given().header("Authorization", fab.bearer())
                .get("/api/v1/units/" + FAB + "/GPU-2/history").then().statusCode(200).extract().jsonPath().getList("");
        List<Map<String, Object>> events = doc.getList("epcisBody.eventList");
        assertEquals(history.size(), events.size());
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = events.get(i);
            Map<String, Object> h = history.get(i);
            assertEquals(h.get("index"), e.get("fabtrail:logIndex"));
            assertEquals(h.get("leafHash"), e.get("fabtrail:leafHash"));
            assertEquals(h.get("type"), e.get("fabtrail:entryType"));
            assertEquals("urn:uuid:" + h.get("id"), e.get("eventID"));
            assertEquals(h.get("integratedTime"), e.get("recordTime"));
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) ((Map<String, Object>) h.get("envelope")).get("payload");
            assertEquals(payload.get("time"), e.get("eventTime"));
        }
        String proof = (String) events.get(3).get("fabtrail:inclusionProof");
        assertTrue(proof.startsWith("http://localhost:" + RestAssured.port + "/api/v1/log/proof/inclusion?index="), proof);
        given().get(proof).then().statusCode(200).body("leafIndex", equalTo(events.get(3).get("fabtrail:logIndex")));
    }

    @Test
    void everyEventValidatesOnItsOwnAgainstTheSchema() {
        for (String serial : List.of("GPU-1", "GPU-2", "SRV-1")) {
            for (Map<String, Object> e : unitDoc(fab.bearer(), serial).<Map<String, Object>>getList("epcisBody.eventList")) {
                Map<String, Object> standalone = new LinkedHashMap<>(e);
                standalone.put("@context", List.of("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                        Map.of("fabtrail", "https://fabtrail.org/ns/epcis/")));
                assertEquals(List.of(), EpcisSchema.violations(EpcisSchema.JSON.valueToTree(standalone)),
                        e.toString());
            }
        }
    }

    @Test
    void aUnitTheCallerMayNotSeeIsAnsweredAsOneThatDoesNotExist() {
        Response hidden = epcis(other.bearer(), "/api/v1/units/" + FAB + "/GPU-2/epcis");
        Response none = epcis(other.bearer(), "/api/v1/units/" + FAB + "/NO-SUCH-UNIT/epcis");
        problem(hidden, 404, "unit-not-found");
        problem(none, 404, "unit-not-found");
        assertEquals(none.jsonPath().getString("detail").replace("NO-SUCH-UNIT", "GPU-2"),
                hidden.jsonPath().getString("detail"));
        problem(epcis(other.bearer(), "/api/v1/units/" + FAB + "/bad%20serial/epcis"), 404, "unit-not-found");
        epcis("Bearer nope", "/api/v1/units/" + FAB + "/GPU-2/epcis").then().statusCode(401);
        // the receiver sees the unit from the dispatch on, and its whole story, as its history does
        assertEquals(14, unitDoc(dist.bearer(), "GPU-2").getList("epcisBody.eventList").size());
    }

    private static JsonPath query(String bearer, Map<String, ?> params) {
        String body = given().header("Authorization", bearer).queryParams(params).get("/api/v1/epcis/events")
                .then().statusCode(200).extract().asString();
        assertEquals(List.of(), EpcisSchema.violations(body), body);
        JsonPath doc = JsonPath.from(body);
        assertEquals("EPCISQueryDocument", doc.getString("type"));
        assertEquals("SimpleEventQuery", doc.getString("epcisBody.queryResults.queryName"));
        return doc;
    }

    private static List<Map<String, Object>> events(JsonPath doc) {
        return doc.getList("epcisBody.queryResults.resultsBody.eventList");
    }

    @Test
    void theQueryFiltersByTheStandardParameters() {
        String mine = "urn:fabtrail:unit:ep-fab:*";
        List<Map<String, Object>> all = events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine, "perPage", 1000)));
        assertEquals(19, all.size(), all.toString());
        List<Map<String, Object>> shipping = events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine,
                "EQ_bizStep", "shipping")));
        assertEquals(3, shipping.size());
        assertEquals(shipping, events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine,
                "EQ_bizStep", "https://ref.gs1.org/cbv/BizStep-shipping"))));
        assertEquals(2, events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine, "eventType", "AggregationEvent")))
                .size());
        assertEquals(2, events(query(fab.bearer(), Map.of("MATCH_parentID", "urn:fabtrail:unit:ep-fab:SRV-1"))).size());
        assertEquals(4, events(query(fab.bearer(), Map.of("MATCH_epc", "urn:fabtrail:unit:ep-fab:SRV-1"))).size());
        assertEquals(2, events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine,
                "EQ_disposition", "stolen|destroyed"))).size());
        assertEquals(3, events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine, "EQ_action", "DELETE"))).size());
        List<Map<String, Object>> atHub = events(query(fab.bearer(), Map.of("EQ_bizLocation",
                "urn:fabtrail:site:ep-dist:ep-hub")));
        // received there, dispatched from there twice (to ep-dc), inspected there
        assertEquals(List.of("transfer.receive", "transfer.dispatch", "transfer.dispatch", "unit.inspect"), atHub.stream().map(e -> e.get("fabtrail:entryType"))
                .toList());
        assertEquals(atHub, events(query(fab.bearer(), Map.of("EQ_readPoint", "urn:fabtrail:site:ep-dist:ep-hub"))));
        // time bounds: GE includes, LT excludes
        String t = (String) all.get(5).get("recordTime");
        List<Map<String, Object>> since = events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine,
                "GE_recordTime", t, "perPage", 1000)));
        List<Map<String, Object>> before = events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine,
                "LT_recordTime", t, "perPage", 1000)));
        assertEquals(all.size(), since.size() + before.size());
        assertTrue(since.contains(all.get(5)));
        assertEquals(0, events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine,
                "GE_eventTime", "2999-01-01T00:00:00+02:00"))).size());
        assertEquals(all.size(), events(query(fab.bearer(), Map.of("MATCH_anyEPC", mine,
                "LT_eventTime", "2999-01-01T00:00:00Z", "perPage", 1000))).size());
        // a type Fabtrail never makes is a valid query with no results
        assertEquals(0, events(query(fab.bearer(), Map.of("eventType", "TransactionEvent"))).size());
    }

    @Test
    void theQueryShowsOnlyWhatTheFeedShows() {
        List<Map<String, Object>> seen = events(query(other.bearer(), Map.of("perPage", 1000)));
        assertTrue(seen.stream().allMatch(e -> ((String) e.get("fabtrail:actor")).equals("ep-other")), seen.toString());
        assertEquals(1, seen.size());
        assertEquals(0, events(query(other.bearer(), Map.of("MATCH_anyEPC", "urn:fabtrail:unit:ep-fab:*"))).size());
        // the data centre sees GPU-2 from the dispatches to it on, not its registration
        List<Map<String, Object>> dcSees = events(query(dc.bearer(), Map.of("MATCH_epc", "urn:fabtrail:unit:ep-fab:GPU-2")));
        assertEquals(List.of("transfer.dispatch", "transfer.reject", "transfer.dispatch", "transfer.cancel",
                "unit.status", "unit.status", "unit.status", "unit.status", "unit.status"),
                dcSees.stream().map(e -> e.get("fabtrail:entryType")).toList());
    }

    @Test
    void pagesFollowTheLinkHeaderAndAddUpToTheWholeAnswer() {
        Map<String, Object> q = Map.of("MATCH_anyEPC", "urn:fabtrail:unit:ep-fab:*");
        Map<String, Object> whole = new LinkedHashMap<>(q);
        whole.put("perPage", 1000);
        List<Map<String, Object>> all = events(query(fab.bearer(), whole));
        List<Map<String, Object>> paged = new ArrayList<>();
        String url = "/api/v1/epcis/events?MATCH_anyEPC=urn:fabtrail:unit:ep-fab:*&perPage=3";
        int pages = 0;
        while (url != null) {
            Response r = given().header("Authorization", fab.bearer()).urlEncodingEnabled(false).get(url);
            r.then().statusCode(200);
            List<Map<String, Object>> page = events(JsonPath.from(r.asString()));
            assertTrue(page.size() <= 3);
            paged.addAll(page);
            String link = r.header("Link");
            pages++;
            if (link == null) {
                url = null;
            } else {
                assertTrue(link.matches("<http://[^>]+nextPageToken=[0-9.]+[^>]*>; rel=\"next\""), link);
                url = link.substring(1, link.indexOf('>'));
                assertTrue(url.contains("perPage=3") && url.contains("MATCH_anyEPC="), url);
            }
        }
        assertEquals(all, paged);
        assertEquals(7, pages);
        Response last = given().header("Authorization", fab.bearer()).queryParams(whole).get("/api/v1/epcis/events");
        assertNull(last.header("Link"));
        assertNotNull(last.header("GS1-EPCIS-Version"));
    }

    @Test
    void ldJsonIsServedWhenAskedFor() {
        given().header("Authorization", fab.bearer()).accept("application/ld+json")
                .get("/api/v1/units/" + FAB + "/GPU-1/epcis").then().statusCode(200)
                .contentType("application/ld+json").body("type", equalTo("EPCISDocument"));
    }

    @Test
    void unknownRepeatedOrMalformedParametersAreRefused() {
        String[][] cases = {
                {"eventType", "Whatever"},
                {"limit", "10"},
                {"EQ_bizstep", "shipping"},
                {"GE_eventTime", "yesterday"},
                {"LT_eventTime", "2026-02-14T09:00:00"},
                {"GE_recordTime", "9999999999-01-01T00:00:00Z"},
                {"EQ_action", "observe"},
                {"perPage", "0"},
                {"perPage", "1001"},
                {"perPage", "99999999999999999999999999"},
                {"perPage", "-1"},
                {"nextPageToken", "abc"},
                {"nextPageToken", "99999999999999999999999999"},
                {"nextPageToken", "1.0"},
                {"MATCH_epc", ""},
                {"MATCH_epc", "a||b"},
                {"MATCH_epc", "x".repeat(301)},
                {"EQ_bizStep", "|".repeat(200)},
        };
        for (String[] c : cases) {
            Response r = given().header("Authorization", fab.bearer()).queryParam(c[0], c[1]).get("/api/v1/epcis/events");
            problem(r, 400, "invalid-parameter");
            assertEquals(c[0], r.jsonPath().getString("parameter"), String.join("=", c));
        }
        problem(given().header("Authorization", fab.bearer()).queryParam("EQ_bizStep", "shipping", "receiving")
                .get("/api/v1/epcis/events"), 400, "invalid-parameter");
        // control characters and NUL are refused before the query runs, as on every API path
        for (String bad : List.of("ship\u0000ping", "ship\nping", "\u001b[2J")) {
            problem(given().header("Authorization", fab.bearer()).queryParam("MATCH_epc", bad)
                    .get("/api/v1/epcis/events"), 400, "invalid-text");
        }
        given().queryParam("perPage", 1).get("/api/v1/epcis/events").then().statusCode(401)
                .contentType("application/problem+json");
        // a token past the end is a valid, empty last page
        Response far = given().header("Authorization", fab.bearer()).queryParam("nextPageToken", "999999999999999999")
                .get("/api/v1/epcis/events");
        far.then().statusCode(200);
        assertEquals(0, events(JsonPath.from(far.asString())).size());
        assertNull(far.header("Link"));
    }

    @Test
    void theOpenApiDocumentDescribesBothOperationsAndTheirProblems() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        String unit = "paths.'/api/v1/units/{manufacturer}/{serial}/epcis'.get";
        String events = "paths.'/api/v1/epcis/events'.get";
        assertEquals("getUnitEpcis", doc.getString(unit + ".operationId"));
        assertEquals("queryEpcisEvents", doc.getString(events + ".operationId"));
        assertNotNull(doc.get(unit + ".responses.'404'.content.'application/problem+json'"));
        assertNotNull(doc.get(events + ".responses.'400'.content.'application/problem+json'"));
        assertNotNull(doc.get(events + ".responses.'200'.content.'application/ld+json'"));
        String capture = "paths.'/api/v1/epcis/capture'.post";
        assertEquals("captureEpcis", doc.getString(capture + ".operationId"));
        assertNotNull(doc.get(capture + ".responses.'422'.content.'application/problem+json'"));
    }
}
