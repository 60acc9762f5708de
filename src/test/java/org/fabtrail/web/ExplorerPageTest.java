package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.web.pages.log.ExplorerPage;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger explorer: checkpoint, key, entries, and verification with the production verifiers. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class ExplorerPageTest {

    static final String VERIFIED = "<span class=\"ok-mark\">✓</span> Verified";
    static final String NOT_VERIFIED = "<span class=\"fail-mark\">✗</span> Not verified";
    static final Pattern PROOF = Pattern.compile("<textarea id=\"proof\" name=\"proof\"[^>]*>([0-9a-f\\n]*)</textarea>");

    @Inject
    DataSource dataSource;

    long firstIndex(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    static long treeSize() {
        String note = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        return Long.parseLong(note.split("\n")[1]);
    }

    static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    @Test
    void theExplorerShowsTheLatestCheckpointAndTheLogKey() {
        String html = SignedInClient.signIn("acme.admin").page("/explorer");
        String note = given().get("/api/v1/log/checkpoint").then().extract().asString();
        String vkey = given().get("/api/v1/log/key").then().extract().asString().trim();
        assertTrue(html.contains(escaped(note)), "the checkpoint text as published:\n" + note + "\n" + html);
        assertTrue(html.contains("<dd id=\"tree-size\">" + treeSize() + "</dd>"));
        assertTrue(html.contains(escaped(vkey)), "the log's key");
        assertTrue(html.contains("signed by <code>fabtrail.local/log+"), "the page checked the signature");
    }

    @Test
    void entriesArePagedNewestFirstAndOnlyTheVisibleOnesAreListed() throws Exception {
        SignedInClient operator = SignedInClient.signIn("operator");
        String first = operator.page("/explorer");
        List<Long> firstPage = indexes(first);
        assertEquals(ExplorerPage.PAGE, firstPage.size());
        assertEquals(treeSize() - 1, firstPage.get(0), "newest first");
        Matcher older = Pattern.compile("href=\"(/explorer\\?before=\\d+)\">Older entries").matcher(first);
        assertTrue(older.find(), "a link to older entries");
        List<Long> second = indexes(operator.page(older.group(1)));
        assertTrue(second.get(0) < firstPage.get(firstPage.size() - 1), "the next page continues below the first");

        long decommission = firstIndex("SELECT idx FROM log_entries WHERE entry_type = 'unit.status' AND actor = 'helios-dc'");
        List<Long> kestrel = new ArrayList<>();
        String page = "/explorer";
        SignedInClient k = SignedInClient.signIn("kestrel.admin");
        while (page != null) {
            String html = k.page(page);
            kestrel.addAll(indexes(html));
            Matcher m = Pattern.compile("href=\"(/explorer\\?before=\\d+)\">Older entries").matcher(html);
            page = m.find() ? m.group(1) : null;
        }
        assertFalse(kestrel.contains(decommission), "Kestrel never held that unit");
        assertTrue(kestrel.contains(0L), "the registry entries are public");
    }

    @Test
    void anEntryTheViewerMayNotSeeIsNotFound() throws Exception {
        long decommission = firstIndex("SELECT idx FROM log_entries WHERE entry_type = 'unit.status' AND actor = 'helios-dc'");
        Response r = SignedInClient.signIn("kestrel.admin").get("/explorer/entries/" + decommission);
        assertEquals(404, r.statusCode());
        assertFalse(r.asString().contains("decommissioned"));
        assertEquals(404, SignedInClient.signIn("kestrel.admin").get("/explorer/entries/" + decommission
                + "/verify?leaf=" + decommission + "&size=" + treeSize()).statusCode());
        assertEquals(200, SignedInClient.signIn("helios.admin").get("/explorer/entries/" + decommission).statusCode());
        assertEquals(404, SignedInClient.signIn("operator").get("/explorer/entries/999999").statusCode());
    }

    @Test
    void verifyingTheRealProofSucceedsAndATamperedOneFails() throws Exception {
        long index = firstIndex("SELECT max(idx) FROM log_entries WHERE actor = 'acme-fab'");
        SignedInClient acme = SignedInClient.signIn("acme.admin");
        String entry = acme.page("/explorer/entries/" + index);
        assertTrue(entry.contains("id=\"leaf-hash\""), "the leaf hash");
        assertTrue(entry.contains("&quot;signature&quot;"), "the envelope");
        Matcher proof = PROOF.matcher(entry);
        assertTrue(proof.find(), "the verify form holds the proof");
        String hashes = proof.group(1);
        long size = treeSize();

        String ok = acme.page("/explorer/entries/" + index + "/verify", Map.of("leaf", index, "size", size,
                "proof", hashes));
        assertTrue(ok.contains(VERIFIED), ok);
        assertTrue(ok.contains("<strong>checkpoint of size " + size + "</strong>: signed by fabtrail.local/log+"));
        assertTrue(ok.contains("<strong>leaf hash</strong>: SHA-256(0x00 ‖ "));
        int n = hashes.split("\n").length;
        assertTrue(ok.contains("the proof of " + n + " hashes leads from leaf " + index + " to root "), ok);

        String wrongLeaf = acme.page("/explorer/entries/" + index + "/verify?leaf=" + (index - 1) + "&size=" + size);
        assertTrue(wrongLeaf.contains(NOT_VERIFIED), "another leaf's position");
        assertTrue(wrongLeaf.contains("<strong>inclusion proof</strong>: the proof of"));

        String flipped = hashes.charAt(0) == '0' ? "1" + hashes.substring(1) : "0" + hashes.substring(1);
        String tampered = acme.page("/explorer/entries/" + index + "/verify", Map.of("leaf", index, "size", size,
                "proof", flipped));
        assertTrue(tampered.contains(NOT_VERIFIED), "one proof hash changed");
        assertTrue(tampered.contains("leads to a different root"), tampered);

        String tooSmall = acme.page("/explorer/entries/" + index + "/verify?leaf=" + index + "&size=" + index);
        assertTrue(tooSmall.contains(NOT_VERIFIED), "a tree that does not hold the entry yet");
        String noCheckpoint = acme.page("/explorer/entries/" + index + "/verify?leaf=" + index + "&size=" + (size + 1000));
        assertTrue(noCheckpoint.contains(NOT_VERIFIED) && noCheckpoint.contains("No signed checkpoint of tree size"));
    }

    @Test
    void consistencyBetweenTwoSizesIsVerifiedAndATamperedProofFails() {
        SignedInClient acme = SignedInClient.signIn("acme.admin");
        long size = treeSize();
        long from = size / 2;
        String ok = acme.page("/explorer/consistency?from=" + from + "&to=" + size);
        assertTrue(ok.contains(VERIFIED), ok);
        assertTrue(ok.contains("is a prefix of the tree of size " + size), ok);
        assertTrue(ok.contains("<strong>checkpoint of size " + size + "</strong>: signed by fabtrail.local/log+"));

        String proof = given().get("/api/v1/log/proof/consistency?from=" + from + "&to=" + size).then().statusCode(200)
                .extract().jsonPath().getList("hashes", String.class).stream().reduce((a, b) -> a + "\n" + b).orElseThrow();
        String withProof = acme.page("/explorer/consistency", Map.of("from", from, "to", size, "proof", proof));
        assertTrue(withProof.contains(VERIFIED), "the API's own proof verifies here too");
        String flipped = (proof.charAt(0) == 'a' ? "b" : "a") + proof.substring(1);
        String tampered = acme.page("/explorer/consistency", Map.of("from", from, "to", size, "proof", flipped));
        assertTrue(tampered.contains(NOT_VERIFIED), tampered);
        String backwards = acme.page("/explorer/consistency?from=" + size + "&to=" + from);
        assertTrue(backwards.contains(NOT_VERIFIED) && backwards.contains("1 ≤ from ≤ to"));
    }

    static List<Long> indexes(String html) {
        List<Long> out = new ArrayList<>();
        Matcher m = Pattern.compile("<td><a href=\"/explorer/entries/(\\d+)\">").matcher(html);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
