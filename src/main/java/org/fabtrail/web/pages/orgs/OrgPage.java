package org.fabtrail.web.pages.orgs;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.web.AdminMessages;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.OrgAccess;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.WebPage;
import org.fabtrail.web.pages.log.HomePage;
import org.fabtrail.web.signing.UiSigning;

import java.util.List;
import java.util.Optional;

/**
 * Organisations as everyone may see them: the list, one organisation (name, country, roles, sites, signing keys)
 * and one of its sites (address, coordinates, the units there that the viewer may see). The management pages
 * (users, API tokens, keys) are linked from here for those who may manage the organisation.
 */
@SignedIn
@Path("/orgs")
@Produces(MediaType.TEXT_HTML)
public class OrgPage extends WebPage {

    static final int PAGE = 50;

    /** A signing key as listed; {@code ui} marks the key the web UI signs with for the organisation. */
    public record KeyView(String keyId, String algorithm, long addedIdx, Long revokedIdx, boolean ui) {
        static KeyView from(CustodyQueries.KeyRecord k, String uiKeyId) {
            return new KeyView(k.keyId(), k.algorithm(), k.addedIdx(), k.revokedIdx(), k.keyId().equals(uiKeyId));
        }

        /** Active, and not the key the UI signs with. */
        public boolean revocable() {
            return revokedIdx == null && !ui;
        }
    }

    /** The organisation page; {@code *Next}/{@code *First} are page links, null when there is no such page. */
    public record OrgModel(CustodyQueries.OrgRecord org, List<CustodyQueries.SiteRecord> sites, String sitesNext,
                           String sitesFirst, List<KeyView> keys, String keysNext, String keysFirst, boolean manage) {
    }

    public record SiteModel(CustodyQueries.OrgRecord org, CustodyQueries.SiteRecord site,
                            List<CustodyQueries.UnitRecord> units, String next, String first) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Viewer viewer, List<CustodyQueries.OrgRecord> orgs, String next, String first);

        static native TemplateInstance org(Viewer viewer, OrgModel m);

        static native TemplateInstance site(Viewer viewer, SiteModel m);
    }

    @Inject
    UiSigning signing;

    @GET
    public Response list(@QueryParam("after") String after) {
        String from = after != null && HomePage.isOrgId(after) ? after : null;
        List<CustodyQueries.OrgRecord> orgs = pages.registry.page(from, PAGE + 1);
        String next = orgs.size() > PAGE ? "/orgs?after=" + orgs.get(PAGE - 1).id() : null;
        return Response.ok(Templates.list(viewer.get(), orgs.subList(0, Math.min(PAGE, orgs.size())), next,
                from == null ? null : "/orgs")).build();
    }

    @GET
    @Path("{org}")
    public Response org(@PathParam("org") String org,
                        @QueryParam("sites") String sitesAfter, @QueryParam("keys") String keysAfter) {
        Viewer v = viewer.get();
        Optional<CustodyQueries.OrgRecord> record = OrgAccess.org(pages, org);
        if (record.isEmpty()) {
            return ErrorPage.notFound(v, Texts.of(FormMessages.class).no_org(org));
        }
        String siteCursor = sitesAfter != null && HomePage.isOrgId(sitesAfter) ? sitesAfter : null;
        long keyCursor = parseIndex(keysAfter);
        String uiKey = signing.keyId(org).orElse(null);
        List<CustodyQueries.SiteRecord> sites = pages.registry.sites(org, siteCursor, PAGE + 1);
        List<CustodyQueries.KeyRecord> keys = pages.registry.keys(org, keyCursor, PAGE + 1);
        String base = "/orgs/" + org;
        String keysParam = keyCursor >= 0 ? "keys=" + keyCursor : null;
        String sitesParam = siteCursor != null ? "sites=" + siteCursor : null;
        String sitesNext = sites.size() > PAGE
                ? link(base, "sites=" + sites.get(PAGE - 1).id(), keysParam) : null;
        String keysNext = keys.size() > PAGE
                ? link(base, sitesParam, "keys=" + keys.get(PAGE - 1).addedIdx()) : null;
        OrgModel m = new OrgModel(record.get(), sites.subList(0, Math.min(PAGE, sites.size())), sitesNext,
                siteCursor == null ? null : link(base, null, keysParam),
                keys.subList(0, Math.min(PAGE, keys.size())).stream().map(k -> KeyView.from(k, uiKey)).toList(),
                keysNext, keyCursor < 0 ? null : link(base, sitesParam, null), OrgAccess.mayManage(v, org));
        return Response.ok(Templates.org(v, m)).build();
    }

    @GET
    @Path("{org}/sites/{site}")
    public Response site(@PathParam("org") String org,
                         @PathParam("site") String site, @QueryParam("after") String after) {
        String here = "/orgs/" + org + "/sites/" + site;
        Viewer v = viewer.get();
        Optional<CustodyQueries.OrgRecord> record = OrgAccess.org(pages, org);
        Optional<CustodyQueries.SiteRecord> siteRecord = record.isEmpty() || !HomePage.isOrgId(site) ? Optional.empty()
                : pages.registry.site(org, site);
        if (siteRecord.isEmpty()) {
            return ErrorPage.notFound(v, Texts.of(AdminMessages.class).org_no_site(site, org));
        }
        UnitKey cursor = unitCursor(after);
        List<CustodyQueries.UnitRecord> units = pages.units.page(v.visibility(),
                new CustodyQueries.UnitFilter(org, site, null, null, null, null), cursor, PAGE + 1);
        String next = null;
        if (units.size() > PAGE) {
            UnitKey last = units.get(PAGE - 1).key();
            next = here + "?after=" + last.manufacturer() + "/" + last.serial();
        }
        return Response.ok(Templates.site(v, new SiteModel(record.get(), siteRecord.get(),
                units.subList(0, Math.min(PAGE, units.size())), next, cursor == null ? null : here))).build();
    }

    private static String link(String base, String a, String b) {
        StringBuilder s = new StringBuilder(base);
        char sep = '?';
        for (String p : new String[] {a, b}) {
            if (p != null) {
                s.append(sep).append(p);
                sep = '&';
            }
        }
        return s.toString();
    }

    /** A non-negative log index, or -1 (from the start) for anything else. */
    public static long parseIndex(String s) {
        if (s == null || !s.matches("\\d{1,18}")) {
            return -1;
        }
        return Long.parseLong(s);
    }

    /** A unit cursor {@code manufacturer/serial}, or null. */
    static UnitKey unitCursor(String s) {
        if (s == null) {
            return null;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String m = s.substring(0, slash);
        String serial = s.substring(slash + 1);
        return EnvelopeParser.SLUG.matcher(m).matches() && UnitKey.SERIAL.matcher(serial).matches()
                ? new UnitKey(m, serial) : null;
    }
}
