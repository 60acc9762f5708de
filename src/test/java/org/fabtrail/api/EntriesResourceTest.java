package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class EntriesResourceTest {

    private static ApiClient.Partner partner;
    private static SigningKey acme;
    private static SigningKey acmeEc;

    /** Once per class, but inside a test: RestAssured knows the test port only there. */
    @BeforeEach
    void onboard() throws Exception {
        OncePerClass.run(EntriesResourceTest.class, () -> {
            partner = ApiClient.partner("entries-acme", SignatureAlgorithm.ED25519, "manufacturer");
            acme = partner.key();
            acmeEc = SigningKey.generate(SignatureAlgorithm.ES256);
            given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                    .body(Map.of("publicKey", acmeEc.verificationKey().toPem()))
                    .post("/api/v1/admin/orgs/entries-acme/keys").then().statusCode(201);
        });
    }

    private static String rotation(SigningKey signer) {
        SigningKey next = SigningKey.generate(SignatureAlgorithm.ED25519);
        return ApiClient.envelope(ApiClient.payload("key.add", "entries-acme",
                Map.of("org", "entries-acme", "publicKey", next.verificationKey().toPem())), signer);
    }

    /** Checks a write answer the way a partner would: checkpoint signature, then the inclusion proof. */
    static void assertProvesInclusion(JsonPath answer) throws Exception {
        String vkey = given().get("/api/v1/log/key").then().statusCode(200).extract().asString().trim();
        String checkpoint = answer.getString("checkpoint");
        byte[] note = checkpoint.getBytes(StandardCharsets.UTF_8);
        org.fabtrail.ledger.checkpoint.Notes.open(note, List.of(NoteVerifier.parse(vkey)));
        Checkpoint cp = Checkpoint.parse(Note.parse(note).text());
        long index = answer.getLong("index");
        assertEquals(index, answer.getLong("inclusionProof.leafIndex"));
        assertEquals(cp.size(), answer.getLong("inclusionProof.treeSize"));
        List<byte[]> hashes = answer.getList("inclusionProof.hashes", String.class).stream()
                .map(HexFormat.of()::parseHex).toList();
        byte[] root = LedgerAssertions.rootFromInclusion(index, cp.size(),
                HexFormat.of().parseHex(answer.getString("leafHash")), hashes);
        assertArrayEquals(cp.rootHash(), root);
    }

    @Test
    void aSignedEntryIsAnsweredWithIndexCheckpointAndProof() throws Exception {
        for (SigningKey key : List.of(acme, acmeEc)) {
            JsonPath answer = partner.submit(rotation(key)).then().statusCode(201)
                    .contentType("application/json")
                    .header("Location", org.hamcrest.Matchers.containsString("/api/v1/entries/"))
                    .extract().jsonPath();
            assertProvesInclusion(answer);
        }
    }

    @Test
    void anIdenticalResubmissionReturnsTheOriginalAnswerAndAChangedOneConflicts() {
        Map<String, Object> payload = ApiClient.payload("key.add", "entries-acme", Map.of("org", "entries-acme",
                "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem()));
        String body = ApiClient.envelope(payload, acme);
        String first = partner.submit(body).then().statusCode(201).extract().asString();
        String again = partner.submit(body).then().statusCode(200).extract().asString();
        assertEquals(first, again);
        String receipt = partner.given().get("/api/v1/entries/" + payload.get("id") + "/receipt").then().statusCode(200)
                .extract().asString();
        assertEquals(first, receipt);

        payload.put("publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem());
        partner.submit(ApiClient.envelope(payload, acme)).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:fabtrail:problem:id-conflict"))
                .body("status", equalTo(409));
    }

    @Test
    void badInputGetsAProblemAndWritesNothing() {
        long before = treeSize();
        Map<String, Object> ok = ApiClient.payload("key.add", "entries-acme", Map.of("org", "entries-acme",
                "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem()));
        String valid = ApiClient.envelope(ok, acme);

        problem(partner.submit("{not json"), 400, "invalid-json");
        problem(partner.submit("[]"), 400, "invalid-envelope");
        problem(partner.submit("{\"payload\":{},\"signature\":{},\"extra\":1}"), 400, "unknown-field");
        problem(partner.submit(valid.replace("\"alg\":\"Ed25519\"", "\"alg\":\"RS256\"")), 400, "unsupported-algorithm");
        problem(partner.submit(valid.replace("\"value\":\"", "\"value\":\"!")), 400, "invalid-base64");
        // a duplicate member is not JSON we accept
        problem(partner.submit(valid.replace("{\"payload\":{", "{\"payload\":{\"actor\":\"x\",")), 400, "invalid-json");

        Map<String, Object> unknownField = new java.util.LinkedHashMap<>(ok);
        unknownField.put("id", java.util.UUID.randomUUID().toString());
        unknownField.put("colour", "red");
        problem(partner.submit(ApiClient.envelope(unknownField, acme)), 422, "unknown-field");

        Map<String, Object> unknownType = ApiClient.payload("unit.teleport", "entries-acme", Map.of());
        problem(partner.submit(ApiClient.envelope(unknownType, acme)), 422, "unknown-type");

        problem(partner.submit(valid.replace("\"time\":\"", "\"time\":\"2")), 400, "invalid-time");

        // a valid signature, but over another payload
        Map<String, Object> other = new java.util.LinkedHashMap<>(ok);
        other.put("id", java.util.UUID.randomUUID().toString());
        String otherSig = JsonPath.from(ApiClient.envelope(other, acme)).getString("signature.value");
        String okSig = JsonPath.from(valid).getString("signature.value");
        problem(partner.submit(ApiClient.envelope(other, acme).replace(otherSig, okSig)), 422, "signature-invalid");

        SigningKey stranger = SigningKey.generate(SignatureAlgorithm.ED25519);
        problem(partner.submit(ApiClient.envelope(ApiClient.payload("key.add", "entries-acme",
                Map.of("org", "entries-acme", "publicKey", stranger.verificationKey().toPem())), stranger)),
                422, "unknown-key");

        problem(partner.given().contentType("text/plain").body("hello").post("/api/v1/entries"), 415, "unsupported-media-type");
        assertEquals(before, treeSize(), "nothing was written");
    }

    @Test
    void aRevokedKeyIsRefused() {
        SigningKey temp = SigningKey.generate(SignatureAlgorithm.ED25519);
        String keyId = given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("publicKey", temp.verificationKey().toPem()))
                .post("/api/v1/admin/orgs/entries-acme/keys").then().statusCode(201)
                .body("keyId", equalTo(temp.keyId())).extract().path("keyId");
        partner.submit(rotation(temp)).then().statusCode(201);
        given().header("Authorization", ApiClient.ADMIN).delete("/api/v1/admin/orgs/entries-acme/keys/" + keyId)
                .then().statusCode(201);
        problem(partner.submit(rotation(temp)), 422, "key-revoked");
    }

    @Test
    void aBatchIsSequencedInOrderWithOneResultPerEnvelope() throws Exception {
        SigningKey added = SigningKey.generate(SignatureAlgorithm.ED25519);
        Map<String, Object> addKey = ApiClient.payload("key.add", "entries-acme",
                Map.of("org", "entries-acme", "publicKey", added.verificationKey().toPem()));
        Map<String, Object> badSig = ApiClient.payload("key.add", "entries-acme", Map.of("org", "entries-acme",
                "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem()));
        String forged = ApiClient.envelope(badSig, SigningKey.generate(SignatureAlgorithm.ED25519))
                .replaceAll("\"keyId\":\"[0-9a-f]{64}\"", "\"keyId\":\"" + acme.keyId() + "\"");
        // signed with the key the first item adds: it must see the first item's effect
        String usesNewKey = rotation(added);
        String body = "[" + ApiClient.envelope(addKey, acme) + "," + forged + ",{\"payload\":1}," + usesNewKey + "]";
        long before = treeSize();
        JsonPath r = partner.submitBatch(body)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(201, 422, 400, 201), r.getList("results.status", Integer.class));
        assertEquals(addKey.get("id"), r.getString("results[0].id"));
        assertEquals("urn:fabtrail:problem:signature-invalid", r.getString("results[1].problem.type"));
        assertEquals("urn:fabtrail:problem:missing-field", r.getString("results[2].problem.type"));
        assertEquals(r.getLong("results[0].receipt.index") + 1, r.getLong("results[3].receipt.index"));
        assertProvesInclusion(JsonPath.from(r.prettify()).setRootPath("results[3].receipt"));
        assertEquals(before + 2, treeSize());

        // the same batch again: the accepted ones are identical resubmissions now
        JsonPath again = partner.submitBatch(body)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(200, 422, 400, 200), again.getList("results.status", Integer.class));
        assertEquals(before + 2, treeSize());
    }

    @Test
    void aBatchMustBeANonEmptyArrayOfAtMostAThousand() {
        problem(partner.submitBatch("[]"), 400, "batch-size");
        problem(partner.submitBatch("{}"), 400, "invalid-batch");
        problem(partner.submitBatch("[1,"), 400, "invalid-json");
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(1001, "{}")) + "]";
        problem(partner.submitBatch(tooMany), 400, "batch-size");
    }

    @Test
    void aBatchHoldsEachEnvelopeToTheMaximumEntrySizeLikeASingleSubmission() {
        // A dispatch of 700 units with 64-character serials is about 75 KB, over the 65,536-byte limit. Its units
        // need not exist: the size is checked before anything else, so this test writes nothing to the shared log
        // (a batch used to skip the check and hand the envelope to the rules, which accept it if the units exist).
        List<Map<String, Object>> units = new java.util.ArrayList<>();
        for (int i = 0; i < 700; i++) {
            units.add(Map.of("manufacturer", "entries-acme", "serial", "S".repeat(58) + String.format("%06d", i)));
        }
        String dispatch = ApiClient.envelope(ApiClient.payload("transfer.dispatch", "entries-acme",
                Map.of("units", units, "to", "entries-acme", "toSite", "hall")), acme);
        org.junit.jupiter.api.Assertions.assertTrue(dispatch.length() > 65536, "the dispatch is " + dispatch.length());
        long before = treeSize();
        problem(partner.submit(dispatch), 400, "entry-too-large");
        JsonPath r = partner.submitBatch("[" + dispatch + "]").then().statusCode(200).extract().jsonPath();
        assertEquals(400, r.getInt("results[0].status"));
        assertEquals("urn:fabtrail:problem:entry-too-large", r.getString("results[0].problem.type"));
        assertEquals(before, treeSize());
    }

    static long treeSize() {
        String cp = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        return Long.parseLong(cp.split("\n")[1]);
    }

    static void problem(io.restassured.response.Response r, int status, String code) {
        r.then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("urn:fabtrail:problem:" + code))
                .body("status", equalTo(status))
                .body("title", org.hamcrest.Matchers.notNullValue())
                .body("detail", org.hamcrest.Matchers.notNullValue());
    }
}
