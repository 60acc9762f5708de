package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.fabtrail.custody.CustodyQueries;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.fabtrail.web.WebUser.fieldErrors;
import static org.fabtrail.web.WebUser.form;
import static org.fabtrail.web.WebUser.loggedIndex;
import static org.fabtrail.web.WebUser.locationPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /sites and /sites/new. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class SitesPageTest extends DemoUiTest {

    @Test
    void registerASite() {
        WebUser helios = WebUser.signIn("helios.admin");
        String site = "phx-" + UUID.randomUUID().toString().substring(0, 6);
        Response r = helios.post("/sites/new", form("site", site, "name", "Helios Phoenix", "country", "us",
                "address", "1 Desert Way, Phoenix, AZ", "latitude", "33.45", "longitude", "-112.07"));
        long index = loggedIndex(r);
        assertEquals("/sites", locationPath(r));
        CustodyQueries.SiteRecord s = ledger.read(c -> new CustodyQueries().sites(c, "helios-dc")).stream()
                .filter(x -> x.id().equals(site)).findFirst().orElseThrow();
        assertEquals("US", s.country());
        assertEquals(33.45, s.latitude());
        assertEquals(index, s.registeredIdx());
        String page = helios.page("/sites?logged=" + index, 200);
        assertTrue(page.contains("Registered site " + site) && page.contains("<code>" + site + "</code>"), page);
    }

    @Test
    void ruleViolationsAreShownNextToTheFieldAndWriteNothing() {
        WebUser helios = WebUser.signIn("helios.admin");
        long size = ledger.head().size();
        Response dup = helios.post("/sites/new", form("site", "ashburn-dc2", "name", "Again", "country", "US",
                "address", "Somewhere"));
        assertEquals(409, dup.statusCode());
        assertEquals("\"helios-dc\" already has a site \"ashburn-dc2\"", fieldErrors(dup.asString()).get("site"));
        Response country = helios.post("/sites/new", form("site", "x-1", "name", "X", "country", "XX", "address", "Y"));
        assertEquals(422, country.statusCode());
        assertTrue(fieldErrors(country.asString()).get("country").contains("ISO 3166-1 alpha-2"));
        Response id = helios.post("/sites/new", form("site", "Bad Site", "name", "X", "country", "US", "address", "Y"));
        assertTrue(fieldErrors(id.asString()).get("site").contains("lowercase id"));
        Response lat = helios.post("/sites/new", form("site", "x-2", "name", "X", "country", "US", "address", "Y",
                "latitude", "north"));
        assertTrue(fieldErrors(lat.asString()).containsKey("latitude"));
        Response half = helios.post("/sites/new", form("site", "x-3", "name", "X", "country", "US", "address", "Y",
                "latitude", "10"));
        assertTrue(fieldErrors(half.asString()).get("longitude").contains("give both latitude and longitude"),
                half.asString());
        assertEquals(403, helios.postWithToken("/sites/new", form("site", "x-4", "name", "X", "country", "US",
                "address", "Y"), "forged").statusCode());
        assertEquals(size, ledger.head().size(), "nothing was written");
    }

    @Test
    void operatorStaffActForNoOrganisation() {
        WebUser operator = WebUser.signIn("operator");
        assertTrue(operator.page("/sites/new", 403).contains("Operator staff act for no organisation"));
        operator.page("/units/new", 403);
        operator.page("/dispatch", 403);
    }
}
