package org.fabtrail.server;

import org.fabtrail.client.PartnerClient;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.checkpoint.NoteVerifier;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** A partner writing signed entries from many threads (java.net.http), and the health endpoint, for the crash tests. */
final class Load {

    static final String ADMIN = "Bearer test-admin-token";

    private final URL base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Load(URL base) {
        this.base = base;
    }

    /** A signed site.register with a fresh id and site. */
    record Write(String id, String envelope) {
    }

    static Write siteRegister(String org, SigningKey key) {
        String site = "s-" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, Object> env = PartnerClient.sign(org, key, Map.of("type", "site.register", "site", site,
                "name", "Site " + site, "country", "DE", "address", "1 Main St"));
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) env.get("payload");
        return new Write((String) payload.get("id"), Jcs.canonicalString(env));
    }

    HttpResponse<String> write(String org, SigningKey key, String token) {
        return post(token, siteRegister(org, key).envelope());
    }

    HttpResponse<String> post(String token, String envelope) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/entries"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString(envelope)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("the server did not answer a write: " + e, e);
        }
    }

    HttpResponse<String> health() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "q/health/ready")).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("health did not answer: " + e, e);
        }
    }

    /** Registers an organisation (data centre) and one Ed25519 key through the admin API; returns the key. */
    static SigningKey onboard(String org) {
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("id", org, "name", "Org " + org, "country", "DE", "roles", List.of("datacenter")))
                .when().post("/api/v1/admin/orgs").then().statusCode(201);
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("publicKey", key.verificationKey().toPem()))
                .when().post("/api/v1/admin/orgs/" + org + "/keys").then().statusCode(201);
        return key;
    }

    /** A read-write API token of the organisation. */
    static String token(String org) {
        return given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", "load", "scopes", List.of("read", "write")))
                .when().post("/api/v1/orgs/" + org + "/tokens").then().statusCode(201).extract().path("token");
    }

    static NoteVerifier logKey() {
        return NoteVerifier.parse(given().get("/api/v1/log/key").then().statusCode(200).extract().asString().trim());
    }
}
