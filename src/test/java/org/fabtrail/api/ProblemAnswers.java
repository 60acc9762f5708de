package org.fabtrail.api;

import io.restassured.path.json.JsonPath;
import org.fabtrail.testing.RawHttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every error of the API must look like: an RFC 9457 problem as docs/api.md describes it. */
final class ProblemAnswers {

    private ProblemAnswers() {
    }

    /** The answer is a problem of that status and code; returns its members. */
    static JsonPath assertProblem(RawHttp.Answer a, int status, String code) {
        assertEquals(status, a.status(), a.toString());
        assertTrue(a.contentType().startsWith("application/problem+json"), a.toString());
        JsonPath p = JsonPath.from(a.text());
        assertEquals("urn:fabtrail:problem:" + code, p.getString("type"), a.toString());
        assertEquals(status, p.getInt("status"), a.toString());
        assertEquals(code, p.getString("code"));
        assertTrue(!p.getString("title").isBlank() && !p.getString("detail").isBlank(), a.toString());
        return p;
    }
}
