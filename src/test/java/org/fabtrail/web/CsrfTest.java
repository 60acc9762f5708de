package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.fabtrail.web.WebUser.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every form that writes refuses a POST without this session's CSRF token, with a 403 page, and writes nothing. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class CsrfTest extends DemoUiTest {

    @Test
    void everyFormChecksTheToken() {
        WebUser acme = WebUser.signIn("acme.admin");
        WebUser other = WebUser.signIn("acme.clerk");
        String site = TransfersTest.newSite(acme);
        String serial = TransfersTest.register(acme, site, "server");
        String part = TransfersTest.register(acme, site, "accelerator");
        String id = TransfersTest.dispatch(acme, site, "acme-fab", site, part);
        String unit = "/units/acme-fab/" + serial;
        Map<String, Map<String, Object>> posts = Map.of(
                "/units/new", form("serial", "CSRF-1", "kind", "server", "model", "M", "site", site),
                "/sites/new", form("site", "csrf-site", "name", "N", "country", "TW", "address", "A"),
                "/dispatch", form("unit", "acme-fab/" + serial, "to", "northwind", "toSite", "ams-schiphol"),
                "/transfers/" + id + "/receive", form("unit", "acme-fab/" + part, "site", site),
                "/transfers/" + id + "/reject", form("reason", "r"),
                "/transfers/" + id + "/cancel", form("reason", "r"),
                unit + "/assemble", form("component", "acme-fab/" + part),
                unit + "/disassemble", form("component", "acme-fab/" + part),
                unit + "/status", form("status", "lost", "reason", "r"),
                "/units/bulk", form("text", "serial,kind,model,eccn,site\nCSRF-2,server,M,," + site + "\n"));
        long size = ledger.head().size();
        for (Map.Entry<String, Map<String, Object>> p : posts.entrySet()) {
            for (String token : Arrays.asList(null, "", "x" + acme.csrf, other.csrf)) {
                Response r = acme.postWithToken(p.getKey(), p.getValue(), token);
                assertEquals(403, r.statusCode(), p.getKey() + " with token " + token);
                assertTrue(r.contentType().startsWith("text/html") && r.asString().contains("Form expired"), p.getKey());
            }
        }
        Response multipart = acme.given().multiPart("_csrf", other.csrf)
                .multiPart("text", "serial,kind,model,eccn,site\nCSRF-3,server,M,," + site + "\n").post("/units/bulk");
        assertEquals(403, multipart.statusCode());
        assertEquals(size, ledger.head().size(), "nothing was written");
        assertEquals(List.of(), WebUser.fieldErrors(acme.page("/transfers/" + id, 200)).keySet().stream().toList());
    }
}
