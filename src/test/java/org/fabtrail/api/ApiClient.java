package org.fabtrail.api;

import io.restassured.response.Response;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** What a partner integration does, in test form: build payloads, sign them, submit them over HTTP. */
final class ApiClient {

    static final String ADMIN = "Bearer test-admin-token";

    private ApiClient() {
    }

    /** A payload with a fresh id and the current time. */
    static Map<String, Object> payload(String type, String actor, Map<String, Object> fields) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", UUID.randomUUID().toString());
        p.put("type", type);
        p.put("actor", actor);
        p.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.putAll(fields);
        return p;
    }

    /** The envelope JSON text for a payload signed with {@code key}. */
    static String envelope(Map<String, Object> payload, SigningKey key) {
        byte[] sig = key.sign(Jcs.canonicalize(payload));
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("keyId", key.keyId());
        signature.put("alg", key.algorithm().wireName());
        signature.put("value", Base64.getEncoder().encodeToString(sig));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("payload", payload);
        env.put("signature", signature);
        return Jcs.canonicalString(env);
    }

    /** A partner as the tests drive it: its organisation, signing key and API token (read, write, admin). */
    record Partner(String org, SigningKey key, String token) {
        String bearer() {
            return "Bearer " + token;
        }

        Response submit(String body) {
            return given().header("Authorization", bearer()).contentType("application/json").body(body)
                    .when().post("/api/v1/entries");
        }

        Response submitBatch(String body) {
            return given().header("Authorization", bearer()).contentType("application/json").body(body)
                    .when().post("/api/v1/entries/batch");
        }

        /** Signs a payload as this partner and submits it. */
        Response submit(String type, Map<String, Object> fields) {
            return submit(envelope(payload(type, org, fields), key));
        }

        io.restassured.specification.RequestSpecification given() {
            return io.restassured.RestAssured.given().header("Authorization", bearer());
        }
    }

    /** A token for the organisation, created by the operator. */
    static String token(String org, String... scopes) {
        return given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", "test", "scopes", List.of(scopes)))
                .when().post("/api/v1/orgs/" + org + "/tokens").then().statusCode(201).extract().path("token");
    }

    /** Registers an organisation, one key and a token through the admin API. */
    static Partner partner(String org, SignatureAlgorithm alg, String... roles) {
        SigningKey key = onboard(org, alg, roles);
        return new Partner(org, key, token(org, "read", "write", "admin"));
    }

    /** Registers an organisation and one key through the admin API; returns the key. */
    static SigningKey onboard(String org, SignatureAlgorithm alg, String... roles) {
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("id", org, "name", "Org " + org, "country", "DE", "roles", List.of(roles)))
                .when().post("/api/v1/admin/orgs").then().statusCode(201);
        SigningKey key = SigningKey.generate(alg);
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("publicKey", key.verificationKey().toPem()))
                .when().post("/api/v1/admin/orgs/" + org + "/keys").then().statusCode(201);
        return key;
    }
}
