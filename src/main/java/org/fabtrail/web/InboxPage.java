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

import java.util.List;

/** Open transfers: inbound ones to receive or reject, outbound ones that may still be cancelled. */
@InOrg
@Path("/inbox")
public class InboxPage {

    static final int PAGE = 20;

    /** One list of the inbox: a page of transfers, the total, and the cursor of the next page. */
    public record Box(List<CustodyQueries.TransferRecord> transfers, long count, Long next, boolean first) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance inbox(Viewer viewer, Box inbound, Box outbound, String inCursor,
                                             String outCursor);
    }

    @Inject
    Pages pages;
    @Inject
    CurrentViewer viewer;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response inbox(@QueryParam("in") String in,
                          @QueryParam("out") String out) {
        Viewer v = viewer.get();
        Long inBefore = Cursors.index(in);
        Long outBefore = Cursors.index(out);
        Box[] boxes = pages.ledger.read(c -> new Box[]{box(c, v.org(), true, inBefore), box(c, v.org(), false, outBefore)});
        return Response.ok(Templates.inbox(v, boxes[0], boxes[1], inBefore == null ? "" : inBefore.toString(),
                outBefore == null ? "" : outBefore.toString())).build();
    }

    private Box box(java.sql.Connection c, String org, boolean inbound, Long before) throws java.sql.SQLException {
        List<CustodyQueries.TransferRecord> rows = pages.queries.openTransfers(c, org, inbound, before, PAGE + 1);
        Long next = rows.size() > PAGE ? rows.get(PAGE - 1).dispatchIdx() : null;
        return new Box(rows.subList(0, Math.min(PAGE, rows.size())), pages.queries.countOpenTransfers(c, org, inbound),
                next, before == null);
    }
}
