package org.fabtrail.web.pages.units;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.WebPage;
import org.fabtrail.web.drawing.QrSvg;

import java.util.Optional;

/**
 * A unit's printable label: a QR code of the unit's page URL ({@code <this server>/units/<manufacturer>/<serial>}),
 * with the manufacturer, serial and model in plain text under it. A phone's camera app opens the URL; the
 * inspector's <em>Scan label</em> (and every search box) takes it as the unit's reference. Shown to those who may see
 * the unit, like its page.
 */
@SignedIn
@Path("/units/{manufacturer}/{serial}/label")
@Produces(MediaType.TEXT_HTML)
public class UnitLabelPage extends WebPage {

    /** What the label shows; {@code qrSvg} carries {@code url}. */
    public record Label(CustodyQueries.UnitRecord unit, String url, String qrSvg) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance label(Viewer viewer, Label l);
    }

    @GET
    public Response label(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial,
                          @Context UriInfo uri) {
        Viewer v = viewer.get();
        Optional<CustodyQueries.UnitRecord> unit = UnitPage.key(manufacturer, serial)
                .flatMap(k -> pages.units.unit(v.visibility(), k));
        if (unit.isEmpty()) {
            return Response.status(404).entity(UnitPage.Templates.notFound(v, manufacturer, serial)).build();
        }
        String url = uri.getBaseUri().resolve("units/" + manufacturer + "/" + serial).toString();
        String svg = QrSvg.svg(url, Texts.of(FormMessages.class).label_qr_label(url), "label-qr");
        return Response.ok(Templates.label(v, new Label(unit.get(), url, svg))).build();
    }
}
