package org.fabtrail.web.pages.units;

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
import org.fabtrail.custody.LogEntries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Units;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.discrepancy.Findings;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.web.CurrentViewer;
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.Forms;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.drawing.CustodyChainSvg;

import java.util.ArrayList;
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
    CurrentViewer viewer;
    @Inject
    UnitsResource api;
    @Inject
    Units units;
    @Inject
    LogEntries log;
    @Inject
    Findings findings;
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
        Optional<UnitModel> model = key(manufacturer, serial).flatMap(k -> units.detail(v.visibility(), k))
                .map(d -> model(v, d));
        if (model.isEmpty()) {
            return Response.status(404).entity(Templates.notFound(v, manufacturer, serial)).build();
        }
        UnitModel m = model.get();
        return Response.ok(Templates.unit(v, m, UnitActionsPage.actions(v, m.unit(), m.pending(), m.components().size()),
                forms.notice(v, logged))).build();
    }

    /** The page's model of a unit the viewer may see (the pending transfer's units are not on the page). */
    private UnitModel model(Viewer v, Units.UnitDetail d) {
        CustodyQueries.UnitRecord u = d.unit();
        CustodyQueries.TransferRecord pending = d.pending();
        List<EntryLine> timeline = new ArrayList<>(units.history(v.visibility(), u.key()).orElseThrow().stream()
                .map(EntryLine::from).toList());
        String svg = CustodyChainSvg.render(CustodyChainSvg.stops(timeline,
                pending == null ? null : pending.receiver(), pending == null ? null : pending.receiverSite(),
                pending == null ? null : pending.dispatchedAt()));
        DeviceIdentity.Description certificate = u.deviceCertificate() == null ? null
                : devices.describe(u.deviceCertificate()).orElse(null);
        return new UnitModel(u, d.components(), pending, timeline, svg, log.treeSize(), certificate,
                units.inspections(v.visibility(), u.key(), INSPECTIONS), api.platform(u.key()),
                UnitAlert.of(log, findings, v, u, timeline));
    }

    @GET
    @Path("bundle.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response bundle(@PathParam("manufacturer") String manufacturer,
                           @PathParam("serial") String serial) {
        Optional<UnitKey> k = key(manufacturer, serial);
        Object bundle = k.flatMap(key -> api.bundle(viewer.get().visibility(), key)).orElse(null);
        if (bundle == null) {
            return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such unit").build();
        }
        return Response.ok(bundle).header("Content-Disposition", "attachment; filename=\"" + manufacturer + "_" + serial
                + "_bundle.json\"").build();
    }
}
