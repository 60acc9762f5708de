package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint × every kind of caller × own/other resource, against an expected table written out by hand.
 *
 * <p>The world, built through the public API only (the expired token aside, which needs SQL): manufacturers
 * {@code mx-fab} and {@code mx-other}, distributor {@code mx-dist}, datacenter {@code mx-dc}, inspector
 * {@code mx-insp}, regulator {@code mx-reg}, each with a site where its role needs one. Unit U was made by mx-fab,
 * dispatched to mx-dist (transfer T) and received there; unit V was made by mx-other and nobody else touched it.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class AuthorizationMatrixTest {

    static final String U = "MX-U-0001";
    static final String V = "MX-V-0001";

    /** The table's columns. read-only, revoked and expired are tokens of mx-fab; operator is the bootstrap admin token. */
    static final List<String> CALLERS = List.of("anonymous", "mx-fab", "mx-other", "mx-dist", "mx-dc", "mx-insp",
            "mx-reg", "read-only", "revoked", "expired", "operator");

    /*
     * The expected answers. Each cell is the HTTP status; 401 always carries problem "unauthenticated", a 404 the
     * row's problem, a 403 the named one (scope = scope-required, org = other-organisation, op = operator-only,
     * actor = actor-mismatch). Batch cells are "<HTTP status>/<the one item's status>".
     * {own} is the caller's organisation (mx-fab for anonymous, read-only, revoked, expired and the operator);
     * {other} is mx-other (mx-fab for mx-other itself).
     */
    static final String[][] TABLE = {
        // endpoint                                    404 problem          anonymous mx-fab     mx-other   mx-dist    mx-dc      mx-insp    mx-reg     read-only  revoked expired operator
        {"GET /log/checkpoint (public)",              "",                  "200",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "200",  "200",  "200"},
        {"GET /units",                                "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /units/{U}",                            "unit-not-found",    "401",    "200",     "404",     "200",     "404",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /units/{V}",                            "unit-not-found",    "401",    "404",     "200",     "404",     "404",     "200",     "200",     "404",     "401",  "401",  "200"},
        {"GET /units/{missing}",                      "unit-not-found",    "401",    "404",     "404",     "404",     "404",     "404",     "404",     "404",     "401",  "401",  "404"},
        {"GET /units/{U}/history",                    "unit-not-found",    "401",    "200",     "404",     "200",     "404",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /units/{V}/history",                    "unit-not-found",    "401",    "404",     "200",     "404",     "404",     "200",     "200",     "404",     "401",  "401",  "200"},
        {"GET /units/{U}/bundle",                     "unit-not-found",    "401",    "200",     "404",     "200",     "404",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /units/{V}/bundle",                     "unit-not-found",    "401",    "404",     "200",     "404",     "404",     "200",     "200",     "404",     "401",  "401",  "200"},
        {"GET /feed",                                 "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /transfers",                            "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /transfers/{T}",                        "transfer-not-found", "401",   "200",     "404",     "200",     "404",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /transfers/{missing}",                  "transfer-not-found", "401",   "404",     "404",     "404",     "404",     "404",     "404",     "404",     "401",  "401",  "404"},
        {"GET /orgs",                                 "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /orgs/{own}",                           "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /orgs/{other}",                         "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /orgs/{missing}",                       "unknown-org",       "401",    "404",     "404",     "404",     "404",     "404",     "404",     "404",     "401",  "401",  "404"},
        {"GET /orgs/{own}/sites",                     "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /orgs/{other}/sites",                   "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /entries/{U registration}/receipt",     "entry-not-found",   "401",    "200",     "404",     "200",     "404",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /entries/{V registration}/receipt",     "entry-not-found",   "401",    "404",     "200",     "404",     "404",     "200",     "200",     "404",     "401",  "401",  "200"},
        {"GET /entries/{other's site}/receipt",       "entry-not-found",   "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"POST /entries as {own}",                    "",                  "401",    "201",     "201",     "201",     "201",     "201",     "201",     "403:scope", "401", "401",  "201"},
        {"POST /entries as {other}",                  "",                  "401",    "403:actor", "403:actor", "403:actor", "403:actor", "403:actor", "403:actor", "403:scope", "401", "401", "201"},
        {"POST /entries/batch as {own}",              "",                  "401",    "200/201", "200/201", "200/201", "200/201", "200/201", "200/201", "403:scope", "401", "401",  "200/201"},
        {"POST /entries/batch as {other}",            "",                  "401",    "200/403:actor", "200/403:actor", "200/403:actor", "200/403:actor", "200/403:actor", "200/403:actor", "403:scope", "401", "401", "200/201"},
        {"GET /orgs/{own}/tokens",                    "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "403:scope", "401", "401",  "200"},
        {"GET /orgs/{other}/tokens",                  "",                  "401",    "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "401", "401",   "200"},
        {"POST /orgs/{own}/tokens",                   "",                  "401",    "201",     "201",     "201",     "201",     "201",     "201",     "403:scope", "401", "401",  "201"},
        {"POST /orgs/{other}/tokens",                 "",                  "401",    "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "401", "401",   "201"},
        {"DELETE /orgs/{own}/tokens/{own token}",     "token-not-found",   "401",    "200",     "200",     "200",     "200",     "200",     "200",     "403:scope", "401", "401",  "200"},
        {"DELETE /orgs/{other}/tokens/{other token}", "token-not-found",   "401",    "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "401", "401",   "200"},
        {"DELETE /orgs/{own}/tokens/{other token}",   "token-not-found",   "401",    "404",     "404",     "404",     "404",     "404",     "404",     "403:scope", "401", "401",  "404"},
        {"GET /orgs/{own}/webhooks",                  "",                  "401",    "200",     "200",     "200",     "200",     "200",     "200",     "200",     "401",  "401",  "200"},
        {"GET /orgs/{other}/webhooks",                "",                  "401",    "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "401", "401",   "200"},
        {"POST /orgs/{other}/webhooks",               "",                  "401",    "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "403:org", "401", "401",   "422"},
        {"POST /admin/orgs",                          "",                  "401",    "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "401",  "401",  "201"},
        {"POST /admin/orgs/{own}/keys",               "",                  "401",    "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "401",  "401",  "201"},
        {"POST /admin/orgs/{other}/keys",             "",                  "401",    "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "401",  "401",  "201"},
        {"DELETE /admin/orgs/{own}/keys/{key}",       "",                  "401",    "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "403:op",  "401",  "401",  "201"},
        {"POST /attestations/challenges for {U}",     "unit-not-found",    "401",    "403:chal", "404",    "201",     "404",     "201",     "201",     "403:scope", "401", "401",  "201"},
        {"POST /attestations/challenges for {V}",     "unit-not-found",    "401",    "404",     "201",     "404",     "404",     "201",     "201",     "403:scope", "401", "401",  "201"},
        {"POST /attestations/verify for {U}",         "unit-not-found",    "401",    "200",     "404",     "200",     "404",     "200",     "200",     "200",     "401",  "401",  "200"},
    };

    private static final Map<String, String> FORBIDDEN = Map.of("scope", "scope-required", "org", "other-organisation",
            "op", "operator-only", "actor", "actor-mismatch", "chal", "challenge-not-allowed");

    private static final Map<String, ApiClient.Partner> partners = new LinkedHashMap<>();
    /** Authorization header of each caller (none for anonymous). */
    private static final Map<String, String> bearers = new LinkedHashMap<>();
    private static String transferT;
    private static String registrationU;
    private static String registrationV;
    private static String otherSiteEntry;
    private static final AtomicInteger counter = new AtomicInteger();

    @Inject
    DataSource dataSource;

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (String[] row : TABLE) {
            assertEquals(2 + CALLERS.size(), row.length, row[0]);
            for (int i = 0; i < CALLERS.size(); i++) {
                out.add(Arguments.of(row[0], CALLERS.get(i), row[2 + i], row[1]));
            }
        }
        return out.stream();
    }

    /** Once per class, but inside a test: RestAssured knows the test port only there. */
    @BeforeEach
    void world() throws Exception {
        OncePerClass.run(AuthorizationMatrixTest.class, () -> {
            partners.put("mx-fab", ApiClient.partner("mx-fab", SignatureAlgorithm.ED25519, "manufacturer"));
            partners.put("mx-other", ApiClient.partner("mx-other", SignatureAlgorithm.ES256, "manufacturer"));
            partners.put("mx-dist", ApiClient.partner("mx-dist", SignatureAlgorithm.ED25519, "distributor"));
            partners.put("mx-dc", ApiClient.partner("mx-dc", SignatureAlgorithm.ED25519, "datacenter"));
            partners.put("mx-insp", ApiClient.partner("mx-insp", SignatureAlgorithm.ED25519, "inspector"));
            partners.put("mx-reg", ApiClient.partner("mx-reg", SignatureAlgorithm.ED25519, "regulator"));
            ApiClient.Partner fab = partners.get("mx-fab");
            ApiClient.Partner other = partners.get("mx-other");
            ApiClient.Partner dist = partners.get("mx-dist");
            CustodyClient.site(fab, "hsinchu", "TW");
            otherSiteEntry = CustodyClient.site(other, "pyeongtaek", "KR");
            CustodyClient.site(dist, "ams", "NL");
            CustodyClient.site(partners.get("mx-dc"), "dc-east", "US");

            registrationU = CustodyClient.register(fab, U, "accelerator", "H200", "hsinchu");
            registrationV = CustodyClient.register(other, V, "accelerator", "X1", "pyeongtaek");
            transferT = CustodyClient.dispatch(fab, "mx-dist", "ams", List.of(ref("mx-fab", U)));
            CustodyClient.receive(dist, transferT, "ams", List.of(ref("mx-fab", U)));

            bearers.put("anonymous", null);
            partners.forEach((org, p) -> bearers.put(org, p.bearer()));
            bearers.put("read-only", "Bearer " + createToken("mx-fab", "read").getString("token"));
            JsonPath revoked = createToken("mx-fab", "read", "write", "admin");
            given().header("Authorization", ApiClient.ADMIN).delete("/api/v1/orgs/mx-fab/tokens/" + revoked.getString("id"))
                    .then().statusCode(200);
            bearers.put("revoked", "Bearer " + revoked.getString("token"));
            JsonPath expired = createToken("mx-fab", "read", "write", "admin");
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = ?")) {
                ps.setObject(1, UUID.fromString(expired.getString("id")));
                assertEquals(1, ps.executeUpdate());
            }
            bearers.put("expired", "Bearer " + expired.getString("token"));
            bearers.put("operator", ApiClient.ADMIN);
        });
    }

    static JsonPath createToken(String org, String... scopes) {
        return given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("name", "matrix", "scopes", List.of(scopes)))
                .post("/api/v1/orgs/" + org + "/tokens").then().statusCode(201).extract().jsonPath();
    }

    static String home(String caller) {
        return partners.containsKey(caller) ? caller : "mx-fab";
    }

    static String other(String caller) {
        return home(caller).equals("mx-other") ? "mx-fab" : "mx-other";
    }

    /** A site.register signed by {@code org}, with a fresh site id. */
    static String siteEnvelope(String org) {
        ApiClient.Partner p = partners.get(org);
        return ApiClient.envelope(ApiClient.payload("site.register", org,
                CustodyClient.siteFields("m-" + counter.incrementAndGet(), "DE")), p.key());
    }

    private static Response call(String endpoint, String caller) {
        String own = home(caller);
        String other = other(caller);
        RequestSpecification req = given();
        String bearer = bearers.get(caller);
        if (bearer != null) {
            req = req.header("Authorization", bearer);
        }
        String unitU = "/api/v1/units/mx-fab/" + U;
        String unitV = "/api/v1/units/mx-other/" + V;
        return switch (endpoint) {
            case "GET /log/checkpoint (public)" -> req.get("/api/v1/log/checkpoint");
            case "GET /units" -> req.get("/api/v1/units");
            case "GET /units/{U}" -> req.get(unitU);
            case "GET /units/{V}" -> req.get(unitV);
            case "GET /units/{missing}" -> req.get("/api/v1/units/mx-fab/MX-NOPE");
            case "GET /units/{U}/history" -> req.get(unitU + "/history");
            case "GET /units/{V}/history" -> req.get(unitV + "/history");
            case "GET /units/{U}/bundle" -> req.get(unitU + "/bundle");
            case "GET /units/{V}/bundle" -> req.get(unitV + "/bundle");
            case "GET /feed" -> req.get("/api/v1/feed");
            case "GET /transfers" -> req.get("/api/v1/transfers");
            case "GET /transfers/{T}" -> req.get("/api/v1/transfers/" + transferT);
            case "GET /transfers/{missing}" -> req.get("/api/v1/transfers/" + UUID.randomUUID());
            case "GET /orgs" -> req.get("/api/v1/orgs");
            case "GET /orgs/{own}" -> req.get("/api/v1/orgs/" + own);
            case "GET /orgs/{other}" -> req.get("/api/v1/orgs/" + other);
            case "GET /orgs/{missing}" -> req.get("/api/v1/orgs/mx-nobody");
            case "GET /orgs/{own}/sites" -> req.get("/api/v1/orgs/" + own + "/sites");
            case "GET /orgs/{other}/sites" -> req.get("/api/v1/orgs/" + other + "/sites");
            case "GET /entries/{U registration}/receipt" -> req.get("/api/v1/entries/" + registrationU + "/receipt");
            case "GET /entries/{V registration}/receipt" -> req.get("/api/v1/entries/" + registrationV + "/receipt");
            case "GET /entries/{other's site}/receipt" -> req.get("/api/v1/entries/" + otherSiteEntry + "/receipt");
            case "POST /entries as {own}" -> req.contentType("application/json").body(siteEnvelope(own))
                    .post("/api/v1/entries");
            case "POST /entries as {other}" -> req.contentType("application/json").body(siteEnvelope(other))
                    .post("/api/v1/entries");
            case "POST /entries/batch as {own}" -> req.contentType("application/json")
                    .body("[" + siteEnvelope(own) + "]").post("/api/v1/entries/batch");
            case "POST /entries/batch as {other}" -> req.contentType("application/json")
                    .body("[" + siteEnvelope(other) + "]").post("/api/v1/entries/batch");
            case "GET /orgs/{own}/webhooks" -> req.get("/api/v1/orgs/" + own + "/webhooks");
            case "GET /orgs/{other}/webhooks" -> req.get("/api/v1/orgs/" + other + "/webhooks");
            case "POST /orgs/{other}/webhooks" -> req.contentType("application/json").body(Map.of("url", "ftp://x"))
                    .post("/api/v1/orgs/" + other + "/webhooks");
            case "GET /orgs/{own}/tokens" -> req.get("/api/v1/orgs/" + own + "/tokens");
            case "GET /orgs/{other}/tokens" -> req.get("/api/v1/orgs/" + other + "/tokens");
            case "POST /orgs/{own}/tokens" -> req.contentType("application/json").body(tokenRequest())
                    .post("/api/v1/orgs/" + own + "/tokens");
            case "POST /orgs/{other}/tokens" -> req.contentType("application/json").body(tokenRequest())
                    .post("/api/v1/orgs/" + other + "/tokens");
            case "DELETE /orgs/{own}/tokens/{own token}" -> req.delete("/api/v1/orgs/" + own + "/tokens/"
                    + createToken(own, "read").getString("id"));
            case "DELETE /orgs/{other}/tokens/{other token}" -> req.delete("/api/v1/orgs/" + other + "/tokens/"
                    + createToken(other, "read").getString("id"));
            case "DELETE /orgs/{own}/tokens/{other token}" -> req.delete("/api/v1/orgs/" + own + "/tokens/"
                    + createToken(other, "read").getString("id"));
            case "POST /admin/orgs" -> req.contentType("application/json").body(Map.of("id",
                    "mx-new-" + counter.incrementAndGet(), "name", "New", "country", "FR", "roles", List.of("datacenter")))
                    .post("/api/v1/admin/orgs");
            case "POST /admin/orgs/{own}/keys" -> req.contentType("application/json").body(keyRequest())
                    .post("/api/v1/admin/orgs/" + own + "/keys");
            case "POST /admin/orgs/{other}/keys" -> req.contentType("application/json").body(keyRequest())
                    .post("/api/v1/admin/orgs/" + other + "/keys");
            case "DELETE /admin/orgs/{own}/keys/{key}" -> {
                String keyId = given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                        .body(keyRequest()).post("/api/v1/admin/orgs/" + own + "/keys").then().statusCode(201)
                        .extract().path("keyId");
                yield req.delete("/api/v1/admin/orgs/" + own + "/keys/" + keyId);
            }
            case "POST /attestations/challenges for {U}" -> req.contentType("application/json")
                    .body(Map.of("unit", ref("mx-fab", U))).post("/api/v1/attestations/challenges");
            case "POST /attestations/challenges for {V}" -> req.contentType("application/json")
                    .body(Map.of("unit", ref("mx-other", V))).post("/api/v1/attestations/challenges");
            case "POST /attestations/verify for {U}" -> req.contentType("application/json")
                    .body(Map.of("unit", ref("mx-fab", U), "attestation", Map.of("challengeId", UUID.randomUUID().toString(),
                            "alg", "Ed25519", "signature", "AAAA", "chain", List.of(SOME_CERTIFICATE))))
                    .post("/api/v1/attestations/verify");
            default -> throw new IllegalArgumentException("no request for " + endpoint);
        };
    }

    /** Any certificate, for a verify call: the answer is a verdict (fail) for whoever may see the unit. */
    private static final String SOME_CERTIFICATE = org.fabtrail.attestation.DeviceCertificates.selfSigned(
            org.fabtrail.attestation.DeviceCertificates.Spec.ca("CN=Matrix CA"), SigningKey.generate(SignatureAlgorithm.ED25519))
            .pem();

    private static Map<String, Object> tokenRequest() {
        return Map.of("name", "matrix-" + counter.incrementAndGet(), "scopes", List.of("read"), "expiresInDays", 1);
    }

    private static Map<String, Object> keyRequest() {
        return Map.of("publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem());
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    void answersExactlyAsTheTableSays(String endpoint, String caller, String expected, String notFound) {
        Response r = call(endpoint, caller);
        String[] parts = expected.split("/");
        assertAnswer(r, parts[0], notFound, endpoint + " as " + caller);
        if (parts.length == 2) {
            JsonPath item = r.jsonPath().setRootPath("results[0]");
            assertEquals(1, r.jsonPath().getList("results").size());
            String[] want = parts[1].split(":");
            assertEquals(Integer.parseInt(want[0]), item.getInt("status"), "batch item of " + endpoint + " as " + caller);
            if (want.length == 2) {
                assertEquals(Problem.TYPE_PREFIX + FORBIDDEN.get(want[1]), item.getString("problem.type"));
            } else {
                assertTrue(item.getLong("receipt.index") > 0);
            }
        }
    }

    private static void assertAnswer(Response r, String cell, String notFound, String what) {
        String[] want = cell.split(":");
        int status = Integer.parseInt(want[0]);
        assertEquals(status, r.statusCode(), what + ": " + r.asString());
        String problem = switch (status) {
            case 401 -> "unauthenticated";
            case 403 -> FORBIDDEN.get(want[1]);
            case 404 -> notFound;
            default -> null;
        };
        if (problem == null) {
            return;
        }
        assertFalse(problem.isEmpty(), what + ": the table names no problem for " + status);
        r.then().contentType("application/problem+json")
                .body("type", equalTo(Problem.TYPE_PREFIX + problem))
                .body("status", equalTo(status));
        if (status == 401) {
            r.then().header("WWW-Authenticate", "Bearer");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the lists hold, per caller
    // ---------------------------------------------------------------------------------------------------------

    private static Set<String> units(String caller, String query) {
        Set<String> out = new HashSet<>();
        String cursor = null;
        do {
            var req = given().header("Authorization", bearers.get(caller)).queryParam("limit", 500);
            if (cursor != null) {
                req = req.queryParam("after", cursor);
            }
            JsonPath page = req.get("/api/v1/units" + query).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            items.forEach(u -> out.add(u.get("manufacturer") + "/" + u.get("serial")));
            cursor = page.getString("next");
        } while (cursor != null);
        return out;
    }

    @Test
    void unitListsHoldExactlyTheUnitsEachCallerMaySee() {
        String u = "mx-fab/" + U;
        String v = "mx-other/" + V;
        assertEquals(Set.of(u), units("mx-fab", ""));
        assertEquals(Set.of(u), units("read-only", ""));
        assertEquals(Set.of(v), units("mx-other", ""));
        assertEquals(Set.of(u), units("mx-dist", ""));
        assertEquals(Set.of(), units("mx-dc", ""));
        for (String all : List.of("mx-insp", "mx-reg", "operator")) {
            Set<String> seen = units(all, "");
            assertTrue(seen.containsAll(Set.of(u, v)), all + " sees every unit");
            assertEquals(units("operator", ""), seen, all + " sees what the operator sees");
            assertEquals(Set.of(u), units(all, "?manufacturer=mx-fab"));
            assertEquals(Set.of(v), units(all, "?manufacturer=mx-other"));
        }
        // a filter never widens what a caller sees
        assertEquals(Set.of(), units("mx-dc", "?manufacturer=mx-fab"));
        assertEquals(Set.of(), units("mx-dc", "?custodian=mx-dist"));
        assertEquals(Set.of(), units("mx-fab", "?manufacturer=mx-other"));
        assertEquals(Set.of(u), units("mx-dist", "?custodian=mx-dist"));
    }

    private static List<String> transfers(String caller) {
        return given().header("Authorization", bearers.get(caller)).get("/api/v1/transfers").then().statusCode(200)
                .extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void transferListsHoldExactlyTheTransfersEachCallerSendsOrReceives() {
        assertEquals(List.of(transferT), transfers("mx-fab"));
        assertEquals(List.of(transferT), transfers("read-only"));
        assertEquals(List.of(transferT), transfers("mx-dist"));
        assertEquals(List.of(), transfers("mx-other"));
        assertEquals(List.of(), transfers("mx-dc"));
        for (String all : List.of("mx-insp", "mx-reg", "operator")) {
            assertTrue(transfers(all).contains(transferT), all + " sees every transfer");
        }
        given().header("Authorization", bearers.get("mx-dist")).get("/api/v1/transfers/" + transferT).then()
                .statusCode(200).body("sender", equalTo("mx-fab")).body("receiver", equalTo("mx-dist"))
                .body("state", equalTo("received"));
    }

    private static final Set<String> PUBLIC_TYPES = Set.of("org.register", "key.add", "key.revoke", "site.register");

    @Test
    void feedsHoldExactlyTheEntriesEachCallerMaySee() {
        List<Map<String, Object>> all = CustodyClient.feed(ApiClient.ADMIN);
        List<Long> everything = CustodyClient.indexes(all);
        List<Long> aboutU = CustodyClient.history("mx-fab", U);
        List<Long> aboutV = CustodyClient.history("mx-other", V);
        assertEquals(3, aboutU.size(), "U: registered, dispatched, received");
        assertEquals(1, aboutV.size(), "V: registered");
        long dispatchU = aboutU.get(1);

        // the operator's feed is the whole log, in order
        assertEquals(CustodyClient.treeSize(), everything.size());
        for (int i = 0; i < everything.size(); i++) {
            assertEquals(i, everything.get(i));
        }
        // inspectors and regulators see what the operator sees
        assertEquals(everything, CustodyClient.indexes(CustodyClient.feed(bearers.get("mx-insp"))));
        assertEquals(everything, CustodyClient.indexes(CustodyClient.feed(bearers.get("mx-reg"))));

        // an organisation: the public registry entries, its own entries, and entries about units it is party to
        // from the moment it became a party (the manufacturer from the registration, a receiver from the dispatch)
        Map<String, Set<Long>> partyEntries = Map.of(
                "mx-fab", new HashSet<>(aboutU),
                "mx-other", new HashSet<>(aboutV),
                "mx-dist", new HashSet<>(aboutU.subList(1, aboutU.size())),
                "mx-dc", Set.of());
        for (var e : partyEntries.entrySet()) {
            String org = e.getKey();
            List<Long> expected = new ArrayList<>();
            for (Map<String, Object> item : all) {
                if (PUBLIC_TYPES.contains((String) item.get("type")) || org.equals(item.get("actor"))
                        || e.getValue().contains(CustodyClient.index(item))) {
                    expected.add(CustodyClient.index(item));
                }
            }
            assertEquals(expected, CustodyClient.indexes(CustodyClient.feed(bearers.get(org))), org + "'s feed");
        }
        List<Long> dc = CustodyClient.indexes(CustodyClient.feed(bearers.get("mx-dc")));
        assertTrue(aboutU.stream().noneMatch(dc::contains) && aboutV.stream().noneMatch(dc::contains),
                "mx-dc sees nothing about U or V");
        List<Long> dist = CustodyClient.indexes(CustodyClient.feed(bearers.get("mx-dist")));
        assertTrue(dist.containsAll(aboutU.subList(1, 3)), "mx-dist sees U's dispatch and receipt");
        assertTrue(aboutV.stream().noneMatch(dist::contains), "mx-dist sees nothing about V");
        assertTrue(dispatchU > aboutU.get(0));
        // U's registration precedes mx-dist's part in U's story: not in its feed (which never grows behind a
        // cursor), but in U's history and receipt, which mx-dist may read
        assertFalse(dist.contains(aboutU.get(0)));
        List<Number> distHistory = given().header("Authorization", bearers.get("mx-dist"))
                .get("/api/v1/units/mx-fab/" + U + "/history").then().statusCode(200).extract().jsonPath().getList("index");
        assertEquals(aboutU, distHistory.stream().map(Number::longValue).toList());
        assertEquals(List.of("unit.register", "transfer.dispatch", "transfer.receive"),
                given().header("Authorization", bearers.get("mx-dist")).get("/api/v1/units/mx-fab/" + U + "/history")
                        .then().extract().jsonPath().getList("type", String.class));
    }
}
