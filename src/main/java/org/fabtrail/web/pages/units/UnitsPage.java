package org.fabtrail.web.pages.units;

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
import org.fabtrail.custody.Roles;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Units;
import org.fabtrail.custody.UnitRegistration;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.Cursors;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.FormPage;
import org.fabtrail.web.Forms;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The units a viewer may see, filtered and paged; and the form that registers one. */
@SignedIn
@Path("/units")
@Produces(MediaType.TEXT_HTML)
public class UnitsPage extends FormPage {

    /** Unit kinds and statuses as the custody rules define them (unit.register, unit.status). */
    public static final List<String> KINDS = List.of("accelerator", "server", "board", "module");
    static final List<String> STATUSES = List.of("active", "lost", "stolen", "destroyed", "decommissioned");
    static final int PAGE = 50;
    static final int MAX_PAGE = 200;

    /** The list's filters, exactly as given (blank means any). */
    public record Filter(String custodian, String site, String status, String kind, String model) {
        CustodyQueries.UnitFilter query() {
            return new CustodyQueries.UnitFilter(Forms.value(custodian), Forms.value(site), Forms.value(status),
                    Forms.value(kind), Forms.value(model), null);
        }

        /** The filter as query parameters for a link, starting with '&' unless empty. */
        public String query(int limit) {
            StringBuilder q = new StringBuilder();
            add(q, "custodian", custodian);
            add(q, "site", site);
            add(q, "status", status);
            add(q, "kind", kind);
            add(q, "model", model);
            if (limit != PAGE) {
                add(q, "limit", String.valueOf(limit));
            }
            return q.toString();
        }

        private static void add(StringBuilder q, String name, String value) {
            if (Forms.value(value) != null) {
                q.append('&').append(name).append('=').append(URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
            }
        }

        public boolean any() {
            return Forms.value(custodian) != null || Forms.value(site) != null || Forms.value(status) != null
                    || Forms.value(kind) != null || Forms.value(model) != null;
        }
    }

    /** One page of units with the cursors of its neighbours (null when there is none). */
    /** @param seenTransfers the pending transfers on this page that the viewer may open (the others show no link) */
    public record UnitList(Filter filter, List<CustodyQueries.UnitRecord> units, String previous, String next,
                           int limit, List<String> orgs, List<String> kinds, List<String> statuses,
                           Set<UUID> seenTransfers) {
    }

    /** What the registration form shows again after a refusal. */
    public record UnitForm(String serial, String kind, String model, String eccn, String site,
                           String deviceCertificate) {
        static UnitForm empty() {
            return new UnitForm("", "accelerator", "", "", "", "");
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Viewer viewer, UnitList page);

        static native TemplateInstance register(Viewer viewer, UnitForm form, List<CustodyQueries.SiteRecord> sites,
                                                List<String> kinds, Map<String, String> errors);
    }

    @GET
    public Response list(@QueryParam("custodian") String custodian,
                         @QueryParam("site") String site, @QueryParam("status") String status,
                         @QueryParam("kind") String kind, @QueryParam("model") String model,
                         @QueryParam("after") String after, @QueryParam("before") String before,
                         @QueryParam("limit") String limitText) {
        Filter filter = new Filter(custodian, site, status, kind, model);
        Viewer v = viewer.get();
        int limit = limitText != null && limitText.matches("[1-9]\\d{0,2}") ? Math.min(MAX_PAGE, Integer.parseInt(limitText))
                : PAGE;
        Optional<UnitKey> afterKey = Cursors.unit(after);
        Optional<UnitKey> beforeKey = Cursors.unit(before);
        Units.UnitWindow w = pages.units.window(v.visibility(), filter.query(), afterKey.orElse(null),
                beforeKey.orElse(null), limit);
        List<CustodyQueries.UnitRecord> units = w.units();
        String prev = w.moreBefore() ? Cursors.unit(units.get(0).key()) : null;
        String next = w.moreAfter() ? Cursors.unit(units.get(units.size() - 1).key()) : null;
        List<String> orgs = pages.registry.all().stream().map(CustodyQueries.OrgRecord::id).toList();
        // a unit the viewer once held may be in transit between two others: that transfer is not the viewer's
        Set<UUID> seen = pages.transfers.visible(v.visibility(), units.stream()
                .map(CustodyQueries.UnitRecord::pendingTransfer).filter(Objects::nonNull).toList());
        UnitList page = new UnitList(filter, units, prev, next, limit, orgs, KINDS, STATUSES, seen);
        return Response.ok(Templates.list(v, page)).build();
    }

    @GET
    @Path("new")
    public Response registerForm() {
        Viewer v = viewer.get();
        Optional<Response> refused = mayRegister(v);
        if (refused.isPresent()) {
            return refused.get();
        }
        return Response.ok(Templates.register(v, UnitForm.empty(), sites(v), KINDS, Map.of())).build();
    }

    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response register(@FormParam("serial") String serial, @FormParam("kind") String kind,
                             @FormParam("model") String model, @FormParam("eccn") String eccn,
                             @FormParam("site") String site, @FormParam("deviceCertificate") String certificate) {
        Viewer v = viewer.get();
        Optional<Response> refused = mayRegister(v);
        if (refused.isPresent()) {
            return refused.get();
        }
        UnitForm form = new UnitForm(Forms.orEmpty(serial).trim(), Forms.orEmpty(kind), Forms.orEmpty(model).trim(),
                Forms.orEmpty(eccn).trim(), Forms.orEmpty(site), Forms.orEmpty(certificate));
        String pem = form.deviceCertificate().isBlank() ? null
                : form.deviceCertificate().replace("\r\n", "\n").trim() + "\n";
        try {
            Receipt r = forms.write(v, "unit.register", new UnitRegistration(form.serial(), form.kind(), form.model(),
                    Forms.value(form.eccn()), form.site(), pem));
            return Forms.done("/units/" + v.org() + "/" + form.serial(), r);
        } catch (LedgerException e) {
            return Forms.refused(e, Templates.register(v, form, sites(v), KINDS, Forms.errors(e, Map.of(), "serial")));
        }
    }

    /** Only manufacturers register units. */
    public static Optional<Response> mayRegister(Viewer v) {
        return Forms.needsOrg(v).or(() -> v.hasRole(Roles.MANUFACTURER) ? Optional.empty()
                : Optional.of(ErrorPage.forbidden(v, Texts.of(FormMessages.class).units_only_manufacturers(v.org()))));
    }

    List<CustodyQueries.SiteRecord> sites(Viewer v) {
        return v.org() == null ? List.of() : new ArrayList<>(pages.registry.sites(v.org()));
    }
}
