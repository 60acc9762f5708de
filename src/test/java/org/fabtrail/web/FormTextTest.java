package org.fabtrail.web;

import org.fabtrail.testing.SignInCsrf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.testing.ErrorLog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.fabtrail.web.WebUser.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9: a form field holding text Fabtrail refuses (U+0000, other controls, C1) is a readable 400 page naming
 * the field, and nothing is written; no such input makes the UI answer 5xx (sign-in, entry forms, multipart forms,
 * query parameters of pages).
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class FormTextTest extends DemoUiTest {

    @Inject
    RestrictedList restricted;

    /** A 400 page that names the field and the character, and says nothing was saved. */
    private static void assertRefusedPage(Response r, String field, String character) {
        String html = r.asString();
        assertEquals(400, r.statusCode(), html);
        assertTrue(r.contentType().startsWith("text/html"), r.contentType());
        assertTrue(html.contains("The form field " + field + " holds the character " + character), html);
        assertTrue(html.contains("Nothing was saved"), html);
    }

    @Test
    void refusedCharactersInAnEntryFormAreAReadableErrorAndWriteNothing() {
        WebUser acme = WebUser.signIn("acme.admin");
        long size = ledger.head().size();
        try (ErrorLog log = ErrorLog.open()) {
            assertRefusedPage(acme.post("/sites/new", form("site", "nul-site", "name", "Bad\u0000Name", "country", "DE",
                    "address", "Somewhere")), "name", "U+0000");
            assertRefusedPage(acme.post("/sites/new", form("site", "c1-site", "name", "Next\u0085Line", "country", "DE",
                    "address", "Somewhere")), "name", "U+0085");
            assertRefusedPage(acme.post("/sites/new", form("site", "del-site", "name", "Fine", "country", "DE",
                    "address", "Main St\u007F 1")), "address", "U+007F");
            assertRefusedPage(acme.post("/sites/new", form("site", "bell\u0007site", "name", "Fine", "country", "DE",
                    "address", "Somewhere")), "site", "U+0007");
            assertEquals(List.of(), log.records(), "refused input is no server fault");
        }
        assertEquals(size, ledger.head().size(), "nothing was written");
        List<String> sites = ledger.read(c -> new CustodyQueries().sites(c, "acme-fab")).stream()
                .map(CustodyQueries.SiteRecord::id).toList();
        assertFalse(sites.contains("nul-site") || sites.contains("c1-site") || sites.contains("del-site"), sites.toString());
    }

    @Test
    void signInWithRefusedCharactersIsAReadableErrorNotAServerError() {
        Response nulUser = SignInCsrf.with(WebUser.anonymous()).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("username", "acme\u0000admin").formParam("password", DemoProfile.PASSWORD)
                .formParam("next", "/").post("/login");
        assertRefusedPage(nulUser, "username", "U+0000");
        Response nulPassword = SignInCsrf.with(WebUser.anonymous()).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("username", "acme.admin").formParam("password", "x\u0000y").formParam("next", "/")
                .post("/login");
        assertRefusedPage(nulPassword, "password", "U+0000");
        // a next that is no URI (a space) no longer fails the redirect: it is replaced by /
        Response spaced = SignInCsrf.with(WebUser.anonymous()).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("username", "acme.admin").formParam("password", DemoProfile.PASSWORD)
                .formParam("next", "/units?q=a b").post("/login");
        assertEquals(303, spaced.statusCode(), spaced.asString());
        assertTrue(spaced.header("Location").endsWith("/"), spaced.header("Location"));
    }

    @Test
    void aMultipartFormFieldIsCheckedToo() {
        WebUser operator = WebUser.signIn("operator");
        int before = ledger.read(c -> restricted.all()).size();
        Response r = operator.given().multiPart("_csrf", operator.csrf)
                .multiPart("text", "name,country,aliases,source_list,identifiers\nBad\u0000Co,DE,,SDN,\n",
                        "text/plain; charset=UTF-8")
                .post("/restricted-parties");
        assertRefusedPage(r, "text", "U+0000");
        assertEquals(before, ledger.read(c -> restricted.all()).size(), "the list in force has not changed");
        // a CSV file's rows are checked by the importer, which lists the row and column
        Response file = operator.given().multiPart("_csrf", operator.csrf)
                .multiPart("csv", "parties.csv", ("name,country,aliases,source_list,identifiers\nBad\u0001Co,DE,,SDN,\n")
                        .getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/restricted-parties");
        assertEquals(422, file.statusCode(), file.asString());
        assertTrue(file.asString().contains("row 2: name holds the character U+0001"), file.asString());
        assertEquals(before, ledger.read(c -> restricted.all()).size(), "the list in force has not changed");
    }

    @Test
    void refusedCharactersInAPageParameterAreA400Page() {
        WebUser acme = WebUser.signIn("acme.admin");
        Response r = acme.given().urlEncodingEnabled(false).get("/units?model=%00");
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("model holds the character U+0000"), r.asString());
        assertEquals(400, acme.given().urlEncodingEnabled(false).get("/search?q=a%01b").statusCode());
    }
}
