package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real headless Chromium (Debian's chromium and chromium-driver): every role signs in and every
 * page renders for it; other organisations' management pages are refused; a unit goes from registration to
 * receipt through the forms; a CSV bulk upload runs to completion. Screenshots illustrate docs/ui.md.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class BrowserJourneyTest extends BrowserUiTest {

    /** Signs in through the login form of the application at {@code base}, with the demo password. */
    static void signIn(WebDriver d, URL base, String user) {
        d.get(base.toString().replaceAll("/$", "") + "/login");
        d.findElement(By.id("username")).sendKeys(user);
        d.findElement(By.id("password")).sendKeys(DemoProfile.PASSWORD);
        submit(d, By.cssSelector("form[action='/login'] button[type=submit]"));
        assertFalse(d.getCurrentUrl().contains("/login"), user + " signed in: " + d.getCurrentUrl() + "\n"
                + d.findElement(By.tagName("body")).getText());
    }

    private void signOut(WebDriver d) {
        submit(d, By.cssSelector("form[action='/logout'] button"));
        assertTrue(d.getCurrentUrl().contains("/login"), "signed out: " + d.getCurrentUrl() + "\n"
                + d.findElement(By.tagName("body")).getText());
    }

    /** Clicks a submit button and waits for the next page to replace this one. */
    static void submit(WebDriver d, By button) {
        WebElement old = d.findElement(By.tagName("html"));
        d.findElement(button).click();
        new WebDriverWait(d, Duration.ofSeconds(30)).until(w -> replaced(old));
    }

    /**
     * Whether the page holding this element has gone. Chromium answers for a node of an unloaded
     * document either "stale element" or, while the next document is being attached, "Node with
     * given id does not belong to the document"; both mean the page was replaced.
     */
    private static boolean replaced(WebElement old) {
        return unlessReplaced(() -> {
            old.isEnabled();
            return false;
        }, true);
    }

    /** What {@code read} returns, or {@code ifReplaced} when the page it reads was replaced meanwhile (see above). */
    private static <T> T unlessReplaced(Supplier<T> read, T ifReplaced) {
        try {
            return read.get();
        } catch (StaleElementReferenceException | NoSuchElementException e) {
            return ifReplaced;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return ifReplaced;
            }
            throw e;
        }
    }

    private static String title(WebDriver d) {
        return d.findElement(By.tagName("h1")).getText();
    }

    /** The page rendered: no server error, no refusal. */
    private void assertRenders(WebDriver d, String path, String who) {
        d.get(url(path));
        String h1 = title(d);
        String body = d.findElement(By.tagName("body")).getText();
        assertFalse(body.contains("server-error") || body.contains("Internal error"), who + " " + path + ": " + body);
        assertFalse(h1.equals("Not allowed") || h1.equals("Not found") || h1.startsWith("Sign in"),
                who + " " + path + " rendered \"" + h1 + "\"");
    }

    private void assertRefused(WebDriver d, String path, String who) {
        d.get(url(path));
        String h1 = title(d);
        assertTrue(h1.equals("Not allowed") || h1.equals("Not found") || h1.equals("No such unit"), who + " " + path + " should be refused, got \"" + h1 + "\"");
    }

    /** Sets an input's value as the page's own date pickers would (typing into them depends on the locale). */
    static void setValue(WebDriver d, String id, String value) {
        ((JavascriptExecutor) d).executeScript("arguments[0].value = arguments[1]", d.findElement(By.id(id)), value);
    }

    /** axe-core finds no critical or serious violation on the current page. */
    static void assertAccessible(Browser b, String page) {
        List<String> violations = b.seriousAccessibilityViolations();
        assertTrue(violations.isEmpty(), page + ": " + String.join("\n", violations));
    }

    @Test
    void everyRoleSeesItsPagesAndIsRefusedOtherOrganisationsManagement() throws Exception {
        Map<String, String> userOrg = new LinkedHashMap<>();
        userOrg.put("acme.admin", "acme-fab");
        userOrg.put("acme.clerk", "acme-fab");
        userOrg.put("northwind.admin", "northwind");
        userOrg.put("helios.admin", "helios-dc");
        userOrg.put("kestrel.admin", "kestrel-dc");
        userOrg.put("inspector", "bis-inspect");
        userOrg.put("regulator", "eu-regulator");
        userOrg.put("operator", null);
        try (Browser b = Browser.open(1280, 900)) {
            WebDriver d = b.driver();
            for (Map.Entry<String, String> e : userOrg.entrySet()) {
                String user = e.getKey();
                String org = e.getValue();
                signIn(d, user);
                List<String> pages = new ArrayList<>(List.of("/", "/units", "/explorer", "/orgs/acme-fab", "/discrepancies",
                        "/units/acme-fab/GH200-0001", "/search?q=acme-fab%2FGH200-0001"));
                if (org != null) {
                    pages.add("/inbox");
                    pages.add("/sites");
                    pages.add("/orgs/" + org);
                }
                if (List.of("inspector", "regulator", "operator").contains(user)) {
                    pages.add("/inspect");
                    pages.add("/inspect/acme-fab/GH200-0017");
                    pages.add("/restricted-parties");
                }
                if (List.of("acme.admin", "operator").contains(user)) {
                    pages.add("/orgs/acme-fab/users");
                    pages.add("/orgs/acme-fab/tokens");
                    pages.add("/orgs/acme-fab/keys");
                    pages.add("/orgs/acme-fab/webhooks");
                }
                for (String p : pages) {
                    if (p.startsWith("/units/acme-fab/GH200-0001") && List.of("kestrel.admin").contains(user)) {
                        continue; // GH200-0001 went to helios-dc, never near kestrel-dc
                    }
                    assertRenders(d, p, user);
                }
                if (!"operator".equals(user)) {
                    String other = "northwind".equals(org) ? "acme-fab" : "northwind";
                    assertRefused(d, "/orgs/" + other + "/users", user);
                    assertRefused(d, "/orgs/" + other + "/tokens", user);
                }
                if ("kestrel.admin".equals(user)) {
                    assertRefused(d, "/units/acme-fab/GH200-0001", user);
                }
                if (!List.of("inspector", "regulator").contains(user) && !"operator".equals(user)) {
                    assertRefused(d, "/inspect", user);
                }
                if ("acme.admin".equals(user)) {
                    d.get(url("/"));
                    b.screenshot("home");
                    d.get(url("/units/acme-fab/GH200-0001"));
                    b.screenshot("unit");
                    d.get(url("/explorer"));
                    b.screenshot("explorer");
                    d.get(url("/orgs/acme-fab"));
                    b.screenshot("organisation");
                }
                if ("northwind.admin".equals(user)) {
                    d.get(url("/inbox"));
                    b.screenshot("inbox");
                }
                signOut(d);
            }
        }
        try (Browser phone = Browser.open(390, 844)) {
            WebDriver d = phone.driver();
            signIn(d, "inspector");
            d.get(url("/inspect/acme-fab/GH200-0017"));
            assertTrue(d.findElement(By.tagName("body")).getText().contains("kestrel-dc"), "where it should be going");
            phone.screenshot("inspect-phone");
        }
    }

    @Test
    void aUnitGoesFromRegistrationToReceiptThroughTheForms() throws Exception {
        String serial = "BRW-" + System.nanoTime() % 1_000_000;
        try (Browser b = Browser.open(1280, 1000)) {
            WebDriver d = b.driver();
            signIn(d, "acme.admin");
            d.get(url("/units/new"));
            d.findElement(By.id("serial")).sendKeys(serial);
            new Select(d.findElement(By.id("kind"))).selectByValue("accelerator");
            d.findElement(By.id("model")).sendKeys("H200-SXM");
            d.findElement(By.id("eccn")).sendKeys("3A090.a");
            b.screenshot("register-unit");
            submit(d, By.cssSelector("form[action='/units/new'] button[type=submit]"));
            assertTrue(d.getCurrentUrl().contains("/units/acme-fab/" + serial), d.getCurrentUrl());
            assertTrue(d.findElement(By.tagName("body")).getText().contains("Recorded at log index"));
            String site = d.findElement(By.xpath("//dt[text()='Site']/following-sibling::dd[1]")).getText();

            // a field error, shown next to the field: the same serial again
            d.get(url("/units/new"));
            d.findElement(By.id("serial")).sendKeys(serial);
            d.findElement(By.id("model")).sendKeys("H200-SXM");
            submit(d, By.cssSelector("form[action='/units/new'] button[type=submit]"));
            assertTrue(d.findElement(By.cssSelector(".field-error")).getText().contains("already registered"));
            b.screenshot("register-unit-error");

            // the receiver is chosen once: one list of organisations' sites, no separate organisation filter
            d.get(url("/dispatch?site=" + site));
            assertTrue(d.findElements(By.cssSelector("form[method=get] select[name=to], select#toSite")).isEmpty(),
                    "no second place to choose the receiver");
            d.findElement(By.cssSelector("input[name=unit][value='acme-fab/" + serial + "']")).click();
            new Select(d.findElement(By.id("receiver"))).selectByValue("northwind/ams-schiphol");
            d.findElement(By.id("licenceRef")).sendKeys("TW-EXP-2026-9001");
            setValue(d, "licenceValidUntil", "2030-12-31");
            d.findElement(By.id("licenceCountries")).sendKeys("nl, de");
            d.findElement(By.id("carrier")).sendKeys("EVA Air Cargo");
            d.findElement(By.id("shipmentRef")).sendKeys("AWB 695-12345675");
            setValue(d, "expectedArrival", "2020-01-02T10:00");
            assertAccessible(b, "dispatch");
            b.screenshot("dispatch");
            submit(d, By.cssSelector("form[action='/dispatch'][method=post] button[type=submit]"));
            String transferUrl = d.getCurrentUrl();
            assertTrue(transferUrl.contains("/transfers/"), transferUrl);
            String transferId = transferUrl.replaceAll(".*/transfers/([0-9a-f-]{36}).*", "$1");
            String entry = d.findElement(By.cssSelector("p.notice a[href^='/explorer/entries/']")).getAttribute("href");
            d.get(entry);
            String envelope = d.findElement(By.tagName("body")).getText().replaceAll("\\s", "");
            assertTrue(envelope.contains("\"licenceValidUntil\":\"2030-12-31T23:59:59Z\""), "the licence's last day: " + envelope);
            assertTrue(envelope.contains("\"licenceCountries\":[\"NL\",\"DE\"]"), "its destinations: " + envelope);
            signOut(d);

            signIn(d, "northwind.admin");
            d.get(url("/inbox"));
            assertEquals(1, d.findElements(By.cssSelector("a[href='/transfers/" + transferId + "/receive']")).size(),
                    "the inbox links the receipt form");
            WebElement row = d.findElement(By.xpath("//a[@href='/transfers/" + transferId + "/receive']/ancestor::tr"));
            assertTrue(row.getAttribute("class").contains("overdue") && row.getText().contains("overdue"),
                    "expected 2020-01-02, so overdue: " + row.getText());
            assertAccessible(b, "inbox");
            d.get(url("/transfers/" + transferId + "/receive"));
            String paperwork = d.findElement(By.cssSelector("#receive-units tbody tr")).getText();
            for (String shown : List.of(serial, "H200-SXM", "EVA Air Cargo", "AWB 695-12345675", "2020-01-02 10:00:00 UTC")) {
                assertTrue(paperwork.contains(shown), "the receipt row shows " + shown + ": " + paperwork);
            }
            assertAccessible(b, "receive");
            b.screenshot("receive");
            submit(d, By.cssSelector("form[action='/transfers/" + transferId + "/receive'] button[type=submit]"));
            d.get(url("/units/acme-fab/" + serial));
            String facts = d.findElement(By.cssSelector("dl.facts")).getText();
            assertTrue(facts.contains("northwind"), "custody moved on receipt: " + facts);
            List<WebElement> timeline = d.findElements(By.cssSelector("ol.timeline li"));
            assertEquals(3, timeline.size(), "register, dispatch, receive");
            assertTrue(timeline.get(2).getText().contains("northwind.admin"), "the entry names who acted");
            b.screenshot("unit-after-receipt");
        }
    }

    @Test
    void aCsvBulkUploadRegistersTheGoodRowsAndReportsTheBadOnes() throws Exception {
        StringBuilder csv = new StringBuilder("serial,kind,model,eccn,site\n");
        String prefix = "BLK-" + System.nanoTime() % 1_000_000 + "-";
        for (int i = 0; i < 60; i++) {
            csv.append(prefix).append(i).append(",accelerator,H200-SXM,3A090.a,hsinchu-fab12\n");
        }
        csv.append("bad serial,accelerator,H200-SXM,3A090.a,hsinchu-fab12\n");
        csv.append(prefix).append("X,toaster,H200-SXM,,hsinchu-fab12\n");
        Path file = Files.createTempFile("units", ".csv");
        Files.writeString(file, csv);
        try (Browser b = Browser.open(1280, 900)) {
            WebDriver d = b.driver();
            signIn(d, "acme.admin");
            d.get(url("/units/bulk"));
            d.findElement(By.id("csv")).sendKeys(file.toAbsolutePath().toString());
            submit(d, By.cssSelector("form[action='/units/bulk'] button[type=submit]"));
            // the progress page reloads itself while the job runs: a heading read mid-reload is stale, not an error
            new WebDriverWait(d, Duration.ofSeconds(60)).until(w -> unlessReplaced(() -> title(w).contains("finished"),
                    false));
            String body = d.findElement(By.tagName("body")).getText();
            assertTrue(body.contains("62 of 62 rows (60 registered, 2 rejected)"), body);
            b.screenshot("bulk-upload");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void anInspectorFindsAUnitElsewhereAndWorksTheFindingToItsResolution() throws Exception {
        worker.round(); // the detectors' findings about the demo data, if any are waiting
        try (Browser b = Browser.open(1280, 1100)) {
            WebDriver d = b.driver();
            signIn(d, "inspector");
            // on site: GH200-0011 (recorded inside HGX-0002, on its way to Dubai) turns up in Brussels
            d.get(url("/inspect/acme-fab/GH200-0011"));
            d.findElement(By.cssSelector("input[name=result][value=discrepancy]")).click();
            new Select(d.findElement(By.id("foundAt"))).selectByValue("eu-regulator/brussels");
            new Select(d.findElement(By.id("custodian"))).selectByValue("eu-regulator");
            d.findElement(By.id("notes")).sendKeys("Loose GPU on a test bench; its server is recorded in transit to Dubai");
            submit(d, By.cssSelector("#inspect-form button[type=submit]"));
            assertTrue(d.getCurrentUrl().contains("recorded="), d.getCurrentUrl());
            worker.round(); // the detectors' findings are signed into the log

            d.findElement(By.linkText("Discrepancies")).click();
            assertEquals("Discrepancies", title(d));
            assertTrue(d.findElement(By.cssSelector("svg[aria-labelledby='trend-title trend-desc']")).isDisplayed());
            b.screenshot("discrepancies-dashboard");

            // the count of "high" narrows the list; the unit filter finds the new finding
            d.findElement(By.cssSelector("#by-severity a[href*='severity=high']")).click();
            assertTrue(d.getCurrentUrl().contains("severity=high"), d.getCurrentUrl());
            d.get(url("/discrepancies?rule=inspection-other-site&unit=acme-fab%2FGH200-0011&state=unresolved"));
            List<String> links = d.findElements(By.cssSelector("#findings a[href*='/discrepancies/']")).stream()
                    .map(a -> a.getAttribute("href")).distinct().toList();
            assertEquals(1, links.size(), "one finding for the unit found in Brussels: " + links);
            d.get(links.get(0));
            assertTrue(d.findElement(By.tagName("body")).getText().contains("eu-regulator/brussels"), title(d));

            new Select(d.findElement(By.id("state-select"))).selectByValue("acknowledged");
            d.findElement(By.id("why")).sendKeys("Assigned to the Brussels field office; papers requested from Northwind");
            submit(d, By.cssSelector("#state-form button[type=submit]"));
            assertTrue(d.findElement(By.cssSelector("p.notice")).getText().contains("Recorded at log index"));
            assertTrue(d.findElement(By.id("state")).getText().contains("acknowledged"));
            b.screenshot("discrepancy-detail");

            new Select(d.findElement(By.id("outcome"))).selectByValue("explained");
            d.findElement(By.id("reason")).sendKeys("Pulled from HGX-0002 for a failure analysis lab test; RMA papers seen");
            submit(d, By.cssSelector("#resolve-form button[type=submit]"));
            assertTrue(d.findElement(By.id("state")).getText().contains("resolved"));
            assertTrue(d.findElement(By.id("outcome-value")).getText().contains("explained"));
            List<WebElement> history = d.findElements(By.cssSelector("ol.history li"));
            assertEquals(3, history.size(), "opened, acknowledged, resolved");
            assertTrue(history.get(2).getText().contains("(inspector)"), "who resolved it");

            d.findElement(By.linkText("Printable report with proofs")).click();
            assertEquals("Discrepancy report", title(d));
            assertTrue(d.findElement(By.tagName("body")).getText().contains("How to verify"));
            assertTrue(d.findElements(By.cssSelector("header.top")).isEmpty(), "no navigation on the printout");
            b.screenshot("discrepancy-report");
        }
    }
}
