package org.fabtrail.api;

import org.fabtrail.testing.SignInCsrf;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class AdminResourceTest {

    @BeforeAll
    static void logging() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private static io.restassured.response.Response registerOrg(String auth, Object body) {
        var req = given().contentType("application/json").body(body);
        if (auth != null) {
            req = req.header("Authorization", auth);
        }
        return req.post("/api/v1/admin/orgs");
    }

    @Test
    void withoutTheAdminTokenNothingHappens() {
        long before = EntriesResourceTest.treeSize();
        Map<String, Object> org = Map.of("id", "admin-x", "name", "X", "country", "DE", "roles", List.of("distributor"));
        EntriesResourceTest.problem(registerOrg(null, org), 401, "unauthenticated");
        EntriesResourceTest.problem(registerOrg("Bearer wrong", org), 401, "unauthenticated");
        EntriesResourceTest.problem(registerOrg("test-admin-token", org), 401, "unauthenticated");
        registerOrg("Bearer wrong", org).then().header("WWW-Authenticate", "Bearer");
        EntriesResourceTest.problem(given().delete("/api/v1/admin/orgs/admin-x/keys/" + "a".repeat(64)), 401,
                "unauthenticated");
        assertEquals(before, EntriesResourceTest.treeSize());
    }

    @Test
    void onboardingWritesOperatorSignedEntries() {
        registerOrg(ApiClient.ADMIN, Map.of("id", "admin-fab", "name", "Admin Fab", "country", "TW",
                "roles", List.of("manufacturer"))).then().statusCode(201)
                .body("index", org.hamcrest.Matchers.greaterThan(0))
                .body("checkpoint", org.hamcrest.Matchers.startsWith("fabtrail.local/log\n"));
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256);
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("publicKey", key.verificationKey().toPem()))
                .post("/api/v1/admin/orgs/admin-fab/keys").then().statusCode(201)
                .body("keyId", equalTo(key.keyId()));
    }

    @Test
    void theOperatorCreatesTheFirstWebAccountsWhoCanThenSignIn() {
        registerOrg(ApiClient.ADMIN, Map.of("id", "admin-users", "name", "Users Inc", "country", "SG",
                "roles", List.of("distributor"))).then().statusCode(201);
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("username", "first.admin", "displayName", "First Admin", "org", "admin-users",
                        "role", "org-admin", "password", "a long enough password"))
                .post("/api/v1/admin/users").then().statusCode(201).body("username", equalTo("first.admin"))
                .body("org", equalTo("admin-users")).body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password")));
        SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", "first.admin").formParam("password", "a long enough password").formParam("next", "/")
                .post("/login").then().statusCode(303).cookie("ft_session");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("username", "x.y", "displayName", "X", "org", "nobody-here", "role", "member",
                        "password", "a long enough password")).post("/api/v1/admin/users"), 422, "unknown-org");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("username", "short.pw", "displayName", "X", "org", "admin-users", "role", "member",
                        "password", "short")).post("/api/v1/admin/users"), 422, "invalid-account");
        EntriesResourceTest.problem(given().contentType("application/json")
                .body(Map.of("username", "anon", "displayName", "X", "role", "operator", "password", "a long enough password"))
                .post("/api/v1/admin/users"), 401, "unauthenticated");
    }

    /** An org.register body: {@code id} with its name and country, of the one role {@code role}. */
    private static Map<String, Object> org(String id, String name, String country, String role) {
        return Map.of("id", id, "name", name, "country", country, "roles", List.of(role));
    }

    /** The operator's registration of {@code body} is refused with {@code status} and the problem {@code code}. */
    private static void refusedOrg(Object body, int status, String code) {
        EntriesResourceTest.problem(registerOrg(ApiClient.ADMIN, body), status, code);
    }

    @Test
    void invalidOnboardingIsRefusedWithTheRule() {
        registerOrg(ApiClient.ADMIN, org("admin-dup", "Dup", "US", "datacenter")).then().statusCode(201);
        long before = EntriesResourceTest.treeSize();
        refusedOrg(org("admin-dup", "Dup", "US", "datacenter"), 409, "org-exists");
        refusedOrg(org("Bad_Id", "B", "US", "datacenter"), 422, "invalid-id");
        refusedOrg(org("admin-c", "C", "XX", "datacenter"), 422, "invalid-country");
        refusedOrg(org("admin-c", "C", "us", "datacenter"), 422, "invalid-country");
        refusedOrg(org("admin-c", "C", "US", "smuggler"), 422, "invalid-role");
        refusedOrg(org("operator", "C", "US", "datacenter"), 422, "reserved-id");
        refusedOrg(Map.of("id", "admin-c", "country", "US", "roles", List.of("datacenter")), 422, "missing-field");
        refusedOrg("{\"id\": ", 400, "invalid-json");
        // well-formed JSON of the wrong shape is a problem+json too, not an empty 400
        refusedOrg("{\"id\": \"admin-c\", \"name\": \"C\", \"country\": \"US\", \"roles\": \"datacenter\"}", 400,
                "invalid-json");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body("{\"publicKey\": [\"x\"]}").post("/api/v1/admin/orgs/admin-dup/keys"), 400, "invalid-json");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("publicKey", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .post("/api/v1/admin/orgs/admin-dup/keys"), 422, "invalid-public-key");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem()))
                .post("/api/v1/admin/orgs/nobody/keys"), 422, "unknown-org");
        EntriesResourceTest.problem(given().header("Authorization", ApiClient.ADMIN)
                .delete("/api/v1/admin/orgs/admin-dup/keys/" + "b".repeat(64)), 404, "key-not-found");
        assertEquals(before, EntriesResourceTest.treeSize(), "refusals write nothing");
    }
}
