package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The end-to-end scenario through the public API only: a GPU registered at a fab, assembled into a
 * server, dispatched to a distributor, received, dispatched to a data-centre operator, received, taken out and
 * decommissioned; then its offline bundle is checked with an independent verifier.
 */
@QuarkusTest
class FabToDataCentreScenarioTest {

    static Map<String, Object> ref(String serial) {
        return Map.of("manufacturer", "sc-fab", "serial", serial);
    }

    static String dispatchId(JsonPath receipt, ApiClient.Partner p) {
        // the transfer id is the dispatch's payload.id: read it back from the feed entry at that index
        long index = receipt.getLong("index");
        return p.given().queryParam("after", index - 1).queryParam("limit", 1).get("/api/v1/feed")
                .then().statusCode(200).extract().path("items[0].id");
    }

    @Test
    void aGpuTravelsFromFabToDataCentreAndItsBundleVerifiesOffline() throws Exception {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        ApiClient.Partner fab = ApiClient.partner("sc-fab", SignatureAlgorithm.ED25519, "manufacturer");
        ApiClient.Partner dist = ApiClient.partner("sc-dist", SignatureAlgorithm.ES256, "distributor", "integrator");
        ApiClient.Partner dc = ApiClient.partner("sc-dc", SignatureAlgorithm.ED25519, "datacenter");
        fab.submit("site.register", Map.of("site", "hsinchu", "name", "Fab 18", "country", "TW", "address", "Hsinchu"))
                .then().statusCode(201);
        dist.submit("site.register", Map.of("site", "sg-hub", "name", "Hub", "country", "SG", "address", "Tuas"))
                .then().statusCode(201);
        dc.submit("site.register", Map.of("site", "ashburn", "name", "DC 1", "country", "US", "address", "Ashburn VA",
                "latitude", 39.04, "longitude", -77.49)).then().statusCode(201);

        fab.submit("unit.register", Map.of("serial", "GPU-0001", "kind", "accelerator", "model", "H200-SXM",
                "eccn", "3A090.a", "site", "hsinchu")).then().statusCode(201);
        fab.submit("unit.register", Map.of("serial", "SRV-01", "kind", "server", "model", "HGX-H200",
                "eccn", "4A090.a", "site", "hsinchu")).then().statusCode(201);
        fab.submit("unit.assemble", Map.of("parent", ref("SRV-01"), "components", List.of(ref("GPU-0001"))))
                .then().statusCode(201);

        JsonPath d1 = fab.submit("transfer.dispatch", Map.of("units", List.of(ref("SRV-01")), "to", "sc-dist",
                "toSite", "sg-hub", "licenceRef", "TW-EXP-2026-0042", "carrier", "EVA Air Cargo"))
                .then().statusCode(201).extract().jsonPath();
        String t1 = dispatchId(d1, fab);
        dist.given().get("/api/v1/units/sc-fab/GPU-0001").then().statusCode(200)
                .body("custodian", equalTo("sc-fab")).body("pendingTransfer.id", equalTo(t1));
        dist.submit("transfer.receive", Map.of("transfer", t1, "site", "sg-hub", "units", List.of(ref("SRV-01"))))
                .then().statusCode(201);

        JsonPath d2 = dist.submit("transfer.dispatch", Map.of("units", List.of(ref("SRV-01")), "to", "sc-dc",
                "toSite", "ashburn", "licenceRef", "SG-STP-2026-7")).then().statusCode(201).extract().jsonPath();
        String t2 = dispatchId(d2, dist);
        dc.given().get("/api/v1/transfers?state=pending").then().statusCode(200).body("items[0].id", equalTo(t2));
        dc.submit("transfer.receive", Map.of("transfer", t2, "site", "ashburn", "units", List.of(ref("SRV-01"))))
                .then().statusCode(201);
        dc.submit("unit.disassemble", Map.of("parent", ref("SRV-01"), "components", List.of(ref("GPU-0001"))))
                .then().statusCode(201);
        dc.submit("unit.status", Map.of("unit", ref("GPU-0001"), "status", "decommissioned", "reason", "failed burn-in"))
                .then().statusCode(201);

        dc.given().get("/api/v1/units/sc-fab/GPU-0001").then().statusCode(200)
                .body("custodian", equalTo("sc-dc")).body("site", equalTo("ashburn"))
                .body("status", equalTo("decommissioned")).body("parent", org.hamcrest.Matchers.nullValue());
        List<String> history = fab.given().get("/api/v1/units/sc-fab/GPU-0001/history").then().statusCode(200)
                .extract().jsonPath().getList("type", String.class);
        List<String> expected = List.of("unit.register", "unit.assemble", "transfer.dispatch", "transfer.receive",
                "transfer.dispatch", "transfer.receive", "unit.disassemble", "unit.status");
        assertEquals(expected, history);

        String vkey = given().get("/api/v1/log/key").then().statusCode(200).extract().asString().trim();
        String bundle = dc.given().get("/api/v1/units/sc-fab/GPU-0001/bundle").then().statusCode(200).extract().asString();
        BundleVerifier.Verified v = BundleVerifier.verify(bundle, vkey);
        assertEquals(expected, v.types());
        assertEquals("fabtrail.local/log", v.origin());

        // rewriting an entry is caught: the last leaf made to say "active" instead of "decommissioned"
        String lastLeaf = JsonPath.from(bundle).getString("entries[-1].leaf");
        String changed = java.util.Base64.getEncoder().encodeToString(new String(java.util.Base64.getDecoder()
                .decode(lastLeaf), java.nio.charset.StandardCharsets.UTF_8).replace("decommissioned", "active")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String forged = bundle.replace(lastLeaf, changed);
        AssertionError caught = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> BundleVerifier.verify(forged, vkey));
        org.junit.jupiter.api.Assertions.assertTrue(caught.getMessage().contains("leaf hash"), caught.getMessage());
        // and a bundle from another log (another key) is refused
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> BundleVerifier.verify(bundle,
                vkey.substring(0, vkey.length() - 4) + "AAA="));
    }
}
