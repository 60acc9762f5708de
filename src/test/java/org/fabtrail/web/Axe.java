package org.fabtrail.web;

import org.fabtrail.crypto.TestResources;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * axe-core 4.14.1 (MPL-2.0, vendored from the npm registry under src/test/resources/axe-core-4.14.1 with its licence)
 * run on the page a browser shows. WebDriver's script injection is not subject to the page's content security
 * policy, so the pages keep theirs.
 */
final class Axe {

    private static final String SOURCE = TestResources.utf8("axe-core-4.14.1/axe.min.js");

    private Axe() {
    }

    /** The critical and serious violations on the current page, each as "rule: target (summary)". */
    @SuppressWarnings("unchecked")
    static List<String> seriousViolations(WebDriver d) {
        JavascriptExecutor js = (JavascriptExecutor) d;
        js.executeScript(SOURCE);
        Object result = js.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, { resultTypes: ['violations'] }).then(function (r) {"
                + "  done(r.violations.filter(function (v) { return v.impact === 'critical' || v.impact === 'serious'; })"
                + "    .map(function (v) { return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); })"
                + "      .join(', ') + ' (' + v.help + ')'; }));"
                + "}, function (e) { done(['axe failed: ' + e]); });");
        return (List<String>) result;
    }

    /** Fails with the list when the current page has any critical or serious violation. */
    static void assertNoSeriousViolations(WebDriver d, String page) {
        assertEquals(List.of(), seriousViolations(d), "axe-core: critical/serious violations on " + page);
    }

}
