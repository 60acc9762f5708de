package org.fabtrail.web;

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
import org.fabtrail.api.UnitsResource;
import org.fabtrail.api.Views;
import org.fabtrail.attestation.DeviceIdentity;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.ledger.EnvelopeParser;

import java.util.List;
import java.util.Optional;

/**
 * A unit: identity, where it is and who holds it, what is inside it, its device identity certificate, its platform
 * certificate compared with what is assembled in it, its inspections with their device checks, its custody timeline
 * and chain.
 */
@SignedIn
@Path("/units/{manufacturer}/{serial}")
public class UnitPage {

    /** Everything the page shows. */
    public record UnitModel(CustodyQueries.UnitRecord unit, List<UnitKey> components,
                            CustodyQueries.TransferRecord pending, List<EntryLine> timeline, String chainSvg,
                            long treeSize, DeviceIdentity.Description certificate,
                            List<CustodyQueries.InspectionRecord> inspections, Views.PlatformView platform,
                            UnitAlert alert) {
        /** The unit's unresolved findings that the viewer may see. */
        public List<DiscrepancyQueries.Discrepancy> findings() {
            return alert.findings();
        }
    }

    /** Most inspections the page lists. */
    static final int INSPECTIONS = 20;
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance unit(Viewer viewer, UnitModel m, UnitActionsPage.UnitActions actions,
                                            EntryLine notice);

        static native TemplateInstance notFound(Viewer viewer, String manufacturer, String serial);
    }

    @Inject
    Pages pages;
    @Inject
    CurrentViewer viewer;
    @Inject
    UnitsResource api;
    @Inject
    Forms forms;
    @Inject
    DeviceIdentity devices;

    static Optional<UnitKey> key(String manufacturer, String serial) {
        if (!EnvelopeParser.SLUG.matcher(manufacturer).matches() || !UnitKey.SERIAL.matcher(serial).matches()) {
            return Optional.empty();
        }
        return Optional.of(new UnitKey(manufacturer, serial));
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("manufacturer") String manufacturer,
                         @PathParam("serial") String serial, @QueryParam(Forms.LOGGED) String logged) {
        Viewer v = viewer.get();
        Optional<UnitModel> model = key(manufacturer, serial).flatMap(k -> pages.ledger.read(c -> {
            if (!pages.queries.canSee(c, v.visibleTo(), k)) {
                return Optional.<UnitModel>empty();
            }
            CustodyQueries.UnitRecord u = pages.queries.unit(c, k).orElseThrow();
            CustodyQueries.TransferRecord pending = u.pendingTransfer() == null ? null
                    : pages.queries.transfer(c, u.pendingTransfer()).orElse(null);
            List<EntryLine> timeline = pages.lines(c, pages.queries.entryIndexes(c, k));
            String svg = CustodyChainSvg.render(CustodyChainSvg.stops(timeline,
                    pending == null ? null : pending.receiver(), pending == null ? null : pending.receiverSite(),
                    pending == null ? null : pending.dispatchedAt()));
            long size = pages.store.head(c).size();
            DeviceIdentity.Description certificate = u.deviceCertificate() == null ? null
                    : devices.describe(u.deviceCertificate()).orElse(null);
            return Optional.of(new UnitModel(u, pages.queries.components(c, k), pending, timeline, svg, size,
                    certificate, pages.queries.inspections(c, k, INSPECTIONS), api.platform(c, k),
                    UnitAlert.of(c, pages, v, u, timeline)));
        }));
        if (model.isEmpty()) {
            return Response.status(404).entity(Templates.notFound(v, manufacturer, serial)).build();
        }
        UnitModel m = model.get();
        return Response.ok(Templates.unit(v, m, UnitActionsPage.actions(v, m.unit(), m.pending(), m.components().size()),
                forms.notice(v, logged))).build();
    }

    @GET
    @Path("bundle.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response bundle(@PathParam("manufacturer") String manufacturer,
                           @PathParam("serial") String serial) {
        Optional<UnitKey> k = key(manufacturer, serial);
        Object bundle = k.isEmpty() ? null : pages.ledger.read(c -> pages.queries.canSee(c, viewer.get().visibleTo(), k.get())
                ? api.bundle(c, k.get(), viewer.get().visibleTo()) : null);
        if (bundle == null) {
            return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such unit").build();
        }
        return Response.ok(bundle).header("Content-Disposition", "attachment; filename=\"" + manufacturer + "_" + serial
                + "_bundle.json\"").build();
    }
}
