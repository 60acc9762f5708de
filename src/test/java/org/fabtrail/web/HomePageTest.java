package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.fabtrail.web.TransfersTest.newSite;
import static org.fabtrail.web.TransfersTest.ref;
import static org.fabtrail.web.TransfersTest.register;
import static org.fabtrail.web.WebUser.form;
import static org.fabtrail.web.WebUser.loggedIndex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The home page per role: counts of what needs the viewer, each linked to its list (shipments to receive and how many
 * are overdue, dispatches awaiting receipt, findings to work or to answer), and one search box (the header's).
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class HomePageTest extends DemoUiTest {

    /** The number in the home page's item with this id, checking that it links to {@code href}. */
    private static long count(String html, String id, String href) {
        Matcher m = Pattern.compile("<li id=\"" + id + "\"[^>]*><a href=\"" + Pattern.quote(href)
                + "\"><strong>(\\d+)</strong> ([^<]*)</a>").matcher(html);
        assertTrue(m.find(), id + " links to " + href + ": " + html);
        return Long.parseLong(m.group(1));
    }

    private static long overdue(String html) {
        Matcher m = Pattern.compile("to receive \\((\\d+) overdue\\)").matcher(html);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void eachOrganisationSeesItsShipmentsAsCountsThatLinkToTheInbox() {
        WebUser acme = WebUser.signIn("acme.clerk");
        WebUser northwind = WebUser.signIn("northwind.admin");
        String before = northwind.page("/", 200);
        long toReceive = count(before, "to-receive", "/inbox#inbound");
        long late = overdue(before);
        long awaiting = count(acme.page("/", 200), "awaiting-receipt", "/inbox#outbound");

        String site = newSite(acme);
        String a = register(acme, site, "accelerator");
        String b = register(acme, site, "accelerator");
        loggedIndex(acme.post("/dispatch", form("site", site, "unit", ref(a), "receiver", "northwind/ams-schiphol",
                "expectedArrival", "2020-01-02")));
        loggedIndex(acme.post("/dispatch", form("site", site, "unit", ref(b), "receiver", "northwind/ams-schiphol",
                "expectedArrival", "2099-01-02")));

        String after = northwind.page("/", 200);
        assertEquals(toReceive + 2, count(after, "to-receive", "/inbox#inbound"), after);
        assertEquals(late + 1, overdue(after), "the one expected in 2020 is overdue, the one expected in 2099 is not");
        assertEquals(awaiting + 2, count(acme.page("/", 200), "awaiting-receipt", "/inbox#outbound"));

        String inbox = northwind.page("/inbox", 200);
        Matcher rows = Pattern.compile("<tr( class=\"overdue\")?>\\s*<td><a href=\"/transfers/[^\"]+\">acme-fab</a>"
                + "((?!</tr>).)*?2020-01-02 00:00:00 UTC", Pattern.DOTALL).matcher(inbox);
        assertTrue(rows.find() && rows.group(1) != null, "the inbox marks the 2020 shipment overdue");
        assertTrue(inbox.contains("badge-overdue"));
        Matcher future = Pattern.compile("<tr( class=\"overdue\")?>\\s*<td><a href=\"/transfers/[^\"]+\">acme-fab</a>"
                + "((?!</tr>).)*?2099-01-02 00:00:00 UTC", Pattern.DOTALL).matcher(inbox);
        assertTrue(future.find() && future.group(1) == null, "and not the 2099 one");
    }

    @Test
    void inspectorsCountTheQueueOrganisationsTheFindingsThatNameThemAndTheOperatorHasNoInbox() {
        String inspector = WebUser.signIn("inspector").page("/", 200);
        count(inspector, "open-findings", "/discrepancies?state=unresolved");
        assertFalse(inspector.contains("id=\"findings-naming-you\""));
        String acme = WebUser.signIn("acme.clerk").page("/", 200);
        count(acme, "findings-naming-you", "/discrepancies?state=unresolved");
        assertFalse(acme.contains("id=\"open-findings\""), "a partner does not work the queue");
        String operator = WebUser.signIn("operator").page("/", 200);
        assertFalse(operator.contains("id=\"to-receive\"") || operator.contains("id=\"awaiting-receipt\""),
                "the operator's staff hold nothing");
        count(operator, "open-findings", "/discrepancies?state=unresolved");
        for (String html : List.of(inspector, acme, operator)) {
            assertEquals(1, html.split("role=\"search\"", -1).length - 1, "one search box");
        }
    }

    @Test
    void aDispatchWithABadExpectedArrivalIsNotCounted() {
        WebUser acme = WebUser.signIn("acme.clerk");
        long awaiting = count(acme.page("/", 200), "awaiting-receipt", "/inbox#outbound");
        String site = newSite(acme);
        String a = register(acme, site, "accelerator");
        Response r = acme.post("/dispatch", form("site", site, "unit", ref(a), "receiver", "northwind/ams-schiphol",
                "expectedArrival", "2020-13-45"));
        assertEquals(422, r.statusCode());
        assertEquals(awaiting, count(acme.page("/", 200), "awaiting-receipt", "/inbox#outbound"));
    }
}
