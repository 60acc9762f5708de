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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Dispatches the caller sends or receives: the inbox of a receiving ERP. */
@Path("/api/v1/transfers")
@Tag(name = "Transfers")
@Produces(MediaType.APPLICATION_JSON)
public class TransfersResource {

    private static final Set<String> STATES = Set.of("pending", "partial", "received", "rejected", "cancelled");

    @Inject
    Authenticator auth;
    @Inject
    Ledger ledger;

    private final CustodyQueries queries = new CustodyQueries();

    @GET
    @Operation(operationId = "listTransfers", summary = "Transfers you send or receive (all, for inspectors and regulators), newest first")
    public List<Views.TransferView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                         @QueryParam("state") String state, @QueryParam("limit") String limit) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        if (state != null && !STATES.contains(state)) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter",
                    "state must be one of " + STATES);
        }
        int n = Paging.limit(limit, 100, 500);
        return ledger.read(c -> queries.transfers(c, UnitsResource.visibleTo(caller), state, n).stream()
                .map(Views.TransferView::from).toList());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTransfer", summary = "One transfer, if you send or receive it")
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
        return ledger.read(c -> queries.transfer(c, uuid)
                .filter(t -> caller.seesAll() || t.sender().equals(caller.org()) || t.receiver().equals(caller.org()))
                .map(Views.TransferView::from).orElseThrow(() -> notFound));
    }
}
