package org.fabtrail.web.pages.orgs;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.SitePayload;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.FormPage;
import org.fabtrail.web.Forms;
import org.fabtrail.web.InOrg;
import org.fabtrail.web.Viewer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The viewer's organisation's sites, and the form that registers one. */
@InOrg
@Path("/sites")
@Produces(MediaType.TEXT_HTML)
public class SitesPage extends FormPage {

    static final int PAGE = 50;

    public record SiteForm(String site, String name, String country, String address, String latitude,
                           String longitude) {
        static SiteForm empty() {
            return new SiteForm("", "", "", "", "", "");
        }
    }

    public record SiteList(List<CustodyQueries.SiteRecord> sites, String next, boolean first, EntryLine notice) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sites(Viewer viewer, SiteList page);

        static native TemplateInstance register(Viewer viewer, SiteForm form, Map<String, String> errors);
    }

    @GET
    public Response list(@QueryParam("after") String after,
                         @QueryParam(Forms.LOGGED) String logged) {
        Viewer v = viewer.get();
        List<CustodyQueries.SiteRecord> all = pages.registry.sites(v.org());
        List<CustodyQueries.SiteRecord> rest = after == null ? all
                : all.stream().filter(s -> s.id().compareTo(after) > 0).toList();
        List<CustodyQueries.SiteRecord> page = rest.subList(0, Math.min(PAGE, rest.size()));
        String next = rest.size() > PAGE ? page.get(page.size() - 1).id() : null;
        return Response.ok(Templates.sites(v, new SiteList(page, next, after == null, forms.notice(v, logged)))).build();
    }

    @GET
    @Path("new")
    public Response form() {
        Viewer v = viewer.get();
        return Response.ok(Templates.register(v, SiteForm.empty(), Map.of())).build();
    }

    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response register(@FormParam("site") String site, @FormParam("name") String name,
                             @FormParam("country") String country, @FormParam("address") String address,
                             @FormParam("latitude") String latitude, @FormParam("longitude") String longitude) {
        Viewer v = viewer.get();
        SiteForm form = new SiteForm(Forms.orEmpty(site).trim(), Forms.orEmpty(name).trim(),
                Forms.orEmpty(country).trim().toUpperCase(Locale.ROOT), Forms.orEmpty(address).trim(),
                Forms.orEmpty(latitude).trim(), Forms.orEmpty(longitude).trim());
        Map<String, String> errors = new LinkedHashMap<>();
        Double lat = number(form.latitude(), "latitude", errors);
        Double lon = number(form.longitude(), "longitude", errors);
        if (errors.isEmpty()) {
            try {
                Receipt r = forms.write(v, "site.register",
                        new SitePayload(form.site(), form.name(), form.country(), form.address(), lat, lon));
                return Forms.done("/sites", r);
            } catch (LedgerException e) {
                return Forms.refused(e, Templates.register(v, form, siteErrors(e)));
            }
        }
        return Forms.again(422, Templates.register(v, form, errors));
    }

    /** "site exists" names no field: it belongs next to the site id. */
    private static Map<String, String> siteErrors(LedgerException e) {
        if ("site-exists".equals(e.code())) {
            return Map.of("site", Forms.shown(e));
        }
        return Forms.errors(e, Map.of(), null);
    }

    /** A coordinate in decimal degrees; null when not given or (with an error for {@code field}) not a number. */
    private static Double number(String text, String field, Map<String, String> errors) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(text);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            errors.put(field, field + " must be a number in decimal degrees, such as 52.2891");
            return null;
        }
    }
}
