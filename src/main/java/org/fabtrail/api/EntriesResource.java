package org.fabtrail.api;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import java.net.URI;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Submitting signed entries, and fetching the receipt of one already in the log. */
@Path("/api/v1/entries")
@Tag(name = "Entries")
public class EntriesResource {

    @Inject
    Ledger ledger;
    @Inject
    EnvelopeParser parser;

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append a signed entry",
            description = "Answers 201 once the entry is durable and covered by a signed checkpoint, with its index, "
                    + "the checkpoint and an inclusion proof; 200 with the original answer for an identical resubmission.")
    public CompletionStage<Response> submit(byte[] body) {
        var envelope = parser.parse(body);
        return ledger.append(envelope).handle((receipt, failure) -> respond(envelope.id(), receipt, failure));
    }

    static Response respond(UUID id, Receipt receipt, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof LedgerException le) {
                return ProblemMappers.response(le);
            }
            return new ProblemMappers().unexpected(cause);
        }
        return created(id, receipt, WriteReceipt.from(receipt));
    }

    static Response created(UUID id, Receipt receipt, Object body) {
        if (receipt.duplicate()) {
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.created(URI.create("/api/v1/entries/" + id + "/receipt"))
                .type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    @GET
    @Path("{id}/receipt")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The receipt of an entry already in the log, by its payload.id")
    public WriteReceipt receipt(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw LedgerException.malformed("invalid-id", "\"" + id + "\" is not a UUID");
        }
        return ledger.receipt(uuid).map(WriteReceipt::from).orElseThrow(() -> new LedgerException(
                LedgerException.Kind.NOT_FOUND, "entry-not-found", "No such entry", "No entry with id " + id));
    }
}
