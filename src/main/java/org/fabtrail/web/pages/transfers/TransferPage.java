package org.fabtrail.web.pages.transfers;

import org.fabtrail.web.FormPage;
import org.fabtrail.web.pages.units.UnitAlert;
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
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.ReceivePayload;
import org.fabtrail.custody.TransferEndPayload;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.Forms;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** A dispatch: who sends what to whom, and where each unit is; and the receiver's and sender's forms on it. */
@SignedIn
@Path("/transfers/{id}")
@Produces(MediaType.TEXT_HTML)
public class TransferPage extends FormPage {

    static final String IN_TRANSIT = "in_transit";

    /**
     * The page: the transfer, what the viewer may do with it, the notice of a write just made, and the banner of each
     * unit on it that is reported stolen, lost or destroyed or flagged by findings the viewer may see.
     */
    public record TransferModel(CustodyQueries.TransferRecord t, boolean mayReceive, boolean mayCancel,
                                long inTransit, EntryLine notice, List<UnitAlert> alerts) {
        public boolean open() {
            return "pending".equals(t.state()) || "partial".equals(t.state());
        }
    }

    /**
     * The receipt form: the units still in transit, which of them are ticked, and the site.
     *
     * @param models each unit's model, by {@code manufacturer/serial}, to match the shipping papers
     */
    public record ReceiveForm(CustodyQueries.TransferRecord t, List<CustodyQueries.TransferUnit> inTransit,
                              Set<String> ticked, String site, List<CustodyQueries.SiteRecord> sites,
                              Map<String, String> models) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance transfer(Viewer viewer, TransferModel m);

        static native TemplateInstance receive(Viewer viewer, ReceiveForm form, Map<String, String> errors);

        static native TemplateInstance end(Viewer viewer, CustodyQueries.TransferRecord t, boolean reject, String reason,
                                           Map<String, String> errors);
    }

    /** The transfer, if it exists and the viewer may see it (sender, receiver, or a viewer who sees everything). */
    Optional<CustodyQueries.TransferRecord> visible(Viewer v, String id) {
        return Web.uuid(id).filter(uuid -> uuid.toString().equals(id))
                .flatMap(uuid -> pages.transfers.transfer(v.visibility(), uuid));
    }

    private static Response notFound(Viewer v, String id) {
        return ErrorPage.notFound(v, Texts.of(FormMessages.class).transfer_none_visible(id));
    }

    @GET
    public Response page(@PathParam("id") String id,
                         @QueryParam(Forms.LOGGED) String logged) {
        Viewer v = viewer.get();
        Optional<CustodyQueries.TransferRecord> t = visible(v, id);
        if (t.isEmpty()) {
            return notFound(v, id);
        }
        List<UnitAlert> alerts = UnitAlert.of(pages, v,
                t.get().units().stream().map(CustodyQueries.TransferUnit::unit).toList());
        TransferModel m = model(v, t.get(), forms.notice(v, logged), alerts);
        return Response.ok(Templates.transfer(v, m)).build();
    }

    static TransferModel model(Viewer v, CustodyQueries.TransferRecord t, EntryLine notice, List<UnitAlert> alerts) {
        long inTransit = t.units().stream().filter(u -> IN_TRANSIT.equals(u.state())).count();
        boolean open = "pending".equals(t.state()) || "partial".equals(t.state());
        return new TransferModel(t, open && t.receiver().equals(v.org()), open && t.sender().equals(v.org()), inTransit,
                notice, alerts);
    }

    // ---- receive ---------------------------------------------------------------------------------------------

    @GET
    @Path("receive")
    public Response receiveForm(@PathParam("id") String id) {
        return acting(id, TransferPage::mayReceive, (v, t) -> {
            Set<String> all = new java.util.HashSet<>();
            inTransit(t).forEach(u -> all.add(u.unit().toString()));
            return Response.ok(Templates.receive(v, receiveForm(v, t, all, t.receiverSite()), Map.of())).build();
        });
    }

    @POST
    @Path("receive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response receive(@PathParam("id") String id,
                            @FormParam("unit") List<String> units,
                            @FormParam("site") String site) {
        return acting(id, TransferPage::mayReceive, (v, t) -> receive(v, t, id, units, site));
    }

    private Response receive(Viewer v, CustodyQueries.TransferRecord t, String id, List<String> units, String site) {
        Set<String> ticked = new java.util.LinkedHashSet<>(units == null ? List.of() : units);
        ReceiveForm form = receiveForm(v, t, ticked, Forms.orEmpty(site));
        Map<String, String> errors = new LinkedHashMap<>();
        List<UnitKey> keys = new ArrayList<>();
        for (String u : ticked) {
            Optional<UnitKey> k = Forms.unitRef(u);
            if (k.isEmpty()) {
                errors.put("units", Texts.of(FormMessages.class).actions_not_a_ref(u));
            } else {
                keys.add(k.get());
            }
        }
        if (keys.isEmpty() && errors.isEmpty()) {
            errors.put("units", Texts.of(FormMessages.class).receive_no_units());
        }
        if (errors.isEmpty()) {
            try {
                Receipt r = forms.write(v, "transfer.receive", new ReceivePayload(t.id(), form.site(), keys));
                return Forms.done("/transfers/" + id, r);
            } catch (LedgerException e) {
                return Forms.refused(e, Templates.receive(v, form,
                        Forms.errors(e, Map.of("transfer", Forms.FORM), "units")));
            }
        }
        return Forms.again(422, Templates.receive(v, form, errors));
    }

    private ReceiveForm receiveForm(Viewer v, CustodyQueries.TransferRecord t, Set<String> ticked, String site) {
        List<CustodyQueries.TransferUnit> inTransit = inTransit(t);
        Map<String, String> models = new java.util.HashMap<>();
        for (CustodyQueries.UnitRecord r : pages.transfers.units(t)) {
            if (inTransit.stream().anyMatch(u -> u.unit().equals(r.key()))) {
                models.put(r.key().toString(), r.model());
            }
        }
        List<CustodyQueries.SiteRecord> sites = pages.registry.sites(v.org());
        return new ReceiveForm(t, inTransit, ticked, site, sites, models);
    }

    private static List<CustodyQueries.TransferUnit> inTransit(CustodyQueries.TransferRecord t) {
        return t.units().stream().filter(u -> IN_TRANSIT.equals(u.state())).toList();
    }

    private static Optional<Response> mayReceive(Viewer v, CustodyQueries.TransferRecord t) {
        if (!t.receiver().equals(v.org())) {
            return Optional.of(ErrorPage.forbidden(v, "Only " + t.receiver() + ", the receiver of this dispatch, "
                    + "can receive or reject it."));
        }
        return closed(v, t);
    }

    private static Optional<Response> closed(Viewer v, CustodyQueries.TransferRecord t) {
        if (!"pending".equals(t.state()) && !"partial".equals(t.state())) {
            FormMessages texts = Texts.of(FormMessages.class);
            return Optional.of(ErrorPage.of(v, 409, texts.transfer_closed_title(),
                    texts.transfer_closed(Texts.word(t.state()))));
        }
        return Optional.empty();
    }

    // ---- reject and cancel -----------------------------------------------------------------------------------

    /** The reject (receiver) or cancel (sender) form: {@code end} is one or the other. */
    @GET
    @Path("{end: reject|cancel}")
    public Response endForm(@PathParam("id") String id, @PathParam("end") String end) {
        boolean reject = "reject".equals(end);
        return acting(id, (v, t) -> mayEnd(v, t, reject),
                (v, t) -> Response.ok(Templates.end(v, t, reject, "", Map.of())).build());
    }

    @POST
    @Path("{end: reject|cancel}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response end(@PathParam("id") String id, @PathParam("end") String end,
                        @FormParam("reason") String reason) {
        boolean reject = "reject".equals(end);
        return acting(id, (v, t) -> mayEnd(v, t, reject), (v, t) -> {
            String why = Forms.orEmpty(reason).trim();
            try {
                Receipt r = forms.write(v, reject ? "transfer.reject" : "transfer.cancel",
                        new TransferEndPayload(t.id(), why));
                return Forms.done("/transfers/" + id, r);
            } catch (LedgerException e) {
                return Forms.refused(e, Templates.end(v, t, reject, why,
                        Forms.errors(e, Map.of("transfer", Forms.FORM), null)));
            }
        });
    }

    /**
     * The shared start of the receive, reject and cancel pages: the transfer (404 when the viewer may not see it),
     * then the refusal {@code may} gives (403, 409) if any, else what {@code then} answers.
     */
    private Response acting(String id, BiFunction<Viewer, CustodyQueries.TransferRecord, Optional<Response>> may,
                            BiFunction<Viewer, CustodyQueries.TransferRecord, Response> then) {
        Viewer v = viewer.get();
        Optional<CustodyQueries.TransferRecord> t = visible(v, id);
        if (t.isEmpty()) {
            return notFound(v, id);
        }
        return may.apply(v, t.get()).orElseGet(() -> then.apply(v, t.get()));
    }

    private static Optional<Response> mayEnd(Viewer v, CustodyQueries.TransferRecord t, boolean reject) {
        String allowed = reject ? t.receiver() : t.sender();
        if (!allowed.equals(v.org())) {
            return Optional.of(ErrorPage.forbidden(v, reject
                    ? "Only " + t.receiver() + ", the receiver of this dispatch, can reject it."
                    : "Only " + t.sender() + ", the sender of this dispatch, can cancel it."));
        }
        return closed(v, t);
    }
}
