package org.fabtrail.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.TransferReads;
import org.fabtrail.custody.Visibility;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Dispatches the caller sends or receives: the inbox of a receiving ERP. */
@Path("/api/v1/transfers")
@Tag(name = "Transfers")
@Produces(MediaType.APPLICATION_JSON)
public class TransfersResource {

    /** The states a transfer may be in, and {@code open} for the first two. */
    private static final List<String> STATES = List.of("pending", "partial", "received", "rejected", "cancelled");

    /** Most transfers on one page. */
    public static final int MAX_PAGE = 500;

    @Inject
    Authenticator auth;
    @Inject
    TransferReads transfers;

    @GET
    @Operation(operationId = "listTransfers", summary = "Transfers you send or receive (all, for inspectors and "
            + "regulators), filtered, newest dispatch first, with cursor pagination")
    public Views.Page<Views.TransferView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "pending, partial, received, rejected, cancelled, or open (pending or partial)",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"pending", "partial", "received",
                            "rejected", "cancelled", "open"}))
            @QueryParam("state") String state,
            @Parameter(description = "incoming (you receive it) or outgoing (you send it)",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"incoming", "outgoing"}))
            @QueryParam("direction") String direction,
            @Parameter(description = "the other party: an organisation id")
            @QueryParam("counterparty") String counterparty,
            @Parameter(description = "only transfers dispatched, received in part or closed at a log index above this")
            @QueryParam("since") String since,
            @Parameter(description = "the previous page's next") @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        List<String> states = states(state);
        Boolean incoming = direction(caller, direction);
        if (counterparty != null && !EnvelopeParser.SLUG.matcher(counterparty).matches()) {
            throw Paging.invalidParameter("counterparty", "counterparty must be an organisation id, not \""
                    + counterparty + "\"");
        }
        Long sinceIdx = Paging.indexParameter("since", since);
        long cursor = Paging.indexCursor(after);
        int n = Paging.limit(limit, 100, MAX_PAGE);
        Visibility v = caller.visibility();
        CustodyQueries.TransferFilter filter = new CustodyQueries.TransferFilter(v.visibleTo(),
                caller.org(), incoming, counterparty, states, sinceIdx, cursor < 0 ? null : cursor);
        List<CustodyQueries.TransferRecord> rows = transfers.page(v, filter, n + 1);
        List<Views.TransferView> items = rows.subList(0, Math.min(n, rows.size())).stream()
                .map(Views.TransferView::from).toList();
        String next = rows.size() > n ? Long.toString(rows.get(n - 1).dispatchIdx()) : null;
        return new Views.Page<>(items, next);
    }

    private static List<String> states(String state) {
        if (state == null || state.isEmpty()) {
            return null;
        }
        if ("open".equals(state)) {
            return CustodyQueries.OPEN;
        }
        if (!STATES.contains(state)) {
            throw Paging.invalidParameter("state", "state must be one of " + STATES + " or open");
        }
        return List.of(state);
    }

    /** incoming: true; outgoing: false; absent: null. Relative to the token's organisation. */
    private static Boolean direction(Caller caller, String direction) {
        if (direction == null || direction.isEmpty()) {
            return null;
        }
        if (!direction.equals("incoming") && !direction.equals("outgoing")) {
            throw Paging.invalidParameter("direction", "direction must be incoming or outgoing");
        }
        if (caller.org() == null) {
            throw Paging.invalidParameter("direction", "direction needs an organisation's token: the operator's "
                    + "token neither sends nor receives");
        }
        return direction.equals("incoming");
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTransfer", summary = "One transfer, if you send or receive it, with each unit's "
            + "custody so far (its custodians with the index and time each took it, its status and where it is)")
    public Views.TransferView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        LedgerException notFound = new LedgerException(LedgerException.Kind.NOT_FOUND, "transfer-not-found",
                "No such transfer", "No transfer " + id + " that you may see");
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound;
        }
        TransferReads.TransferCustody t = transfers.withCustody(caller.visibility(), uuid).orElseThrow(() -> notFound);
        Map<UnitKey, Views.UnitCustodyView> custody = new HashMap<>();
        for (CustodyQueries.UnitRecord u : t.units().values()) {
            custody.put(u.key(), Views.UnitCustodyView.from(u, t.chains().getOrDefault(u.key(), List.of())));
        }
        return Views.TransferView.from(t.transfer(), custody);
    }
}
