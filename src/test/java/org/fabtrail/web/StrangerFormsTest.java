package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.fabtrail.web.WebUser.fieldErrors;
import static org.fabtrail.web.WebUser.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UI's forms keep what a user may not see (issue 11): a form naming a unit or transfer the user's organisation
 * may not see answers exactly as for one that does not exist (status and page, apart from the id). In the demo,
 * {@code kestrel-dc} has nothing to do with {@code acme-fab/GH200-0019} (held by helios-dc) nor with the dispatch
 * that took HGX-0001 to helios-dc.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class StrangerFormsTest extends DemoUiTest {

    static final String HELD_ELSEWHERE = "GH200-0019";
    static final String NO_SUCH = "GH200-9919";


    static String page(Response r, String id) {
        return r.statusCode() + "\n" + r.asString().replace(id, "<id>");
    }

    @Test
    void aDispatchNamingAUnitTheUserMayNotSeeAnswersAsForNoUnit() {
        WebUser kestrel = WebUser.signIn("kestrel.admin");
        Response seen = kestrel.post("/dispatch", form("site", "dubai-dc1", "serials", "acme-fab/" + HELD_ELSEWHERE,
                "to", "northwind", "toSite", "ams-schiphol"));
        Response none = kestrel.post("/dispatch", form("site", "dubai-dc1", "serials", "acme-fab/" + NO_SUCH,
                "to", "northwind", "toSite", "ams-schiphol"));
        assertEquals(422, seen.statusCode());
        assertEquals("No unit acme-fab/" + HELD_ELSEWHERE + " is registered", fieldErrors(seen.asString()).get("units"));
        assertEquals(page(none, NO_SUCH), page(seen, HELD_ELSEWHERE));

        // its manufacturer may see it, and is told who holds it
        WebUser acme = WebUser.signIn("acme.clerk");
        Response own = acme.post("/dispatch", form("site", "hsinchu-fab12", "serials", "acme-fab/" + HELD_ELSEWHERE,
                "to", "northwind", "toSite", "ams-schiphol"));
        assertEquals(409, own.statusCode());
        assertTrue(fieldErrors(own.asString()).get("units").contains("is held by \"helios-dc\""));
    }

    @Test
    void transferAndUnitFormsAnswerAStrangerAsForNothing() {
        WebUser kestrel = WebUser.signIn("kestrel.admin");
        // the dispatch that took HGX-0001 from northwind to helios-dc (received)
        String toHelios = ledger.read(c -> {
            try (var ps = c.prepareStatement("SELECT id::text FROM transfers WHERE sender = 'northwind' "
                    + "AND receiver = 'helios-dc' AND state = 'received' ORDER BY dispatch_idx LIMIT 1");
                 var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
        String absent = UUID.randomUUID().toString();
        assertPostsRefusedAsAbsent(kestrel, "/transfers/", toHelios, absent, form("unit", "acme-fab/HGX-0001",
                "site", "dubai-dc1", "reason", "x"), "receive", "reject", "cancel");
        assertPostsRefusedAsAbsent(kestrel, "/units/acme-fab/", HELD_ELSEWHERE, NO_SUCH, form("status", "lost",
                "reason", "x", "component", "acme-fab/GH200-0017"), "status", "assemble", "disassemble");
    }

    /**
     * Each action posted by {@code who} on {@code seen} (which it may not see) answers 404 with the very page that
     * posting it on {@code none} (which does not exist) answers.
     */
    static void assertPostsRefusedAsAbsent(WebUser who, String prefix, String seen, String none, Map<String, ?> form,
            String... actions) {
        for (String action : actions) {
            Response seenResponse = who.post(prefix + seen + "/" + action, form);
            Response noneResponse = who.post(prefix + none + "/" + action, form);
            assertEquals(404, seenResponse.statusCode(), action);
            assertEquals(page(noneResponse, none), page(seenResponse, seen), action);
        }
    }
}
