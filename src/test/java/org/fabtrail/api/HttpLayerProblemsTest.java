package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.testing.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.fabtrail.api.ProblemAnswers.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, finding 3: the errors the HTTP layer produces itself (413, 414, 431, 400 on bad escapes or malformed
 * requests, and 405, 406, 415) come with an RFC 9457 problem body, and a write without {@code Content-Type:
 * application/json} is 415 and writes nothing.
 */
@QuarkusTest
class HttpLayerProblemsTest {

    private static ApiClient.Partner partner;

    @Inject
    Ledger ledger;

    /** Once per class, but inside a test: RestAssured knows the test port only there. */
    @BeforeEach
    void onboard() {
        if (partner == null) {
            partner = ApiClient.partner("http-layer-fab", SignatureAlgorithm.ED25519, "manufacturer");
        }
    }

    private static RawHttp http() {
        return new RawHttp("localhost", RestAssured.port);
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() throws Exception {
        // 17 MB declared but not sent: the answer comes before any of the body is read
        RawHttp.Answer a = http().exchange("POST /api/v1/entries HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + partner.bearer() + "\r\nContent-Type: application/json\r\nContent-Length: 17000000\r\n", null);
        assertProblem(a, 413, "body-too-large");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413Problem() throws Exception {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.write("100000\r\n".getBytes(StandardCharsets.US_ASCII)); // one chunk of 1 MiB
        chunk.write(" ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
        chunk.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] body = chunk.toByteArray();
        RawHttp.Answer a = http().exchange(("POST /api/v1/entries HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + partner.bearer() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n")
                .getBytes(StandardCharsets.US_ASCII), body, 17);
        assertProblem(a, 413, "body-too-large");
    }

    @Test
    void headersOf64KbAreA431Problem() throws Exception {
        RawHttp.Answer a = http().get("/api/v1/log/checkpoint", "X-Filler: " + "a".repeat(64 * 1024));
        assertProblem(a, 431, "headers-too-large");
    }

    @Test
    void aPathOf8KbIsA414Problem() throws Exception {
        RawHttp.Answer a = http().get("/api/v1/units/" + "a".repeat(8 * 1024), "Authorization: " + partner.bearer());
        assertProblem(a, 414, "uri-too-long");
    }

    @Test
    void badPercentEscapesAreA400Problem() throws Exception {
        assertProblem(http().get("/api/v1/units?after=%%%", "Authorization: " + partner.bearer()), 400,
                "invalid-escape");
        assertProblem(http().get("/api/v1/units/%zz/x", "Authorization: " + partner.bearer()), 400,
                "invalid-escape");
        assertProblem(http().get("/api/v1/log/tile/0/00%"), 400, "invalid-escape");
    }

    /** A form body with a bad escape failed Quarkus REST's form parser: a 500 for anyone, signed in or not. */
    @Test
    void badPercentEscapesInAFormAreA400NotAServerFault() throws Exception {
        for (String body : new String[] {"username=%%%", "username=a&password=%zz", "%=1"}) {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            String head = "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + bytes.length + "\r\n";
            assertProblem(http().exchange(head, bytes), 400, "invalid-escape");
            RawHttp.Answer page = http().exchange(head + "Accept: text/html\r\n", bytes);
            assertEquals(400, page.status(), body);
            assertTrue(page.contentType().startsWith("text/html"), body + ": " + page);
        }
    }

    /** Multipart bodies Quarkus REST could not read were a 500 too: one cut short, one naming no charset. */
    @Test
    void multipartBodiesThatCannotBeReadAreA400() throws Exception {
        String part = "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n";
        for (String body : new String[] {part + "\r\nno closing boundary",
                part + "Content-Type: text/plain; charset=bogus\r\n\r\nx\r\n--XyZ--\r\n"}) {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            assertProblem(http().exchange("POST /units/bulk HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    + "multipart/form-data; boundary=XyZ\r\nContent-Length: " + bytes.length + "\r\n", bytes),
                    400, "bad-request");
        }
    }

    @Test
    void requestsHttpCannotReadAreA400Problem() throws Exception {
        assertProblem(http().get("/api/v1/units", "Authorization: Bearer a\u0001b"), 400, "bad-request");
        assertProblem(http().get("/api/v1/orgs/a\u0001b", "Authorization: " + partner.bearer()), 400, "bad-request");
        assertProblem(http().get("/api/v1/orgs/a|b", "Authorization: " + partner.bearer()), 400, "bad-request");
        assertProblem(http().exchange("GARBAGE\r\n", null), 400, "bad-request");
        // two credentials: the resources would take the first, a proxy in front perhaps the last
        assertProblem(http().get("/api/v1/units", "Authorization: " + partner.bearer(), "Authorization: Bearer x"),
                400, "bad-request");
        assertEquals(200, http().get("/api/v1/units", "Authorization: " + partner.bearer(),
                "Authorization: " + partner.bearer()).status(), "the same one twice is no ambiguity");
        // a body whose length cannot be known (RFC 9112 6.3) was waited for until the client gave up
        assertProblem(http().exchange("POST /api/v1/entries HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + partner.bearer() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n", null),
                400, "bad-request");
    }

    @Test
    void wrongMethodsAndMediaTypesAreProblems() throws Exception {
        assertProblem(http().exchange("DELETE /api/v1/units HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + partner.bearer() + "\r\n", null), 405, "method-not-allowed");
        assertProblem(http().get("/api/v1/units", "Authorization: " + partner.bearer(), "Accept: text/csv"), 406,
                "not-acceptable");
        assertProblem(post("/api/v1/entries", "Content-Type: text/plain", "{}"), 415, "unsupported-media-type");
    }

    @Test
    void aSignedWriteWithoutContentTypeIs415AndWritesNothing() throws Exception {
        String envelope = ApiClient.envelope(ApiClient.payload("key.add", partner.org(), Map.of("org", partner.org(),
                "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem())),
                partner.key());
        long before = ledger.head().size();
        assertProblem(post("/api/v1/entries", null, envelope), 415, "unsupported-media-type");
        assertProblem(post("/api/v1/entries/batch", null, "[" + envelope + "]"), 415, "unsupported-media-type");
        assertEquals(before, ledger.head().size(), "nothing was written");
        // the same envelope with its type is taken: the refusal was about the missing header alone
        assertEquals(201, post("/api/v1/entries", "Content-Type: application/json", envelope).status());
    }

    private RawHttp.Answer post(String path, String contentTypeLine, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http().exchange("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + partner.bearer()
                + "\r\n" + (contentTypeLine == null ? "" : contentTypeLine + "\r\n") + "Content-Length: "
                + bytes.length + "\r\n", bytes);
    }
}
