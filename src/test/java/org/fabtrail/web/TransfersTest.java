package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.ledger.LedgerStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.fabtrail.web.WebUser.fieldErrors;
import static org.fabtrail.web.WebUser.form;
import static org.fabtrail.web.WebUser.loggedIndex;
import static org.fabtrail.web.WebUser.locationPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dispatch, the inbox, the transfer page, and receiving, rejecting and cancelling a dispatch. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class TransfersTest extends DemoUiTest {

    @Inject
    LedgerStore store;

    CustodyQueries.TransferRecord transfer(String id) {
        return ledger.read(c -> queries.transfer(c, UUID.fromString(id))).orElseThrow();
    }

    /** A fresh acme-fab site, so that the units a test registers are the only ones there. */
    static String newSite(WebUser acme) {
        String site = "t-" + UUID.randomUUID().toString().substring(0, 8);
        loggedIndex(acme.post("/sites/new", form("site", site, "name", "Test line " + site, "country", "TW",
                "address", "1 Test Road, Hsinchu")));
        return site;
    }

    static String register(WebUser acme, String site, String kind) {
        String serial = UnitsPageTest.serial(kind.substring(0, 3).toUpperCase());
        loggedIndex(acme.post("/units/new", form("serial", serial, "kind", kind, "model", "T-" + kind, "eccn",
                "3A090.a", "site", site)));
        return serial;
    }

    static String ref(String serial) {
        return "acme-fab/" + serial;
    }

    /** Dispatches from acme-fab and returns the transfer id. */
    static String dispatch(WebUser acme, String site, String to, String toSite, String... serials) {
        Response r = acme.post("/dispatch", form("site", site, "unit", List.of(serials).stream().map(TransfersTest::ref)
                        .toList(), "to", to, "toSite", toSite, "licenceRef", "TW-EXP-TEST", "carrier", "Test Air",
                "shipmentRef", "AWB 1", "expectedArrival", "2030-01-02T10:00"));
        loggedIndex(r);
        String path = locationPath(r);
        assertTrue(path.startsWith("/transfers/"), path);
        return path.substring("/transfers/".length());
    }

    @Test
    void theTransferPageShowsTheBannerOfEachUnitReportedGoneOnIt() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String site = newSite(acme);
        String kept = register(acme, site, "accelerator");
        String lost = register(acme, site, "accelerator");
        String id = dispatch(acme, site, "northwind", "ams-schiphol", kept, lost);
        assertFalse(acme.page("/transfers/" + id, 200).contains("class=\"unit-alert"), "no banner while all is well");

        loggedIndex(acme.post("/units/acme-fab/" + lost + "/status", form("status", "lost", "reason",
                "Fell off the truck at the depot")));
        for (WebUser who : List.of(acme, WebUser.signIn("northwind.admin"))) {
            String page = who.page("/transfers/" + id, 200);
            assertEquals(1, page.split("<section class=\"unit-alert", -1).length - 1, "one banner: " + page);
            assertTrue(page.contains("id=\"unit-alert-1\"") && page.contains("aria-labelledby=\"unit-alert-title-1\""),
                    "ids of its own, as a page may show several");
            String banner = page.substring(page.indexOf("<section class=\"unit-alert"), page.indexOf("</section>"));
            for (String said : List.of(lost, "is reported lost", "acme.clerk", "Fell off the truck at the depot")) {
                assertTrue(banner.contains(said), "the banner says " + said + ": " + banner);
            }
            assertFalse(banner.contains(kept), "only the unit reported lost");
            assertTrue(page.indexOf("unit-alert") < page.indexOf("<h1>"), "the banner comes first");
        }
    }

    @Test
    void dispatchThenReceivePartThenTheRest() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String site = newSite(acme);
        String a = register(acme, site, "accelerator");
        String b = register(acme, site, "accelerator");
        String c = register(acme, site, "board");

        String form = acme.page("/dispatch?site=" + site + "&to=northwind", 200);
        for (String s : List.of(a, b, c)) {
            assertTrue(form.contains("value=\"acme-fab/" + s + "\""), "lists " + s);
        }
        assertTrue(form.contains("value=\"northwind/ams-schiphol\"") && !form.contains("dubai-dc1\""),
                "the receiver sites of the chosen organisation");

        long before = ledger.head().size();
        Response r = acme.post("/dispatch", form("site", site, "unit", List.of(ref(a), ref(b)), "serials", c,
                "to", "northwind", "toSite", "ams-schiphol", "licenceRef", "TW-EXP-2030-1", "carrier", "EVA Air Cargo",
                "shipmentRef", "AWB 695-1", "expectedArrival", "2030-01-02T10:00"));
        long index = loggedIndex(r);
        assertEquals(before, index);
        String id = locationPath(r).substring("/transfers/".length());
        CustodyQueries.TransferRecord t = transfer(id);
        assertEquals("pending", t.state());
        assertEquals(site, t.senderSite());
        assertEquals("TW-EXP-2030-1", t.licenceRef());
        assertEquals(Instant.parse("2030-01-02T10:00:00Z"), t.expectedArrival());
        assertEquals(3, t.units().size());
        assertEquals("acme-fab", unit(a).custodian(), "custody moves only on receipt");

        String page = acme.page(r.header("Location").replaceFirst("^https?://[^/]+", ""), 200);
        for (String s : List.of("Recorded at log index", "#" + index, "EVA Air Cargo", "AWB 695-1", "TW-EXP-2030-1",
                "2030-01-02 10:00:00 UTC", "ams-schiphol", "/transfers/" + id + "/cancel")) {
            assertTrue(page.contains(s), s + " on the transfer page");
        }
        assertFalse(page.contains("/transfers/" + id + "/receive"), "the sender cannot receive");

        WebUser northwind = WebUser.signIn("northwind.admin");
        String inbox = northwind.page("/inbox", 200);
        assertTrue(inbox.contains("href=\"/transfers/" + id + "/receive\""), "inbound in the receiver's inbox");
        assertTrue(acme.page("/inbox", 200).contains("href=\"/transfers/" + id + "/cancel\""), "outbound for the sender");
        Matcher count = Pattern.compile("Inbound: to receive \\((\\d+)\\)").matcher(inbox);
        assertTrue(count.find());
        long open = ledger.read(cn -> queries.countOpenTransfers(cn, "northwind", true));
        assertEquals(open, Long.parseLong(count.group(1)));

        String receive = northwind.page("/transfers/" + id + "/receive", 200);
        assertEquals(3, receive.split(" checked>").length - 1, "every listed unit is ticked by default");
        assertTrue(receive.contains("stay <strong>in transit</strong>"), "says what happens to unticked units");

        // another organisation neither sees the dispatch nor can receive it
        WebUser kestrel = WebUser.signIn("kestrel.admin");
        assertEquals(404, kestrel.get("/transfers/" + id).statusCode());
        assertEquals(404, kestrel.get("/transfers/" + id + "/receive").statusCode());
        long size = ledger.head().size();
        assertEquals(404, kestrel.post("/transfers/" + id + "/receive", form("unit", List.of(ref(a)), "site",
                "dubai-dc1")).statusCode());
        assertEquals(403, acme.get("/transfers/" + id + "/receive").statusCode(), "the sender may not receive");
        assertEquals(size, ledger.head().size());

        // two of three arrive; the third stays in transit
        Response part = northwind.post("/transfers/" + id + "/receive", form("unit", List.of(ref(a), ref(c)),
                "site", "ams-schiphol"));
        loggedIndex(part);
        assertEquals("/transfers/" + id, locationPath(part));
        assertEquals("partial", transfer(id).state());
        assertEquals("northwind", unit(a).custodian());
        assertEquals("ams-schiphol", unit(a).site());
        assertEquals("acme-fab", unit(b).custodian());
        assertEquals(UUID.fromString(id), unit(b).pendingTransfer());

        String rest = northwind.page("/transfers/" + id + "/receive", 200);
        assertTrue(rest.contains(ref(b)) && !rest.contains("value=\"" + ref(a) + "\""), "only what is still in transit");
        loggedIndex(northwind.post("/transfers/" + id + "/receive", form("unit", ref(b), "site", "venlo-integration")));
        assertEquals("received", transfer(id).state());
        assertEquals("venlo-integration", unit(b).site());
        assertEquals(409, northwind.get("/transfers/" + id + "/receive").statusCode(), "closed");
    }

    @Test
    void rejectAndCancel() {
        WebUser acme = WebUser.signIn("acme.admin");
        String site = newSite(acme);
        String a = register(acme, site, "module");
        String b = register(acme, site, "module");
        String toHelios = dispatch(acme, site, "helios-dc", "ashburn-dc2", a);
        WebUser helios = WebUser.signIn("helios.admin");
        assertTrue(helios.page("/transfers/" + toHelios, 200).contains("/transfers/" + toHelios + "/reject"));

        long size = ledger.head().size();
        Response empty = helios.post("/transfers/" + toHelios + "/reject", form("reason", "  "));
        assertEquals(422, empty.statusCode());
        assertEquals("reason must not be empty", fieldErrors(empty.asString()).get("reason"));
        assertEquals(size, ledger.head().size());

        Response rejected = helios.post("/transfers/" + toHelios + "/reject", form("reason", "Not ordered"));
        loggedIndex(rejected);
        assertEquals("rejected", transfer(toHelios).state());
        assertNull(unit(a).pendingTransfer());
        assertEquals("acme-fab", unit(a).custodian());

        String toKestrel = dispatch(acme, site, "kestrel-dc", "dubai-dc1", b);
        assertEquals(403, WebUser.signIn("kestrel.admin").get("/transfers/" + toKestrel + "/cancel").statusCode(),
                "only the sender cancels");
        assertEquals(403, acme.get("/transfers/" + toKestrel + "/reject").statusCode(), "only the receiver rejects");
        assertEquals(404, helios.get("/transfers/" + toKestrel + "/cancel").statusCode(), "not a party");
        Response cancelled = acme.post("/transfers/" + toKestrel + "/cancel", form("reason", "Licence withdrawn"));
        long index = loggedIndex(cancelled);
        assertEquals("cancelled", transfer(toKestrel).state());
        assertNull(unit(b).pendingTransfer());
        String page = acme.page("/transfers/" + toKestrel + "?logged=" + index, 200);
        assertTrue(page.contains("#" + index + "</a>: Cancelled the dispatch: Licence withdrawn"), page);
    }

    @Test
    void theReceiverIsChosenOnceAndTheLicenceTermsAreStatedWithTheLicence() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String site = newSite(acme);
        String a = register(acme, site, "accelerator");
        String page = acme.page("/dispatch?site=" + site, 200);
        assertTrue(page.contains("name=\"receiver\"") && page.contains("value=\"northwind/ams-schiphol\"")
                && page.contains("value=\"kestrel-dc/dubai-dc1\""), "one list of every receiver's sites");
        assertFalse(page.contains("name=\"to\"") || page.contains("name=\"toSite\""), "no second receiver field");
        assertTrue(page.contains("id=\"licenceValidUntil\"") && page.contains("id=\"licenceCountries\""));
        long size = ledger.head().size();

        Map<String, String> refused = Map.of(
                "licenceCountries", "Netherlands", // not a two-letter code
                "licenceValidUntil", "end of June");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            Response r = acme.post("/dispatch", form("site", site, "unit", ref(a), "receiver", "northwind/ams-schiphol",
                    "licenceRef", "TW-EXP-1", bad.getKey(), bad.getValue()));
            assertEquals(422, r.statusCode(), bad.toString());
            assertTrue(fieldErrors(r.asString()).containsKey(bad.getKey()), r.asString());
            assertTrue(r.asString().contains("value=\"" + bad.getValue() + "\""), "the form keeps what was typed");
        }
        Response noLicence = acme.post("/dispatch", form("site", site, "unit", ref(a), "receiver", "northwind/ams-schiphol",
                "licenceCountries", "NL"));
        assertEquals(422, noLicence.statusCode());
        assertTrue(fieldErrors(noLicence.asString()).get("licenceCountries").contains("licenceRef"), noLicence.asString());
        Response noSite = acme.post("/dispatch", form("site", site, "unit", ref(a), "receiver", "northwind"));
        assertEquals(422, noSite.statusCode());
        assertTrue(fieldErrors(noSite.asString()).containsKey("toSite"), noSite.asString());
        Response control = acme.post("/dispatch", form("site", site, "unit", ref(a), "receiver", "northwind/ams\u0000"));
        assertTrue(control.statusCode() >= 400 && control.statusCode() < 500, "refused as the client's: " + control.statusCode());
        assertEquals(size, ledger.head().size(), "nothing was written");

        Response r = acme.post("/dispatch", form("site", site, "unit", ref(a), "receiver", "northwind/ams-schiphol",
                "licenceRef", "TW-EXP-2031-7", "licenceValidUntil", "2031-06-30", "licenceCountries", "nl, DE nl"));
        long index = loggedIndex(r);
        CustodyQueries.TransferRecord t = transfer(locationPath(r).substring("/transfers/".length()));
        assertEquals(List.of("northwind", "ams-schiphol"), List.of(t.receiver(), t.receiverSite()));
        Map<String, Object> payload = ledger.read(c -> EntryLine.payload(store.entriesAt(c, List.of(index)).get(0)));
        assertEquals("2031-06-30T23:59:59Z", payload.get("licenceValidUntil"), "valid through the whole day, UTC");
        assertEquals(List.of("NL", "DE"), payload.get("licenceCountries"));
    }

    @Test
    void dispatchRuleViolationsAreShownNextToTheFieldAndWriteNothing() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String site = newSite(acme);
        String a = register(acme, site, "accelerator");
        long size = ledger.head().size();

        // GH200-0019 was made by acme-fab but is held by helios-dc
        Response notHeld = acme.post("/dispatch", form("site", site, "serials", "acme-fab/GH200-0019", "to", "northwind",
                "toSite", "ams-schiphol"));
        assertEquals(409, notHeld.statusCode());
        assertEquals("acme-fab/GH200-0019 is held by \"helios-dc\", not by \"acme-fab\"",
                fieldErrors(notHeld.asString()).get("units"));

        Response wrongSite = acme.post("/dispatch", form("site", site, "unit", ref(a), "to", "northwind",
                "toSite", "dubai-dc1"));
        assertEquals(422, wrongSite.statusCode());
        assertTrue(fieldErrors(wrongSite.asString()).get("toSite").startsWith("\"northwind\" has no site \"dubai-dc1\""),
                wrongSite.asString());
        assertTrue(wrongSite.asString().contains("value=\"" + ref(a) + "\" checked"), "keeps the ticked units");

        Response nothing = acme.post("/dispatch", form("site", site, "to", "northwind", "toSite", "ams-schiphol"));
        assertEquals(422, nothing.statusCode());
        assertTrue(fieldErrors(nothing.asString()).containsKey("units"));

        Response when = acme.post("/dispatch", form("site", site, "unit", ref(a), "to", "northwind",
                "toSite", "ams-schiphol", "expectedArrival", "next tuesday"));
        assertEquals(422, when.statusCode());
        assertTrue(fieldErrors(when.asString()).containsKey("expectedArrival"));

        Response unknown = acme.post("/dispatch", form("site", site, "unit", ref(a), "to", "nobody",
                "toSite", "x"));
        assertTrue(fieldErrors(unknown.asString()).get("to").contains("\"nobody\" is not registered"), unknown.asString());

        Response forged = acme.postWithToken("/dispatch", form("site", site, "unit", ref(a), "to", "northwind",
                "toSite", "ams-schiphol"), "forged");
        assertEquals(403, forged.statusCode());
        assertEquals(size, ledger.head().size(), "nothing was written");
        assertNull(unit(a).pendingTransfer());
    }

    @Test
    void receiptRuleViolationsAreShownNextToTheFieldAndWriteNothing() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String site = newSite(acme);
        String a = register(acme, site, "accelerator");
        String other = register(acme, site, "accelerator");
        String id = dispatch(acme, site, "northwind", "ams-schiphol", a);
        WebUser northwind = WebUser.signIn("northwind.admin");
        long size = ledger.head().size();

        Response wrongSite = northwind.post("/transfers/" + id + "/receive", form("unit", ref(a), "site", "dubai-dc1"));
        assertEquals(422, wrongSite.statusCode());
        assertTrue(fieldErrors(wrongSite.asString()).get("site").startsWith("\"northwind\" has no site \"dubai-dc1\""));
        Response notListed = northwind.post("/transfers/" + id + "/receive", form("unit", ref(other), "site",
                "ams-schiphol"));
        assertEquals(422, notListed.statusCode());
        assertEquals(ref(other) + " is not in transit on dispatch " + id, fieldErrors(notListed.asString()).get("units"));
        Response none = northwind.post("/transfers/" + id + "/receive", form("site", "ams-schiphol"));
        assertTrue(fieldErrors(none.asString()).get("units").startsWith("Tick at least one unit"));
        Response cancelWithoutReason = acme.post("/transfers/" + id + "/cancel", form("reason", ""));
        assertEquals("reason must not be empty", fieldErrors(cancelWithoutReason.asString()).get("reason"));
        assertEquals(size, ledger.head().size(), "nothing was written");
        assertEquals("pending", transfer(id).state());
    }

    @Test
    void theUnitPageLinksTheActionsThatApply() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String site = newSite(acme);
        String a = register(acme, site, "accelerator");
        String id = dispatch(acme, site, "northwind", "ams-schiphol", a);
        String asSender = acme.page("/units/acme-fab/" + a, 200);
        assertTrue(asSender.contains("/transfers/" + id + "/cancel"));
        assertFalse(asSender.contains("/dispatch?site="), "in transit: no dispatch");
        String asReceiver = WebUser.signIn("northwind.admin").page("/units/acme-fab/" + a, 200);
        assertTrue(asReceiver.contains("/transfers/" + id + "/receive") && asReceiver.contains("/transfers/" + id + "/reject"));
        assertFalse(asReceiver.contains("/status\""), "not the custodian: no status report");
        String asInspector = WebUser.signIn("inspector").page("/units/acme-fab/" + a, 200);
        assertFalse(asInspector.contains("<h2>Actions</h2>"), "sees the unit, may act on nothing");
        assertEquals(200, WebUser.signIn("inspector").get("/transfers/" + id).statusCode(), "inspectors see transfers");
    }
}
