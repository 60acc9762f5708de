package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.merkle.Proofs;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public log endpoints: key, checkpoint, proofs and hash tiles, checked with independent code. */
@QuarkusTest
class LogResourceTest {

    /** Leaf hash by index, as the write answers reported them. */
    private static final Map<Long, byte[]> leafHashes = new HashMap<>();

    /** Once per class, but inside a test: RestAssured knows the test port only there. */
    @BeforeEach
    void writeSomeEntries() throws Exception {
        OncePerClass.run(LogResourceTest.class, () -> {
            ApiClient.Partner partner = ApiClient.partner("log-acme", SignatureAlgorithm.ED25519, "manufacturer");
            SigningKey key = partner.key();
            for (int i = 0; i < 20; i++) {
                JsonPath a = partner.submit(ApiClient.envelope(ApiClient.payload("key.add", "log-acme", Map.of("org", "log-acme",
                        "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem())), key))
                        .then().statusCode(201).extract().jsonPath();
                leafHashes.put(a.getLong("index"), HexFormat.of().parseHex(a.getString("leafHash")));
            }
        });
    }

    private static NoteVerifier logKey() {
        String vkey = given().get("/api/v1/log/key").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString().trim();
        return NoteVerifier.parse(vkey);
    }

    private static Checkpoint checkpoint() throws Exception {
        byte[] note = given().get("/api/v1/log/checkpoint").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asByteArray();
        org.fabtrail.ledger.checkpoint.Notes.open(note, List.of(logKey()));
        return Checkpoint.parse(Note.parse(note).text());
    }

    @Test
    void theCheckpointIsSignedByTheServedKeyUnderTheConfiguredOrigin() throws Exception {
        Checkpoint cp = checkpoint();
        assertEquals("fabtrail.local/log", cp.origin());
        assertEquals("fabtrail.local/log", logKey().name());
        assertTrue(cp.size() >= 21);
    }

    @Test
    void inclusionProofsVerifyAgainstTheCheckpointRoot() throws Exception {
        Checkpoint cp = checkpoint();
        for (Map.Entry<Long, byte[]> e : leafHashes.entrySet()) {
            JsonPath proof = given().queryParam("index", e.getKey()).queryParam("size", cp.size())
                    .get("/api/v1/log/proof/inclusion").then().statusCode(200)
                    .body("leafIndex", equalTo(e.getKey().intValue()))
                    .body("treeSize", equalTo((int) cp.size())).extract().jsonPath();
            List<byte[]> hashes = proof.getList("hashes", String.class).stream().map(HexFormat.of()::parseHex).toList();
            assertArrayEquals(cp.rootHash(), LedgerAssertions.rootFromInclusion(e.getKey(), cp.size(), e.getValue(), hashes));
        }
    }

    @Test
    void consistencyProofsLinkEveryEarlierSizeToTheCurrentOne() throws Exception {
        Checkpoint cp = checkpoint();
        byte[] tile = given().get("/api/v1/log/tile/0/000.p/" + cp.size()).then().statusCode(200).extract().asByteArray();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < cp.size(); i++) {
            leaves.add(Arrays.copyOfRange(tile, 32 * i, 32 * i + 32));
        }
        for (long m = 1; m <= cp.size(); m++) {
            JsonPath proof = given().queryParam("from", m).queryParam("to", cp.size())
                    .get("/api/v1/log/proof/consistency").then().statusCode(200)
                    .body("from", equalTo((int) m)).body("to", equalTo((int) cp.size())).extract().jsonPath();
            List<byte[]> hashes = proof.getList("hashes", String.class).stream().map(HexFormat.of()::parseHex).toList();
            Proofs.verifyConsistency(m, cp.size(), LedgerAssertions.mth(leaves, 0, (int) m), cp.rootHash(), hashes);
        }
    }

    @Test
    void hashTilesHoldTheLeafHashesAndCommitToTheRoot() throws Exception {
        Checkpoint cp = checkpoint();
        assertTrue(cp.size() < 256, "this test expects a single partial tile");
        byte[] tile = given().get("/api/v1/log/tile/0/000.p/" + cp.size()).then().statusCode(200)
                .contentType("application/octet-stream").extract().asByteArray();
        assertEquals(32 * cp.size(), tile.length);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < cp.size(); i++) {
            leaves.add(Arrays.copyOfRange(tile, 32 * i, 32 * i + 32));
        }
        for (Map.Entry<Long, byte[]> e : leafHashes.entrySet()) {
            assertArrayEquals(e.getValue(), leaves.get(e.getKey().intValue()));
        }
        assertArrayEquals(cp.rootHash(), LedgerAssertions.mth(leaves, 0, leaves.size()));
        // a narrower partial tile is a prefix of the wider one
        byte[] narrow = given().get("/api/v1/log/tile/0/000.p/3").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Arrays.copyOf(tile, 96), narrow);
    }

    @Test
    void outOfRangeOrMalformedRequestsAreRefusedNeverFabricated() throws Exception {
        long size = checkpoint().size();
        EntriesResourceTest.problem(given().queryParam("index", size).queryParam("size", size)
                .get("/api/v1/log/proof/inclusion"), 400, "out-of-range");
        EntriesResourceTest.problem(given().queryParam("index", 0).queryParam("size", size + 1000)
                .get("/api/v1/log/proof/inclusion"), 400, "out-of-range");
        EntriesResourceTest.problem(given().queryParam("index", "-1").queryParam("size", 3)
                .get("/api/v1/log/proof/inclusion"), 400, "invalid-parameter");
        EntriesResourceTest.problem(given().queryParam("index", "1e3").queryParam("size", 3)
                .get("/api/v1/log/proof/inclusion"), 400, "invalid-parameter");
        EntriesResourceTest.problem(given().queryParam("size", 3).get("/api/v1/log/proof/inclusion"), 400,
                "missing-parameter");
        EntriesResourceTest.problem(given().queryParam("from", 0).queryParam("to", 3)
                .get("/api/v1/log/proof/consistency"), 400, "out-of-range");
        EntriesResourceTest.problem(given().queryParam("from", 5).queryParam("to", 3)
                .get("/api/v1/log/proof/consistency"), 400, "out-of-range");
        EntriesResourceTest.problem(given().queryParam("from", 1).queryParam("to", size + 1)
                .get("/api/v1/log/proof/consistency"), 400, "out-of-range");
        EntriesResourceTest.problem(given().queryParam("from", "99999999999999999999").queryParam("to", 3)
                .get("/api/v1/log/proof/consistency"), 400, "invalid-parameter");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/000"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/001.p/1"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/000.p/" + (size + 1)), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/x000/000.p/1"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/00.p/1"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/0/000.p/0"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/01/000.p/1"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/1/000.p/1"), 404, "no-such-tile");
        EntriesResourceTest.problem(given().get("/api/v1/log/tile/entries/000.p/1"), 404, "not-public");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN)
                .get("/api/v1/entries/not-a-uuid/receipt"), 400, "invalid-id");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN)
                .get("/api/v1/entries/" + java.util.UUID.randomUUID() + "/receipt"), 404, "entry-not-found");
        EntriesResourceTest.problem(given().get("/api/v1/nothing-here"), 404, "not-found");
    }

    @Test
    void theNoteIsByteExactUtf8WithTheEmDash() {
        byte[] note = given().get("/api/v1/log/checkpoint").then().extract().asByteArray();
        String text = new String(note, StandardCharsets.UTF_8);
        assertTrue(text.contains("\n\n\u2014 fabtrail.local/log "), text);
        assertTrue(text.endsWith("\n"));
    }
}
