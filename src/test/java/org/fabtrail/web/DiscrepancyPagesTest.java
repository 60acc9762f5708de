package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.discrepancy.Webhooks;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.Proofs;
import org.fabtrail.web.session.SessionManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.fabtrail.web.WebUser.fieldErrors;
import static org.fabtrail.web.WebUser.form;
import static org.fabtrail.web.WebUser.loggedIndex;
import static org.fabtrail.web.WebUser.locationPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The discrepancy pages: who sees a finding (an organisation it does not name gets "Not found"), the dashboard's
 * filters, counts and CSV, the note, state and resolve forms (a refusal is a form error and writes nothing), the
 * printable report's proofs, the unit page's open findings, webhooks (the secret shown once, the delivery log), and
 * the operator's restricted-party list (a bad file lists every problem and changes nothing).
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class DiscrepancyPagesTest extends DemoUiTest {

    @Inject
    Webhooks webhooks;
    @Inject
    RestrictedList restricted;

    private final CustodyQueries queries = new CustodyQueries();
    private final DiscrepancyQueries findings = new DiscrepancyQueries();

    /** A finding as the test opened it. */
    record Opened(String id, String serial, long evidence) {
    }

    static String rule(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Opens a finding as bis-inspect (signed with its UI key, as its inspector would): about a unit acme-fab just
     * registered, naming the given organisations, with the unit's registration as evidence.
     */
    Opened open(String rule, String severity, String... orgs) {
        return open(rule, severity, serial -> "Seals of " + serial + " broken on arrival", orgs);
    }

    /** {@link #open(String, String, String...)} with a summary of the unit's serial. */
    Opened open(String rule, String severity, UnaryOperator<String> summary, String... orgs) {
        WebUser acme = WebUser.signIn("acme.clerk");
        String serial = TransfersTest.register(acme, "hsinchu-fab12", "accelerator");
        long registered = ledger.read(c -> queries.entryIndexes(c, new UnitKey("acme-fab", serial))).get(0);
        Viewer inspector = new Viewer(UUID.randomUUID(), "inspector", "Inspector", "bis-inspect", "member", true,
                List.of("inspector"), "-");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("rule", rule);
        fields.put("finding", rule + ":" + UUID.randomUUID());
        fields.put("severity", severity);
        fields.put("summary", summary.apply(serial));
        fields.put("units", List.of(Map.of("manufacturer", "acme-fab", "serial", serial)));
        fields.put("orgs", List.of(orgs));
        fields.put("evidence", List.of(registered));
        Envelope e = signing.sign(inspector, "discrepancy.open", fields);
        ledger.submitAndWait(e);
        return new Opened(e.id().toString(), serial, registered);
    }

    DiscrepancyQueries.Discrepancy finding(String id) {
        return ledger.read(c -> findings.get(c, UUID.fromString(id), null)).orElseThrow();
    }

    int events(String id) {
        return ledger.read(c -> findings.events(c, UUID.fromString(id))).size();
    }

    @Test
    void componentClassesInASummaryAreShownInWordsWhileTheLogKeepsThem() {
        String oid = "2.23.133.18.3.4/00030200";
        Opened f = open(rule("ui-words"), "high", serial -> oid + " NVIDIA H100 serial 1652 of acme-fab/" + serial
                + " is missing from its platform", "acme-fab");
        assertTrue(finding(f.id()).summary().startsWith(oid), "the finding keeps the registry value");
        WebUser acme = WebUser.signIn("acme.clerk");
        for (String path : List.of("/discrepancies/" + f.id(), "/discrepancies/" + f.id() + "/report",
                "/discrepancies?unit=acme-fab/" + f.serial(), "/units/acme-fab/" + f.serial())) {
            String page = acme.page(path, 200);
            assertTrue(page.contains("GPU NVIDIA H100 serial 1652"), path + " names the class in words");
            assertFalse(page.contains(oid), path + " shows no registry OID");
        }
    }

    @Test
    void aFindingIsSeenByTheOrganisationsItNamesAndTheQueueAndIsNotFoundForOthers() {
        Opened f = open(rule("ui-vis"), "high", "acme-fab");
        String path = "/discrepancies/" + f.id();
        String page = WebUser.signIn("acme.clerk").page(path, 200);
        assertTrue(page.contains("Seals of " + f.serial()), page);
        assertTrue(page.contains("/units/acme-fab/" + f.serial()), "links the unit");
        assertTrue(page.contains("/explorer/entries/" + f.evidence()), "links the evidence");
        assertTrue(page.contains("id=\"note-form\""), "the involved organisation may add notes");
        assertFalse(page.contains("id=\"resolve-form\""), "but does not see the resolve form");
        assertTrue(page.contains("Timeline of acme-fab/" + f.serial()) && page.contains("is-evidence"),
                "the unit's timeline around the evidence");

        WebUser kestrel = WebUser.signIn("kestrel.admin");
        String refused = kestrel.page(path, 404);
        assertTrue(refused.contains("Not found"), refused);
        kestrel.page(path + "/report", 404);
        assertEquals(404, kestrel.get(path + "/report.json").statusCode());
        assertFalse(kestrel.page("/discrepancies", 200).contains(f.id()), "not on another organisation's dashboard");
        assertFalse(kestrel.get("/discrepancies/export.csv").asString().contains(f.id()), "nor in its export");

        String inspector = WebUser.signIn("inspector").page(path, 200);
        assertTrue(inspector.contains("id=\"resolve-form\"") && inspector.contains("id=\"state-form\""));
        assertEquals(303, WebUser.anonymous().get(path).statusCode(), "signed out: to sign-in");
    }

    @Test
    void theDashboardFiltersCountsPagesAndExports() {
        String rule = rule("ui-count");
        Opened a = open(rule, "high", "acme-fab", "northwind");
        open(rule, "high", "acme-fab");
        open(rule, "low", "acme-fab");
        WebUser inspector = WebUser.signIn("inspector");
        String all = inspector.page("/discrepancies?rule=" + rule, 200);
        assertTrue(all.contains("Findings (3)"), all);
        String highLink = "/discrepancies?rule=" + rule + "&amp;severity=high";
        assertTrue(all.contains("href=\"" + highLink + "\""), "a count links its filter");
        assertTrue(Pattern.compile("badge-high\">high</span>\\s*</a> <span class=\"count\">2</span>").matcher(all).find(),
                all);
        assertTrue(all.contains("<title id=\"trend-title\">") && all.contains("<desc id=\"trend-desc\">"),
                "the trend chart is an accessible SVG");
        assertTrue(all.contains("The chart as a table"));
        String high = inspector.page(highLink.replace("&amp;", "&"), 200);
        assertTrue(high.contains("Findings (2)"));
        String northwind = inspector.page("/discrepancies?rule=" + rule + "&org=northwind", 200);
        assertTrue(northwind.contains("Findings (1)") && northwind.contains(a.id()));
        String byUnit = inspector.page("/discrepancies?unit=acme-fab/" + a.serial(), 200);
        assertTrue(byUnit.contains("Findings (1)"), byUnit);
        assertTrue(inspector.page("/discrepancies?rule=" + rule + "&state=unresolved", 200).contains("Findings (3)"));
        assertTrue(inspector.page("/discrepancies?rule=" + rule + "&from=2000-01-01&to=2000-01-02", 200)
                .contains("Findings (0)"));

        Response bad = inspector.get("/discrepancies?severity=extreme&from=yesterday");
        assertEquals(400, bad.statusCode());
        assertTrue(fieldErrors(bad.asString()).get("severity").contains("severity must be one of"), bad.asString());

        Response csv = inspector.get("/discrepancies/export.csv?rule=" + rule + "&severity=high");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        String[] lines = csv.asString().split("\r\n");
        assertEquals(3, lines.length, csv.asString());
        assertTrue(lines[0].startsWith("id,opened_at,opened_index,rule,severity,state"));
        assertTrue(all.contains("href=\"/discrepancies/export.csv?rule=" + rule + "\""), "the export link keeps filters");

        String northwindOwn = WebUser.signIn("northwind.admin").get("/discrepancies/export.csv?rule=" + rule).asString();
        assertEquals(2, northwindOwn.split("\r\n").length, "an organisation exports only findings naming it");

        // paging: 50 a page, newest first, "Older" continues
        String paged = inspector.page("/discrepancies", 200);
        Matcher older = Pattern.compile("href=\"(/discrepancies\\?before=\\d+)#list\"").matcher(paged);
        if (older.find()) {
            String next = inspector.page(older.group(1), 200);
            assertTrue(next.contains("← Newest"));
        }
    }

    @Test
    void aNoteCarriesADocumentWhoseHashIsInTheLogAndWhichOnlyThoseInvolvedDownload() {
        Opened f = open(rule("ui-doc"), "medium", "acme-fab");
        String path = "/discrepancies/" + f.id();
        WebUser acme = WebUser.signIn("acme.admin");
        assertTrue(acme.page(path, 200).contains("enctype=\"multipart/form-data\""), "the note form uploads");
        byte[] photo = "JPEG bytes of the resealed crate".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Response noted = io.restassured.RestAssured.given()
                .config(io.restassured.config.RestAssuredConfig.config().redirect(
                        io.restassured.config.RedirectConfig.redirectConfig().followRedirects(false)))
                .cookie(SessionManager.COOKIE, acme.cookie)
                .multiPart("_csrf", acme.csrf).multiPart("note", "Photo of the resealed crate").multiPart("evidence", "")
                .multiPart("document", "crate seal.jpg", photo, "image/jpeg")
                .post(path + "/note");
        long idx = loggedIndex(noted);
        String sha = org.fabtrail.discrepancy.Documents.sha256(photo);
        String page = acme.page(path + "?logged=" + idx, 200);
        assertTrue(page.contains("crate seal.jpg") && page.contains(sha), page);
        String entry = acme.page("/explorer/entries/" + idx, 200);
        assertTrue(entry.contains(sha), "the hash is in the signed entry");
        Response file = io.restassured.RestAssured.given().cookie(SessionManager.COOKIE, acme.cookie)
                .get(path + "/documents/" + sha);
        assertEquals(200, file.statusCode());
        assertEquals(sha, org.fabtrail.discrepancy.Documents.sha256(file.asByteArray()));
        assertTrue(file.getHeader("Content-Disposition").startsWith("attachment"));
        WebUser kestrel = WebUser.signIn("kestrel.admin");
        assertEquals(404, io.restassured.RestAssured.given().cookie(SessionManager.COOKIE, kestrel.cookie)
                .get(path + "/documents/" + sha).statusCode(), "not involved: not found");
    }

    @Test
    void aDocumentOverTheLimitIsRefusedInThePagesLanguageAndNothingIsNoted() {
        Opened f = open(rule("ui-doc-big"), "medium", "acme-fab");
        String path = "/discrepancies/" + f.id();
        WebUser acme = WebUser.signIn("acme.admin");
        long before = acme.page(path, 200).split("class=\"event").length;
        byte[] big = new byte[(int) org.fabtrail.discrepancy.Documents.MAX_BYTES + 1];
        Response refused = io.restassured.RestAssured.given().cookie(SessionManager.COOKIE, acme.cookie)
                .header("Accept-Language", "de")
                .multiPart("_csrf", acme.csrf).multiPart("note", "Zu gross").multiPart("evidence", "")
                .multiPart("document", "scan.pdf", big, "application/pdf")
                .post(path + "/note");
        assertEquals(422, refused.statusCode());
        assertTrue(refused.asString().contains("Ein Dokument hat höchstens 10 MiB; dieses hat 10485761 Bytes."),
                "the refusal in the page's language");
        assertEquals(before, acme.page(path, 200).split("class=\"event").length, "no note was written");
        assertEquals(404, io.restassured.RestAssured.given().cookie(SessionManager.COOKIE, acme.cookie)
                .get(path + "/documents/" + org.fabtrail.discrepancy.Documents.sha256(big)).statusCode(), "nor stored");
    }

    @Test
    void involvedOrganisationsNoteTheQueueMovesOnAndResolvesRefusalsWriteNothing() {
        Opened f = open(rule("ui-work"), "medium", "acme-fab");
        String path = "/discrepancies/" + f.id();
        WebUser acme = WebUser.signIn("acme.admin");

        Response noted = acme.post(path + "/note", form("note", "Crate resealed at customs, photos attached",
                "evidence", String.valueOf(f.evidence())));
        long idx = loggedIndex(noted);
        assertEquals(path, locationPath(noted));
        String page = acme.page(path + "?logged=" + idx, 200);
        assertTrue(page.contains("Recorded at log index"), page);
        assertTrue(page.contains("Crate resealed at customs") && page.contains("(acme.admin)"), "who and why");

        // a partner may not resolve: the ledger refuses, the form says so, nothing is written
        long size = ledger.head().size();
        Response refused = acme.post(path + "/resolve", form("outcome", "explained", "reason", "we say so"));
        assertEquals(422, refused.statusCode(), refused.asString());
        assertTrue(fieldErrors(refused.asString()).get("resolveForm").contains("Only the operator, inspectors and "
                + "regulators resolve"), refused.asString());
        Response moved = acme.post(path + "/state", form("state", "investigating", "why", "we are on it"));
        assertEquals(422, moved.statusCode());
        assertTrue(fieldErrors(moved.asString()).containsKey("stateForm"), moved.asString());
        assertEquals(size, ledger.head().size(), "nothing written");
        assertEquals("open", finding(f.id()).state());

        // form checks: each a readable field error, nothing written
        Response blank = acme.post(path + "/note", form("note", " ", "evidence", "12 abc"));
        assertEquals(422, blank.statusCode());
        Map<String, String> errors = fieldErrors(blank.asString());
        assertTrue(errors.containsKey("note") && errors.get("evidence").contains("\"abc\""), errors.toString());
        Response future = acme.post(path + "/note", form("note", "later", "evidence", "999999999"));
        assertEquals(422, future.statusCode());
        assertTrue(fieldErrors(future.asString()).get("evidence").contains("earlier entries"), future.asString());
        assertEquals(403, acme.postWithToken(path + "/note", form("note", "forged"), null).statusCode(), "no CSRF");
        assertEquals(size, ledger.head().size(), "nothing written");

        WebUser inspector = WebUser.signIn("inspector");
        loggedIndex(inspector.post(path + "/state", form("state", "acknowledged", "why", "Assigned to the Hsinchu office")));
        assertEquals("acknowledged", finding(f.id()).state());
        Response backwards = inspector.post(path + "/state", form("state", "acknowledged", "why", "again"));
        assertEquals(409, backwards.statusCode());
        assertTrue(fieldErrors(backwards.asString()).get("stateForm").contains("later state only"));
        Response noReason = inspector.post(path + "/resolve", form("outcome", "explained", "reason", ""));
        assertEquals(422, noReason.statusCode());
        assertTrue(fieldErrors(noReason.asString()).containsKey("reason"));
        loggedIndex(inspector.post(path + "/resolve", form("outcome", "data-error", "reason", "Seal log mistyped")));
        DiscrepancyQueries.Discrepancy done = finding(f.id());
        assertEquals("resolved", done.state());
        assertEquals("data-error", done.outcome());
        assertEquals(4, events(f.id()), "open, note, acknowledged, resolved");
        String after = inspector.page(path, 200);
        assertFalse(after.contains("id=\"resolve-form\"") || after.contains("id=\"note-form\""), "a resolved finding is final");
        assertTrue(after.contains("Seal log mistyped") && after.contains("(inspector)"));
        Response late = acme.post(path + "/note", form("note", "one more thing"));
        assertEquals(409, late.statusCode());
        assertTrue(fieldErrors(late.asString()).get("noteForm").contains("resolved"), late.asString());

        assertEquals(404, WebUser.signIn("kestrel.admin").post(path + "/note", form("note", "hello")).statusCode(),
                "an organisation it does not name cannot even find it");
    }

    @Test
    void theReportCarriesEveryEntryWithAProofThatVerifiesAgainstTheCheckpoint() throws Exception {
        Opened f = open(rule("ui-report"), "critical", "acme-fab");
        String path = "/discrepancies/" + f.id();
        WebUser regulator = WebUser.signIn("regulator");
        loggedIndex(regulator.post(path + "/note", form("note", "Requested the seal log")));
        String html = regulator.page(path + "/report", 200);
        assertFalse(html.contains("<header class=\"top\">"), "printable: no navigation");
        assertTrue(html.contains("How to verify"));
        Response json = regulator.get(path + "/report.json");
        assertEquals(200, json.statusCode());
        assertTrue(json.header("Content-Disposition").contains("attachment"));
        JsonPath report = json.jsonPath();
        String checkpoint = report.getString("checkpoint");
        String[] cp = checkpoint.split("\n");
        long size = Long.parseLong(cp[1]);
        byte[] root = Base64.getDecoder().decode(cp[2]);
        assertTrue(html.contains(cp[0]) && html.contains(cp[2]), "the checkpoint text");
        assertTrue(html.contains(report.getString("logKey")), "the log key");
        List<Map<String, Object>> entries = report.getList("entries");
        assertEquals(3, entries.size(), "the evidence, the open and the note entries");
        for (Map<String, Object> e : entries) {
            long index = ((Number) e.get("index")).longValue();
            byte[] leafHash = Merkle.leafHash(Base64.getDecoder().decode((String) e.get("leaf")));
            assertEquals(e.get("leafHash"), HexFormat.of().formatHex(leafHash));
            assertTrue(html.contains("Log index " + index) && html.contains((String) e.get("leafHash")),
                    "the page shows entry " + index + " and its leaf hash");
            List<byte[]> proof = new ArrayList<>();
            for (Object h : (List<?>) e.get("inclusionProof")) {
                assertTrue(html.contains((String) h), "the page shows every proof hash");
                proof.add(HexFormat.of().parseHex((String) h));
            }
            Proofs.verifyInclusion(index, size, leafHash, proof, root);
        }
        String german = regulator.given().cookie(Languages.COOKIE, "de").get(path + "/report").asString();
        assertTrue(german.contains("<html lang=\"de\">") && german.contains("<h1>Abweichungsbericht</h1>")
                && german.contains("Wie man prüft") && german.contains(cp[2]), "the same report in German: " + german);
    }

    @Test
    void theUnitPageListsItsOpenFindingsAndTheHomePageCountsTheQueue() {
        Opened f = open(rule("ui-unit"), "high", "acme-fab");
        WebUser acme = WebUser.signIn("acme.clerk");
        String unit = acme.page("/units/acme-fab/" + f.serial(), 200);
        assertTrue(unit.contains("Open discrepancies") && unit.contains("href=\"/discrepancies/" + f.id() + "\""), unit);
        assertFalse(acme.page("/", 200).contains("id=\"open-findings\""), "a partner does not work the queue");
        assertTrue(WebUser.signIn("inspector").page("/", 200).contains("id=\"open-findings\""));
        loggedIndex(WebUser.signIn("inspector").post("/discrepancies/" + f.id() + "/resolve",
                form("outcome", "other", "reason", "closed for the test")));
        assertFalse(acme.page("/units/acme-fab/" + f.serial(), 200).contains("href=\"/discrepancies/" + f.id() + "\""),
                "resolved findings leave the list");
    }

    @Test
    void webhooksShowTheirSecretOnceStopAndLogDeliveries() throws Exception {
        String hooks = "/orgs/acme-fab/webhooks";
        WebUser admin = WebUser.signIn("acme.admin");
        Response none = admin.post(hooks, form("url", "http://127.0.0.1:9/fabtrail-test-hook"));
        assertEquals(422, none.statusCode(), "no kind of events chosen");
        assertTrue(fieldErrors(none.asString()).get("events").contains("discrepancy, custody"), none.asString());
        Response created = admin.post(hooks, form("url", "http://127.0.0.1:9/fabtrail-test-hook",
                "events", List.of("discrepancy", "custody")));
        assertEquals(200, created.statusCode(), created.asString());
        assertTrue(created.asString().contains("discrepancy, custody"), "the kinds of events it gets");
        assertEquals("no-store", created.header("Cache-Control"));
        Matcher m = Pattern.compile("id=\"secret\" class=\"secret\" readonly value=\"([0-9a-f]{64})\"")
                .matcher(created.asString());
        assertTrue(m.find(), created.asString());
        String secret = m.group(1);
        String list = admin.page(hooks, 200);
        assertTrue(list.contains("http://127.0.0.1:9/fabtrail-test-hook"));
        assertFalse(list.contains(secret), "the secret is shown once");

        Response bad = admin.post(hooks, form("url", "ftp://example.com/x", "events", "discrepancy"));
        assertEquals(422, bad.statusCode());
        assertTrue(fieldErrors(bad.asString()).get("url").contains("https://"), bad.asString());
        assertEquals(403, WebUser.signIn("acme.clerk").get(hooks).statusCode(), "members do not manage webhooks");
        assertEquals(403, WebUser.signIn("northwind.admin").post(hooks, form("url", "https://evil.example/", "events", "custody")).statusCode());

        Opened f = open(rule("ui-hook"), "low", "acme-fab");
        webhooks.deliverDue();
        String log = admin.page(hooks, 200);
        assertTrue(log.contains("href=\"/discrepancies/" + f.id() + "\""), "the delivery log links the finding");
        assertTrue(log.contains("discrepancy.open") && log.contains("badge-pending"), log);

        Matcher stop = Pattern.compile("action=\"(/orgs/acme-fab/webhooks/[0-9a-f-]+/stop)\"").matcher(list);
        while (stop.find()) {
            Response stopped = admin.post(stop.group(1), form());
            assertEquals("/orgs/acme-fab/webhooks", locationPath(stopped));
        }
        String after = admin.page(hooks + "?notice=stopped", 200);
        assertTrue(after.contains("Stopped the webhook") && !after.contains("/stop\""), after);
    }

    @Test
    void theOperatorReplacesTheRestrictedListABadFileListsEveryProblemAndChangesNothing() throws Exception {
        List<RestrictedList.Party> before = ledger.read(c -> restricted.all());
        WebUser operator = WebUser.signIn("operator");
        try {
            String good = "name,country,aliases,source_list,identifiers\n"
                    + "\"Zz Web Test Trading Co., Ltd.\",HK,Zz Web;Zz Test,Entity List,\n"
                    + "Zz Other Test Corp,AE,,Entity List,\n"
                    + ",KP,,Embargoed destinations,\n";
            Response ok = operator.post("/restricted-parties", form("text", good));
            assertEquals("/restricted-parties", locationPath(ok));
            String page = operator.page("/restricted-parties?imported=3", 200);
            assertTrue(page.contains("In force: 3 rows") && page.contains("Zz Web Test Trading Co., Ltd."), page);
            assertTrue(page.contains("<td>Entity List</td><td>2</td>") && page.contains("<td>Embargoed destinations</td><td>1</td>"),
                    "counts per source list");

            String badFile = "name,country,aliases,source_list,identifiers\n"
                    + "Fine Name,DE,,Entity List,\n"
                    + "Bad Country,Germany,,Entity List,\n"
                    + ",,,Entity List,\n"
                    + "No Source,FR,,,\n";
            Response bad = operator.post("/restricted-parties", form("text", badFile));
            assertEquals(422, bad.statusCode());
            String html = bad.asString();
            assertTrue(html.contains("3 problems") && html.contains("row 3") && html.contains("row 4")
                    && html.contains("row 5"), html);
            assertTrue(html.contains("In force: 3 rows"), "the list in force did not change");
            assertEquals(3, ledger.read(c -> restricted.all()).size());

            assertEquals(403, WebUser.signIn("acme.admin").get("/restricted-parties").statusCode());
            WebUser inspector = WebUser.signIn("inspector");
            String look = inspector.page("/restricted-parties", 200);
            assertFalse(look.contains("id=\"replace-list\""), "inspectors look, the operator replaces");
            assertEquals(403, inspector.post("/restricted-parties", form("text", good)).statusCode());
        } finally {
            StringBuilder csv = new StringBuilder(String.join(",", RestrictedList.HEADER)).append('\n');
            for (RestrictedList.Party p : before) {
                csv.append(org.fabtrail.custody.Csv.line(List.of(p.name() == null ? "" : p.name(),
                        p.country() == null ? "" : p.country(), String.join(";", p.aliases()), p.sourceList(),
                        p.identifiers() == null ? "" : p.identifiers(), String.join(";", p.addresses()))));
            }
            restricted.importCsv(csv.toString());
        }
        assertNotNull(before);
    }
}
