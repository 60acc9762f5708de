package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.fabtrail.web.WebUser.fieldErrors;
import static org.fabtrail.web.WebUser.form;
import static org.fabtrail.web.WebUser.loggedIndex;
import static org.fabtrail.web.WebUser.locationPath;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /units (filters, cursor pages) and /units/new (registering one unit). */
@QuarkusTest
@TestProfile(DemoProfile.class)
class UnitsPageTest extends DemoUiTest {

    static final String FAB_SITE = "hsinchu-fab12";


    static String serial(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    Optional<CustodyQueries.UnitRecord> unit(String manufacturer, String serial) {
        return ledger.read(c -> queries.unit(c, new UnitKey(manufacturer, serial)));
    }

    static Map<String, Object> unitForm(String serial, String model, String site) {
        return form("serial", serial, "kind", "accelerator", "model", model, "eccn", "3A090.a", "site", site,
                "deviceCertificate", "");
    }

    @Test
    void signedOutViewersAreSentToSignIn() {
        Response r = WebUser.anonymous().get("/units?kind=server");
        assertEquals(303, r.statusCode());
        assertTrue(r.header("Location").endsWith("/login?next=%2Funits%3Fkind%3Dserver"), r.header("Location"));
        for (String path : List.of("/units/new", "/units/bulk", "/inbox", "/dispatch", "/sites/new",
                "/units/acme-fab/GH200-0024/status")) {
            assertEquals(303, WebUser.anonymous().get(path).statusCode(), path);
        }
    }

    @Test
    void theSearchBoxFindsSerialsByTheirBeginningAmongTheUnitsTheViewerMaySee() {
        WebUser clerk = WebUser.signIn("acme.clerk");
        String mine = clerk.page("/search?q=GH200-001", 200);
        assertTrue(mine.contains("starts with"), mine);
        for (int i = 10; i <= 19; i++) {
            assertTrue(mine.contains("/units/acme-fab/GH200-00" + i), "GH200-00" + i);
        }
        assertFalse(mine.contains("/units/acme-fab/GH200-0020"));
        // helios-dc was sent GH200-0019 only, of these
        String theirs = WebUser.signIn("helios.admin").page("/search?q=GH200-001", 200);
        assertTrue(theirs.contains("/units/acme-fab/GH200-0019"), theirs);
        assertFalse(theirs.contains("/units/acme-fab/GH200-0010"), theirs);
        // a serial typed in full still goes to its unit; a beginning nothing has is not found
        Response exact = clerk.get("/search?q=GH200-0010");
        assertEquals(303, exact.statusCode());
        assertEquals("/units/acme-fab/GH200-0010", locationPath(exact));
        clerk.page("/search?q=GH200-01", 404);
        clerk.page("/search?q=GH200_", 404);
    }

    @Test
    void registerAUnit() {
        WebUser clerk = WebUser.signIn("acme.clerk");
        String form = clerk.page("/units/new", 200);
        assertTrue(form.contains("name=\"serial\"") && form.contains("value=\"" + FAB_SITE + "\""), form);
        String serial = serial("WEB");
        long before = ledger.head().size();
        Response r = clerk.post("/units/new", unitForm(serial, "H200-SXM", FAB_SITE));
        long index = loggedIndex(r);
        assertEquals("/units/acme-fab/" + serial, locationPath(r));
        assertEquals(before, index, "one entry, the next in the log");
        CustodyQueries.UnitRecord u = unit("acme-fab", serial).orElseThrow();
        assertEquals("acme-fab", u.custodian());
        assertEquals(FAB_SITE, u.site());
        assertEquals("3A090.a", u.eccn());
        assertEquals(index, u.registeredIdx());
        // the unit page names the entry the write made, and offers the custodian's actions
        clerk.given().get(r.header("Location")).then().statusCode(200)
                .body(containsString("Recorded at log index"))
                .body(containsString("#" + index))
                .body(containsString("/units/acme-fab/" + serial + "/status"))
                .body(containsString("/dispatch?site=" + FAB_SITE));
    }

    @Test
    void ruleViolationsAreShownNextToTheFieldAndWriteNothing() {
        WebUser admin = WebUser.signIn("acme.admin");
        long before = ledger.head().size();
        Response dup = admin.post("/units/new", unitForm("GH200-0024", "H200-SXM", FAB_SITE));
        assertEquals(409, dup.statusCode());
        Map<String, String> errors = fieldErrors(dup.asString());
        assertTrue(errors.get("serial").contains("acme-fab/GH200-0024 is already registered"), errors.toString());
        assertTrue(dup.asString().contains("value=\"GH200-0024\""), "the form keeps what was typed");
        assertTrue(dup.asString().contains("aria-invalid=\"true\" aria-describedby=\"serial-help serial-error\""),
                "the field points to its help and its error");
        assertFalse(dup.asString().contains("id=\"model\" name=\"model\" value=\"H200-SXM\" required maxlength=\"100\" "
                + "aria-invalid"), "a field without an error is not marked invalid");

        Response bad = admin.post("/units/new", unitForm("gh 200/1", "H200-SXM", FAB_SITE));
        assertEquals(422, bad.statusCode());
        assertTrue(fieldErrors(bad.asString()).get("serial").startsWith("serial must match"), bad.asString());

        Response site = admin.post("/units/new", unitForm(serial("WEB"), "H200-SXM", "ashburn-dc2"));
        assertEquals(422, site.statusCode());
        assertEquals("\"acme-fab\" has no site \"ashburn-dc2\"; register it with site.register first",
                fieldErrors(site.asString()).get("site"));

        Response eccn = admin.post("/units/new", form("serial", serial("WEB"), "kind", "gpu", "model", "X",
                "eccn", "3A090.a", "site", FAB_SITE));
        assertEquals(422, eccn.statusCode());
        assertTrue(fieldErrors(eccn.asString()).get("kind").startsWith("kind must be one of"), eccn.asString());

        Response cert = admin.post("/units/new", form("serial", serial("WEB"), "kind", "accelerator", "model", "X",
                "site", FAB_SITE, "deviceCertificate", "not a certificate"));
        assertEquals(422, cert.statusCode());
        assertTrue(fieldErrors(cert.asString()).containsKey("deviceCertificate"), cert.asString());
        assertEquals(before, ledger.head().size(), "nothing was written");
    }

    @Test
    void onlyManufacturersRegister() {
        WebUser northwind = WebUser.signIn("northwind.admin");
        String page = northwind.page("/units/new", 403);
        assertTrue(page.contains("Only manufacturers register units"), page);
        long before = ledger.head().size();
        Response r = northwind.post("/units/new", unitForm(serial("NW"), "X", "ams-schiphol"));
        assertEquals(403, r.statusCode());
        assertTrue(r.contentType().startsWith("text/html"), "a page, not a stack trace");
        northwind.page("/units/bulk", 403);
        assertEquals(before, ledger.head().size());
        assertFalse(northwind.page("/units", 200).contains("href=\"/units/new\""), "no register link");
    }

    @Test
    void theOperatorSeesNoInboxLinkAndIsToldWhyWhereItMayNotAct() {
        SignedInClient operator = SignedInClient.signIn("operator");
        for (String path : new String[] {"/", "/units", "/explorer"}) {
            assertFalse(operator.page(path).contains("href=\"/inbox\""), "no Inbox link on " + path);
        }
        for (String path : new String[] {"/inbox", "/dispatch", "/units/new"}) {
            Response r = operator.get(path);
            assertEquals(403, r.statusCode(), path);
            String html = r.asString();
            assertTrue(html.contains("Operator staff act for no organisation"), "the reason, on " + path + ": " + html);
            assertFalse(html.contains("href=\"/inbox\""), "no link to another refusal: " + path);
        }
        assertTrue(SignedInClient.signIn("acme.clerk").page("/units").contains("href=\"/inbox\""),
                "members still have their inbox");
    }

    @Test
    void aManufacturerSeesNoLinkToAnotherPairsTransferOfItsUnits() {
        Pattern link = Pattern.compile("href=\"/transfers/([0-9a-f-]{36})\"");
        String query = "/units?custodian=northwind&limit=100";
        java.util.Set<String> all = new java.util.HashSet<>();
        for (Matcher m = link.matcher(SignedInClient.signIn("operator").page(query)); m.find(); ) {
            all.add(m.group(1));
        }
        SignedInClient clerk = SignedInClient.signIn("acme.clerk");
        String html = clerk.page(query);
        java.util.Set<String> linked = new java.util.HashSet<>();
        for (Matcher m = link.matcher(html); m.find(); ) {
            linked.add(m.group(1));
        }
        java.util.Set<String> hidden = new java.util.HashSet<>(all);
        hidden.removeAll(linked);
        assertFalse(hidden.isEmpty(), "the demo has northwind's dispatches of acme-fab units to others: " + all);
        for (String id : hidden) {
            assertEquals(404, clerk.get("/transfers/" + id).statusCode(), "not acme-fab's transfer: " + id);
        }
        for (String id : linked) {
            assertEquals(200, clerk.get("/transfers/" + id).statusCode(), "every link it is shown opens: " + id);
        }
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenIsRefused() {
        WebUser clerk = WebUser.signIn("acme.clerk");
        WebUser other = WebUser.signIn("acme.admin");
        long before = ledger.head().size();
        String serial = serial("CSRF");
        for (String token : new String[]{null, "", "forged-token", other.csrf}) {
            Response r = clerk.postWithToken("/units/new", unitForm(serial, "H200-SXM", FAB_SITE), token);
            assertEquals(403, r.statusCode(), "token " + token);
            assertTrue(r.contentType().startsWith("text/html"));
            assertTrue(r.asString().contains("This form was not issued to your session"), r.asString());
        }
        assertEquals(before, ledger.head().size(), "nothing was written");
        assertTrue(unit("acme-fab", serial).isEmpty());
    }

    @Test
    void unitsArePagedWithCursorsAndFiltered() {
        WebUser clerk = WebUser.signIn("acme.clerk");
        String model = "PAGE-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String s = "PG" + i + "-" + model;
            serials.add(s);
            loggedIndex(clerk.post("/units/new", unitForm(s, model, FAB_SITE)));
        }
        // forward through pages of 3: 3, 3, 1
        List<String> seen = new ArrayList<>();
        String path = "/units?model=" + model + "&limit=3";
        List<String> pages = new ArrayList<>();
        while (path != null) {
            String html = clerk.page(path, 200);
            pages.add(path);
            List<String> rows = serialsOn(html);
            assertTrue(rows.size() <= 3, rows.toString());
            seen.addAll(rows);
            path = link(html, "next");
            assertTrue(pages.size() <= 3, "three pages at most");
        }
        assertEquals(serials, seen, "every unit once, in serial order");
        // and back from the last page
        String last = clerk.page(pages.get(2), 200);
        String prev = link(last, "prev");
        assertEquals(serials.subList(3, 6), serialsOn(clerk.page(prev, 200)));
        assertTrue(prev.contains("model=" + model) && prev.contains("limit=3"), "the filters stay on the links: " + prev);
        assertEquals(null, link(clerk.page(pages.get(0), 200), "prev"), "no previous page on the first");

        // filters are GET parameters, so a filtered list has a stable, shareable URL
        String servers = clerk.page("/units?kind=server&custodian=acme-fab", 200);
        assertTrue(servers.contains("HGX-0003") && !servers.contains("GH200-0024"), servers);
        String stolen = WebUser.signIn("northwind.admin").page("/units?status=stolen", 200);
        assertEquals(List.of("GH200-0022"), serialsOn(stolen));
    }

    @Test
    void viewersSeeOnlyTheUnitsTheyMaySee() {
        WebUser kestrel = WebUser.signIn("kestrel.admin");
        String html = kestrel.page("/units?limit=200", 200);
        List<String> seen = serialsOn(html);
        assertTrue(seen.contains("HGX-0002"), "sent to kestrel: " + seen);
        assertFalse(seen.contains("HGX-0001") || seen.contains("GH200-0024"), "never held by or sent to kestrel: " + seen);
        assertEquals(404, kestrel.get("/units/acme-fab/GH200-0024").statusCode());
    }

    static List<String> serialsOn(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("class=\"unitref\">[a-z0-9-]+/<wbr><strong class=\"serial\">([^<]+)</strong>").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static String link(String html, String rel) {
        Matcher m = Pattern.compile("<a rel=\"" + rel + "\" href=\"([^\"]+)\"").matcher(html);
        return m.find() ? m.group(1).replace("&amp;", "&") : null;
    }
}
