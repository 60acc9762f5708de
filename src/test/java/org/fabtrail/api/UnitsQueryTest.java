package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit queries, the registry view of an organisation, and the transfer inbox.
 *
 * <p>uq-fab made five units: UQ-1 (accelerator H200, site uq-a), UQ-2 (accelerator H200, uq-b; dispatched to uq-dc
 * and still pending), UQ-3 (server HGX, uq-a), UQ-4 (module M1, uq-a; reported lost), UQ-5 (accelerator B200;
 * sent to uq-dist and received at uq-hub).
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class UnitsQueryTest {

    private static ApiClient.Partner fab;
    private static ApiClient.Partner dist;
    private static ApiClient.Partner dc;
    private static ApiClient.Partner insp;
    private static String received;
    private static String pending;

    @BeforeEach
    void world() throws Exception {
        OncePerClass.run(UnitsQueryTest.class, () -> {
            fab = CustodyClient.partnerWithSite("uq-fab", "manufacturer", "uq-a", "TW");
            dist = CustodyClient.partnerWithSite("uq-dist", SignatureAlgorithm.ES256, "distributor", "uq-hub", "NL");
            dc = CustodyClient.partnerWithSite("uq-dc", "datacenter", "uq-dc1", "US");
            insp = ApiClient.partner("uq-insp", SignatureAlgorithm.ED25519, "inspector");
            CustodyClient.write(fab, "site.register", Map.of("site", "uq-b", "name", "Fab B", "country", "TW",
                    "address", "2 Science Park Rd", "latitude", 24.78, "longitude", 121.0));
            CustodyClient.register(fab, "UQ-1", "accelerator", "H200", "uq-a");
            CustodyClient.register(fab, "UQ-2", "accelerator", "H200", "uq-b");
            CustodyClient.register(fab, "UQ-3", "server", "HGX", "uq-a");
            CustodyClient.register(fab, "UQ-4", "module", "M1", "uq-a");
            CustodyClient.register(fab, "UQ-5", "accelerator", "B200", "uq-a");
            CustodyClient.write(fab, "unit.status", Map.of("unit", ref("uq-fab", "UQ-4"), "status", "lost",
                    "reason", "fell off the truck"));
            received = CustodyClient.dispatch(fab, "uq-dist", "uq-hub", List.of(ref("uq-fab", "UQ-5")));
            CustodyClient.receive(dist, received, "uq-hub", List.of(ref("uq-fab", "UQ-5")));
            pending = CustodyClient.dispatch(fab, "uq-dc", "uq-dc1", List.of(ref("uq-fab", "UQ-2")));
        });
    }

    private static JsonPath page(String bearer, String query) {
        return given().header("Authorization", bearer).get("/api/v1/units" + query).then().statusCode(200)
                .extract().jsonPath();
    }

    private static List<String> serials(String bearer, String query) {
        JsonPath p = page(bearer, query);
        assertNull(p.getString("next"), "one page: " + query);
        return p.getList("items.serial", String.class);
    }

    @Test
    void filtersNarrowTheUnitsACallerMaySee() {
        String f = fab.bearer();
        assertEquals(List.of("UQ-1", "UQ-2", "UQ-3", "UQ-4", "UQ-5"), serials(f, ""));
        assertEquals(List.of("UQ-1", "UQ-2", "UQ-3", "UQ-4", "UQ-5"), serials(f, "?manufacturer=uq-fab"));
        assertEquals(List.of("UQ-5"), serials(f, "?custodian=uq-dist"));
        assertEquals(List.of("UQ-1", "UQ-2", "UQ-3", "UQ-4"), serials(f, "?custodian=uq-fab"));
        assertEquals(List.of("UQ-2"), serials(f, "?site=uq-b"));
        assertEquals(List.of("UQ-5"), serials(f, "?site=uq-hub"));
        assertEquals(List.of("UQ-4"), serials(f, "?status=lost"));
        assertEquals(List.of("UQ-1", "UQ-2", "UQ-3", "UQ-5"), serials(f, "?status=active"));
        assertEquals(List.of("UQ-3"), serials(f, "?kind=server"));
        assertEquals(List.of("UQ-1", "UQ-2"), serials(f, "?model=H200"));
        assertEquals(List.of("UQ-1"), serials(f, "?kind=accelerator&site=uq-a"));
        assertEquals(List.of(), serials(f, "?model=h200"), "values match exactly");
        assertEquals(List.of(), serials(f, "?manufacturer=uq-dist"));

        // the same filters for others, inside what they may see
        assertEquals(List.of("UQ-5"), serials(dist.bearer(), ""));
        assertEquals(List.of("UQ-5"), serials(dist.bearer(), "?manufacturer=uq-fab"));
        assertEquals(List.of(), serials(dist.bearer(), "?custodian=uq-fab"));
        assertEquals(List.of("UQ-2"), serials(dc.bearer(), ""), "uq-dc was sent UQ-2");
        assertEquals(List.of(), serials(dc.bearer(), "?custodian=uq-dc"), "custody moves only on receipt");
        assertEquals(List.of("UQ-1", "UQ-2", "UQ-3", "UQ-4", "UQ-5"), serials(insp.bearer(), "?manufacturer=uq-fab"));
        assertEquals(List.of("UQ-4"), serials(ApiClient.ADMIN, "?manufacturer=uq-fab&status=lost"));

        JsonPath u5 = page(f, "?custodian=uq-dist");
        assertEquals("uq-dist", u5.getString("items[0].custodian"));
        assertEquals("uq-hub", u5.getString("items[0].site"));
        assertEquals("active", u5.getString("items[0].status"));
        assertEquals("B200", u5.getString("items[0].model"));
        assertEquals("accelerator", u5.getString("items[0].kind"));
    }

    @Test
    void pagesAreDisjointOrderedAndComplete() {
        for (String caller : List.of(fab.bearer(), insp.bearer(), ApiClient.ADMIN)) {
            List<List<String>> pages = new ArrayList<>();
            String cursor = null;
            do {
                JsonPath p = page(caller, "?manufacturer=uq-fab&limit=2" + (cursor == null ? "" : "&after=" + cursor));
                pages.add(p.getList("items.serial", String.class));
                cursor = p.getString("next");
                assertTrue(pages.size() <= 3, "at most three pages");
            } while (cursor != null);
            assertEquals(List.of(List.of("UQ-1", "UQ-2"), List.of("UQ-3", "UQ-4"), List.of("UQ-5")), pages);
        }
        // a page that ends exactly at the last unit has no next
        JsonPath first = page(fab.bearer(), "?custodian=uq-fab&limit=2");
        assertEquals(List.of("UQ-1", "UQ-2"), first.getList("items.serial", String.class));
        assertNotNull(first.getString("next"));
        JsonPath second = page(fab.bearer(), "?custodian=uq-fab&limit=2&after=" + first.getString("next"));
        assertEquals(List.of("UQ-3", "UQ-4"), second.getList("items.serial", String.class));
        assertNull(second.getString("next"));
        // a cursor from one caller's page reveals nothing to another: it is only a position
        String cursor = page(fab.bearer(), "?manufacturer=uq-fab&limit=1").getString("next");
        assertEquals(List.of("UQ-5"), serials(dist.bearer(), "?manufacturer=uq-fab&after=" + cursor));
        // bad pages and cursors
        for (String limit : List.of("0", "501", "x")) {
            problem(given().header("Authorization", fab.bearer()).queryParam("limit", limit).get("/api/v1/units"), 400,
                    "invalid-parameter");
        }
        for (String after : List.of("!!!", "bm8tc2xhc2g")) { // the second is base64url of "no-slash"
            problem(given().header("Authorization", fab.bearer()).queryParam("after", after).get("/api/v1/units"), 400,
                    "invalid-cursor");
        }
    }

    @Test
    void anOrganisationShowsItsSitesAndKeys() {
        for (String caller : List.of(fab.bearer(), dc.bearer(), ApiClient.ADMIN)) {
            JsonPath o = given().header("Authorization", caller).get("/api/v1/orgs/uq-fab").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals("uq-fab", o.getString("id"));
            assertEquals(List.of("manufacturer"), o.getList("roles", String.class));
            assertEquals(List.of("uq-a", "uq-b"), o.getList("sites.id", String.class));
            assertEquals("Fab B", o.getString("sites[1].name"));
            assertEquals("TW", o.getString("sites[1].country"));
            assertEquals(24.78, o.getDouble("sites[1].latitude"), 1e-9);
            assertEquals(List.of(fab.key().keyId()), o.getList("keys.keyId", String.class));
            assertEquals("Ed25519", o.getString("keys[0].alg"));
            assertTrue(o.getString("keys[0].publicKey").startsWith("-----BEGIN PUBLIC KEY-----"));
            assertNull(o.get("keys[0].revokedIndex"));
        }
        given().header("Authorization", dist.bearer()).get("/api/v1/orgs/uq-dist").then().statusCode(200)
                .body("keys[0].keyId", equalTo(dist.key().keyId())).body("keys[0].alg", equalTo("ES256"));
        given().header("Authorization", dc.bearer()).get("/api/v1/orgs/uq-fab/sites").then().statusCode(200)
                .body("id", equalTo(List.of("uq-a", "uq-b")));
        List<String> ids = given().header("Authorization", dc.bearer()).get("/api/v1/orgs").then().statusCode(200)
                .extract().jsonPath().getList("id", String.class);
        assertTrue(ids.containsAll(List.of("uq-fab", "uq-dist", "uq-dc", "uq-insp")));
        assertEquals(new ArrayList<>(new java.util.TreeSet<>(ids)), ids, "in id order");
        assertEquals(ids.size(), new HashSet<>(ids).size());
        // the list is the registry only: no sites or keys in it
        assertFalse(given().header("Authorization", dc.bearer()).get("/api/v1/orgs").asString().contains("publicKey"));
    }

    private static List<String> transfers(String bearer, String state) {
        return given().header("Authorization", bearer).queryParam("state", state).get("/api/v1/transfers").then()
                .statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void aPendingDispatchShowsToItsSenderAndReceiverOnly() {
        assertEquals(List.of(pending), transfers(fab.bearer(), "pending"));
        assertEquals(List.of(pending), transfers(dc.bearer(), "pending"));
        assertEquals(List.of(), transfers(dist.bearer(), "pending"));
        assertTrue(transfers(insp.bearer(), "pending").contains(pending));
        assertTrue(transfers(ApiClient.ADMIN, "pending").contains(pending));
        assertEquals(List.of(received), transfers(fab.bearer(), "received"));
        assertEquals(List.of(received), transfers(dist.bearer(), "received"));
        assertEquals(List.of(), transfers(dc.bearer(), "received"));
        assertEquals(List.of(pending, received), given().header("Authorization", fab.bearer()).get("/api/v1/transfers")
                .then().statusCode(200).extract().jsonPath().getList("items.id", String.class), "newest first");

        given().header("Authorization", dc.bearer()).get("/api/v1/transfers/" + pending).then().statusCode(200)
                .body("state", equalTo("pending")).body("sender", equalTo("uq-fab")).body("receiver", equalTo("uq-dc"))
                .body("receiverSite", equalTo("uq-dc1")).body("units[0].serial", equalTo("UQ-2"))
                .body("units[0].state", equalTo("in_transit"));
        problem(given().header("Authorization", dist.bearer()).get("/api/v1/transfers/" + pending), 404,
                "transfer-not-found");
        // the receiver sees the unit on its way, still in the sender's custody
        given().header("Authorization", dc.bearer()).get("/api/v1/units/uq-fab/UQ-2").then().statusCode(200)
                .body("custodian", equalTo("uq-fab")).body("pendingTransfer.id", equalTo(pending))
                .body("pendingTransfer.receiver", equalTo("uq-dc"));
        given().header("Authorization", fab.bearer()).get("/api/v1/units/uq-fab/UQ-1").then().statusCode(200)
                .body("pendingTransfer", nullValue());
        problem(given().header("Authorization", fab.bearer()).queryParam("state", "lost").get("/api/v1/transfers"),
                400, "invalid-parameter");
    }
}
