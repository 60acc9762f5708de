package org.fabtrail.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.custody.LogEntries;
import org.fabtrail.ledger.LedgerStore;

import java.util.List;

/**
 * The entries the caller may see, in log order, from any cursor: what a partner ERP polls to stay in sync. An
 * organisation's feed holds the entries about a unit from the one that made it a party on (for a receiver: from
 * the dispatch); the unit's earlier entries are in its history ({@code /api/v1/units/{m}/{s}/history}).
 * {@code next} is the index to pass as {@code after} next time; it is present on every page (also an empty one,
 * where it repeats the cursor), so a poller never loses its place.
 */
@Path("/api/v1/feed")
@Tag(name = "Feed")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    public static final int MAX_PAGE = 1000;

    @Inject
    Authenticator auth;
    @Inject
    LogEntries log;


    @GET
    @Operation(operationId = "getFeed", summary = "Entries you may see with index > after, in log order (gap-free, duplicate-free)")
    public Views.Page<Views.EntryView> feed(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                            @QueryParam("after") String after, @QueryParam("limit") String limit) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        long cursor = Paging.indexCursor(after);
        int n = Paging.limit(limit, 100, MAX_PAGE);
        List<LedgerStore.StoredEntry> entries = log.feed(caller.visibility(), cursor, n);
        List<Views.EntryView> items = entries.stream().map(Views.EntryView::from).toList();
        String next = entries.isEmpty() ? (cursor < 0 ? null : Long.toString(cursor))
                : Long.toString(entries.get(entries.size() - 1).index());
        return new Views.Page<>(items, next);
    }
}
