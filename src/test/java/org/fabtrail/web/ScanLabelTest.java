package org.fabtrail.web;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.datamatrix.DataMatrixWriter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A unit's printable label carries its page URL as a QR code, for those who may see the unit only; on the inspector's
 * phone-sized search page, a photo of a printed label (a screenshot of the label page; a Data Matrix made by ZXing's
 * Java encoder) given to the "Scan label" file input is decoded in the browser, fills the search and finds the unit.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class ScanLabelTest {

    private static final String UNIT = "acme-fab/GH200-0001";

    @TestHTTPResource("/")
    URL base;

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void theLabelCarriesTheUnitsUrlAndOnlyThoseWhoMaySeeTheUnitGetIt() throws Exception {
        String html = SignedInClient.signIn("acme.admin").page("/units/" + UNIT + "/label");
        Matcher svg = Pattern.compile("<svg [^>]*id=\"label-qr\"[^>]*viewBox=\"0 0 (\\d+) \\d+\"[^>]*>.*?<path d=\"([^\"]+)\"",
                Pattern.DOTALL).matcher(html);
        assertTrue(svg.find(), "the label draws a QR code");
        String carried = InspectDeviceCheckTest.decodeQr(Integer.parseInt(svg.group(1)), svg.group(2));
        assertTrue(carried.matches("https?://[^/]+/units/" + UNIT), carried);
        assertTrue(html.contains("GH200-0001") && html.contains("GH200"), "the serial in plain text");
        assertTrue(SignedInClient.signIn("acme.admin").page("/units/" + UNIT).contains("/units/" + UNIT + "/label"),
                "the unit page links to its label");

        SignedInClient helios = SignedInClient.signIn("helios.admin");
        assertEquals(404, helios.get("/units/acme-fab/GH200-0024").statusCode(), "helios never held it");
        assertEquals(404, helios.get("/units/acme-fab/GH200-0024/label").statusCode(), "so no label either");
        assertEquals(404, helios.get("/units/acme-fab/NO-SUCH-UNIT/label").statusCode());
        assertEquals(404, helios.get("/units/acme-fab/bad%00serial/label").statusCode());
    }

    @Test
    void aPhotoOfAPrintedQrOrDataMatrixLabelFillsTheInspectorsSearchAndFindsTheUnit() throws Exception {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        Path dir = Files.createTempDirectory("fabtrail-labels");
        try (Browser b = Browser.open(390, 844)) {
            WebDriver d = b.driver();
            signIn(d, "inspector");

            // the label as printed: a photo of the label page
            d.get(url("/units/" + UNIT + "/label"));
            BrowserJourneyTest.assertAccessible(b, "the label page");
            Path qrPhoto = b.screenshot("unit-label");
            Path qrCopy = dir.resolve("qr-label.png");
            Files.copy(qrPhoto, qrCopy);

            d.get(url("/inspect"));
            BrowserJourneyTest.assertAccessible(b, "/inspect with the scan control");
            b.screenshot("inspect-scan");
            assertEquals("/inspect/" + UNIT, scan(d, qrCopy), "the QR label's unit");
            assertTrue(d.findElement(By.tagName("h1")).getText().contains("GH200-0001"), d.getTitle());
            assertTrue(scanned(d).endsWith("/units/" + UNIT), "the search held the label's text: " + scanned(d));

            // a manufacturer's own Data Matrix label that carries the bare serial
            Path dataMatrix = dir.resolve("datamatrix-label.png");
            ImageIO.write(dataMatrix("GH200-0002"), "png", dataMatrix.toFile());
            d.get(url("/inspect"));
            assertEquals("/inspect/acme-fab/GH200-0002", scan(d, dataMatrix), "the Data Matrix label's unit");
            assertEquals("GH200-0002", scanned(d));

            // a photo with no code in it says so and submits nothing
            Path blank = dir.resolve("blank.png");
            ImageIO.write(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
            d.get(url("/inspect"));
            d.findElement(By.cssSelector("[data-scan-photo]")).sendKeys(blank.toString());
            WebElement status = d.findElement(By.cssSelector("[data-scan-status]"));
            new WebDriverWait(d, Duration.ofSeconds(20)).until(w -> status.getText().startsWith("No QR"));
            assertTrue(d.getCurrentUrl().endsWith("/inspect"), d.getCurrentUrl());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Gives the photo to the scan control and waits for the page the filled search leads to; returns its path. */
    private String scan(WebDriver d, Path photo) {
        ((JavascriptExecutor) d).executeScript("sessionStorage.removeItem('scanned');"
                + "document.getElementById('q').form.addEventListener('submit', function () {"
                + "  sessionStorage.setItem('scanned', document.getElementById('q').value); });");
        WebElement input = d.findElement(By.cssSelector("[data-scan-photo]"));
        assertTrue(input.isDisplayed(), "the scan control shows once its script runs");
        input.sendKeys(photo.toString());
        try {
            new WebDriverWait(d, Duration.ofSeconds(30)).until(w -> !w.getCurrentUrl().endsWith("/inspect"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no page after scanning " + photo.getFileName() + "; the scan control says: "
                    + d.findElement(By.cssSelector("[data-scan-status]")).getText(), e);
        }
        return d.getCurrentUrl().replaceFirst("^https?://[^/]+", "");
    }

    private static String scanned(WebDriver d) {
        return (String) ((JavascriptExecutor) d).executeScript("return sessionStorage.getItem('scanned');");
    }

    private void signIn(WebDriver d, String user) {
        d.get(url("/login"));
        d.findElement(By.id("username")).sendKeys(user);
        d.findElement(By.id("password")).sendKeys(DemoProfile.PASSWORD);
        d.findElement(By.cssSelector("form[action='/login'] button[type=submit]")).click();
        new WebDriverWait(d, Duration.ofSeconds(30)).until(w -> !w.getCurrentUrl().contains("/login"));
        assertFalse(d.getCurrentUrl().contains("/login"));
    }

    /**
     * A Data Matrix as a label printer makes it (8 px modules, a wide white margin), photographed with the code in the
     * middle of the picture, as one aims a camera at it (ZXing's Data Matrix detector searches out from the centre).
     */
    private static BufferedImage dataMatrix(String text) {
        BitMatrix m = new DataMatrixWriter().encode(text, BarcodeFormat.DATA_MATRIX, 0, 0);
        int scale = 8;
        int margin = 60;
        BufferedImage img = new BufferedImage(m.getWidth() * scale + 2 * margin, m.getHeight() * scale + 2 * margin,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int mx = (x - margin) / scale;
                int my = (y - margin) / scale;
                boolean dark = x >= margin && y >= margin && mx < m.getWidth() && my < m.getHeight() && m.get(mx, my);
                img.setRGB(x, y, dark ? 0x000000 : 0xFFFFFF);
            }
        }
        return img;
    }
}
