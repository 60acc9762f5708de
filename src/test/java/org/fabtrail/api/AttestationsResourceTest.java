package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.attestation.DeviceCertificates;
import org.fabtrail.attestation.DeviceSimulator;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /api/v1/attestations/challenges and /verify: who may ask for a challenge for which unit, what it holds, single
 * use, expiry; and the verdict the verify call gives, which an inspection must then carry.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class AttestationsResourceTest {

    static final String U = "AT-U-0001";
    static final String V = "AT-V-0001";

    private static ApiClient.Partner fab;
    private static ApiClient.Partner other;
    private static ApiClient.Partner dist;
    private static ApiClient.Partner insp;
    private static DeviceCertificates.Issued device;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void world() throws Exception {
        OncePerClass.run(AttestationsResourceTest.class, () -> {
            fab = CustodyClient.partnerWithSite("at-fab", "manufacturer", "fab-1", "TW");
            other = CustodyClient.partnerWithSite("at-other", SignatureAlgorithm.ES256, "manufacturer", "fab-2", "KR");
            dist = CustodyClient.partnerWithSite("at-dist", "distributor", "ams", "NL");
            insp = ApiClient.partner("at-insp", SignatureAlgorithm.ED25519, "inspector");
            DeviceCertificates.Issued ca = DeviceCertificates.selfSigned(
                    DeviceCertificates.Spec.ca("CN=AT Device CA,O=AT Fab"), SigningKey.generate(SignatureAlgorithm.ES256));
            CustodyClient.write(fab, "ca.add", Map.of("certificate", ca.pem()));
            device = DeviceCertificates.issue(DeviceCertificates.Spec.device("AT Fab", U),
                    SigningKey.generate(SignatureAlgorithm.ED25519), ca);
            Map<String, Object> unit = new LinkedHashMap<>(CustodyClient.unitFields(U, "accelerator", "H200", "fab-1"));
            unit.put("deviceCertificate", device.pem());
            CustodyClient.write(fab, "unit.register", unit);
            String t = CustodyClient.dispatch(fab, "at-dist", "ams", List.of(ref("at-fab", U)));
            CustodyClient.receive(dist, t, "ams", List.of(ref("at-fab", U)));
            CustodyClient.register(other, V, "accelerator", "X1", "fab-2");
        });
    }

    static Response challenge(String bearer, String manufacturer, String serial) {
        var req = given().contentType("application/json").body(Map.of("unit", ref(manufacturer, serial)));
        if (bearer != null) {
            req = req.header("Authorization", bearer);
        }
        return req.post("/api/v1/attestations/challenges");
    }

    static JsonPath issued(ApiClient.Partner p) {
        return challenge(p.bearer(), "at-fab", U).then().statusCode(201).extract().jsonPath();
    }

    /** The attestation object a device answers the challenge with. */
    static Map<String, Object> answer(JsonPath ch, SigningKey key) {
        Map<String, Object> a = new LinkedHashMap<>(DeviceSimulator.respond(key, List.of(device.pem()), "at-fab", U,
                Base64.getDecoder().decode(ch.getString("challenge"))));
        a.put("challengeId", ch.getString("challengeId"));
        return a;
    }

    static JsonPath verify(ApiClient.Partner p, Map<String, Object> attestation) {
        return given().header("Authorization", p.bearer()).contentType("application/json")
                .body(Map.of("unit", ref("at-fab", U), "attestation", attestation))
                .post("/api/v1/attestations/verify").then().statusCode(200).extract().jsonPath();
    }

    /** A device's answer to a challenge and the verdict the verify call gave on it. */
    record Verified(Map<String, Object> answer, JsonPath verdict) {
    }

    /** {@code p} is issued a challenge, the device answers it and {@code p} has it verified: the verdict passes. */
    static Verified passed(ApiClient.Partner p) {
        Map<String, Object> a = answer(issued(p), device.key());
        JsonPath v = verify(p, a);
        assertEquals("pass", v.getString("result"));
        return new Verified(a, v);
    }

    static Response inspect(ApiClient.Partner p, Map<String, Object> attestation, JsonPath verdict) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("unit", ref("at-fab", U));
        fields.put("site", Map.of("org", "at-dist", "site", "ams"));
        fields.put("result", "consistent");
        fields.put("notes", "checked the device");
        fields.put("attestation", attestation);
        fields.put("verdict", Map.of("result", verdict.getString("result"), "reasons", verdict.getList("reasons")));
        return p.submit("unit.inspect", fields);
    }

    @Test
    void aChallengeIs32RandomBytesBoundToTheUnitAndTheCallerWithWhatTheDeviceSigns() throws Exception {
        JsonPath ch = issued(insp);
        byte[] value = Base64.getDecoder().decode(ch.getString("challenge"));
        assertEquals(32, value.length);
        assertEquals("at-insp", ch.getString("requester"));
        assertEquals(Map.of("manufacturer", "at-fab", "serial", U), ch.getMap("unit"));
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update("fabtrail-attest-v1\0at-fab\0".concat(U).concat("\0").getBytes(StandardCharsets.UTF_8));
        d.update(value);
        assertArrayEquals(d.digest(), Base64.getDecoder().decode(ch.getString("message")));
        assertEquals(Duration.ofMinutes(10), Duration.between(Instant.parse(ch.getString("createdAt")),
                Instant.parse(ch.getString("expiresAt"))), "the default lifetime");
        UUID.fromString(ch.getString("challengeId"));
        JsonPath again = issued(insp);
        assertTrue(!again.getString("challenge").equals(ch.getString("challenge")), "fresh each time");
    }

    @Test
    void inspectorsTheOperatorAndTheCustodianGetChallengesOthersDoNot() {
        assertEquals(201, challenge(insp.bearer(), "at-fab", U).statusCode());
        assertEquals(201, challenge(insp.bearer(), "at-other", V).statusCode(), "inspectors see every unit");
        assertEquals(201, challenge(ApiClient.ADMIN, "at-fab", U).statusCode());
        assertEquals("operator", challenge(ApiClient.ADMIN, "at-fab", U).jsonPath().getString("requester"));
        assertEquals(201, challenge(dist.bearer(), "at-fab", U).statusCode(), "the custodian, for a self-check");
        challenge(fab.bearer(), "at-fab", U).then().statusCode(403)
                .body("type", equalTo(Problem.TYPE_PREFIX + "challenge-not-allowed"));
        challenge(other.bearer(), "at-fab", U).then().statusCode(404)
                .body("type", equalTo(Problem.TYPE_PREFIX + "unit-not-found"));
        challenge(insp.bearer(), "at-fab", "AT-NOPE").then().statusCode(404);
        challenge(null, "at-fab", U).then().statusCode(401);
        String readOnly = "Bearer " + ApiClient.token("at-insp", "read");
        challenge(readOnly, "at-fab", U).then().statusCode(403)
                .body("type", equalTo(Problem.TYPE_PREFIX + "scope-required"));
        given().header("Authorization", insp.bearer()).contentType("application/json").body("{\"unit\":")
                .post("/api/v1/attestations/challenges").then().statusCode(400)
                .body("type", equalTo(Problem.TYPE_PREFIX + "invalid-json"));
        given().header("Authorization", insp.bearer()).contentType("application/json")
                .body(Map.of("unit", Map.of("manufacturer", "at-fab")))
                .post("/api/v1/attestations/challenges").then().statusCode(422)
                .body("type", equalTo(Problem.TYPE_PREFIX + "invalid-unit-ref"));
    }

    @Test
    void aChallengeIsUsedOnceTheVerdictIsTheOneRecordedAndAReplayFails() {
        Verified passed = passed(insp);
        Map<String, Object> a = passed.answer();
        JsonPath v = passed.verdict();
        assertEquals(List.of(), v.getList("reasons"));
        assertEquals(List.of("challenge", "certificate", "chain", "revocation", "signature"), v.getList("checks.name"));
        assertEquals(List.of("pass", "pass", "pass", "pass", "pass"), v.getList("checks.status"));
        assertEquals("CN=" + U + ",SERIALNUMBER=" + U + ",O=AT Fab", v.getString("certificate.subject"));
        inspect(insp, a, v).then().statusCode(201);

        JsonPath replay = verify(insp, a);
        assertEquals("fail", replay.getString("result"));
        assertEquals(List.of("challenge-used"), replay.getList("reasons"));
        inspect(insp, a, v).then().statusCode(422)
                .body("type", equalTo(Problem.TYPE_PREFIX + "attestation-verdict-mismatch"))
                .body("verdict.result", equalTo("fail"))
                .body("verdict.reasons", equalTo(List.of("challenge-used")));
        inspect(insp, a, replay).then().statusCode(201); // the replay is recorded as the failure it is
    }

    @Test
    void anExpiredChallengeFailsAndAnotherKeysSignatureFails() throws Exception {
        JsonPath ch = issued(insp);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE attestation_challenges SET expires_at = now() - interval '1 second' WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(ch.getString("challengeId")));
            assertEquals(1, ps.executeUpdate());
        }
        assertEquals(List.of("challenge-expired"), verify(insp, answer(ch, device.key())).getList("reasons"));

        JsonPath fresh = issued(insp);
        JsonPath forged = verify(insp, answer(fresh, SigningKey.generate(SignatureAlgorithm.ED25519)));
        assertEquals(List.of("device-signature-invalid"), forged.getList("reasons"));
        assertEquals(List.of("pass", "pass", "pass", "pass", "fail"), forged.getList("checks.status"));
        // a challenge issued to someone else
        assertEquals(List.of("challenge-other-requester"), verify(dist, answer(fresh, device.key())).getList("reasons"));
    }

    @Test
    void theCustodianChecksItsOwnDeviceAndRecordsIt() {
        Verified passed = passed(dist);
        inspect(dist, passed.answer(), passed.verdict()).then().statusCode(201);
    }

    @Test
    void verifyRefusesMalformedEvidenceAndUnitsTheCallerMayNotSee() {
        JsonPath ch = issued(insp);
        Map<String, Object> a = answer(ch, device.key());
        a.put("alg", "RS256");
        given().header("Authorization", insp.bearer()).contentType("application/json")
                .body(Map.of("unit", ref("at-fab", U), "attestation", a))
                .post("/api/v1/attestations/verify").then().statusCode(422)
                .body("type", equalTo(Problem.TYPE_PREFIX + "invalid-attestation"))
                .body("field", equalTo("attestation.alg"));
        given().header("Authorization", other.bearer()).contentType("application/json")
                .body(Map.of("unit", ref("at-fab", U), "attestation", answer(ch, device.key())))
                .post("/api/v1/attestations/verify").then().statusCode(404)
                .body("type", equalTo(Problem.TYPE_PREFIX + "unit-not-found"));
        given().header("Authorization", insp.bearer()).contentType("application/json")
                .body(Map.of("unit", ref("at-fab", U)))
                .post("/api/v1/attestations/verify").then().statusCode(422)
                .body("type", equalTo(Problem.TYPE_PREFIX + "missing-field"));
    }
}
