package org.fabtrail.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.ProblemMappers;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inspector's view, sized for a phone: look a unit up by serial (or manufacturer/serial, or a scanned QR code),
 * see where the ledger says it should be and who should hold it, and record what was found as a {@code unit.inspect}
 * entry signed as the inspector's organisation. Only inspector and regulator organisations (and the operator's
 * staff) may use it.
 */
@Path("/inspect")
public class InspectPage {

    private static final Pattern REF = Pattern.compile("([a-z0-9][a-z0-9-]{0,62})/([A-Za-z0-9._-]{1,64})\\s*$");
    static final int MAX_NOTES = 2000;
    static final int RECENT_INSPECTIONS = 5;

    /** Where the ledger says the unit is, and what the form shows. */
    public record InspectModel(CustodyQueries.UnitRecord unit, CustodyQueries.OrgRecord custodian,
                               CustodyQueries.SiteRecord site, CustodyQueries.TransferRecord pending,
                               CustodyQueries.SiteRecord pendingSite, List<UnitKey> components,
                               List<EntryLine> inspections, Long recorded, Map<String, String> form,
                               Map<String, String> errors, String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(Viewer viewer, String q, List<UnitKey> matches, boolean searched);

        static native TemplateInstance unit(Viewer viewer, InspectModel m);
    }

    @Inject
    Pages pages;
    @Inject
    UiSubmit submit;

    private static Response notInspector(Viewer v) {
        return ErrorPage.forbidden(v, "Only inspector and regulator organisations (and the log operator) record "
                + "inspections. Look units up with the search box instead.");
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response search(@CookieParam(SessionManager.COOKIE) String cookie, @QueryParam("q") String q) {
        Optional<Viewer> viewer = pages.viewer(cookie);
        if (viewer.isEmpty()) {
            return Web.toLogin("/inspect" + (q == null ? "" : "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
        }
        Viewer v = viewer.get();
        if (!v.isInspector()) {
            return notInspector(v);
        }
        String query = q == null ? "" : q.trim();
        if (query.isEmpty()) {
            return Response.ok(Templates.search(v, "", List.of(), false)).build();
        }
        Matcher m = REF.matcher(query);
        if (m.find()) {
            return Web.redirect("/inspect/" + m.group(1) + "/" + m.group(2));
        }
        List<UnitKey> matches = UnitKey.SERIAL.matcher(query).matches()
                ? pages.ledger.read(c -> pages.queries.bySerial(c, v.visibleTo(), query)) : List.of();
        if (matches.size() == 1) {
            return Web.redirect("/inspect/" + matches.get(0).manufacturer() + "/" + matches.get(0).serial());
        }
        return Response.status(matches.isEmpty() ? 404 : 200).entity(Templates.search(v, query, matches, true)).build();
    }

    @GET
    @Path("{manufacturer}/{serial}")
    @Produces(MediaType.TEXT_HTML)
    public Response unit(@CookieParam(SessionManager.COOKIE) String cookie, @PathParam("manufacturer") String manufacturer,
                         @PathParam("serial") String serial, @QueryParam("recorded") String recorded) {
        String here = "/inspect/" + manufacturer + "/" + serial;
        Optional<Viewer> viewer = pages.viewer(cookie);
        if (viewer.isEmpty()) {
            return Web.toLogin(here);
        }
        Viewer v = viewer.get();
        if (!v.isInspector()) {
            return notInspector(v);
        }
        long index = OrgPage.parseIndex(recorded);
        Optional<InspectModel> m = model(v, manufacturer, serial, index < 0 ? null : index, null, Map.of(), null);
        if (m.isEmpty()) {
            return ErrorPage.notFound(v, "There is no unit " + manufacturer + "/" + serial + ".");
        }
        return Response.ok(Templates.unit(v, m.get())).build();
    }

    @POST
    @Path("{manufacturer}/{serial}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response record(@CookieParam(SessionManager.COOKIE) String cookie, @PathParam("manufacturer") String manufacturer,
                           @PathParam("serial") String serial, @FormParam("_csrf") String csrf,
                           @FormParam("result") String result, @FormParam("siteOrg") String siteOrg,
                           @FormParam("site") String site, @FormParam("custodian") String custodian,
                           @FormParam("notes") String notes) {
        String here = "/inspect/" + manufacturer + "/" + serial;
        Optional<Viewer> viewer = pages.viewer(cookie);
        if (viewer.isEmpty()) {
            return Web.toLogin(here);
        }
        Viewer v = viewer.get();
        if (!v.isInspector()) {
            return notInspector(v);
        }
        Response refused = ErrorPage.csrfRefusal(v, csrf);
        if (refused != null) {
            return refused;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("result", blankToEmpty(result));
        form.put("siteOrg", blankToEmpty(siteOrg));
        form.put("site", blankToEmpty(site));
        form.put("custodian", blankToEmpty(custodian));
        form.put("notes", notes == null ? "" : notes);
        Map<String, String> errors = check(form);
        String error = null;
        if (errors.isEmpty()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("unit", Map.of("manufacturer", manufacturer, "serial", serial));
            if (!form.get("site").isEmpty()) {
                fields.put("site", Map.of("org", form.get("siteOrg"), "site", form.get("site")));
            }
            if (!form.get("custodian").isEmpty()) {
                fields.put("custodian", form.get("custodian"));
            }
            fields.put("result", form.get("result"));
            fields.put("notes", notes.strip());
            try {
                Receipt r = submit.submit(v, "unit.inspect", fields);
                return Web.redirect(here + "?recorded=" + r.index());
            } catch (LedgerException e) {
                String field = UiSubmit.field(e);
                if (field != null && form.containsKey(field)) {
                    errors = Map.of(field, e.detail());
                } else {
                    error = e.detail();
                }
                Optional<InspectModel> m = model(v, manufacturer, serial, null, form, errors, error);
                if (m.isEmpty()) {
                    return ErrorPage.notFound(v, "There is no unit " + manufacturer + "/" + serial + ".");
                }
                return Response.status(ProblemMappers.status(e.kind())).entity(Templates.unit(v, m.get()))
                        .type(MediaType.TEXT_HTML).build();
            }
        }
        Optional<InspectModel> m = model(v, manufacturer, serial, null, form, errors, null);
        if (m.isEmpty()) {
            return ErrorPage.notFound(v, "There is no unit " + manufacturer + "/" + serial + ".");
        }
        return Response.status(422).entity(Templates.unit(v, m.get())).type(MediaType.TEXT_HTML).build();
    }

    /** Messages for the fields the form got wrong, before anything is signed. */
    static Map<String, String> check(Map<String, String> form) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (!List.of("consistent", "discrepancy").contains(form.get("result"))) {
            errors.put("result", "Say whether what you found matches the ledger (consistent) or not (discrepancy).");
        }
        String siteOrg = form.get("siteOrg");
        String site = form.get("site");
        if (siteOrg.isEmpty() != site.isEmpty()) {
            errors.put("site", "Give both the organisation and the site where you found the unit, or neither.");
        } else if (!site.isEmpty() && (!EnvelopeParser.SLUG.matcher(siteOrg).matches()
                || !EnvelopeParser.SLUG.matcher(site).matches())) {
            errors.put("site", "Organisation and site ids are lowercase letters, digits and hyphens, such as acme-fab "
                    + "and hsinchu-fab12.");
        }
        String custodian = form.get("custodian");
        if (!custodian.isEmpty() && !EnvelopeParser.SLUG.matcher(custodian).matches()) {
            errors.put("custodian", "An organisation id is lowercase letters, digits and hyphens, such as northwind.");
        }
        String notes = form.get("notes");
        if (notes.isBlank()) {
            errors.put("notes", "Write what you checked and saw (seals, labels, where it was, who showed it).");
        } else if (notes.strip().length() > MAX_NOTES) {
            errors.put("notes", "Notes have at most " + MAX_NOTES + " characters; these have " + notes.strip().length()
                    + ".");
        }
        return errors;
    }

    private Optional<InspectModel> model(Viewer v, String manufacturer, String serial, Long recorded,
                                         Map<String, String> form, Map<String, String> errors, String error) {
        if (!EnvelopeParser.SLUG.matcher(manufacturer).matches() || !UnitKey.SERIAL.matcher(serial).matches()) {
            return Optional.empty();
        }
        UnitKey key = new UnitKey(manufacturer, serial);
        return pages.ledger.read(c -> {
            if (!pages.queries.canSee(c, v.visibleTo(), key)) {
                return Optional.<InspectModel>empty();
            }
            CustodyQueries.UnitRecord u = pages.queries.unit(c, key).orElseThrow();
            CustodyQueries.OrgRecord custodian = pages.queries.orgs(c, u.custodian()).stream().findFirst().orElse(null);
            CustodyQueries.SiteRecord site = pages.queries.site(c, u.custodian(), u.site()).orElse(null);
            CustodyQueries.TransferRecord pending = u.pendingTransfer() == null ? null
                    : pages.queries.transfer(c, u.pendingTransfer()).orElse(null);
            CustodyQueries.SiteRecord pendingSite = pending == null ? null
                    : pages.queries.site(c, pending.receiver(), pending.receiverSite()).orElse(null);
            List<EntryLine> inspections = new ArrayList<>();
            for (EntryLine line : pages.lines(c, pages.queries.entryIndexes(c, key))) {
                if ("unit.inspect".equals(line.type())) {
                    inspections.add(line);
                }
            }
            Collections.reverse(inspections);
            Map<String, String> values = form != null ? form : Map.of("result", "", "siteOrg", u.custodian(),
                    "site", u.site(), "custodian", u.custodian(), "notes", "");
            return Optional.of(new InspectModel(u, custodian, site, pending, pendingSite, pages.queries.components(c, key),
                    inspections.subList(0, Math.min(RECENT_INSPECTIONS, inspections.size())), recorded, values,
                    errors, error));
        });
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.trim();
    }
}
