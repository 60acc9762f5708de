package org.fabtrail.web.pages.log;

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
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.Pages;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.WebPage;
import org.fabtrail.web.pages.transfers.InboxPage;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The home page: what needs the viewer, as counts linked to the lists (shipments to receive, dispatches awaiting
 * receipt, findings to work or to answer), and the recent activity the viewer may see. The header's search box is the
 * one search box.
 */
@SignedIn
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomePage extends WebPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Viewer viewer, List<EntryLine> recent, Todo todo);

        static native TemplateInstance search(Viewer viewer, String q, List<UnitKey> matches, boolean prefix);
    }

    /** A manufacturer/serial anywhere in the text: a typed reference, a unit URL, or a scanned QR payload. */
    private static final Pattern REF = Pattern.compile("([a-z0-9][a-z0-9-]{0,62})/([A-Za-z0-9._-]{1,64})\\s*$");

    /** The findings still to be worked, counted for those who work the queue. */
    /** Most inbound shipments looked at for the overdue count (the inbox marks every one). */
    static final int OVERDUE_SCAN = 500;

    @Inject
    Clock clock;

    static final DiscrepancyQueries.Filter UNRESOLVED = new DiscrepancyQueries.Filter(null, null, "unresolved", null,
            null, null, null);

    /**
     * What needs the viewer: open shipments to it and from it (null for the operator's staff, who hold nothing), and the
     * unresolved findings it may see (inspectors work them; an organisation answers those that name it).
     */
    public record Todo(Long toReceive, Long overdue, Long awaitingReceipt, long findings, boolean worksQueue) {
        /** Whether the viewer's organisation has an inbox (the operator's staff have none). */
        public boolean hasInbox() {
            return toReceive != null;
        }
    }

    /** Most units a prefix search lists. */
    static final int MAX_MATCHES = 50;

    @GET
    public Response home() {
        Viewer v = viewer.get();
        List<EntryLine> recent = Pages.lines(pages.log.recent(v.visibility(), 20));
        Collections.reverse(recent);
        return Response.ok(Templates.home(v, recent, todo(v, clock.instant()))).build();
    }

    private Todo todo(Viewer v, Instant now) {
        long findings = pages.findings.countBy(v.visibility(), UNRESOLVED, "state").values().stream()
                .mapToLong(Long::longValue).sum();
        if (v.org() == null) {
            return new Todo(null, null, null, findings, v.isInspector());
        }
        long overdue = pages.transfers.open(v.org(), true, null, OVERDUE_SCAN).stream()
                .filter(t -> InboxPage.overdue(t, now)).count();
        return new Todo(pages.transfers.countOpen(v.org(), true), overdue, pages.transfers.countOpen(v.org(), false),
                findings, v.isInspector());
    }

    @GET
    @Path("search")
    public Response search(@QueryParam("q") String q) {
        String query = q == null ? "" : q.trim();
        Matcher m = REF.matcher(query);
        if (m.find()) {
            return Web.redirect("/units/" + m.group(1) + "/" + m.group(2));
        }
        // the serial exactly as typed first (one unit: go there); else the serials that start with it
        List<UnitKey> exact = UnitKey.SERIAL.matcher(query).matches()
                ? pages.units.bySerial(viewer.get().visibility(), query) : List.of();
        if (exact.size() == 1) {
            return Web.redirect("/units/" + exact.get(0).manufacturer() + "/" + exact.get(0).serial());
        }
        boolean prefix = exact.isEmpty() && UnitKey.SERIAL.matcher(query).matches();
        List<UnitKey> matches = prefix ? pages.units.search(viewer.get().visibility(), query, true, null, MAX_MATCHES)
                .stream().map(CustodyQueries.UnitRecord::key).toList() : exact;
        return Response.status(matches.isEmpty() ? 404 : 200)
                .entity(Templates.search(viewer.get(), query, matches, prefix)).build();
    }

    public static boolean isOrgId(String s) {
        return EnvelopeParser.SLUG.matcher(s).matches();
    }
}
