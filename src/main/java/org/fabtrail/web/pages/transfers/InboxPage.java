package org.fabtrail.web.pages.transfers;

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
import org.fabtrail.web.Cursors;
import org.fabtrail.web.InOrg;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.WebPage;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Open transfers: inbound ones to receive or reject, outbound ones that may still be cancelled. */
@InOrg
@Path("/inbox")
@Produces(MediaType.TEXT_HTML)
public class InboxPage extends WebPage {

    static final int PAGE = 20;

    /**
     * One list of the inbox: a page of transfers, the total, and the cursor of the next page.
     *
     * @param overdue the transfers on this page whose expected arrival has passed
     */
    public record Box(List<CustodyQueries.TransferRecord> transfers, long count, Long next, boolean first,
                      Set<UUID> overdue) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance inbox(Viewer viewer, Box inbound, Box outbound, String inCursor,
                                             String outCursor);
    }

    @Inject
    Clock clock;

    @GET
    public Response inbox(@QueryParam("in") String in,
                          @QueryParam("out") String out) {
        Viewer v = viewer.get();
        Long inBefore = Cursors.index(in);
        Long outBefore = Cursors.index(out);
        Instant now = clock.instant();
        Box[] boxes = {box(v.org(), true, inBefore, now), box(v.org(), false, outBefore, now)};
        return Response.ok(Templates.inbox(v, boxes[0], boxes[1], inBefore == null ? "" : inBefore.toString(),
                outBefore == null ? "" : outBefore.toString())).build();
    }

    private Box box(String org, boolean inbound, Long before, Instant now) {
        List<CustodyQueries.TransferRecord> rows = pages.transfers.open(org, inbound, before, PAGE + 1);
        Long next = rows.size() > PAGE ? rows.get(PAGE - 1).dispatchIdx() : null;
        List<CustodyQueries.TransferRecord> page = rows.subList(0, Math.min(PAGE, rows.size()));
        Set<UUID> overdue = new HashSet<>();
        for (CustodyQueries.TransferRecord t : page) {
            if (overdue(t, now)) {
                overdue.add(t.id());
            }
        }
        return new Box(page, pages.transfers.countOpen(org, inbound), next, before == null, overdue);
    }

    /** An open transfer whose expected arrival has passed. */
    public static boolean overdue(CustodyQueries.TransferRecord t, Instant now) {
        return t.expectedArrival() != null && t.expectedArrival().isBefore(now);
    }
}
