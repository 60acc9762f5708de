package org.fabtrail.web;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real headless Chromium for UI tests: Debian's {@code chromium} and {@code chromium-driver} packages (installed
 * by .ci/run), never a downloaded browser. Screenshots go to {@code target/screenshots}, or to the directory named
 * by the system property {@code ui.screenshots} (docs/ui.md is illustrated with
 * {@code -Dui.screenshots=docs/ui}).
 */
public final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("ui.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("ui.chromedriver", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path userData;

    private Browser(ChromeDriver driver, Path userData) {
        this.driver = driver;
        this.userData = userData;
    }

    /** True when the browser packages are installed (tests are skipped with a clear reason otherwise). */
    public static boolean available() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    /** Skips the calling test, with the reason, where the browser packages are not installed. */
    public static void assumeAvailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(available(),
                "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
    }

    /** @param width a phone (e.g. 390) or a desktop (e.g. 1280) viewport width */
    public static Browser open(int width, int height) throws IOException {
        Path userData = Files.createTempDirectory("fabtrail-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height, "--user-data-dir=" + userData);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver, userData);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Saves a PNG of the current page as {@code <name>.png} and returns its path. */
    public Path screenshot(String name) throws IOException {
        Path dir = Path.of(System.getProperty("ui.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = dir.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Runs axe-core (the copy bundled in {@code com.deque.html.axe-core:selenium}, loaded from the test classpath, never
     * from the network) on the current page and returns its critical and serious violations as readable lines: rule,
     * impact, help and the first offending elements. An empty list is a page with none.
     */
    @SuppressWarnings("unchecked")
    public List<String> seriousAccessibilityViolations() {
        JavascriptExecutor js = driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(AXE);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Object result = js.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                + "  done(r.violations.filter(function (v) { return v.impact === 'critical' || v.impact === 'serious'; })"
                + "    .map(function (v) { return {id: v.id, impact: v.impact, help: v.help,"
                + "      nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(', ')}; }));"
                + "}).catch(function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: ''}]); });");
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) result) {
            Map<String, Object> v = (Map<String, Object>) o;
            out.add(v.get("impact") + " " + v.get("id") + ": " + v.get("help") + " [" + v.get("nodes") + "]");
        }
        return out;
    }

    private static final String AXE = axeScript();

    private static String axeScript() {
        try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test classpath (com.deque.html.axe-core:selenium)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(userData)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary profile; best effort
        }
    }
}
