package org.fabtrail.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.ledger.EnvelopeParser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The home page: one search box and the recent activity the viewer may see. */
@SignedIn
@Path("/")
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Viewer viewer, List<EntryLine> recent, Long openFindings);

        static native TemplateInstance search(Viewer viewer, String q, List<UnitKey> matches, boolean prefix);
    }

    /** A manufacturer/serial anywhere in the text: a typed reference, a unit URL, or a scanned QR payload. */
    private static final Pattern REF = Pattern.compile("([a-z0-9][a-z0-9-]{0,62})/([A-Za-z0-9._-]{1,64})\\s*$");

    /** The findings still to be worked, counted for those who work the queue. */
    static final DiscrepancyQueries.Filter UNRESOLVED = new DiscrepancyQueries.Filter(null, null, "unresolved", null,
            null, null, null);

    /** Most units a prefix search lists. */
    static final int MAX_MATCHES = 50;

    @Inject
    Pages pages;
    @Inject
    CurrentViewer viewer;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response home() {
        List<EntryLine> recent = pages.ledger.read(c -> {
            List<EntryLine> lines = new ArrayList<>(pages.lines(c, pages.queries.recent(c, viewer.get().visibleTo(), 20)));
            Collections.reverse(lines);
            return lines;
        });
        Long open = viewer.get().isInspector() ? pages.ledger.read(c -> new DiscrepancyQueries().countBy(c,
                UNRESOLVED, null, "state").values().stream().mapToLong(Long::longValue).sum()) : null;
        return Response.ok(Templates.home(viewer.get(), recent, open)).build();
    }

    @GET
    @Path("search")
    @Produces(MediaType.TEXT_HTML)
    public Response search(@QueryParam("q") String q) {
        String query = q == null ? "" : q.trim();
        Matcher m = REF.matcher(query);
        if (m.find()) {
            return Web.redirect("/units/" + m.group(1) + "/" + m.group(2));
        }
        // the serial exactly as typed first (one unit: go there); else the serials that start with it
        List<UnitKey> exact = UnitKey.SERIAL.matcher(query).matches()
                ? pages.ledger.read(c -> pages.queries.bySerial(c, viewer.get().visibleTo(), query)) : List.of();
        if (exact.size() == 1) {
            return Web.redirect("/units/" + exact.get(0).manufacturer() + "/" + exact.get(0).serial());
        }
        boolean prefix = exact.isEmpty() && UnitKey.SERIAL.matcher(query).matches();
        List<UnitKey> matches = prefix ? pages.ledger.read(c -> pages.queries.serialSearch(c, viewer.get().visibleTo(),
                query, true, null, MAX_MATCHES).stream().map(CustodyQueries.UnitRecord::key).toList()) : exact;
        return Response.status(matches.isEmpty() ? 404 : 200)
                .entity(Templates.search(viewer.get(), query, matches, prefix)).build();
    }

    static boolean isOrgId(String s) {
        return EnvelopeParser.SLUG.matcher(s).matches();
    }
}
