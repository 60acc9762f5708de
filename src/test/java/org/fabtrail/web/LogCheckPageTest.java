package org.fabtrail.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.LedgerStore;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The public check page (/log) with no sign-in: it shows the current checkpoint and the log's key and no custody
 * data; in headless Chromium its script verifies a genuine checkpoint, an entry's inclusion and the consistency of an
 * older checkpoint, and says "Failed" for a tampered checkpoint, leaf hash or proof; the script's verifiers agree with
 * every upstream RFC 9162 and signed-note known-answer vector; axe-core finds nothing critical or serious.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class LogCheckPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;
    @Inject
    Pages pages;
    @Inject
    CheckpointSigner signer;

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void anonymousVisitorsGetTheCheckpointAndTheKeyAndNoCustodyData() {
        LedgerStore.StoredCheckpoint cp = pages.ledger.latestCheckpoint().orElseThrow();
        given().redirects().follow(false).when().get("/log").then().statusCode(200)
                .body(containsString(signer.vkey()))
                .body(containsString(cp.note().split("\n")[2]))
                .body(containsString("/static/logcheck.js"))
                .body(containsString("<a href=\"/log\">Check it.</a>"))
                .body(not(containsString("GH200-")))
                .body(not(containsString("/explorer")));
    }

    @Test
    void inGermanThePageAndItsScriptsMessagesAreGerman() {
        given().header("Accept-Language", "de").when().get("/log").then().statusCode(200)
                .body(containsString("<html lang=\"de\">"))
                .body(containsString("<h1>Prüfen Sie das Protokoll selbst</h1>"))
                .body(containsString("data-invalid-signature=\"ungültige Signatur für den Schlüssel %1\""))
                .body(containsString("data-verified=\"Bestätigt\""));
    }

    @Test
    void theBrowserVerifiesGenuineClaimsAndFailsTamperedOnes() throws Exception {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        try (Browser b = Browser.open(390, 900)) {
            WebDriver d = b.driver();
            d.get(url("/log"));
            BrowserJourneyTest.assertAccessible(b, "/log");
            String note = value(d, "checkpoint");
            long size = Long.parseLong(d.findElement(By.id("tree-size")).getText());

            // the checkpoint's signature
            assertEquals("verified", check(d, "checkpoint-form", "checkpoint-result"));
            String[] lines = note.split("\n", -1);
            lines[1] = Long.toString(size + 1);
            set(d, "checkpoint", String.join("\n", lines));
            assertEquals("failed", check(d, "checkpoint-form", "checkpoint-result"));
            assertTrue(result(d, "checkpoint-result").contains("invalid signature"), result(d, "checkpoint-result"));
            set(d, "checkpoint", note);
            set(d, "vkey", new String(Files.readAllBytes(resource("vectors/c2sp/example-signed-note.vkey"))).trim());
            assertEquals("failed", check(d, "checkpoint-form", "checkpoint-result"), "another log's key");
            set(d, "vkey", signer.vkey());

            // inclusion of a leaf hash at an index, with the log's proof, then with a wrong hash and a wrong proof
            long index = size / 2;
            byte[] leafHash = pages.ledger.read(c -> pages.store.entry(c, index)).orElseThrow().leafHash();
            String hash = HexFormat.of().formatHex(leafHash);
            set(d, "leaf-index", Long.toString(index));
            set(d, "leaf-hash", hash);
            assertEquals("verified", check(d, "inclusion-form", "inclusion-result"), result(d, "inclusion-result"));
            scrollTo(d, "inclusion-form");
            b.screenshot("log-check");
            set(d, "leaf-hash", flip(hash));
            assertEquals("failed", check(d, "inclusion-form", "inclusion-result"));
            set(d, "leaf-hash", hash);
            List<String> proof = hex(pages.ledger.inclusion(index, size).hashes());
            set(d, "inclusion-proof", String.join("\n", proof));
            assertEquals("verified", check(d, "inclusion-form", "inclusion-result"), "the proof pasted as the log gives it");
            List<String> tampered = new ArrayList<>(proof);
            tampered.set(proof.size() - 1, flip(proof.get(proof.size() - 1)));
            set(d, "inclusion-proof", String.join("\n", tampered));
            assertEquals("failed", check(d, "inclusion-form", "inclusion-result"));
            set(d, "inclusion-proof", "");
            set(d, "leaf-index", Long.toString(size));
            assertEquals("failed", check(d, "inclusion-form", "inclusion-result"), "an index beyond the tree");

            // consistency of an older checkpoint with the current one
            LedgerStore.StoredCheckpoint older = olderCheckpoint(size);
            set(d, "old-checkpoint", older.note());
            assertEquals("verified", check(d, "consistency-form", "consistency-result"), result(d, "consistency-result"));
            BrowserJourneyTest.assertAccessible(b, "/log with results");
            List<String> cproof = hex(pages.ledger.consistency(older.treeSize(), size).hashes());
            List<String> ctampered = new ArrayList<>(cproof);
            ctampered.set(0, flip(cproof.get(0)));
            set(d, "consistency-proof", String.join("\n", ctampered));
            assertEquals("failed", check(d, "consistency-form", "consistency-result"));
            set(d, "consistency-proof", "");
            String[] old = older.note().split("\n", -1);
            old[2] = flipBase64(old[2]);
            set(d, "old-checkpoint", String.join("\n", old));
            assertEquals("failed", check(d, "consistency-form", "consistency-result"), "a changed older root");
        }
    }

    @Test
    void theBrowserVerifiersAgreeWithEveryKnownAnswerVector() throws Exception {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        List<Object> inclusion = probes("vectors/transparency-dev-merkle/inclusion");
        List<Object> consistency = probes("vectors/transparency-dev-merkle/consistency");
        Object notes = JSON.readValue(resource("vectors/signed-note/note-vectors.json").toFile(), Object.class);
        try (Browser b = Browser.open(1280, 900)) {
            WebDriver d = b.driver();
            d.get(url("/log"));
            @SuppressWarnings("unchecked")
            List<String> wrong = (List<String>) ((JavascriptExecutor) d).executeAsyncScript("""
                    var done = arguments[arguments.length - 1];
                    var inclusion = arguments[0], consistency = arguments[1], notes = arguments[2];
                    var L = window.FabtrailLogCheck, b = function (s) { return L.fromBase64(s || '', 'x'); };
                    var wrong = [], work = [];
                    function expect(name, shouldPass, promise) {
                      work.push(promise.then(function () { return true; }, function (e) {
                        if (!(e instanceof L.CheckError)) { wrong.push(name + ' threw ' + e); }
                        return false;
                      }).then(function (passed) { if (passed !== shouldPass) { wrong.push(name + (passed ? ' passed' : ' failed')); } }));
                    }
                    inclusion.forEach(function (c) {
                      expect('inclusion ' + c.file, !c.wantErr, L.verifyInclusion(BigInt(c.leafIdx), BigInt(c.treeSize),
                          b(c.leafHash), (c.proof || []).map(b), b(c.root)));
                    });
                    consistency.forEach(function (c) {
                      expect('consistency ' + c.file, !c.wantErr, L.verifyConsistency(BigInt(c.size1), BigInt(c.size2),
                          (c.proof || []).map(b), b(c.root1), b(c.root2)));
                    });
                    notes.valid_notes.forEach(function (c) {
                      c.verifiers.forEach(function (k) {
                        expect('note ' + c.name + ' with ' + k, true, L.openNote(c.note, notes.keys[k].vkey).then(function (text) {
                          if (c.expect_text && text !== c.expect_text) { throw new Error('text ' + JSON.stringify(text)); }
                        }));
                      });
                    });
                    notes.invalid_notes.forEach(function (c) {
                      c.verifiers.forEach(function (k) { expect('note ' + c.name, false, L.openNote(c.note, notes.keys[k].vkey)); });
                    });
                    notes.invalid_note_bytes_hex.forEach(function (c) {
                      c.verifiers.forEach(function (k) {
                        expect('note ' + c.name, false, L.openNote(L.fromHex(c.note_hex, 'x'), notes.keys[k].vkey));
                      });
                    });
                    notes.invalid_vkeys.forEach(function (c) { expect('vkey ' + c.why, false, L.parseVkey(c.vkey)); });
                    Promise.all(work).then(function () { done(wrong.concat(['ran ' + work.length])); });
                    """, inclusion, consistency, notes);
            assertEquals(List.of("ran " + (inclusion.size() + consistency.size() + 5 + 1 + 8 + 1 + 3)), wrong);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Submits the check's form and waits for its outcome ("verified" or "failed"). */
    private static String check(WebDriver d, String form, String result) {
        ((JavascriptExecutor) d).executeScript("document.getElementById(arguments[0]).textContent = '';", result);
        d.findElement(By.cssSelector("#" + form + " button[type=submit]")).click();
        return new WebDriverWait(d, Duration.ofSeconds(20)).until(w -> {
            var found = w.findElements(By.cssSelector("#" + result + " [data-outcome]"));
            return found.isEmpty() ? null : found.get(0).getAttribute("data-outcome");
        });
    }

    private static void scrollTo(WebDriver d, String id) {
        ((JavascriptExecutor) d).executeScript("document.getElementById(arguments[0]).scrollIntoView();", id);
    }

    private static String result(WebDriver d, String id) {
        return d.findElement(By.id(id)).getText();
    }

    private static String value(WebDriver d, String id) {
        return (String) ((JavascriptExecutor) d).executeScript("return document.getElementById(arguments[0]).value;", id);
    }

    private static void set(WebDriver d, String id, String text) {
        ((JavascriptExecutor) d).executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, text);
    }

    /** A signed checkpoint of a smaller tree than size (the demo's seeding published many). */
    private LedgerStore.StoredCheckpoint olderCheckpoint(long size) {
        for (long s = size - 3; s > 0; s--) {
            long at = s;
            Optional<LedgerStore.StoredCheckpoint> cp = pages.ledger.read(c -> pages.store.checkpointAt(c, at));
            if (cp.isPresent()) {
                return cp.get();
            }
        }
        throw new AssertionError("no older checkpoint below size " + size);
    }

    private static String flip(String hex) {
        char c = hex.charAt(10);
        return hex.substring(0, 10) + (c == '0' ? '1' : '0') + hex.substring(11);
    }

    private static String flipBase64(String b64) {
        char c = b64.charAt(5);
        return b64.substring(0, 5) + (c == 'A' ? 'B' : 'A') + b64.substring(6);
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static Path resource(String path) throws URISyntaxException {
        return Path.of(LogCheckPageTest.class.getClassLoader().getResource(path).toURI());
    }

    /** Every probe file under a folder, each with its file name added. */
    @SuppressWarnings("unchecked")
    private static List<Object> probes(String folder) throws Exception {
        List<Object> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(resource(folder))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Map<String, Object> probe = JSON.readValue(f.toFile(), Map.class);
                probe.put("file", f.getParent().getFileName() + "/" + f.getFileName());
                out.add(probe);
            }
        }
        assertTrue(out.size() > 90, folder + ": " + out.size());
        return out;
    }
}
