package org.fabtrail.web;

import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.fabtrail.server.DiscrepancyWorker;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.WebDriver;

import java.net.URL;

/**
 * A test of the web UI in a real headless browser ({@link Browser}), skipped where there is none: the application's
 * base URL, the discrepancy worker to run the detectors on demand, and signing in through the login form.
 */
abstract class BrowserUiTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    DiscrepancyWorker worker;

    @BeforeEach
    void needsTheBrowser() {
        Browser.assumeAvailable();
    }

    String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    void signIn(WebDriver d, String user) {
        BrowserJourneyTest.signIn(d, base, user);
    }
}
