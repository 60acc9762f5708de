package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer API tokens: shown once, stored as a hash, scoped, revocable, expiring, bound to their organisation. */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class TokensTest {

    private static ApiClient.Partner alpha;
    private static ApiClient.Partner beta;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void onboard() throws Exception {
        OncePerClass.run(TokensTest.class, () -> {
            alpha = ApiClient.partner("tok-alpha", SignatureAlgorithm.ED25519, "distributor");
            beta = ApiClient.partner("tok-beta", SignatureAlgorithm.ED25519, "distributor");
        });
    }

    private static io.restassured.response.Response create(String bearer, String org, Object body) {
        return given().header("Authorization", bearer).contentType("application/json").body(body)
                .post("/api/v1/orgs/" + org + "/tokens");
    }

    private static Map<String, Object> request(String name, List<String> scopes, Integer days) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("scopes", scopes);
        if (days != null) {
            m.put("expiresInDays", days);
        }
        return m;
    }

    private static JsonPath token(String org, String... scopes) {
        return create(ApiClient.ADMIN, org, request("t", List.of(scopes), 30)).then().statusCode(201).extract().jsonPath();
    }

    private static int orgs(String bearer) {
        return given().header("Authorization", bearer).get("/api/v1/orgs").statusCode();
    }

    /** Every column of the token's row, as text. */
    private List<String> row(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_tokens WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "token row " + id);
                ResultSetMetaData md = rs.getMetaData();
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    out.add(md.getColumnName(i) + "=" + (v instanceof java.sql.Array a
                            ? String.join(",", (String[]) a.getArray()) : v instanceof byte[] b
                            ? new String(b, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(v)));
                }
                return out;
            }
        }
    }

    private byte[] storedHash(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT token_hash FROM api_tokens WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBytes(1);
            }
        }
    }

    private void sql(String statement, String id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setObject(1, UUID.fromString(id));
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Test
    void aTokenIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        JsonPath made = create(alpha.bearer(), "tok-alpha", request("erp sync", List.of("write", "read"), 10))
                .then().statusCode(201).body("org", equalTo("tok-alpha")).body("name", equalTo("erp sync"))
                .extract().jsonPath();
        String token = made.getString("token");
        String id = made.getString("id");
        assertTrue(token.startsWith("ftk_"), token);
        assertTrue(token.length() >= 4 + 43, "256 random bits");
        assertEquals(List.of("read", "write"), made.getList("scopes", String.class));
        assertNotNull(made.getString("expiresAt"));
        assertNull(made.getString("revokedAt"));
        // the scheme name is case-insensitive; the token is not
        assertEquals(200, orgs("bearer " + token));
        assertEquals(200, orgs("BEARER " + token));
        assertEquals(401, orgs("Bearer " + token.toUpperCase()));

        // the list shows the token's facts, never the token
        String list = given().header("Authorization", alpha.bearer()).get("/api/v1/orgs/tok-alpha/tokens").then()
                .statusCode(200).extract().asString();
        assertFalse(list.contains(token.substring(4)), list);
        List<Map<String, Object>> listed = JsonPath.from(list).getList("$");
        Map<String, Object> mine = listed.stream().filter(t -> id.equals(t.get("id"))).findFirst().orElseThrow();
        assertFalse(mine.containsKey("token"), mine.toString());
        assertEquals(List.of("read", "write"), mine.get("scopes"));
        assertTrue(listed.stream().noneMatch(t -> t.containsKey("token")));

        // the database holds a 32-byte SHA-256 of it and nothing that contains it
        byte[] hash = storedHash(id);
        assertEquals(32, hash.length);
        assertArrayEquals(Authenticator.sha256(token), hash);
        for (String column : row(id)) {
            assertFalse(column.contains(token.substring(4)), column);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM api_tokens t WHERE t::text LIKE ?")) {
            ps.setString(1, "%" + token.substring(4) + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no api_tokens row contains the token text");
            }
        }

        // and the token works, once and again
        assertEquals(200, orgs("Bearer " + token));
        assertEquals(200, orgs("Bearer " + token));
    }

    @Test
    void anOrganisationAdminManagesItsOwnTokensOnly() {
        String id = create(alpha.bearer(), "tok-alpha", request("own", List.of("read"), 5)).then().statusCode(201)
                .extract().path("id");
        given().header("Authorization", alpha.bearer()).delete("/api/v1/orgs/tok-alpha/tokens/" + id).then()
                .statusCode(200).body("id", equalTo(id)).body("revokedAt", org.hamcrest.Matchers.notNullValue());

        problem(create(alpha.bearer(), "tok-beta", request("theirs", List.of("read"), 5)), 403, "other-organisation");
        problem(given().header("Authorization", alpha.bearer()).get("/api/v1/orgs/tok-beta/tokens"), 403,
                "other-organisation");
        String betaToken = token("tok-beta", "read").getString("id");
        problem(given().header("Authorization", alpha.bearer()).delete("/api/v1/orgs/tok-beta/tokens/" + betaToken),
                403, "other-organisation");
        // nor through its own path: the token is not alpha's
        problem(given().header("Authorization", alpha.bearer()).delete("/api/v1/orgs/tok-alpha/tokens/" + betaToken),
                404, "token-not-found");
        given().header("Authorization", beta.bearer()).get("/api/v1/orgs/tok-beta/tokens").then().statusCode(200)
                .body("find { it.id == '" + betaToken + "' }.revokedAt", org.hamcrest.Matchers.nullValue());

        // a token without the admin scope manages nothing, not even its own organisation's tokens
        String readWrite = "Bearer " + token("tok-alpha", "read", "write").getString("token");
        problem(create(readWrite, "tok-alpha", request("more", List.of("read"), 5)), 403, "scope-required");
        problem(given().header("Authorization", readWrite).get("/api/v1/orgs/tok-alpha/tokens"), 403, "scope-required");
        // the operator manages every organisation's tokens
        given().header("Authorization", ApiClient.ADMIN).delete("/api/v1/orgs/tok-beta/tokens/" + betaToken).then()
                .statusCode(200);
        problem(given().header("Authorization", ApiClient.ADMIN).get("/api/v1/orgs/tok-nobody/tokens"), 404,
                "unknown-org");
    }

    @Test
    void scopesAreEnforced() {
        String read = "Bearer " + token("tok-alpha", "read").getString("token");
        String write = "Bearer " + token("tok-alpha", "write").getString("token");
        long before = CustodyClient.treeSize();
        String site = ApiClient.envelope(ApiClient.payload("site.register", "tok-alpha",
                CustodyClient.siteFields("scoped", "NL")), alpha.key());
        problem(given().header("Authorization", read).contentType("application/json").body(site).post("/api/v1/entries"),
                403, "scope-required");
        problem(given().header("Authorization", read).contentType("application/json").body("[" + site + "]")
                .post("/api/v1/entries/batch"), 403, "scope-required");
        assertEquals(before, CustodyClient.treeSize());
        // a write-only token writes, but reads nothing
        given().header("Authorization", write).contentType("application/json").body(site).post("/api/v1/entries")
                .then().statusCode(201);
        problem(given().header("Authorization", write).get("/api/v1/orgs"), 403, "scope-required");
        problem(given().header("Authorization", write).get("/api/v1/feed"), 403, "scope-required");
        assertEquals(200, orgs(read));
    }

    @Test
    void revocationRefusesTheVeryNextRequest() {
        JsonPath t = token("tok-alpha", "read");
        String bearer = "Bearer " + t.getString("token");
        assertEquals(200, orgs(bearer));
        given().header("Authorization", alpha.bearer()).delete("/api/v1/orgs/tok-alpha/tokens/" + t.getString("id"))
                .then().statusCode(200);
        problem(given().header("Authorization", bearer).get("/api/v1/orgs"), 401, "unauthenticated");
        given().header("Authorization", bearer).get("/api/v1/orgs").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("detail", containsString("revoked"));
        // revoking again changes nothing and keeps the first revocation time
        String first = given().header("Authorization", ApiClient.ADMIN).get("/api/v1/orgs/tok-alpha/tokens").then()
                .extract().path("find { it.id == '" + t.getString("id") + "' }.revokedAt");
        given().header("Authorization", alpha.bearer()).delete("/api/v1/orgs/tok-alpha/tokens/" + t.getString("id"))
                .then().statusCode(200).body("revokedAt", equalTo(first));
        assertEquals(401, orgs(bearer));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JsonPath t = token("tok-alpha", "read");
        String bearer = "Bearer " + t.getString("token");
        assertEquals(200, orgs(bearer));
        sql("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ?", t.getString("id"));
        given().header("Authorization", bearer).get("/api/v1/orgs").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:fabtrail:problem:unauthenticated"))
                .body("detail", containsString("expired"));
    }

    @Test
    void unknownAndMalformedCredentialsAreRefused() {
        String token = token("tok-alpha", "read").getString("token");
        for (String header : List.of("Bearer ", "Bearer ftk_nope", "Basic " + token, "bearer" + token, token,
                "Bearer " + token.substring(0, token.length() - 1), "Bearer " + token + "x")) {
            problem(given().header("Authorization", header).get("/api/v1/orgs"), 401, "unauthenticated");
        }
        problem(given().get("/api/v1/orgs"), 401, "unauthenticated");
        assertEquals(200, orgs("Bearer " + token));
    }

    @Test
    void aTokenWritesOnlyForItsOwnOrganisation() {
        long before = CustodyClient.treeSize();
        // a valid entry signed by beta's own key, submitted with alpha's token
        String betaSite = ApiClient.envelope(ApiClient.payload("site.register", "tok-beta",
                CustodyClient.siteFields("sneaky", "NL")), beta.key());
        problem(alpha.submit(betaSite), 403, "actor-mismatch");
        alpha.submit(betaSite).then().body("field", equalTo("payload.actor"));
        JsonPath batch = alpha.submitBatch("[" + betaSite + "]").then().statusCode(200).extract().jsonPath();
        assertEquals(403, batch.getInt("results[0].status"));
        assertEquals("urn:fabtrail:problem:actor-mismatch", batch.getString("results[0].problem.type"));
        assertEquals(before, CustodyClient.treeSize(), "nothing was written");
        // the same entry with beta's own token is fine
        beta.submit(betaSite).then().statusCode(201);
        assertEquals(before + 1, CustodyClient.treeSize());
    }

    @Test
    void badTokenRequestsNameTheField() {
        Object[][] cases = {
            {request(null, List.of("read"), 10), "name"},
            {request("  ", List.of("read"), 10), "name"},
            {request("x".repeat(101), List.of("read"), 10), "name"},
            {request("t", List.of("read", "delete"), 10), "scopes"},
            {request("t", List.of(), 10), "scopes"},
            {request("t", null, 10), "scopes"},
            {request("t", List.of("read"), 0), "expiresInDays"},
            {request("t", List.of("read"), -1), "expiresInDays"},
            {request("t", List.of("read"), 366), "expiresInDays"},
            {request("t", List.of("read"), 100000), "expiresInDays"},
        };
        int before = given().header("Authorization", ApiClient.ADMIN).get("/api/v1/orgs/tok-beta/tokens").then()
                .extract().jsonPath().getList("$").size();
        for (Object[] c : cases) {
            var r = create(beta.bearer(), "tok-beta", c[0]);
            problem(r, 422, "invalid-token-request");
            r.then().body("field", equalTo(c[1]));
        }
        problem(given().header("Authorization", beta.bearer()).contentType("application/json").body("{\"name\":")
                .post("/api/v1/orgs/tok-beta/tokens"), 400, "invalid-json");
        int after = given().header("Authorization", ApiClient.ADMIN).get("/api/v1/orgs/tok-beta/tokens").then()
                .extract().jsonPath().getList("$").size();
        assertEquals(before, after, "no token was created");
        // the bounds themselves are fine; no lifetime means 90 days
        create(beta.bearer(), "tok-beta", request("t", List.of("read"), 1)).then().statusCode(201);
        create(beta.bearer(), "tok-beta", request("t", List.of("read"), 365)).then().statusCode(201);
        JsonPath dflt = create(beta.bearer(), "tok-beta", request("t", List.of("read"), null)).then().statusCode(201)
                .extract().jsonPath();
        assertEquals(java.time.Duration.ofDays(90), java.time.Duration.between(
                java.time.Instant.parse(dflt.getString("createdAt")), java.time.Instant.parse(dflt.getString("expiresAt"))));
    }

    /** A member of the wrong JSON type is refused, naming it, and creates nothing (Jackson would have converted it). */
    @Test
    void membersOfTheWrongTypeAreRefusedNotConverted() {
        String[][] cases = {
            {"{\"name\":\"t\",\"scopes\":[\"read\"],\"expiresInDays\":1.5}", "expiresInDays must be an integer"},
            {"{\"name\":\"t\",\"scopes\":[\"read\"],\"expiresInDays\":\"30\"}", "expiresInDays must be an integer"},
            {"{\"name\":5,\"scopes\":[\"read\"]}", "name must be a string"},
            {"{\"name\":\"t\",\"scopes\":[true]}", "scopes[0] must be a string"},
            {"{\"name\":\"t\",\"scopes\":\"read\"}", "scopes must be an array"},
            {"[]", "the body must be an object"},
        };
        int before = given().header("Authorization", ApiClient.ADMIN).get("/api/v1/orgs/tok-beta/tokens").then()
                .extract().jsonPath().getList("$").size();
        for (String[] c : cases) {
            var r = create(beta.bearer(), "tok-beta", c[0]);
            problem(r, 400, "invalid-json");
            assertEquals("The body is not the expected JSON: " + c[1], r.jsonPath().getString("detail"), c[0]);
        }
        int after = given().header("Authorization", ApiClient.ADMIN).get("/api/v1/orgs/tok-beta/tokens").then()
                .extract().jsonPath().getList("$").size();
        assertEquals(before, after, "no token was created");
    }
}
