package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.UUID;

import static org.fabtrail.web.BrowserJourneyTest.assertAccessible;
import static org.fabtrail.web.BrowserJourneyTest.submit;
import static org.fabtrail.web.WebUser.form;
import static org.fabtrail.web.WebUser.loggedIndex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inspector's pages on a phone and the unit page, in a real headless Chromium: a stolen unit's banner above
 * everything on every page about it, the expected place and holder offered in the inspection form, a compact header,
 * serials that never break, the custody chain and timeline before the certificates, component classes in words, unit
 * names in feeds as links, and a finding's details in words. axe-core checks every page visited.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class InspectorJourneyTest extends BrowserUiTest {

    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;

    private static Object js(WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    /** Every serial on the page sits on one line: it has a single line box. */
    private static void assertSerialsDoNotBreak(WebDriver d, String page) {
        Object broken = js(d, "return Array.from(document.querySelectorAll('.serial'))"
                + ".filter(function (e) { return e.getClientRects().length > 1; }).map(function (e) { return e.textContent; })");
        assertEquals(List.of(), broken, page + ": serials broken across lines");
        Object serials = js(d, "return document.querySelectorAll('.serial').length");
        assertTrue(((Number) serials).intValue() > 0, page + " marks its serials");
    }

    /** Registers an acme-fab accelerator with this serial and reports it stolen for this reason, as acme.clerk. */
    private static String stolen(String serial, String reason) {
        WebUser acme = WebUser.signIn("acme.clerk");
        loggedIndex(acme.post("/units/new", form("serial", serial, "kind", "accelerator", "model", "H200-SXM", "eccn",
                "3A090.a", "site", "hsinchu-fab12")));
        loggedIndex(acme.post("/units/acme-fab/" + serial + "/status", form("status", "stolen", "reason", reason)));
        return serial;
    }

    @Test
    void aStolenUnitIsUnmistakableOnEveryPageAnInspectorSeesOnThePhone() throws Exception {
        // a long serial with hyphens, which a browser would otherwise break at a phone's width
        String serial = stolen("STOLEN-" + UUID.randomUUID().toString().toUpperCase().substring(0, 17),
                "Taken from the loading dock, police report 2026-4471");

        try (Browser phone = Browser.open(PHONE_WIDTH, PHONE_HEIGHT)) {
            WebDriver d = phone.driver();
            signIn(d, "inspector");
            d.get(url("/inspect/acme-fab/" + serial));
            double header = ((Number) js(d, "return document.querySelector('header.top').getBoundingClientRect().height"))
                    .doubleValue();
            assertTrue(header < PHONE_HEIGHT / 6.0, "the header is compact at phone width: " + header + " px");
            assertBanner(d, "inspect page");
            assertEquals("hsinchu-fab12", siteOf(d, "foundAt"), "the ledger's site is preselected");
            assertEquals("acme-fab", new Select(d.findElement(By.id("custodian"))).getFirstSelectedOption()
                    .getAttribute("value"), "the ledger's custodian is preselected");
            assertTrue(new Select(d.findElement(By.id("foundAt"))).getFirstSelectedOption().getText().contains("expected"),
                    "the expected site is marked");
            assertTrue(new Select(d.findElement(By.id("foundAt"))).getOptions().stream()
                    .anyMatch(o -> "eu-regulator/brussels".equals(o.getAttribute("value"))), "other sites are offered");
            assertSerialsDoNotBreak(d, "inspect page");
            assertAccessible(phone, "inspect page");
            phone.screenshot("inspect-stolen-phone");

            // found where the ledger says, held by whom it says: an inspection of a stolen unit opens a finding
            d.findElement(By.cssSelector("input[name=result][value=discrepancy]")).click();
            d.findElement(By.id("notes")).sendKeys("On a pallet at the dock, seal broken");
            submit(d, By.cssSelector("#inspect-form button[type=submit]"));
            assertTrue(d.getCurrentUrl().contains("recorded="), d.getCurrentUrl());
            worker.round();

            d.get(url("/inspect/acme-fab/" + serial));
            List<WebElement> findings = d.findElements(By.cssSelector("#unit-alert #unit-alert-findings a[href^='/discrepancies/']"));
            assertFalse(findings.isEmpty(), "the banner lists the open finding");
            String finding = findings.get(0).getAttribute("href");

            submit(d, By.cssSelector("#challenge-form button[type=submit]"));
            assertTrue(d.getCurrentUrl().contains("/device/"), d.getCurrentUrl());
            assertBanner(d, "device check page");
            String device = d.findElement(By.tagName("main")).getText();
            assertFalse(device.contains("fabtrail-attest-v1") || device.contains("SHA-256(\""),
                    "no signing formula for inspectors: " + device);
            assertFalse(d.findElement(By.id("simulator-command")).isDisplayed(), "the demo's command line is folded away");
            assertAccessible(phone, "device check page");

            d.get(url("/units/acme-fab/" + serial));
            assertBanner(d, "unit page");
            assertSerialsDoNotBreak(d, "unit page");
            assertAccessible(phone, "unit page");

            d.get(finding);
            List<String> labels = d.findElements(By.cssSelector("#finding dt")).stream().map(WebElement::getText).toList();
            assertTrue(labels.contains("Reported status") && labels.contains("What was recorded"), labels.toString());
            assertFalse(labels.contains("status") || labels.contains("entryType") || labels.contains("Finding key"),
                    "no detector keys as labels: " + labels);
            assertAccessible(phone, "finding page");
        }
    }

    @Test
    void anInspectorWorksInGermanAfterChoosingItInTheFooter() throws Exception {
        String serial = stolen("GESTOHLEN-" + UUID.randomUUID().toString().toUpperCase().substring(0, 8),
                "Vom Lager entwendet");

        try (Browser phone = Browser.open(PHONE_WIDTH, PHONE_HEIGHT)) {
            WebDriver d = phone.driver();
            d.get(url("/login"));
            assertEquals("en", d.findElement(By.tagName("html")).getAttribute("lang"), "English for an English browser");
            d.findElement(By.cssSelector("footer a[hreflang=de]")).click();
            assertTrue(d.getCurrentUrl().endsWith("/login"), "the switch goes back to the page: " + d.getCurrentUrl());
            assertEquals("de", d.findElement(By.tagName("html")).getAttribute("lang"));
            assertEquals("Anmelden", d.findElement(By.tagName("h1")).getText());
            assertAccessible(phone, "sign-in page in German");
            signIn(d, "inspector");

            d.get(url("/inspect"));
            assertEquals("Eine Einheit prüfen", d.findElement(By.tagName("h1")).getText());
            d.findElement(By.id("q")).sendKeys(serial);
            submit(d, By.cssSelector("form[action='/inspect'] button[type=submit]"));
            assertTrue(d.getCurrentUrl().contains("/inspect/acme-fab/" + serial), d.getCurrentUrl());
            String banner = d.findElement(By.id("unit-alert")).getText();
            for (String said : List.of("ist gemeldet als gestohlen", "gemeldet von acme-fab", "Grund:", "Vom Lager entwendet")) {
                assertTrue(banner.contains(said), "the banner says " + said + ": " + banner);
            }
            String main = d.findElement(By.tagName("main")).getText();
            for (String said : List.of("Wo sie laut Register ist", "Das Gerät prüfen", "Festhalten, was Sie vorgefunden haben",
                    "Abweichung: etwas stimmt nicht", "Notizen")) {
                assertTrue(main.contains(said), "the inspect page says " + said + ": " + main);
            }
            assertTrue(d.findElement(By.cssSelector("header.top")).getText().contains("Abmelden"), "the header too");
            assertAccessible(phone, "inspect page in German");
            phone.screenshot("inspect-stolen-phone-de");

            d.findElement(By.cssSelector("input[name=result][value=discrepancy]")).click();
            d.findElement(By.id("notes")).sendKeys("Auf einer Palette an der Rampe, Siegel gebrochen");
            submit(d, By.cssSelector("#inspect-form button[type=submit]"));
            assertTrue(d.getCurrentUrl().contains("recorded="), d.getCurrentUrl());
            assertTrue(d.findElement(By.cssSelector("p.notice")).getText().startsWith("Prüfung aufgezeichnet"),
                    d.findElement(By.cssSelector("p.notice")).getText());

            submit(d, By.cssSelector("#challenge-form button[type=submit]"));
            assertTrue(d.getCurrentUrl().contains("/device/"), d.getCurrentUrl());
            assertEquals("1. Lassen Sie das Gerät diese Challenge signieren",
                    d.findElement(By.cssSelector("#challenge h2")).getText());
            assertAccessible(phone, "device check page in German");

            d.get(url("/units/acme-fab/" + serial));
            main = d.findElement(By.tagName("main")).getText();
            assertTrue(main.contains("Verwahrkette") && main.contains("Zeitleiste"), main);
            assertAccessible(phone, "unit page in German");

            d.findElement(By.cssSelector("footer a[hreflang=en]")).click();
            assertEquals("en", d.findElement(By.tagName("html")).getAttribute("lang"));
            assertTrue(d.findElement(By.tagName("main")).getText().contains("Custody chain"), "back in English");
        }
    }

    private static String siteOf(WebDriver d, String id) {
        String value = new Select(d.findElement(By.id(id))).getFirstSelectedOption().getAttribute("value");
        return value.substring(value.indexOf('/') + 1);
    }

    /** The banner is the first thing in the page's main content and says what, who, when and why. */
    private static void assertBanner(WebDriver d, String page) {
        WebElement banner = d.findElement(By.id("unit-alert"));
        Object first = js(d, "var m = document.querySelector('main');"
                + "var all = m.querySelectorAll('h1, h2, form, table, dl, p, section');"
                + "return all.length > 0 && document.getElementById('unit-alert').contains(all[0]) "
                + "|| all[0] === document.getElementById('unit-alert');");
        assertEquals(Boolean.TRUE, first, page + ": the banner comes before everything else");
        String text = banner.getText();
        for (String said : List.of("reported stolen", "acme-fab", "acme.clerk", "police report 2026-4471")) {
            assertTrue(text.contains(said), page + ": the banner says " + said + ": " + text);
        }
    }

    @Test
    void theUnitPageShowsCustodyFirstComponentClassesInWordsAndLinksUnitsInFeeds() throws Exception {
        try (Browser b = Browser.open(1280, 1000)) {
            WebDriver d = b.driver();
            signIn(d, "acme.admin");
            d.get(url("/units/acme-fab/HGX-0001"));
            Object custodyFirst = js(d, "var t = document.querySelector('ol.timeline');"
                    + "var p = document.getElementById('platform-section');"
                    + "return !!(t && p && (t.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING));");
            assertEquals(Boolean.TRUE, custodyFirst, "the timeline comes before the platform certificate");
            js(d, "document.getElementById('platform-section').open = true");
            List<String> classes = d.findElements(By.cssSelector("#platform-components td[data-label=Class]")).stream()
                    .map(WebElement::getText).toList();
            assertTrue(classes.contains("GPU") && classes.contains("CPU") && classes.contains("System"), classes.toString());
            assertTrue(classes.stream().noneMatch(c -> c.contains("2.23.133.18.3.4/00030200")),
                    "no registry OIDs for known classes: " + classes);
            assertFalse(d.findElements(By.cssSelector("ol.timeline a.unitref")).isEmpty(), "units in the timeline are links");
            assertAccessible(b, "unit page");

            d.get(url("/"));
            List<WebElement> links = d.findElements(By.cssSelector("#recent a.unitref"));
            assertFalse(links.isEmpty(), "units in the recent activity are links");
            String href = links.get(0).getAttribute("href");
            d.get(href);
            assertFalse(d.findElement(By.tagName("h1")).getText().startsWith("No such"), href);
        }
    }
}
