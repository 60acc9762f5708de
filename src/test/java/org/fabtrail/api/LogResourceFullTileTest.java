package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.testing.LedgerAssertions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full hash tiles (no {@code .p/<W>} suffix) need a log of at least 256 entries, so this class runs on a log of
 * its own: the test profile restarts the application on a fresh database, and the other classes' assumptions
 * about a small log stay true.
 */
@QuarkusTest
@TestProfile(LogResourceFullTileTest.OwnLog.class)
class LogResourceFullTileTest {

    /** No overrides: a distinct profile is what gives this class its own application and database. */
    public static class OwnLog implements QuarkusTestProfile {
    }

    @Test
    void fullTilesAreServedOnceTheTreeHoldsThem() throws Exception {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        Map<Long, byte[]> leafHashes = new HashMap<>();
        for (int i = 0; i < 260; i++) {
            JsonPath a = given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                    .body(Map.of("id", "tile-org-" + i, "name", "Tile org " + i, "country", "DE",
                            "roles", List.of("distributor")))
                    .when().post("/api/v1/admin/orgs").then().statusCode(201).extract().jsonPath();
            leafHashes.put(a.getLong("index"), HexFormat.of().parseHex(a.getString("leafHash")));
        }
        String note = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        Checkpoint cp = Checkpoint.parse(Note.parse(note.getBytes(java.nio.charset.StandardCharsets.UTF_8)).text());
        assertTrue(cp.size() >= 261, "genesis plus 260 entries");

        byte[] full = given().get("/api/v1/log/tile/0/000").then().statusCode(200)
                .contentType("application/octet-stream")
                .header("Cache-Control", org.hamcrest.Matchers.containsString("immutable"))
                .extract().asByteArray();
        assertEquals(32 * 256, full.length);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            leaves.add(Arrays.copyOfRange(full, 32 * i, 32 * i + 32));
        }
        leafHashes.forEach((index, hash) -> {
            if (index < 256) {
                assertArrayEquals(hash, leaves.get(index.intValue()), "leaf " + index);
            }
        });
        // immutable: a strong validator from the content, and a revalidation answered 304 without the bytes
        String etag = given().get("/api/v1/log/tile/0/000").then().statusCode(200).extract().header("ETag");
        assertTrue(etag != null && etag.matches("\"[0-9a-f]{32}\""), "strong ETag: " + etag);
        given().header("If-None-Match", etag).get("/api/v1/log/tile/0/000").then().statusCode(304)
                .header("ETag", etag).header("Cache-Control", org.hamcrest.Matchers.containsString("immutable"));
        byte[] again = given().header("If-None-Match", "\"00000000000000000000000000000000\"")
                .get("/api/v1/log/tile/0/000").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(full, again);
        // a partial tile is a prefix of the full one
        byte[] partial = given().get("/api/v1/log/tile/0/000.p/255").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Arrays.copyOf(full, 32 * 255), partial);
        // level 1 holds the tree's level-8 nodes: its first hash is the root of leaves [0, 256)
        byte[] level1 = given().get("/api/v1/log/tile/1/000.p/1").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(LedgerAssertions.mth(leaves, 0, 256), level1);
        // the next full tile does not exist yet, and a partial width of 256 is not a partial tile
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/001"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/000.p/256"), 404, "no-such-tile");
    }
}
