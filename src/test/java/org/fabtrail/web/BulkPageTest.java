package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.web.bulk.BulkCsv;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.fabtrail.web.WebUser.fieldErrors;
import static org.fabtrail.web.WebUser.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /units/bulk: a CSV of thousands of rows, some bad; good rows register, bad rows are reported exactly. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class BulkPageTest extends DemoUiTest {

    static final String SITE = "hsinchu-fab12";

    @Inject
    DataSource dataSource;

    long count(String sql, Object... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Response upload(WebUser user, String fileName, String csv) {
        return user.given().multiPart("_csrf", user.csrf)
                .multiPart("csv", fileName, csv.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("text", "").post("/units/bulk");
    }

    static JsonPath waitUntilFinished(WebUser user, String job) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            Response s = user.get(job + "/status");
            assertEquals(200, s.statusCode(), s.asString());
            JsonPath json = s.jsonPath();
            if (json.getBoolean("finished")) {
                return json;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the job did not finish in time");
    }

    @Test
    void twoThousandRowsWithTwentyBadOnes() throws Exception {
        String model = "BULK-" + UUID.randomUUID().toString().substring(0, 8);
        String prefix = model.substring(5);
        StringBuilder csv = new StringBuilder("serial,kind,model,eccn,site,deviceCertificate\n");
        Map<Integer, String> bad = new TreeMap<>(); // row number (the header is row 1) -> how its reason starts
        int good = 0;
        for (int i = 0; i < 2000; i++) {
            int row = i + 2;
            String serial = prefix + "-" + String.format("%05d", i);
            String kind = "accelerator";
            String m = model;
            String site = SITE;
            String reason = switch (i) {
                case 10, 510 -> "missing column site";
                case 100, 600, 1100, 1600 -> "invalid serial";
                case 200, 700, 1200, 1700 -> "unknown site \"ashburn-dc2\": acme-fab has no such site";
                case 300, 800, 1300, 1800 -> "duplicate serial " + prefix + "-00000 in the file: also on row 2";
                case 400, 900 -> "invalid kind \"gpu\"";
                case 1000, 1500 -> "already registered: acme-fab/GH200-000" + (i == 1000 ? 1 : 2);
                case 1400 -> "model is empty";
                case 1999 -> "deviceCertificate must be one PEM CERTIFICATE block"; // the ledger's own reason
                default -> null;
            };
            switch (i) {
                case 100 -> serial = serial.replace("-", " ");
                case 600 -> serial = serial.replace("-", "/");
                case 1100 -> serial = serial + "X".repeat(64);
                case 1600 -> serial = serial + "\u00fc";
                case 200, 700, 1200, 1700 -> site = "ashburn-dc2";
                case 300, 800, 1300, 1800 -> serial = prefix + "-00000";
                case 400, 900 -> kind = "gpu";
                case 1000, 1500 -> serial = "GH200-000" + (i == 1000 ? 1 : 2);
                case 1400 -> m = "";
                default -> { }
            }
            String line = serial + "," + kind + "," + m + "," + (i % 3 == 0 ? "" : "3A090.a");
            if (i == 10 || i == 510) {
                csv.append(line).append('\n');
            } else if (i == 1999) {
                csv.append(line).append(',').append(site)
                        .append(",\"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA\n-----END CERTIFICATE-----\"\n");
            } else {
                csv.append(line).append(',').append(site).append(i % 2 == 0 ? "\n" : ",\r\n");
            }
            if (reason != null) {
                bad.put(row, reason);
            } else {
                good++;
            }
        }
        assertEquals(20, bad.size(), "twenty bad rows");
        String text = csv.toString();

        WebUser clerk = WebUser.signIn("acme.clerk");
        long before = ledger.head().size();
        Response started = upload(clerk, "units.csv", text);
        assertEquals(303, started.statusCode(), started.asString());
        String job = WebUser.locationPath(started);
        assertTrue(job.matches("/units/bulk/[A-Za-z0-9_-]{22}"), job);

        String running = clerk.page(job, 200);
        assertTrue(running.contains("<progress"), running);
        JsonPath status = waitUntilFinished(clerk, job);
        assertEquals(2000, status.getInt("total"));
        assertEquals(2000, status.getInt("done"));
        assertEquals(good, status.getInt("accepted"));
        assertEquals(1980, good);
        assertEquals(20, status.getInt("rejected"));

        assertEquals(good, count("SELECT count(*) FROM units WHERE manufacturer = 'acme-fab' AND model = ?", model));
        assertEquals(before + good, ledger.head().size(), "one entry per good row, nothing else");

        String finished = clerk.page(job, 200);
        assertFalse(finished.contains("http-equiv=\"refresh\""), "no more refreshing");
        assertTrue(finished.contains("/rejected.csv") && finished.contains(">" + good + " (log indexes #"), finished);

        Response csvResponse = clerk.get(job + "/rejected.csv");
        assertEquals(200, csvResponse.statusCode());
        assertTrue(csvResponse.contentType().startsWith("text/csv"));
        List<List<String>> rows = parse(csvResponse.asString());
        assertEquals(List.of("row", "reason", "serial", "kind", "model", "eccn", "site", "deviceCertificate"), rows.get(0));
        assertEquals(21, rows.size(), "header and exactly the bad rows");
        List<Integer> numbers = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            int n = Integer.parseInt(r.get(0));
            numbers.add(n);
            assertTrue(r.get(1).startsWith(bad.get(n)), "row " + n + ": " + r.get(1) + " (expected " + bad.get(n) + ")");
        }
        assertEquals(new ArrayList<>(bad.keySet()), numbers, "exactly the bad rows, in order");

        // the job belongs to acme-fab
        WebUser northwind = WebUser.signIn("northwind.admin");
        assertEquals(404, northwind.get(job).statusCode());
        Response hidden = northwind.get(job + "/status");
        assertEquals(404, hidden.statusCode());
        assertEquals("application/problem+json", hidden.contentType());
        assertEquals("job-not-found", hidden.jsonPath().getString("code"));
        assertEquals(404, northwind.get(job + "/rejected.csv").statusCode());

        // the page's progress poll without a session is told so in an RFC 9457 problem, not sent to the sign-in page
        Response anonymous = given().redirects().follow(false).get(job + "/status");
        assertEquals(401, anonymous.statusCode(), anonymous.asString());
        assertEquals("application/problem+json", anonymous.contentType());
        assertEquals("unauthenticated", anonymous.jsonPath().getString("code"));
        assertEquals(303, given().redirects().follow(false).get(job).statusCode(), "the report itself needs a sign-in");
    }

    static List<List<String>> parse(String csv) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (BulkCsv.Record r : BulkCsv.records(csv)) {
            out.add(r.fields());
        }
        return out;
    }

    @Test
    void aBadFileIsRefusedAtOnceAndPastedRowsWork() throws Exception {
        WebUser admin = WebUser.signIn("acme.admin");
        long before = ledger.head().size();
        Response header = admin.post("/units/bulk", form("text", "serial,kind,model\nX-1,accelerator,M\n"));
        assertEquals(422, header.statusCode());
        assertTrue(fieldErrors(header.asString()).get("text").contains("lacks the columns eccn, site"), header.asString());
        Response unknown = upload(admin, "u.csv", "serial,kind,model,eccn,site,colour\n");
        assertEquals(422, unknown.statusCode());
        assertTrue(fieldErrors(unknown.asString()).get("csv").contains("unknown column \"colour\""));
        Response empty = upload(admin, "u.csv", "");
        assertEquals(422, empty.statusCode());
        assertEquals(403, admin.given().multiPart("_csrf", "forged").multiPart("text", "serial,kind,model,eccn,site\n")
                .post("/units/bulk").statusCode());
        assertEquals(before, ledger.head().size());

        String model = "PASTE-" + UUID.randomUUID().toString().substring(0, 6);
        Response pasted = admin.given().multiPart("_csrf", admin.csrf)
                .multiPart("text", "Serial,Kind,Model,ECCN,Site\n" + model + "-1,server," + model + ",," + SITE + "\n"
                        + model + "-2,board," + model + ",EAR99," + SITE + "\n")
                .post("/units/bulk");
        assertEquals(303, pasted.statusCode(), pasted.asString());
        JsonPath status = waitUntilFinished(admin, WebUser.locationPath(pasted));
        assertEquals(2, status.getInt("accepted"));
        assertEquals(0, status.getInt("rejected"));
        assertEquals(2, count("SELECT count(*) FROM units WHERE model = ?", model));
        String page = admin.page(WebUser.locationPath(pasted), 200);
        assertFalse(page.contains("rejected.csv"), "nothing to download");
    }

    /** The file's name is shown on the job page as a name: no path, no control characters (as a document's). */
    @Test
    void theFileNameIsShownWithoutPathOrControlCharacters() throws Exception {
        WebUser admin = WebUser.signIn("acme.admin");
        Response r = upload(admin, "../scans/a\u0001b\u007Fc.csv", "serial,kind,model,eccn,site\nNAME-1,accelerator,M,,no-site\n");
        assertEquals(303, r.statusCode(), r.asString());
        waitUntilFinished(admin, WebUser.locationPath(r));
        String page = admin.page(WebUser.locationPath(r), 200);
        assertTrue(page.contains("From abc.csv,"), page);
        assertFalse(page.contains("\u0001") || page.contains("scans"), page);
    }
}
