package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.testing.ErrorLog;
import org.fabtrail.testing.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 9, finding 2: inputs that reached the database or arithmetic unchecked gave 5xx (and an ERROR with a stack
 * trace per request). Every path segment, query parameter and decoded cursor is now checked first: numbers beyond a
 * long are refused like any malformed number, and text PostgreSQL cannot hold is {@code 400 invalid-text} naming
 * the parameter, with nothing logged as a server fault.
 */
@QuarkusTest
class ParameterAdmissionTest {

    private static ApiClient.Partner partner;

    @BeforeEach
    void onboard() {
        if (partner == null) {
            partner = ApiClient.partner("params-fab", SignatureAlgorithm.ED25519, "manufacturer");
        }
    }

    private static RawHttp.Answer get(String target, boolean withToken) throws Exception {
        RawHttp http = new RawHttp("localhost", RestAssured.port);
        return withToken ? http.get(target, "Authorization: " + partner.bearer()) : http.get(target);
    }

    private static JsonPath problem(RawHttp.Answer a, int status, String code) {
        return ProblemAnswers.assertProblem(a, status, code);
    }

    @Test
    void aFeedCursorBeyondALongIsAnInvalidCursor() throws Exception {
        JsonPath p = problem(get("/api/v1/feed?after=9999999999999999999", true), 400, "invalid-cursor");
        assertEquals("after", p.getString("parameter"));
        problem(get("/api/v1/feed?after=9223372036854775808", true), 400, "invalid-cursor");
        assertEquals(200, get("/api/v1/feed?after=9223372036854775807", true).status(), "the largest long is a cursor");
    }

    @Test
    void aTileIndexBeyondALongIsNoSuchTile() throws Exception {
        // public: no token
        problem(get("/api/v1/log/tile/0/x999/x999/x999/x999/x999/x999/x999/000", false), 404, "no-such-tile");
        // fits a long, but index * 256 would not
        problem(get("/api/v1/log/tile/0/x036/x028/x797/x018/x963/x968/000", false), 404, "no-such-tile");
        problem(get("/api/v1/log/tile/7/x009/x223/x372/x036/x854/x775/807.p/255", false), 404, "no-such-tile");
    }

    @Test
    void proofParametersBeyondALongAreRefused() throws Exception {
        problem(get("/api/v1/log/proof/inclusion?index=0&size=9999999999999999999", false), 400, "invalid-parameter");
        problem(get("/api/v1/log/proof/consistency?from=1&to=9223372036854775807", false), 400, "out-of-range");
        problem(get("/api/v1/log/proof/consistency?from=-1&to=1", false), 400, "invalid-parameter");
    }

    @Test
    void nulAndControlCharactersInParametersAreInvalidTextNamingTheParameter() throws Exception {
        try (ErrorLog log = ErrorLog.open()) {
            assertInvalidText(get("/api/v1/orgs/%00", true), "org");
            assertInvalidText(get("/api/v1/orgs/%00/sites", true), "org");
            assertInvalidText(get("/api/v1/units?model=%00", true), "model");
            assertInvalidText(get("/api/v1/units?custodian=a%00b", true), "custodian");
            assertInvalidText(get("/api/v1/units/params-fab/a%00b", true), "serial");
            assertInvalidText(get("/api/v1/units?model=%C2%85", true), "model"); // C1 NEXT LINE
            assertInvalidText(get("/api/v1/units?model=%7F", true), "model"); // DEL
            assertInvalidText(get("/api/v1/units?model=a%0Ab", true), "model"); // no line breaks in parameters
            assertInvalidText(get("/api/v1/transfers?state=%00", true), "state");
            assertInvalidText(get("/api/v1/discrepancies?rule=%00", true), "rule");
            assertInvalidText(get("/api/v1/entries/%00/receipt", true), "id");
            // a unit cursor is opaque base64: its decoded text is checked like any parameter
            String cursor = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("params-fab/\u0000x".getBytes(StandardCharsets.UTF_8));
            assertInvalidText(get("/api/v1/units?after=" + cursor, true), "after");
            // before authentication, too: a stranger's NUL is refused the same way
            assertInvalidText(get("/api/v1/units?model=%00", false), "model");
            assertEquals(List.of(), log.records(), "a client's bad input is no server fault: nothing logged at ERROR");
        }
        // the same parameters, well-formed, are answered as usual
        assertEquals(200, get("/api/v1/units?model=H200%20SXM&limit=5", true).status());
    }

    @Test
    void aCursorThatIsNoUnitReferenceIsAnInvalidCursor() throws Exception {
        String noSlash = Base64.getUrlEncoder().withoutPadding().encodeToString("abc".getBytes(StandardCharsets.UTF_8));
        problem(get("/api/v1/units?after=" + noSlash, true), 400, "invalid-cursor");
        String badSerial = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("params-fab/a b".getBytes(StandardCharsets.UTF_8));
        problem(get("/api/v1/units?after=" + badSerial, true), 400, "invalid-cursor");
        problem(get("/api/v1/units?after=***", true), 400, "invalid-cursor");
    }

    private static void assertInvalidText(RawHttp.Answer a, String parameter) {
        JsonPath p = problem(a, 400, "invalid-text");
        assertEquals(parameter, p.getString("field"), a.toString());
        assertEquals(parameter, p.getString("parameter"), a.toString());
    }
}
