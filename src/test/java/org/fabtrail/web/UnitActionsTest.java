package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.fabtrail.custody.UnitKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.fabtrail.web.TransfersTest.newSite;
import static org.fabtrail.web.TransfersTest.ref;
import static org.fabtrail.web.TransfersTest.register;
import static org.fabtrail.web.WebUser.fieldErrors;
import static org.fabtrail.web.WebUser.form;
import static org.fabtrail.web.WebUser.loggedIndex;
import static org.fabtrail.web.WebUser.locationPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assemble, disassemble and status reports on /units/{m}/{s}/..., and who may use them. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class UnitActionsTest extends DemoUiTest {

    @Test
    void assembleAndDisassemble() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String site = newSite(acme);
        String server = register(acme, site, "server");
        String g1 = register(acme, site, "accelerator");
        String g2 = register(acme, site, "accelerator");
        String elsewhere = register(acme, "hsinchu-fab12", "accelerator");

        String form = acme.page("/units/acme-fab/" + server + "/assemble", 200);
        assertTrue(form.contains("value=\"" + ref(g1) + "\"") && form.contains("value=\"" + ref(g2) + "\""));
        assertFalse(form.contains("value=\"" + ref(server) + "\""), "not into itself");
        assertFalse(form.contains("value=\"" + ref(elsewhere) + "\""), "only units at the same site");

        Response r = acme.post("/units/acme-fab/" + server + "/assemble", form("component", List.of(ref(g1), ref(g2))));
        long index = loggedIndex(r);
        assertEquals("/units/acme-fab/" + server, locationPath(r));
        assertEquals(new UnitKey("acme-fab", server), unit(g1).parent());
        assertEquals(new UnitKey("acme-fab", server), unit(g2).parent());
        String page = acme.page("/units/acme-fab/" + server + "?logged=" + index, 200);
        assertTrue(page.contains("#" + index + "</a>: Assembled acme-fab/" + g1), page);
        assertTrue(page.contains("/units/acme-fab/" + server + "/disassemble"));

        assertTrue(acme.page("/units/acme-fab/" + server + "/disassemble", 200).contains("value=\"" + ref(g2) + "\""));
        loggedIndex(acme.post("/units/acme-fab/" + server + "/disassemble", form("component", ref(g2))));
        assertNull(unit(g2).parent());
        assertEquals(new UnitKey("acme-fab", server), unit(g1).parent());
    }

    @Test
    void assemblyRuleViolationsAreShownNextToTheFieldAndWriteNothing() {
        WebUser acme = WebUser.signIn("acme.admin");
        String site = newSite(acme);
        String server = register(acme, site, "server");
        String elsewhere = register(acme, "hsinchu-fab12", "accelerator");
        long size = ledger.head().size();

        Response notHeld = acme.post("/units/acme-fab/" + server + "/assemble", form("component", "acme-fab/GH200-0019"));
        assertEquals(409, notHeld.statusCode());
        assertEquals("acme-fab/GH200-0019 is held by \"helios-dc\", not by \"acme-fab\"",
                fieldErrors(notHeld.asString()).get("components"));

        Response otherSite = acme.post("/units/acme-fab/" + server + "/assemble", form("component", ref(elsewhere)));
        assertEquals(409, otherSite.statusCode());
        assertTrue(fieldErrors(otherSite.asString()).get("components").contains("is at site \"hsinchu-fab12\""));

        Response none = acme.post("/units/acme-fab/" + server + "/assemble", form());
        assertEquals(422, none.statusCode());
        assertTrue(fieldErrors(none.asString()).containsKey("components"));

        Response notInside = acme.post("/units/acme-fab/" + server + "/disassemble", form("component", ref(elsewhere)));
        assertEquals(409, notInside.statusCode());
        assertTrue(fieldErrors(notInside.asString()).get("components").contains("is not assembled into"));
        assertEquals(size, ledger.head().size(), "nothing was written");
    }

    @Test
    void reportStatus() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String serial = register(acme, "hsinchu-fab12", "accelerator");
        String path = "/units/acme-fab/" + serial + "/status";
        assertTrue(acme.page(path, 200).contains("<option value=\"stolen\""));
        long size = ledger.head().size();

        Response notMissing = acme.post(path, form("status", "recovered", "reason", "Found it"));
        assertEquals(409, notMissing.statusCode());
        assertTrue(fieldErrors(notMissing.asString()).get("status").contains("only a lost or stolen unit can be recovered"));
        Response noReason = acme.post(path, form("status", "lost", "reason", ""));
        assertEquals(422, noReason.statusCode());
        assertEquals("reason must not be empty", fieldErrors(noReason.asString()).get("reason"));
        Response badStatus = acme.post(path, form("status", "misplaced", "reason", "x"));
        assertTrue(fieldErrors(badStatus.asString()).get("status").startsWith("status must be one of"));
        assertEquals(size, ledger.head().size(), "nothing was written");

        loggedIndex(acme.post(path, form("status", "lost", "reason", "Not found at cycle count")));
        assertEquals("lost", unit(serial).status());
        loggedIndex(acme.post(path, form("status", "recovered", "reason", "Found in bay 4")));
        assertEquals("active", unit(serial).status());
        loggedIndex(acme.post(path, form("status", "destroyed", "reason", "Shredded, certificate 77")));
        assertEquals("destroyed", unit(serial).status());
        assertEquals(409, acme.get(path).statusCode(), "no activity after destruction");
        assertFalse(acme.page("/units/acme-fab/" + serial, 200).contains("<h2>Actions</h2>"));
    }

    @Test
    void anotherOrganisationGets404AndCannotUseTheForms() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String serial = register(acme, "hsinchu-fab12", "server");
        WebUser kestrel = WebUser.signIn("kestrel.admin");
        long size = ledger.head().size();
        assertEquals(404, kestrel.get("/units/acme-fab/" + serial).statusCode());
        for (String action : List.of("status", "assemble", "disassemble")) {
            Response get = kestrel.get("/units/acme-fab/" + serial + "/" + action);
            assertEquals(404, get.statusCode(), action);
            assertTrue(get.asString().contains("There is no unit acme-fab/" + serial + " that you may see"));
        }
        assertEquals(404, kestrel.post("/units/acme-fab/" + serial + "/status",
                form("status", "stolen", "reason", "x")).statusCode());
        assertEquals(404, kestrel.post("/units/acme-fab/" + serial + "/assemble",
                form("component", "acme-fab/HGX-0002")).statusCode());
        assertFalse(kestrel.page("/dispatch?site=hsinchu-fab12&unit=acme-fab/" + serial, 200)
                .contains("value=\"acme-fab/" + serial + "\""), "the dispatch form lists only units the viewer holds");

        // northwind sees GH200-0019 (it held it) but helios-dc holds it now
        WebUser northwind = WebUser.signIn("northwind.admin");
        Response held = northwind.get("/units/acme-fab/GH200-0019/status");
        assertEquals(403, held.statusCode());
        assertTrue(held.asString().contains("is held by helios-dc"));
        assertEquals(403, northwind.post("/units/acme-fab/GH200-0019/status", form("status", "stolen", "reason", "x"))
                .statusCode());
        assertEquals(size, ledger.head().size(), "nothing was written");
        assertEquals("active", unit("GH200-0019").status());
    }

    @Test
    void aStatusReportWithoutTheCsrfTokenIsRefused() {
        WebUser acme = WebUser.signIn("acme.clerk");
        String serial = register(acme, "hsinchu-fab12", "module");
        long size = ledger.head().size();
        Response r = acme.postWithToken("/units/acme-fab/" + serial + "/status", form("status", "lost", "reason", "x"), null);
        assertEquals(403, r.statusCode());
        assertTrue(r.asString().contains("Form expired"));
        assertEquals(size, ledger.head().size());
        assertEquals("active", unit(serial).status());
    }
}
