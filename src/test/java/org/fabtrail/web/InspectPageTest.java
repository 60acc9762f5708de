package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inspector's phone-sized view: look a unit up, see where it should be, record what was found. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class InspectPageTest {

    static long treeSize() {
        String note = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        return Long.parseLong(note.split("\n")[1]);
    }

    static Map<String, Object> finding(String result, String notes) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("result", result);
        form.put("siteOrg", "helios-dc");
        form.put("site", "ashburn-dc2");
        form.put("custodian", "helios-dc");
        form.put("notes", notes);
        return form;
    }

    @Test
    void anInspectorLooksAUnitUpAndRecordsWhatWasFoundWhichJoinsTheUnitsTimeline() {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String search = inspector.page("/inspect");
        assertTrue(search.contains("name=\"viewport\""), "sized for a phone");
        Response lookup = inspector.request().queryParam("q", "HGX-0001").get("/inspect");
        String unitPage = SignedInClient.location(lookup);
        assertEquals("/inspect/acme-fab/HGX-0001", unitPage);
        String html = inspector.page(unitPage);
        assertTrue(html.contains("Helios Compute, Inc."), "who should hold it");
        assertTrue(html.contains("44274 Round Table Plaza, Ashburn"), "the site's address");
        assertTrue(html.contains("GH200-0001"), "its components");
        assertTrue(html.contains("id=\"inspect-form\""));

        Response r = inspector.submit(unitPage, unitPage, finding("consistent", "Seals intact; 8 GPUs counted in rack B4"));
        String back = SignedInClient.location(r);
        assertTrue(back.startsWith(unitPage + "?recorded="), back);
        long index = Long.parseLong(back.substring(back.indexOf('=') + 1));
        assertTrue(inspector.page(back).contains("Inspection recorded at log index"));

        // the timeline's sentences, without the links that unit names are
        String timeline = SignedInClient.signIn("helios.admin").page("/units/acme-fab/HGX-0001").replaceAll("<[^>]+>", "");
        assertTrue(timeline.contains("Inspected acme-fab/HGX-0001: consistent, found at helios-dc/ashburn-dc2, held by "
                + "helios-dc. Seals intact; 8 GPUs counted in rack B4"), timeline);
        assertTrue(timeline.contains("#" + index), "with its log index");
        String entry = inspector.page("/explorer/entries/" + index);
        assertTrue(entry.contains("&quot;by&quot; : &quot;inspector&quot;") && entry.contains("&quot;actor&quot; : &quot;bis-inspect&quot;"));
    }

    @Test
    void aSerialUsedByNoUnitIsNotFoundAndAManufacturerSerialGoesStraightToTheUnit() {
        SignedInClient regulator = SignedInClient.signIn("regulator");
        Response none = regulator.request().queryParam("q", "NO-SUCH-SERIAL").get("/inspect");
        assertEquals(404, none.statusCode());
        assertTrue(none.asString().contains("No registered unit has the serial"));
        assertEquals("/inspect/acme-fab/GH200-0017", SignedInClient.location(
                regulator.request().queryParam("q", "https://fabtrail.example/units/acme-fab/GH200-0017").get("/inspect")));
        String inTransit = regulator.page("/inspect/acme-fab/GH200-0017");
        assertTrue(inTransit.contains("In transit") && inTransit.contains("kestrel-dc"), "the pending transfer");
        assertTrue(inTransit.contains("Building A3, Dubai Silicon Oasis"), "where it is going");
    }

    @Test
    void invalidFindingsAreExplainedNextToTheFieldsAndNothingIsWritten() {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String page = "/inspect/acme-fab/GH200-0019";
        long before = treeSize();
        Response noNotes = refused(inspector, page, finding("consistent", "  "));
        assertTrue(noNotes.asString().matches("(?s).*class=\"field-error\"[^>]*>Write what you checked.*"));
        Map<String, Object> noResult = finding("", "looked at it");
        Response r = refused(inspector, page, noResult);
        assertTrue(r.asString().contains("Say whether what you found matches"));
        assertTrue(r.asString().contains("looked at it"), "the notes typed are kept");
        Map<String, Object> unknownSite = finding("discrepancy", "found in a shed");
        unknownSite.put("site", "shed-7");
        Response site = inspector.submit(page, page, unknownSite);
        assertEquals(422, site.statusCode(), "the ledger refuses a site that is not registered");
        assertTrue(site.asString().contains("has no site"), site.asString());
        assertEquals(before, treeSize(), "nothing written");
    }

    @Test
    void theComponentsFoundInsideAreRecordedAndComparedWithTheLedger() throws Exception {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String page = "/inspect/acme-fab/HGX-0001";
        long before = treeSize();
        Map<String, Object> bad = finding("discrepancy", "opened the chassis");
        bad.put("components", "GH200-0001\nnot a serial!");
        Response r = refused(inspector, page, bad);
        assertTrue(r.asString().contains("Not a serial (or manufacturer/serial): not a serial!"), r.asString());
        assertTrue(r.asString().contains("GH200-0001"), "what was typed is kept");
        assertEquals(before, treeSize(), "nothing written");

        Map<String, Object> swapped = finding("discrepancy", "two GPUs in slots 7 and 8 carry other labels");
        swapped.put("components", String.join("\n", "GH200-0001", "GH200-0002", "GH200-0003", "GH200-0004",
                "GH200-0005", "GH200-0006", "acme-fab/GH200-0009", "GH200-0010"));
        String back = SignedInClient.location(inspector.submit(page, page, swapped));
        long index = Long.parseLong(back.substring(back.indexOf('=') + 1));
        String entry = inspector.page("/explorer/entries/" + index);
        assertTrue(entry.contains("GH200-0009") && entry.contains("&quot;components&quot;"), entry);
        jakarta.enterprise.inject.spi.CDI.current().select(org.fabtrail.discrepancy.DiscrepancyEngine.class).get()
                .publish();
        List<Map<String, Object>> found = given().header("Authorization", "Bearer test-admin-token")
                .get("/api/v1/discrepancies?manufacturer=acme-fab&serial=HGX-0001&limit=500").then().statusCode(200)
                .extract().jsonPath().getList("items");
        List<String> rules = found.stream().filter(f -> ((List<?>) f.get("evidence")).contains((int) index))
                .map(f -> (String) f.get("rule")).sorted().toList();
        assertEquals(List.of("component-elsewhere", "component-elsewhere", "component-missing"), rules);
    }

    @Test
    void aPlatformCertificateReadOnSiteIsCheckedAndAFailedCheckIsRecordedAsAFinding() throws Exception {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String page = "/inspect/acme-fab/HGX-0002";
        assertTrue(inspector.page(page).contains("id=\"platformCertificate\""));
        long before = treeSize();
        Map<String, Object> garbage = finding("discrepancy", "BMC showed a certificate");
        garbage.put("siteOrg", "");
        garbage.put("site", "");
        garbage.put("custodian", "");
        garbage.put("platformCertificate", "-----BEGIN ATTRIBUTE CERTIFICATE-----\nnot base64\n-----END ATTRIBUTE CERTIFICATE-----");
        Response bad = refused(inspector, page, garbage);
        assertTrue(bad.asString().matches("(?s).*class=\"field-error\"[^>]*>payload.platformCertificate.*"), bad.asString());
        assertEquals(before, treeSize(), "nothing written");

        // a real platform certificate, but of another manufacturer's test CA: recorded, and flagged
        Map<String, Object> foreign = finding("discrepancy", "BMC presented a platform certificate from another CA");
        foreign.put("siteOrg", "");
        foreign.put("site", "");
        foreign.put("custodian", "");
        foreign.put("platformCertificate", java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/resources/vectors/tcg-platform-certificate/platform_cert.20250909102720.pem")));
        String back = SignedInClient.location(inspector.submit(page, page, foreign));
        long index = Long.parseLong(back.substring(back.indexOf('=') + 1));
        jakarta.enterprise.inject.spi.CDI.current().select(org.fabtrail.discrepancy.DiscrepancyEngine.class).get()
                .publish();
        List<Map<String, Object>> found = given().header("Authorization", "Bearer test-admin-token")
                .get("/api/v1/discrepancies?rule=platform-check-failed&manufacturer=acme-fab&serial=HGX-0002")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertEquals(1, found.size(), found.toString());
        assertTrue(((List<?>) found.get(0).get("evidence")).contains((int) index));
        assertTrue(((String) found.get(0).get("summary")).contains("platform-"), found.get(0).toString());
    }

    @Test
    void inGermanTheFormsErrorsAndTheRefusalAreGerman() {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        inspector.cookies.put(Languages.COOKIE, "de");
        String page = "/inspect/acme-fab/GH200-0019";
        long before = treeSize();
        Map<String, Object> bad = finding("", "  ");
        bad.put("components", "not a serial!");
        Response r = refused(inspector, page, bad);
        String html = r.asString();
        assertTrue(html.contains("Schreiben Sie, was Sie geprüft und gesehen haben"), html);
        assertTrue(html.contains("Geben Sie an, ob das Gefundene dem Register entspricht"), html);
        assertTrue(html.contains("Keine Seriennummer (oder Hersteller/Seriennummer): not a serial!"), html);
        assertEquals(before, treeSize(), "nothing written");
        SignedInClient acme = SignedInClient.signIn("acme.admin");
        acme.cookies.put(Languages.COOKIE, "de");
        String refused = acme.request().get("/inspect").then().statusCode(403).extract().asString();
        assertTrue(refused.contains("<h1>Nicht erlaubt</h1>") && refused.contains("Nur Prüf- und Aufsichtsorganisationen"),
                refused);
        inspector.cookies.put(Languages.COOKIE, "en");
        String missing = inspector.get("/inspect/acme-fab/NO-SUCH-UNIT").asString();
        assertTrue(missing.contains("There is no unit acme-fab/NO-SUCH-UNIT."), "English again: " + missing);
    }

    @Test
    void aNonInspectorGetsNoInspectFormAndItsPostIsRefused() {
        SignedInClient acme = SignedInClient.signIn("acme.admin");
        Response form = acme.get("/inspect/acme-fab/GH200-0001");
        assertEquals(403, form.statusCode());
        assertFalse(form.asString().contains("id=\"inspect-form\""));
        assertFalse(acme.page("/").contains("href=\"/inspect\""), "no Inspect link for them");
        assertEquals(403, acme.get("/inspect").statusCode());
        long before = treeSize();
        String csrf = SignedInClient.csrf(acme.page("/"));
        Map<String, Object> forged = finding("consistent", "I inspected my own unit");
        forged.put("_csrf", csrf);
        assertEquals(403, acme.post("/inspect/acme-fab/GH200-0001", forged).statusCode());
        assertEquals(before, treeSize(), "nothing written");
        assertTrue(SignedInClient.signIn("inspector").page("/").contains("href=\"/inspect\""));
    }

    @Test
    void withoutACsrfTokenNoInspectionIsRecorded() {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        long before = treeSize();
        Response r = inspector.post("/inspect/acme-fab/GH200-0001", finding("discrepancy", "forged"));
        assertEquals(403, r.statusCode());
        assertEquals(before, treeSize());
    }

    @Test
    void theOperatorMayRecordAnInspectionToo() {
        SignedInClient operator = SignedInClient.signIn("operator");
        String page = "/inspect/acme-fab/GH200-0020";
        Map<String, Object> form = finding("discrepancy", "Reported decommissioned, still racked and powered");
        Response r = operator.submit(page, page, form);
        assertTrue(SignedInClient.location(r).startsWith(page + "?recorded="));
        assertTrue(operator.page("/units/acme-fab/GH200-0020").replaceAll("<[^>]+>", "")
                .contains("Inspected acme-fab/GH200-0020: discrepancy"));
    }

    @Test
    void foundAtAndHeldByOfferTheExpectedSiteAndHolderAndTakeAnyOther() {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String page = "/inspect/acme-fab/GH200-0017"; // in transit from northwind to kestrel-dc/dubai-dc1
        String html = inspector.page(page);
        assertTrue(html.contains("<select id=\"foundAt\" name=\"foundAt\""), "a list of sites, not a typed id");
        java.util.regex.Matcher selected = java.util.regex.Pattern.compile(
                "<option value=\"([a-z0-9-]+/[a-z0-9-]+)\" selected>[^<]*expected: the ledger&#39;s site").matcher(html);
        assertTrue(selected.find(), "the ledger's site is preselected and marked");
        assertTrue(html.contains("<option value=\"kestrel-dc/dubai-dc1\">") && html.contains("expected: in transit to it"),
                "where it is being sent is marked too");
        assertTrue(html.matches("(?s).*<option value=\"northwind\" selected>[^<]*expected: the ledger&#39;s custodian.*"),
                "the custodian is preselected");

        Map<String, Object> form = new LinkedHashMap<>();
        form.put("result", "discrepancy");
        form.put("foundAt", "eu-regulator/brussels");
        form.put("custodian", "eu-regulator");
        form.put("notes", "Seen in Brussels");
        Response r = inspector.submit(page, page, form);
        String back = SignedInClient.location(r);
        assertTrue(back.startsWith(page + "?recorded="), back);
        String entry = inspector.page("/explorer/entries/" + back.substring(back.indexOf('=') + 1));
        assertTrue(entry.contains("&quot;org&quot; : &quot;eu-regulator&quot;") && entry.contains("&quot;site&quot; : &quot;brussels&quot;"),
                entry);

        long before = treeSize();
        form.put("foundAt", "Brussels");
        Response bad = refused(inspector, page, form);
        assertTrue(bad.asString().contains("Give both the organisation and the site"), bad.asString());
        assertEquals(before, treeSize(), "nothing was written");
    }

    /** {@code who} submits {@code form} on the inspection page {@code page}, which refuses it with 422. */
    private static Response refused(SignedInClient who, String page, Map<String, ?> form) {
        Response r = who.submit(page, page, form);
        assertEquals(422, r.statusCode());
        return r;
    }
}
