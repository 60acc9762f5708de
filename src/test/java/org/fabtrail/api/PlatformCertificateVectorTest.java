package org.fabtrail.api;

import org.fabtrail.testing.OncePerClass;
import org.fabtrail.testing.SignInCsrf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.TestResources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared TCG Platform Certificate vector (paccor's sample for a Dell Latitude 5510, serial DQXH253, issued by
 * PCTestCA) through the API and the unit page: the manufacturer registers PCTestCA as its device CA, assembles in
 * the server a DIMM whose serial the certificate lists (made by another organisation and shipped to it) and a unit the
 * certificate does not list, certifies the server with the vector, and the comparison says exactly which components
 * are present, missing, unexpected and not comparable.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class PlatformCertificateVectorTest {

    static final String VECTORS = "vectors/tcg-platform-certificate/";
    static final String DELL = "pc-dell";
    static final String SAMSUNG = "pc-samsung";
    static final String SERVER = "DQXH253";
    static final String EXTRA = "PC-GPU-0001";
    static final String PASSWORD = "platform test password";
    static final String KIOXIA = "00000000000000000000000000000000:30OF304WF7SL:nqn.2017-03.jp.co.toshiba:"
            + "KXG6AZNV512G NVMe SED KIOXIA 512GB:30OF304WF7SL";
    static final List<String> PRESENT = List.of(SERVER, SERVER, "37CCD269");
    static final List<String> MISSING;

    static {
        List<String> m = new ArrayList<>(List.of("/DQXH253/TW3207009A0050/", "37CCD1F9"));
        m.addAll(Collections.nCopies(6, "D745A01289B30200:"));
        m.add(KIOXIA);
        MISSING = List.copyOf(m);
    }

    private static ApiClient.Partner dell;
    private static ApiClient.Partner samsung;
    private static long certifyIndex;

    static ApiClient.Partner partner(String org, String name) {
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("id", org, "name", name, "country", "US", "roles", List.of("manufacturer")))
                .post("/api/v1/admin/orgs").then().statusCode(201);
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("publicKey", key.verificationKey().toPem()))
                .post("/api/v1/admin/orgs/" + org + "/keys").then().statusCode(201);
        return new ApiClient.Partner(org, key, ApiClient.token(org, "read", "write", "admin"));
    }

    static String vectorPem() {
        return TestResources.utf8(VECTORS + "platform_cert.20250909102720.pem");
    }

    @BeforeEach
    void world() throws Exception {
        OncePerClass.run(PlatformCertificateVectorTest.class, () -> {
            dell = partner(DELL, "Dell Inc.");
            samsung = partner(SAMSUNG, "Samsung Electronics Co., Ltd.");
            CustodyClient.site(dell, "austin", "US");
            CustodyClient.site(samsung, "hwaseong", "KR");
            CustodyClient.write(dell, "ca.add", Map.of("certificate", TestResources.utf8(VECTORS + "PCTestCA.example.com.pem")));
            CustodyClient.register(dell, SERVER, "server", "Latitude 5510", "austin");
            CustodyClient.register(dell, EXTRA, "accelerator", "H200-SXM", "austin");
            CustodyClient.register(samsung, "37CCD269", "module", "M471A1K43DB1-CWE", "hwaseong");
            String t = CustodyClient.dispatch(samsung, DELL, "austin", List.of(ref(SAMSUNG, "37CCD269")));
            CustodyClient.receive(dell, t, "austin", List.of(ref(SAMSUNG, "37CCD269")));
            CustodyClient.write(dell, "unit.assemble", Map.of("parent", ref(DELL, SERVER),
                    "components", List.of(ref(SAMSUNG, "37CCD269"), ref(DELL, EXTRA))));
            certifyIndex = dell.submit("unit.certify", Map.of("unit", ref(DELL, SERVER), "platformCertificate", vectorPem()))
                    .then().statusCode(201).extract().jsonPath().getLong("index");
        });
    }

    static JsonPath unit() {
        return dell.given().get("/api/v1/units/" + DELL + "/" + SERVER).then().statusCode(200).extract().jsonPath();
    }

    static List<String> serialsWith(List<Map<String, Object>> rows, String status) {
        return rows.stream().filter(r -> status.equals(r.get("status"))).map(r -> (String) r.get("serial")).toList();
    }

    @Test
    void theUnitJsonComparesTheVectorsComponentsWithWhatIsAssembled() {
        JsonPath u = unit();
        assertEquals(certifyIndex, u.getLong("platformCertificate.index"));
        assertEquals("DQXH253", u.getString("platformCertificate.platform.serial"));
        assertEquals("Dell Inc.", u.getString("platformCertificate.platform.manufacturer"));
        assertEquals("Latitude 5510", u.getString("platformCertificate.platform.model"));
        assertEquals("OU=PCTest,O=example.com,C=US", u.getString("platformCertificate.issuer"));
        assertEquals("OU=PCTest,O=example.com,C=US", u.getString("platformCertificate.verifiedBy.subject"));
        assertEquals("2024-01-01T05:00:00Z", u.getString("platformCertificate.notBefore"));
        assertEquals("2030-01-01T05:00:00Z", u.getString("platformCertificate.notAfter"));
        assertTrue(u.getString("platformCertificate.certificate").startsWith("-----BEGIN ATTRIBUTE CERTIFICATE-----"));
        assertEquals(Map.of("present", 3, "missing", 9, "unexpected", 1, "notComparable", 21),
                u.getMap("platformCertificate.recorded"));
        assertEquals(Map.of("present", 3, "missing", 9, "unexpected", 1, "notComparable", 21),
                u.getMap("platformCertificate.comparison.counts"));
        assertEquals(false, u.getBoolean("platformCertificate.comparison.consistent"));

        List<Map<String, Object>> rows = u.getList("platformCertificate.comparison.rows");
        assertEquals(34, rows.size(), "33 certified components, then the one unexpected unit");
        assertEquals(PRESENT, serialsWith(rows, "present"));
        assertEquals(MISSING, serialsWith(rows, "missing"));
        assertEquals(21, serialsWith(rows, "not-comparable").size());
        List<Map<String, Object>> present = rows.stream().filter(r -> "present".equals(r.get("status"))).toList();
        assertEquals(List.of(ref(DELL, SERVER), ref(DELL, SERVER), ref(SAMSUNG, "37CCD269")),
                present.stream().map(r -> r.get("unit")).toList());
        assertEquals("2.23.133.18.3.3/00010000", present.get(0).get("componentClass"));
        assertEquals("80CE000080CE", present.get(2).get("manufacturer"), "a JEDEC code names no organisation: the serial decides");
        Map<String, Object> unexpected = rows.get(33);
        assertEquals("unexpected", unexpected.get("status"));
        assertEquals(ref(DELL, EXTRA), unexpected.get("unit"));
        assertEquals("H200-SXM", unexpected.get("unitModel"));
        assertEquals(List.of("present", "missing", "present"), rows.subList(1, 4).stream().map(r -> r.get("status")).toList(),
                "certificate order: system, baseboard, chassis");
    }

    @Test
    void theServersPageShowsTheExpectedVersusFoundTable() {
        given().header("Authorization", ApiClient.ADMIN).contentType("application/json")
                .body(Map.of("username", "pc.dell", "displayName", "Dell Integrator", "org", DELL, "role", "member",
                        "password", PASSWORD)).post("/api/v1/admin/users").then().statusCode(201);
        String cookie = SignInCsrf.with(given()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", "pc.dell").formParam("password", PASSWORD).formParam("next", "/")
                .post("/login").then().statusCode(303).extract().cookie("ft_session");
        String html = given().cookie("ft_session", cookie).get("/units/" + DELL + "/" + SERVER).then().statusCode(200)
                .extract().asString();
        assertTrue(html.contains("<h2 id=\"platform-heading\">Platform certificate</h2>"), html);
        assertTrue(html.contains("OU=PCTest,O=example.com,C=US"));
        assertTrue(html.contains("9 missing, 1 unexpected"), "the summary says how they differ");
        Matcher m = Pattern.compile("<tr class=\"cmp-([a-z-]+)\" data-status=\"\\1\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
        List<String> statuses = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        while (m.find()) {
            statuses.add(m.group(1));
            cells.add(m.group(2));
        }
        List<Map<String, Object>> rows = unit().getList("platformCertificate.comparison.rows");
        assertEquals(rows.stream().map(r -> r.get("status")).toList(), statuses, "the page's rows are the API's");
        for (int i = 0; i < rows.size(); i++) {
            String status = (String) rows.get(i).get("status");
            assertTrue(cells.get(i).contains("<span class=\"badge badge-" + status + "\">" + status + "</span>"),
                    "the status in words: " + cells.get(i));
        }
        assertTrue(cells.get(1).contains("<a href=\"/units/pc-dell/DQXH253\" class=\"unitref\">"), cells.get(1));
        assertTrue(cells.get(4).contains("<code class=\"serial\">37CCD269</code>"), cells.get(4));
        assertTrue(cells.get(4).contains("<a href=\"/units/pc-samsung/37CCD269\" class=\"unitref\">"), cells.get(4));
        assertTrue(cells.get(33).contains("<a href=\"/units/pc-dell/PC-GPU-0001\" class=\"unitref\">"), cells.get(33));
    }

    @Test
    void refusalsAreProblemsWithTheirOwnTypes() {
        CustodyClient.register(dell, "DQXH999", "server", "Latitude 5510", "austin");
        EntriesResourceTest.problem(dell.submit("unit.certify", Map.of("unit", ref(DELL, "DQXH999"),
                "platformCertificate", vectorPem())), 422, "platform-serial-mismatch");
        EntriesResourceTest.problem(dell.submit("unit.certify", Map.of("unit", ref(DELL, "DQXH999"),
                "platformCertificate", "-----BEGIN ATTRIBUTE CERTIFICATE-----\nAAAA\n-----END ATTRIBUTE CERTIFICATE-----\n")),
                422, "invalid-platform-certificate");
        EntriesResourceTest.problem(samsung.submit("unit.certify", Map.of("unit", ref(DELL, SERVER),
                "platformCertificate", vectorPem())), 422, "not-manufacturer");
        CustodyClient.register(samsung, "DQXH253", "server", "Latitude 5510", "hwaseong");
        EntriesResourceTest.problem(samsung.submit("unit.certify", Map.of("unit", ref(SAMSUNG, SERVER),
                "platformCertificate", vectorPem())), 422, "platform-unknown-issuer");
    }

    @Test
    void theLiveComparisonFollowsAssemblyWhileTheRecordedOneStays() {
        CustodyClient.register(dell, "PC-GPU-0002", "accelerator", "H200-SXM", "austin");
        CustodyClient.write(dell, "unit.assemble", Map.of("parent", ref(DELL, SERVER),
                "components", List.of(ref(DELL, "PC-GPU-0002"))));
        JsonPath u = unit();
        assertEquals(2, u.getInt("platformCertificate.comparison.counts.unexpected"));
        assertEquals(1, u.getInt("platformCertificate.recorded.unexpected"));
        CustodyClient.write(dell, "unit.disassemble", Map.of("parent", ref(DELL, SERVER),
                "components", List.of(ref(DELL, "PC-GPU-0002"))));
        assertEquals(1, unit().getInt("platformCertificate.comparison.counts.unexpected"));
    }
}
