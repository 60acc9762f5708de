package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.attestation.DeviceSimulator;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.server.FabtrailConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inspector checks a device on the phone-sized page: request a challenge, have the device answer it (the demo's
 * device keys play the devices), paste the answer, see each check, record the inspection with its verdict.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class InspectDeviceCheckTest {

    private static final Pattern CHALLENGE = Pattern.compile("<pre class=\"json\" id=\"challenge-value\">([A-Za-z0-9+/=]+)</pre>");

    @Inject
    FabtrailConfig config;

    Path devices() {
        return Path.of(config.dataDir(), "demo-devices");
    }

    /** Requests a challenge on the unit's page; answers the device page's path. */
    static String requestChallenge(SignedInClient c, String unit) {
        String page = "/inspect/" + unit;
        String html = c.page(page);
        assertTrue(html.contains("id=\"challenge-form\""), "the unit page offers a device check");
        Response r = c.submit(page, page + "/challenge", Map.of());
        String device = SignedInClient.location(r);
        assertTrue(device.matches("/inspect/" + unit + "/device/[0-9a-f-]{36}"), device);
        return device;
    }

    static String challengeOn(String html) {
        Matcher m = CHALLENGE.matcher(html);
        assertTrue(m.find(), "the challenge is shown as text");
        return m.group(1);
    }

    /** What the device prints: the simulator's answer, from the key and certificate files. */
    static String answer(Path key, Path cert, String manufacturer, String serial, String challenge) throws Exception {
        List<String> chain = new ArrayList<>();
        for (String block : Files.readString(cert).split("(?<=-----END CERTIFICATE-----\\n)")) {
            chain.add(block);
        }
        return Jcs.canonicalString(DeviceSimulator.respond(SigningKey.fromPkcs8Pem(Files.readString(key)), chain,
                manufacturer, serial, Base64.getDecoder().decode(challenge)));
    }

    static Map<String, Object> record(String devicePage, String response, String result, String notes) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("challengeId", devicePage.substring(devicePage.lastIndexOf('/') + 1));
        form.put("response", response);
        form.putAll(InspectPageTest.finding(result, notes));
        return form;
    }

    @Test
    void anInspectorChecksAServerAndRecordsThePassingCheck() throws Exception {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String unitPage = inspector.page("/inspect/acme-fab/HGX-0001");
        assertTrue(unitPage.contains("CN=HGX-0001,SERIALNUMBER=HGX-0001,O=Acme Semiconductor"), "the registered identity");
        String device = requestChallenge(inspector, "acme-fab/HGX-0001");
        String html = inspector.page(device);
        String challenge = challengeOn(html);
        assertEquals(32, Base64.getDecoder().decode(challenge).length);
        assertTrue(html.contains("java -jar quarkus-run.jar device &lt;device key&gt; &lt;device certificate&gt; acme-fab "
                + "HGX-0001 " + challenge), "the simulator's command line");
        assertFalse(html.contains("id=\"inspect-form\""), "nothing to record before the device answered");

        String response = answer(devices().resolve("HGX-0001.key.pem"), devices().resolve("HGX-0001.pem"), "acme-fab",
                "HGX-0001", challenge);
        Response checked = inspector.submit(device, device, Map.of("response", response));
        assertEquals(200, checked.statusCode(), checked.asString());
        String result = checked.asString();
        assertTrue(result.contains("The device is the one registered"), result);
        for (String check : List.of("challenge", "certificate", "chain", "revocation", "signature")) {
            assertTrue(result.contains("class=\"ok\" data-check=\"" + check + "\""), check + " passed");
        }
        assertTrue(result.contains("value=\"consistent\" checked"), "consistent is proposed");

        Response recorded = inspector.submit(device, "/inspect/acme-fab/HGX-0001", record(device, response, "consistent",
                "BMC answered; seals intact"));
        String back = SignedInClient.location(recorded);
        assertTrue(back.startsWith("/inspect/acme-fab/HGX-0001?recorded="), back);
        long index = Long.parseLong(back.substring(back.indexOf('=') + 1));
        String entry = inspector.page("/explorer/entries/" + index);
        assertTrue(entry.contains("&quot;verdict&quot;") && entry.contains("&quot;pass&quot;"), "the verdict is in the entry");

        String unit = SignedInClient.signIn("helios.admin").page("/units/acme-fab/HGX-0001");
        assertTrue(unit.contains("id=\"certificate\"") && unit.contains("SHA-256 fingerprint"), "the certificate");
        assertTrue(unit.contains("Acme Device Issuing CA 2026"), "its issuer");
        assertTrue(unit.contains("href=\"/explorer/entries/" + index + "\">#" + index + "</a>"), "the inspection");
        assertTrue(unit.contains("Device attestation: pass."), "in the timeline too");

        // the same answer again: a replay, which fails
        Response again = inspector.submit(device, device, Map.of("response", response));
        assertTrue(again.asString().contains("The device check failed"));
        assertTrue(again.asString().contains("challenge-used: the challenge was already used"), again.asString());
    }

    /**
     * The challenge's QR code, decoded by an independent reader (ZXing) from the SVG's modules drawn as pixels, carries
     * exactly the challenge text the page shows.
     */
    @Test
    void theChallengeQrCodeCarriesTheChallengeText() throws Exception {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String html = inspector.page(requestChallenge(inspector, "acme-fab/HGX-0002"));
        Matcher svg = Pattern.compile("<svg [^>]*id=\"challenge-qr\"[^>]*viewBox=\"0 0 (\\d+) \\d+\"[^>]*role=\"img\" "
                + "aria-label=\"([^\"]+)\"[^>]*>.*?<path d=\"([^\"]+)\"", Pattern.DOTALL).matcher(html);
        assertTrue(svg.find(), "the page draws the challenge as an SVG QR code");
        assertTrue(svg.group(2).contains(challengeOn(html)), "its accessible name says what it carries");
        assertEquals(challengeOn(html), decodeQr(Integer.parseInt(svg.group(1)), svg.group(3)));
    }

    /** Paints each {@code Mx,yh1v1h-1z} module as a 4×4 black square on white and reads the code with ZXing. */
    static String decodeQr(int size, String path) throws Exception {
        int scale = 4;
        int px = size * scale;
        int[] pixels = new int[px * px];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher m = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(path);
        int modules = 0;
        while (m.find()) {
            int x = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * px + x * scale + dx] = 0xFF000000;
                }
            }
            modules++;
        }
        assertTrue(modules > 100, "dark modules: " + modules);
        com.google.zxing.BinaryBitmap bitmap = new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(
                new com.google.zxing.RGBLuminanceSource(px, px, pixels)));
        return new com.google.zxing.qrcode.QRCodeReader().decode(bitmap,
                Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }

    @Test
    void aCounterfeitFailsEveryCheckItCanAndTheFailureIsRecorded() throws Exception {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String device = requestChallenge(inspector, "acme-fab/GH200-0024");
        String html = inspector.page(device);
        assertTrue(html.contains("No device certificate is registered for this unit"));
        Path fake = devices().resolve("counterfeit");
        String response = answer(fake.resolve("GH200-0024.key.pem"), fake.resolve("GH200-0024.pem"), "acme-fab",
                "GH200-0024", challengeOn(html));
        String result = inspector.submit(device, device, Map.of("response", response)).asString();
        assertTrue(result.contains("The device check failed"), result);
        assertTrue(result.contains("class=\"fail\" data-check=\"certificate\""));
        assertTrue(result.contains("unit-has-no-certificate: no device certificate is registered"));
        assertTrue(result.contains("class=\"fail\" data-check=\"chain\""));
        assertTrue(result.contains("unknown-issuer: the certificate does not chain"));
        assertTrue(result.contains("class=\"skipped\" data-check=\"revocation\""), "no registered CA, no CRL to check");
        assertTrue(result.contains("class=\"ok\" data-check=\"signature\""), "it did sign with the key it presents");
        assertTrue(result.contains("value=\"discrepancy\" checked"), "discrepancy is proposed");
        inspector.cookies.put(Languages.COOKIE, "de");
        String german = inspector.submit(device, device, Map.of("response", response)).asString();
        assertTrue(german.contains("Seine Kette führt zu einer Geräte-CA des Herstellers")
                && german.contains("unknown-issuer: das Zertifikat führt zu keiner Geräte-CA"), "in German: " + german);
        inspector.cookies.remove(Languages.COOKIE);

        Map<String, Object> form = record(device, response, "discrepancy", "Label says GH200-0024; identity not Acme's");
        form.put("siteOrg", "acme-fab");
        form.put("site", "hsinchu-fab12");
        form.put("custodian", "acme-fab");
        String back = SignedInClient.location(inspector.submit(device, "/inspect/acme-fab/GH200-0024", form));
        assertTrue(back.startsWith("/inspect/acme-fab/GH200-0024?recorded="), back);
        String unit = inspector.page("/units/acme-fab/GH200-0024");
        assertTrue(unit.contains("fail: unit-has-no-certificate, unknown-issuer"), unit);
        assertTrue(unit.contains("attestation-failed, reported-discrepancy"), "the findings");
    }

    @Test
    void anAnswerThatIsNotJsonIsExplainedAndAnotherInspectorCannotUseTheChallenge() {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        String device = requestChallenge(inspector, "acme-fab/GH200-0003");
        Response bad = inspector.submit(device, device, Map.of("response", "signature=abc"));
        assertEquals(422, bad.statusCode());
        assertTrue(bad.asString().matches("(?s).*class=\"field-error\"[^>]*>The answer is not JSON.*"), bad.asString());
        assertEquals(404, SignedInClient.signIn("regulator").get(device).statusCode(), "the challenge is the inspector's");
        Response foreign = SignedInClient.signIn("helios.admin").get(device);
        assertEquals(403, foreign.statusCode());
        long before = InspectPageTest.treeSize();
        Map<String, Object> form = record(device, "{}", "consistent", "no answer");
        Response refused = inspector.submit(device, "/inspect/acme-fab/GH200-0003", form);
        assertEquals(422, refused.statusCode());
        assertEquals(before, InspectPageTest.treeSize(), "nothing written");
    }

    @Test
    void challengesNeedTheCsrfToken() {
        SignedInClient inspector = SignedInClient.signIn("inspector");
        assertEquals(403, inspector.post("/inspect/acme-fab/GH200-0001/challenge", Map.of()).statusCode());
    }
}
