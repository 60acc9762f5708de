package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages' language (ADR 0023): the footer's switch (cookie {@code ft_lang}) wins over the browser's
 * {@code Accept-Language}, which wins over English; {@code <html lang>} follows.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class LanguagesTest {

    @Test
    void signInPageIsEnglishByDefaultAndGermanForAGermanBrowser() {
        String english = WebUser.anonymous().get("/login").asString();
        assertTrue(english.contains("<html lang=\"en\">") && english.contains(">Username</label>"), english);
        assertTrue(english.contains("href=\"/language/de\" lang=\"de\" hreflang=\"de\""), "the switch in the footer");

        String german = WebUser.anonymous().header("Accept-Language", "de-DE,de;q=0.9,en;q=0.5").get("/login").asString();
        assertTrue(german.contains("<html lang=\"de\">"), german);
        assertTrue(german.contains(">Benutzername</label>") && german.contains("<h1>Anmelden</h1>"), german);
        assertFalse(german.contains(">Username</label>"));

        String preferred = WebUser.anonymous().header("Accept-Language", "fr;q=1, en;q=0.8, de;q=0.9").get("/login")
                .asString();
        assertTrue(preferred.contains("<html lang=\"de\">"), "the first language the UI speaks, by quality");
        String unknown = WebUser.anonymous().header("Accept-Language", "fr, ja").get("/login").asString();
        assertTrue(unknown.contains("<html lang=\"en\">"), "else English");
    }

    @Test
    void theSwitchSetsACookieThatWinsOverTheBrowser() {
        Response chosen = WebUser.anonymous().header("Referer", "http://localhost/inspect?q=GH200").get("/language/en");
        assertEquals(303, chosen.statusCode());
        assertTrue(chosen.header("Location").endsWith("/inspect?q=GH200"), "back to the page it was followed from: "
                + chosen.header("Location"));
        assertEquals("en", chosen.getCookie(Languages.COOKIE));
        String page = WebUser.anonymous().header("Accept-Language", "de").cookie(Languages.COOKIE, "en").get("/login")
                .asString();
        assertTrue(page.contains("<html lang=\"en\">") && page.contains(">Username</label>"), page);

        Response german = WebUser.anonymous().get("/language/de");
        assertEquals("/", WebUser.locationPath(german), "no page to go back to: home");
        assertEquals("de", german.getCookie(Languages.COOKIE));
        assertTrue(WebUser.anonymous().cookie(Languages.COOKIE, "de").get("/login").asString().contains("Benutzername"));

        Response unknown = WebUser.anonymous().get("/language/xx");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.contentType().startsWith("text/html"), "a page like every other refusal: " + unknown.contentType());
        assertTrue(unknown.asString().contains("The pages are in English (en) or German (de)."), unknown.asString());
        assertEquals("/", WebUser.locationPath(WebUser.anonymous().header("Referer", "https://evil.example//x")
                .get("/language/de")), "never to another site");
        String ignored = WebUser.anonymous().cookie(Languages.COOKIE, "xx").header("Accept-Language", "de")
                .get("/login").asString();
        assertTrue(ignored.contains("<html lang=\"de\">"), "a cookie the UI does not speak is ignored");
    }

    @Test
    void theInspectorPagesSpeakGerman() {
        WebUser inspector = WebUser.signIn("inspector");
        String search = inspector.given().header("Accept-Language", "de").get("/inspect?q=NO-SUCH-SERIAL").asString();
        assertTrue(search.contains("<h1>Eine Einheit prüfen</h1>") && search.contains("Keine registrierte Einheit hat die "
                + "Seriennummer „NO-SUCH-SERIAL“"), search);
        assertTrue(search.contains(">Abmelden</button>") && search.contains(">Prüfen</a>"), "the header too");
        String english = inspector.get("/inspect?q=NO-SUCH-SERIAL").asString();
        assertTrue(english.contains("<h1>Inspect a unit</h1>") && english.contains("No registered unit has the serial "
                + "“NO-SUCH-SERIAL”"), english);
    }

    @Test
    void theDockPagesSpeakGermanToo() {
        WebUser receiver = WebUser.signIn("northwind.admin");
        String inbox = receiver.given().header("Accept-Language", "de").get("/inbox").asString();
        assertTrue(inbox.contains("<h1>Eingang von northwind</h1>") && inbox.contains("Eingehend: zu empfangen ("), inbox);
        String units = receiver.given().header("Accept-Language", "de").get("/units").asString();
        assertTrue(units.contains("<h1>Einheiten</h1>") && units.contains(">Filtern</button>"), units);
        assertTrue(receiver.page("/inbox", 200).contains("Inbound: to receive ("), "English by default");
        String explorer = receiver.given().header("Accept-Language", "de").get("/explorer").asString();
        assertTrue(explorer.contains("<h1>Register-Explorer</h1>") && explorer.contains("Einträge, die Sie sehen dürfen"),
                explorer);
    }

    @Test
    void theServersOwnWordsAndTheLastPagesSpeakGermanToo() {
        WebUser acme = WebUser.signIn("acme.admin");
        String unit = acme.given().cookie(Languages.COOKIE, "de").get("/units/acme-fab/GH200-0001").asString();
        assertTrue(unit.contains("Seriennummer") && unit.contains("registriert bei"), "the timeline's sentences: " + unit);
        assertTrue(unit.contains(">aktiv</span>"), "the badge's word");
        String english = acme.page("/units/acme-fab/GH200-0001", 200);
        assertTrue(english.contains(">active</span>") && english.contains("Registered "), english);
        String bulk = acme.given().cookie(Languages.COOKIE, "de").get("/units/bulk").asString();
        assertTrue(bulk.contains("<h1>Einheiten aus einer CSV-Datei registrieren</h1>"), bulk);
        String refused = acme.given().cookie(Languages.COOKIE, "de").get("/units/acme-fab/NO-SUCH-UNIT/status").asString();
        assertTrue(refused.contains("<h1>Nicht gefunden</h1>")
                && refused.contains("Es gibt keine Einheit acme-fab/NO-SUCH-UNIT, die Sie sehen dürfen."), refused);
        WebUser operator = WebUser.signIn("operator");
        String parties = operator.given().cookie(Languages.COOKIE, "de").get("/restricted-parties").asString();
        assertTrue(parties.contains("<h1>Liste sanktionierter Parteien</h1>") && parties.contains("Die Liste ersetzen"),
                parties);
        String check = WebUser.anonymous().cookie(Languages.COOKIE, "de").get("/log").asString();
        assertTrue(check.contains("<h1>Prüfen Sie das Protokoll selbst</h1>"), check);
    }
}
