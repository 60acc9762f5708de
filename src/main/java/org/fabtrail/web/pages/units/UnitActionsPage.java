package org.fabtrail.web.pages.units;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
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
import org.fabtrail.custody.AssemblyPayload;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.StatusPayload;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the custodian does to one unit: assemble components into it, take them out, report its status. */
@SignedIn
@Path("/units/{manufacturer}/{serial}")
@Produces(MediaType.TEXT_HTML)
public class UnitActionsPage extends FormPage {

    static final int PAGE = 100;
    static final List<String> STATUSES = List.of("lost", "stolen", "destroyed", "decommissioned", "recovered");
    static final Set<String> RETIRED = Set.of("destroyed", "decommissioned");

    /** The actions a viewer may take on a unit, for the unit page's Actions section. */
    public record UnitActions(boolean dispatch, boolean assemble, boolean disassemble, boolean status,
                              boolean receive, boolean cancel) {
        public boolean any() {
            return dispatch || assemble || disassemble || status || receive || cancel;
        }
    }

    static UnitActions actions(Viewer v, CustodyQueries.UnitRecord u, CustodyQueries.TransferRecord pending,
                               int components) {
        String org = v.org();
        boolean holds = org != null && org.equals(u.custodian());
        boolean retired = RETIRED.contains(u.status());
        boolean inTransit = u.pendingTransfer() != null;
        boolean open = pending != null && ("pending".equals(pending.state()) || "partial".equals(pending.state()));
        return new UnitActions(holds && !retired && !inTransit && u.parent() == null,
                holds && !retired && !inTransit,
                holds && !retired && !inTransit && components > 0,
                holds && !retired,
                open && org != null && org.equals(pending.receiver()),
                open && org != null && org.equals(pending.sender()));
    }

    /** The assembly form: the parent, the candidates (a page of them), what is ticked. */
    public record AssemblyForm(CustodyQueries.UnitRecord parent, List<CustodyQueries.UnitRecord> candidates,
                               List<UnitKey> components, Set<String> ticked, String next, boolean firstPage) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance assemble(Viewer viewer, AssemblyForm form, Map<String, String> errors);

        static native TemplateInstance disassemble(Viewer viewer, AssemblyForm form, Map<String, String> errors);

        static native TemplateInstance status(Viewer viewer, CustodyQueries.UnitRecord unit, List<String> statuses,
                                              String status, String reason, Map<String, String> errors);
    }

    /** The unit, if it exists and the viewer may see it. */
    Optional<CustodyQueries.UnitRecord> visible(Viewer v, String manufacturer, String serial) {
        if (!EnvelopeParser.SLUG.matcher(manufacturer).matches() || !UnitKey.SERIAL.matcher(serial).matches()) {
            return Optional.empty();
        }
        UnitKey k = new UnitKey(manufacturer, serial);
        return pages.units.unit(v.visibility(), k);
    }

    private static String path(String manufacturer, String serial) {
        return "/units/" + manufacturer + "/" + serial;
    }

    /** The signed-in viewer and the unit they may act on, or the response that refuses (login, 404, 403, 409). */
    private record Target(Viewer viewer, CustodyQueries.UnitRecord unit, Response refusal) {
    }

    private Target target(String manufacturer, String serial, String action, boolean mayBeInTransit) {
        Viewer v = viewer.get();
        FormMessages t = Texts.of(FormMessages.class);
        Optional<CustodyQueries.UnitRecord> unit = visible(v, manufacturer, serial);
        if (unit.isEmpty()) {
            return new Target(v, null, ErrorPage.notFound(v, t.no_unit_visible(manufacturer + "/" + serial)));
        }
        CustodyQueries.UnitRecord u = unit.get();
        Optional<Response> noOrg = Forms.needsOrg(v);
        if (noOrg.isPresent()) {
            return new Target(v, u, noOrg.get());
        }
        if (!v.org().equals(u.custodian())) {
            return new Target(v, u, ErrorPage.forbidden(v, t.actions_not_custodian(u.key().toString(), u.custodian(),
                    v.org())));
        }
        if (RETIRED.contains(u.status())) {
            return new Target(v, u, ErrorPage.of(v, 409, t.actions_retired_title(), t.actions_retired(u.key().toString(),
                    Texts.word(u.status()))));
        }
        if (!mayBeInTransit && u.pendingTransfer() != null) {
            return new Target(v, u, ErrorPage.of(v, 409, t.actions_in_transit_title(),
                    t.actions_in_transit(u.key().toString(), String.valueOf(u.pendingTransfer()))));
        }
        return new Target(v, u, null);
    }

    // ---- assemble and disassemble ------------------------------------------------------------------------------

    /**
     * The empty assemble or disassemble form: {@code change} is one or the other; {@code after} pages through the
     * units that may go in (the disassemble form lists none).
     */
    @GET
    @Path("{change: assemble|disassemble}")
    public Response form(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial,
                         @PathParam("change") String change, @QueryParam("after") String after) {
        boolean assemble = "assemble".equals(change);
        Target t = target(manufacturer, serial, assemble ? "assemble" : "disassemble", false);
        if (t.refusal() != null) {
            return t.refusal();
        }
        AssemblyForm form = assembly(t.viewer(), t.unit(), Set.of(), Cursors.unit(after).orElse(null));
        return Response.ok(page(t.viewer(), form, Map.of(), assemble)).build();
    }

    /** Puts the ticked units into this one, or takes them out of it: {@code change} is one or the other. */
    @POST
    @Path("{change: assemble|disassemble}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial,
                           @PathParam("change") String change, @FormParam("component") List<String> ticked) {
        return change(manufacturer, serial, ticked, "assemble".equals(change));
    }

    private Response change(String manufacturer, String serial, List<String> ticked,
                            boolean assemble) {
        Target t = target(manufacturer, serial, assemble ? "assemble" : "disassemble", false);
        if (t.refusal() != null) {
            return t.refusal();
        }
        Viewer v = t.viewer();
        Set<String> chosen = new LinkedHashSet<>(ticked == null ? List.of() : ticked);
        List<UnitKey> keys = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String c : chosen) {
            Forms.unitRef(c).ifPresentOrElse(keys::add, () -> errors.put("components",
                    Texts.of(FormMessages.class).actions_not_a_ref(c)));
        }
        if (keys.isEmpty() && errors.isEmpty()) {
            FormMessages texts = Texts.of(FormMessages.class);
            errors.put("components", assemble ? texts.actions_tick_assemble(t.unit().key().toString())
                    : texts.actions_tick_disassemble(t.unit().key().toString()));
        }
        int status = 422;
        if (errors.isEmpty()) {
            try {
                Receipt r = forms.write(v, assemble ? "unit.assemble" : "unit.disassemble",
                        new AssemblyPayload(t.unit().key(), keys));
                return Forms.done(path(manufacturer, serial), r);
            } catch (LedgerException e) {
                status = ProblemMappers.status(e.kind());
                errors.putAll(Forms.errors(e, Map.of("parent", Forms.FORM), "components"));
            }
        }
        AssemblyForm form = assembly(v, t.unit(), chosen, null);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page(v, form, errors, assemble)).build();
    }

    private static TemplateInstance page(Viewer v, AssemblyForm form, Map<String, String> errors, boolean assemble) {
        return assemble ? Templates.assemble(v, form, errors) : Templates.disassemble(v, form, errors);
    }

    private AssemblyForm assembly(Viewer v, CustodyQueries.UnitRecord parent, Set<String> ticked, UnitKey after) {
        Set<UnitKey> ancestors = pages.units.ancestors(parent);
        List<CustodyQueries.UnitRecord> rows = pages.units.movable(v.org(), parent.site(), after, PAGE + 1);
        String next = rows.size() > PAGE ? Cursors.unit(rows.get(PAGE - 1).key()) : null;
        List<CustodyQueries.UnitRecord> candidates = rows.subList(0, Math.min(PAGE, rows.size())).stream()
                .filter(u -> !ancestors.contains(u.key()) && !RETIRED.contains(u.status())).toList();
        return new AssemblyForm(parent, candidates, pages.units.components(parent.key()), ticked, next,
                after == null);
    }

    // ---- status --------------------------------------------------------------------------------------------------

    @GET
    @Path("status")
    public Response statusForm(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial) {
        Target t = target(manufacturer, serial, "status", true);
        if (t.refusal() != null) {
            return t.refusal();
        }
        return Response.ok(Templates.status(t.viewer(), t.unit(), STATUSES, "", "", Map.of())).build();
    }

    @POST
    @Path("status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial,
                           @FormParam("status") String status,
                           @FormParam("reason") String reason) {
        Target t = target(manufacturer, serial, "status", true);
        if (t.refusal() != null) {
            return t.refusal();
        }
        String s = Forms.orEmpty(status);
        String why = Forms.orEmpty(reason).trim();
        try {
            Receipt r = forms.write(t.viewer(), "unit.status", new StatusPayload(t.unit().key(), s, why));
            return Forms.done(path(manufacturer, serial), r);
        } catch (LedgerException e) {
            Map<String, String> errors = "not-missing".equals(e.code()) ? Map.of("status", Forms.shown(e))
                    : Forms.errors(e, Map.of("unit", Forms.FORM), null);
            return Forms.refused(e, Templates.status(t.viewer(), t.unit(), STATUSES, s, why, errors));
        }
    }
}
