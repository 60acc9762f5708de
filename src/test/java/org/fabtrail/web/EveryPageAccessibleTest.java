package org.fabtrail.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import javax.sql.DataSource;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * axe-core on every page of the UI a person can open with a GET, as the role that uses it, on the demo data: none
 * may have a critical or serious accessibility violation. (The journeys check the pages they pass through, forms
 * filled in and answered; this covers the rest, each page once.)
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class EveryPageAccessibleTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    DataSource dataSource;

    @BeforeEach
    void needsTheBrowser() {
        Browser.assumeAvailable();
    }

    private String one(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void noPageHasACriticalOrSeriousViolation() throws Exception {
        String finding = one("SELECT id FROM discrepancies ORDER BY opened_idx LIMIT 1");
        String inTransit = one("SELECT id FROM transfers WHERE receiver = 'kestrel-dc' AND state = 'pending' LIMIT 1");
        String entry = one("SELECT max(idx) / 2 FROM log_entries");
        Map<String, List<String>> pages = new LinkedHashMap<>();
        pages.put(null, List.of("/login", "/log"));
        pages.put("operator", List.of("/", "/units", "/units/acme-fab/HGX-0001", "/explorer", "/explorer/entries/"
                        + entry, "/discrepancies", "/discrepancies/" + finding, "/orgs", "/orgs/acme-fab",
                "/orgs/acme-fab/sites/hsinchu-fab12", "/restricted-parties", "/account/two-step"));
        pages.put("acme.admin", List.of("/", "/sites", "/units", "/units/new", "/units/bulk", "/dispatch", "/inbox",
                "/units/acme-fab/GH200-0001", "/units/acme-fab/GH200-0001/label", "/units/acme-fab/HGX-0003/status",
                "/units/acme-fab/HGX-0003/assemble", "/orgs/acme-fab/keys", "/orgs/acme-fab/tokens",
                "/orgs/acme-fab/users", "/orgs/acme-fab/webhooks", "/orgs/acme-fab/identity-provider",
                "/search?q=GH200-00"));
        pages.put("kestrel.admin", List.of("/inbox", "/transfers/" + inTransit));
        pages.put("inspector", List.of("/", "/inspect", "/inspect/acme-fab/GH200-0022", "/units/acme-fab/GH200-0022",
                "/discrepancies"));
        List<String> violations = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<String>> role : pages.entrySet()) {
            try (Browser b = Browser.open(1280, 900)) {
                WebDriver d = b.driver();
                if (role.getKey() != null) {
                    BrowserJourneyTest.signIn(d, base, role.getKey());
                }
                for (String path : role.getValue()) {
                    d.get(base.toString().replaceAll("/$", "") + path);
                    String h1 = d.findElement(By.tagName("h1")).getText();
                    assertFalse(h1.equals("Not allowed") || h1.equals("Not found") || h1.startsWith("Sign in")
                            && role.getKey() != null, role.getKey() + " " + path + " rendered \"" + h1 + "\"");
                    for (String v : b.seriousAccessibilityViolations()) {
                        violations.add(role.getKey() + " " + path + ": " + v);
                    }
                    checked++;
                }
            }
        }
        assertEquals(List.of(), violations, checked + " pages checked");
    }
}
