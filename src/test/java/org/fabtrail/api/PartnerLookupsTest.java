package org.fabtrail.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.client.PartnerClient;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The partner API's lookups (issue 16): the transfer list's filters and cursor, the units changed after a log index,
 * the bulk lookup, the serial prefix search, and the custody summary in a transfer. Each answers only what the caller
 * may see, and a unit or transfer it may not see exactly as one that does not exist.
 *
 * <p>pq-fab made PQZ-1, PQZ-2, PQZ-3 and PQZ_9; pq-fab2 made its own PQZ-1 and PQY-1. T1: pq-fab sends PQZ-1 to
 * pq-dist, received. T2: pq-dist sends it on to pq-dc, pending. T3: pq-fab sends PQZ-2 to pq-dist, rejected. T4:
 * pq-fab2 sends its PQZ-1 to pq-other, pending. T5: pq-fab sends PQZ-3 and PQZ_9 to pq-dc, which received PQZ-3 only.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class PartnerLookupsTest {

    @TestHTTPResource("/")
    URL url;
    @Inject
    CheckpointSigner signer;

    private static ApiClient.Partner fab;
    private static ApiClient.Partner fab2;
    private static ApiClient.Partner dist;
    private static ApiClient.Partner dc;
    private static ApiClient.Partner other;
    private static ApiClient.Partner insp;
    private static Written reg1;
    private static Written t1;
    private static Written r1;
    private static Written t2;
    private static Written t3;
    private static Written t4;
    private static Written t5;
    private static Written r5;

    /** An entry written: its payload.id (a transfer's id for a dispatch) and its log index. */
    record Written(String id, long index) {
    }

    private static Written write(ApiClient.Partner p, String type, Map<String, Object> fields) {
        Map<String, Object> payload = ApiClient.payload(type, p.org(), fields);
        Number index = p.submit(ApiClient.envelope(payload, p.key())).then().statusCode(201).extract().path("index");
        return new Written((String) payload.get("id"), index.longValue());
    }

    @BeforeEach
    void world() throws Exception {
        OncePerClass.run(PartnerLookupsTest.class, () -> {
            fab = CustodyClient.partnerWithSite("pq-fab", "manufacturer", "pq-a", "TW");
            fab2 = CustodyClient.partnerWithSite("pq-fab2", "manufacturer", "pq-b", "KR");
            dist = CustodyClient.partnerWithSite("pq-dist", SignatureAlgorithm.ES256, "distributor", "pq-hub", "NL");
            dc = CustodyClient.partnerWithSite("pq-dc", "datacenter", "pq-dc1", "US");
            other = CustodyClient.partnerWithSite("pq-other", "distributor", "pq-o", "AE");
            insp = ApiClient.partner("pq-insp", SignatureAlgorithm.ED25519, "inspector");
            reg1 = write(fab, "unit.register", CustodyClient.unitFields("PQZ-1", "accelerator", "H200", "pq-a"));
            for (String serial : List.of("PQZ-2", "PQZ-3", "PQZ_9")) {
                CustodyClient.register(fab, serial, "accelerator", "H200", "pq-a");
            }
            CustodyClient.register(fab2, "PQZ-1", "accelerator", "X1", "pq-b");
            CustodyClient.register(fab2, "PQY-1", "accelerator", "X1", "pq-b");
            t1 = dispatch(fab, "pq-dist", "pq-hub", ref("pq-fab", "PQZ-1"));
            r1 = write(dist, "transfer.receive", CustodyClient.receiveFields(t1.id(), "pq-hub", List.of(ref("pq-fab", "PQZ-1"))));
            t2 = dispatch(dist, "pq-dc", "pq-dc1", ref("pq-fab", "PQZ-1"));
            t3 = dispatch(fab, "pq-dist", "pq-hub", ref("pq-fab", "PQZ-2"));
            write(dist, "transfer.reject", Map.of("transfer", t3.id(), "reason", "damaged"));
            t4 = dispatch(fab2, "pq-other", "pq-o", ref("pq-fab2", "PQZ-1"));
            t5 = dispatch(fab, "pq-dc", "pq-dc1", ref("pq-fab", "PQZ-3"), ref("pq-fab", "PQZ_9"));
            r5 = write(dc, "transfer.receive", CustodyClient.receiveFields(t5.id(), "pq-dc1", List.of(ref("pq-fab", "PQZ-3"))));
        });
    }

    @SafeVarargs
    private static Written dispatch(ApiClient.Partner p, String to, String toSite, Map<String, Object>... units) {
        return write(p, "transfer.dispatch", CustodyClient.dispatchFields(to, toSite, List.of(units)));
    }

    private static JsonPath get(String bearer, String path) {
        return given().header("Authorization", bearer).get(path).then().statusCode(200).extract().jsonPath();
    }

    /** Every page of a transfer list, following next; the ids in order. */
    private static List<String> transfers(String bearer, String query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath p = get(bearer, "/api/v1/transfers?limit=100" + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&after=" + cursor));
            ids.addAll(p.getList("items.id", String.class));
            cursor = p.getString("next");
            assertTrue(++pages <= 20, "pages end");
        } while (cursor != null);
        return ids;
    }

    @Test
    void transferListFiltersByStateDirectionCounterpartyAndSince() {
        String f = fab.bearer();
        assertEquals(List.of(t5.id(), t3.id(), t1.id()), transfers(f, ""), "newest dispatch first");
        assertEquals(List.of(t5.id()), transfers(f, "state=open"), "open: pending or partial");
        assertEquals(List.of(t5.id()), transfers(f, "state=partial"));
        assertEquals(List.of(t3.id()), transfers(f, "state=rejected"));
        assertEquals(List.of(t1.id()), transfers(f, "state=received"));
        assertEquals(List.of(t5.id(), t3.id(), t1.id()), transfers(f, "direction=outgoing"));
        assertEquals(List.of(), transfers(f, "direction=incoming"));
        assertEquals(List.of(t5.id()), transfers(f, "counterparty=pq-dc"));
        assertEquals(List.of(t3.id(), t1.id()), transfers(f, "counterparty=pq-dist"));
        assertEquals(List.of(), transfers(f, "counterparty=pq-fab2"), "T4 is not pq-fab's");

        String d = dist.bearer();
        assertEquals(List.of(t3.id(), t2.id(), t1.id()), transfers(d, ""));
        assertEquals(List.of(t3.id(), t1.id()), transfers(d, "direction=incoming"));
        assertEquals(List.of(t2.id()), transfers(d, "direction=outgoing"));
        assertEquals(List.of(t2.id()), transfers(d, "direction=outgoing&counterparty=pq-dc&state=pending"));
        assertEquals(List.of(), transfers(d, "direction=incoming&counterparty=pq-dc"));
        assertEquals(List.of(), transfers(d, "counterparty=pq-other"), "a transfer between others does not exist");
        assertEquals(List.of(), transfers(other.bearer(), "counterparty=pq-dist"));
        assertEquals(List.of(t4.id()), transfers(other.bearer(), ""));

        // since: dispatched, received in part or closed after the index
        assertEquals(List.of(t5.id()), transfers(f, "since=" + t5.index()), "T5's receipt came after its dispatch");
        assertEquals(List.of(), transfers(f, "since=" + r5.index()));
        assertEquals(List.of(t5.id(), t3.id()), transfers(f, "since=" + t2.index()), "T3 was dispatched, then rejected");
        assertEquals(List.of(t5.id(), t3.id(), t1.id()), transfers(f, "since=" + (r1.index() - 1)), "T1 received then");
        assertEquals(List.of(t5.id(), t3.id()), transfers(f, "since=" + r1.index()));

        // those who see all see every transfer; direction is relative to their own organisation
        List<String> all = transfers(insp.bearer(), "counterparty=pq-other");
        assertEquals(List.of(t4.id()), all);
        assertEquals(List.of(t1.id()), transfers(ApiClient.ADMIN, "counterparty=pq-dist&state=received"));
        assertEquals(List.of(t3.id(), t2.id(), t1.id()), transfers(ApiClient.ADMIN, "counterparty=pq-dist&since="
                + (reg1.index() - 1)), "the operator: transfers pq-dist sends or receives");
        assertEquals(List.of(), transfers(insp.bearer(), "direction=incoming&since=" + (reg1.index() - 1)));
    }

    @Test
    void transferPagesAreDisjointAndEndWithoutNext() {
        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath p = get(fab.bearer(), "/api/v1/transfers?limit=2" + (cursor == null ? "" : "&after=" + cursor));
            pages.add(p.getList("items.id", String.class));
            cursor = p.getString("next");
        } while (cursor != null && pages.size() < 5);
        assertEquals(List.of(List.of(t5.id(), t3.id()), List.of(t1.id())), pages);
        JsonPath first = get(fab.bearer(), "/api/v1/transfers?limit=1");
        assertEquals(Long.toString(t5.index()), first.getString("next"), "the cursor is the last dispatch's index");
        // a cursor is a position only: another caller's cursor shows that caller's own transfers below it
        assertEquals(List.of(t1.id()), transfers(dist.bearer(), "after=" + t2.index()));
    }

    @Test
    void transferListRefusesBadParameters() {
        String f = fab.bearer();
        for (String[] bad : new String[][]{
                {"state", "bogus", "invalid-parameter"}, {"state", "OPEN", "invalid-parameter"},
                {"direction", "sideways", "invalid-parameter"}, {"counterparty", "Not_An_Org", "invalid-parameter"},
                {"counterparty", "x".repeat(200), "invalid-parameter"}, {"since", "-1", "invalid-parameter"},
                {"since", "99999999999999999999", "invalid-parameter"}, {"since", "9223372036854775808", "invalid-parameter"},
                {"since", "1e3", "invalid-parameter"}, {"after", "abc", "invalid-cursor"},
                {"after", "-5", "invalid-cursor"}, {"after", "99999999999999999999", "invalid-cursor"},
                {"limit", "0", "invalid-parameter"}, {"limit", "501", "invalid-parameter"},
                {"limit", "99999999999", "invalid-parameter"}, {"state", "pen\u0000ding", "invalid-text"},
                {"counterparty", "pq-\u0007dc", "invalid-text"}}) {
            problem(given().header("Authorization", f).queryParam(bad[0], bad[1]).get("/api/v1/transfers"), 400, bad[2]);
        }
        problem(given().header("Authorization", ApiClient.ADMIN).queryParam("direction", "incoming")
                .get("/api/v1/transfers"), 400, "invalid-parameter");
        problem(given().get("/api/v1/transfers"), 401, "unauthenticated");
    }

    @Test
    void aTransferShowsEachUnitsCustodySoFar() {
        JsonPath t = get(dc.bearer(), "/api/v1/transfers/" + t2.id());
        assertEquals("pending", t.getString("state"));
        assertEquals("PQZ-1", t.getString("units[0].serial"));
        assertEquals("active", t.getString("units[0].custody.status"));
        assertEquals("pq-dist", t.getString("units[0].custody.custodian"), "custody moves only on receipt");
        assertEquals("pq-hub", t.getString("units[0].custody.site"));
        assertEquals(List.of("pq-fab", "pq-dist"), t.getList("units[0].custody.custodians.org", String.class));
        assertEquals(List.of(reg1.index(), r1.index()), t.<Number>getList("units[0].custody.custodians.sinceIndex")
                .stream().map(Number::longValue).toList());
        assertNotNull(t.getString("units[0].custody.custodians[1].since"));
        // the same for its sender; a stranger gets the answer for a transfer that does not exist
        assertEquals(List.of("pq-fab", "pq-dist"),
                get(dist.bearer(), "/api/v1/transfers/" + t2.id()).getList("units[0].custody.custodians.org", String.class));
        Response stranger = given().header("Authorization", other.bearer()).get("/api/v1/transfers/" + t2.id());
        problem(stranger, 404, "transfer-not-found");
        Response none = given().header("Authorization", other.bearer()).get("/api/v1/transfers/" + UUID.randomUUID());
        problem(none, 404, "transfer-not-found");
        assertEquals(none.jsonPath().getString("title"), stranger.jsonPath().getString("title"));

        // a partly received transfer: the unit received has its new custodian, the other is still the sender's
        JsonPath five = get(dc.bearer(), "/api/v1/transfers/" + t5.id());
        assertEquals(List.of("PQZ-3", "PQZ_9"), five.getList("units.serial", String.class));
        assertEquals(List.of("pq-fab", "pq-dc"), five.getList("units[0].custody.custodians.org", String.class));
        assertEquals(r5.index(), five.getLong("units[0].custody.custodians[1].sinceIndex"));
        assertEquals("pq-dc1", five.getString("units[0].custody.site"));
        assertEquals(List.of("pq-fab"), five.getList("units[1].custody.custodians.org", String.class));
        assertEquals("pq-fab", five.getString("units[1].custody.custodian"));
        // the list stays lean: no custody in it
        assertNull(get(dc.bearer(), "/api/v1/transfers?limit=1").get("items[0].units[0].custody"));
    }

    @Test
    void aComponentsCustodyFollowsTheUnitItTravelledInside() {
        ApiClient.Partner maker = CustodyClient.partnerWithSite("pq-maker", "manufacturer", "pq-m", "TW");
        ApiClient.Partner integrator = CustodyClient.partnerWithSite("pq-int", "integrator", "pq-i", "MX");
        ApiClient.Partner site = CustodyClient.partnerWithSite("pq-site", "datacenter", "pq-s", "US");
        Written gpu = write(maker, "unit.register", CustodyClient.unitFields("PQC-GPU", "accelerator", "H200", "pq-m"));
        CustodyClient.register(maker, "PQC-SRV", "server", "HGX", "pq-m");
        write(maker, "unit.assemble", Map.of("parent", ref("pq-maker", "PQC-SRV"), "components",
                List.of(ref("pq-maker", "PQC-GPU"))));
        Written toInt = dispatch(maker, "pq-int", "pq-i", ref("pq-maker", "PQC-SRV"));
        Written received = write(integrator, "transfer.receive", CustodyClient.receiveFields(toInt.id(), "pq-i",
                List.of(ref("pq-maker", "PQC-SRV"))));
        write(integrator, "unit.disassemble", Map.of("parent", ref("pq-maker", "PQC-SRV"), "components",
                List.of(ref("pq-maker", "PQC-GPU"))));
        Written toSite = dispatch(integrator, "pq-site", "pq-s", ref("pq-maker", "PQC-GPU"));

        JsonPath t = get(site.bearer(), "/api/v1/transfers/" + toSite.id());
        assertEquals(List.of("pq-maker", "pq-int"), t.getList("units[0].custody.custodians.org", String.class),
                "the GPU was received inside its server");
        assertEquals(List.of(gpu.index(), received.index()), t.<Number>getList("units[0].custody.custodians.sinceIndex")
                .stream().map(Number::longValue).toList());
        assertEquals("pq-int", t.getString("units[0].custody.custodian"));
        assertEquals("pq-i", t.getString("units[0].custody.site"));
    }

    private static List<String> refs(JsonPath p, String path) {
        List<Map<String, Object>> items = p.getList(path);
        return items.stream().map(u -> u.get("manufacturer") + "/" + u.get("serial")).toList();
    }

    @Test
    void unitChangesComeInTheOrderOfTheirLastChangeAndKeepThePollersPlace() {
        String d = dc.bearer();
        JsonPath all = get(d, "/api/v1/units/changes");
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab/PQZ_9", "pq-fab/PQZ-3"), refs(all, "items"),
                "PQZ-1 changed by T2's dispatch, PQZ_9 by T5's, PQZ-3 last by its receipt");
        assertEquals(List.of(t2.index(), t5.index(), r5.index()),
                all.<Number>getList("items.lastIndex").stream().map(Number::longValue).toList());
        // a page at a time, with the cursor of each page
        List<String> paged = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 3; i++) {
            JsonPath p = get(d, "/api/v1/units/changes?limit=1" + (cursor == null ? "" : "&after=" + cursor));
            paged.addAll(refs(p, "items"));
            cursor = p.getString("next");
        }
        assertEquals(refs(all, "items"), paged);
        JsonPath caughtUp = get(d, "/api/v1/units/changes?after=" + cursor);
        assertEquals(List.of(), caughtUp.getList("items"));
        assertEquals(cursor, caughtUp.getString("next"), "an empty page keeps the place");
        // after a plain log index
        assertEquals(List.of("pq-fab/PQZ_9", "pq-fab/PQZ-3"), refs(get(d, "/api/v1/units/changes?after=" + t2.index()), "items"));
        assertEquals(List.of("pq-fab/PQZ-3"), refs(get(d, "/api/v1/units/changes?after=" + t5.index()), "items"));
        // others see only their own
        assertEquals(List.of("pq-fab2/PQZ-1"), refs(get(other.bearer(), "/api/v1/units/changes"), "items"));
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab/PQZ-2"),
                refs(get(dist.bearer(), "/api/v1/units/changes?after=" + t1.index()), "items"),
                "PQZ-1 last changed by T2, PQZ-2 by T3's rejection");

        // a new change: pq-fab2 sends PQY-1 to pq-dc, which may see it from that dispatch on
        Written t6 = dispatch(fab2, "pq-dc", "pq-dc1", ref("pq-fab2", "PQY-1"));
        JsonPath next = get(d, "/api/v1/units/changes?after=" + cursor);
        assertEquals(List.of("pq-fab2/PQY-1"), refs(next, "items"));
        assertEquals(t6.index(), next.getLong("items[0].lastIndex"));
        assertEquals("pq-fab2", next.getString("items[0].custodian"));
        assertEquals(List.of(), get(d, "/api/v1/units/changes?after=" + next.getString("next")).getList("items"));
    }

    @Test
    void unitChangesRefuseBadCursors() {
        String d = dc.bearer();
        for (String after : List.of("-1", "abc", "1e3", "99999999999999999999", "5.", "5.!!!", "5.bm8tc2xhc2g", ".x",
                "5.5.5")) {
            problem(given().header("Authorization", d).queryParam("after", after).get("/api/v1/units/changes"), 400,
                    "invalid-cursor");
        }
        problem(given().header("Authorization", d).queryParam("after", "5.\u0000").get("/api/v1/units/changes"), 400,
                "invalid-text");
        problem(given().header("Authorization", d).queryParam("limit", "501").get("/api/v1/units/changes"), 400,
                "invalid-parameter");
    }

    private static Response lookup(String bearer, String body) {
        return given().header("Authorization", bearer).contentType("application/json").body(body)
                .post("/api/v1/units/lookup");
    }

    @Test
    void bulkLookupAnswersVisibleUnitsAndReportsTheRestAlikeAsNotFound() {
        long size = CustodyClient.treeSize();
        JsonPath p = lookup(dist.bearer(), "[{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-1\"},"
                + "{\"manufacturer\":\"pq-fab2\",\"serial\":\"PQZ-1\"},{\"serial\":\"NOPE\",\"manufacturer\":\"pq-fab\"},"
                + "{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-2\"},{\"manufacturer\":\"Bad Org\",\"serial\":\"x y\"},"
                + "{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-1\"},{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-3\"}]")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab/PQZ-2"), refs(p, "units"), "each once, in request order");
        assertEquals(List.of("pq-fab2/PQZ-1", "pq-fab/NOPE", "Bad Org/x y", "pq-fab/PQZ-3"), refs(p, "notFound"),
                "another's unit, a unit never made and a malformed reference look the same");
        assertEquals("pq-dist", p.getString("units[0].custodian"));
        assertEquals("pq-fab", p.getString("units[1].custodian"), "PQZ-2 came back");
        // an inspector sees all of them
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab2/PQZ-1"), refs(lookup(insp.bearer(),
                "[{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-1\"},{\"manufacturer\":\"pq-fab2\",\"serial\":\"PQZ-1\"}]")
                .then().statusCode(200).extract().jsonPath(), "units"));

        // 1,000 is allowed, 1,001 is not
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"manufacturer\":\"pq-fab\",\"serial\":\"S-").append(i).append("\"}");
        }
        String thousandAndOne = many.append("]").toString();
        String thousand = thousandAndOne.substring(0, thousandAndOne.lastIndexOf(",{")) + "]";
        JsonPath big = lookup(fab.bearer(), thousand).then().statusCode(200).extract().jsonPath();
        assertEquals(1000, big.getList("notFound").size());
        problem(lookup(fab.bearer(), thousandAndOne), 400, "lookup-size");
        problem(lookup(fab.bearer(), "[]"), 400, "lookup-size");

        problem(lookup(fab.bearer(), "{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-1\"}"), 400, "invalid-lookup");
        problem(lookup(fab.bearer(), "[\"pq-fab/PQZ-1\"]"), 400, "invalid-lookup");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-fab\"}]"), 400, "invalid-lookup");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-1\",\"x\":1}]"), 400,
                "invalid-lookup");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-fab\",\"serial\":123456789012345678901234567890}]"), 400,
                "invalid-lookup");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-fab\",\"serial\":1e400}]"), 400, "invalid-json");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ\\u0000-1\"}]"), 400, "invalid-text");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-\\u001bfab\",\"serial\":\"PQZ-1\"}]"), 400, "invalid-text");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-fab\",\"serial\":\"PQZ-1\"}"), 400, "invalid-json");
        problem(lookup(fab.bearer(), "[{\"manufacturer\":\"pq-fab\",\"manufacturer\":\"pq-fab2\",\"serial\":\"PQZ-1\"}]"),
                400, "invalid-json");
        problem(given().header("Authorization", fab.bearer()).body("[]").post("/api/v1/units/lookup"), 415,
                "unsupported-media-type");
        problem(given().contentType("application/json").body("[]").post("/api/v1/units/lookup"), 401, "unauthenticated");
        assertEquals(size, CustodyClient.treeSize(), "a lookup writes nothing");
    }

    private static List<String> search(String bearer, String query) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath p = get(bearer, "/api/v1/units/search?" + query + (cursor == null ? "" : "&after=" + cursor));
            out.addAll(refs(p, "items"));
            cursor = p.getString("next");
            assertTrue(++pages <= 20);
        } while (cursor != null);
        return out;
    }

    @Test
    void serialSearchFindsPrefixesOfWhatTheCallerMaySee() {
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab2/PQZ-1", "pq-fab/PQZ-2", "pq-fab/PQZ-3", "pq-fab/PQZ_9"),
                search(insp.bearer(), "serial=PQZ"), "serial, then manufacturer, byte by byte");
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab2/PQZ-1", "pq-fab/PQZ-2", "pq-fab/PQZ-3", "pq-fab/PQZ_9"),
                search(insp.bearer(), "serial=PQZ&limit=2"), "the same over pages of two");
        assertEquals(List.of("pq-fab/PQZ_9"), search(insp.bearer(), "serial=PQZ_"), "_ is a character, not a wildcard");
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab2/PQZ-1"), search(insp.bearer(), "serial=PQZ-1"));
        assertEquals(List.of(), search(insp.bearer(), "serial=pqz"), "case-sensitive");
        assertEquals(List.of("pq-fab/PQZ-1", "pq-fab/PQZ-2"), search(dist.bearer(), "serial=PQZ"));
        assertEquals(List.of("pq-fab2/PQZ-1"), search(other.bearer(), "serial=PQ"));
        assertEquals(List.of("pq-fab2/PQY-1", "pq-fab2/PQZ-1"), search(fab2.bearer(), "serial=PQ"));
        JsonPath first = get(insp.bearer(), "/api/v1/units/search?serial=PQZ&limit=4");
        assertEquals(4, first.getList("items").size());
        assertNotNull(first.getString("next"));
        assertNull(get(insp.bearer(), "/api/v1/units/search?serial=PQZ&limit=5").getString("next"));

        String f = fab.bearer();
        for (String serial : new String[]{"", "a b", "x".repeat(65), "PQZ/1", "PQZ*"}) {
            problem(given().header("Authorization", f).queryParam("serial", serial).get("/api/v1/units/search"), 400,
                    "invalid-parameter");
        }
        problem(given().header("Authorization", f).get("/api/v1/units/search"), 400, "invalid-parameter");
        problem(given().header("Authorization", f).queryParam("serial", "PQ\u0000").get("/api/v1/units/search"), 400,
                "invalid-text");
        problem(given().header("Authorization", f).queryParam("serial", "PQ").queryParam("after", "!!!")
                .get("/api/v1/units/search"), 400, "invalid-cursor");
        problem(given().header("Authorization", f).queryParam("serial", "PQ").queryParam("limit", "501")
                .get("/api/v1/units/search"), 400, "invalid-parameter");
    }

    @Test
    void theClientKitPagesLooksUpAndSearches() throws Exception {
        PartnerClient kit = new PartnerClient(url.toString(), dist.token(), signer.vkey(), null);
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            PartnerClient.Page p = kit.transfers(Map.of("direction", "incoming"), cursor, 1);
            p.items().forEach(t -> ids.add((String) t.get("id")));
            cursor = p.next();
        } while (cursor != null && ids.size() < 10);
        assertEquals(List.of(t3.id(), t1.id()), ids);
        assertEquals(List.of(t2.id()), kit.transfers(Map.of("counterparty", "pq-dc", "state", "open"), null, 10)
                .items().stream().map(t -> t.get("id")).toList());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> units = (List<Map<String, Object>>) kit.transfer(t2.id()).get("units");
        assertEquals("pq-dist", ((Map<?, ?>) units.get(0).get("custody")).get("custodian"));

        PartnerClient.Page changes = kit.unitChanges(Long.toString(t1.index()), 1);
        assertEquals("PQZ-1", changes.items().get(0).get("serial"));
        assertEquals("PQZ-2", kit.unitChanges(changes.next(), 1).items().get(0).get("serial"));

        Map<String, Object> found = kit.lookupUnits(List.of(Map.of("manufacturer", "pq-fab", "serial", "PQZ-2"),
                Map.of("manufacturer", "pq-fab2", "serial", "PQZ-1")));
        assertEquals(List.of("PQZ-2"), ((List<?>) found.get("units")).stream().map(u -> ((Map<?, ?>) u).get("serial"))
                .toList());
        assertEquals(List.of(Map.of("manufacturer", "pq-fab2", "serial", "PQZ-1")), found.get("notFound"));

        assertEquals(List.of("PQZ-1", "PQZ-2"), kit.searchUnits("PQZ", null, 10).items().stream()
                .map(u -> u.get("serial")).toList());
        PartnerClient.ApiException refused = assertThrows(
                PartnerClient.ApiException.class, () -> kit.searchUnits("PQ Z", null, 10));
        assertEquals(400, refused.status());
    }
}
