package org.fabtrail.api;

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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.crypto.JsonFormatException;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.LogEntries;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Submitting signed entries, and fetching the receipt of one already in the log. */
@Path("/api/v1/entries")
@Tag(name = "Entries")
public class EntriesResource {

    @Inject
    Ledger ledger;
    @Inject
    LogEntries log;
    @Inject
    EnvelopeParser parser;
    @Inject
    Authenticator auth;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "submitEntry", summary = "Append a signed entry",
            description = "Answers 201 once the entry is durable and covered by a signed checkpoint, with its index, "
                    + "the checkpoint and an inclusion proof; 200 with the original answer for an identical resubmission.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = ApiDocument.SIGNED_ENTRY),
            examples = @ExampleObject(name = "unit.register", value = EXAMPLE_ENVELOPE)))
    @APIResponse(responseCode = "201", description = "Appended: durable and covered by the signed checkpoint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WriteReceipt.class),
                    examples = @ExampleObject(name = "receipt", value = EXAMPLE_RECEIPT)))
    @APIResponse(responseCode = "200", description = "An identical resubmission: the original answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WriteReceipt.class)))
    @APIResponse(responseCode = "409", description = "Same payload.id with another payload, or a custody conflict",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not-custodian",
                    value = EXAMPLE_PROBLEM)))
    @APIResponse(responseCode = "422", description = "Breaks a rule of its entry type, or a bad signature")
    public Response submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Caller caller = auth.caller(authorization).require(Caller.WRITE);
        Envelope envelope = parser.parse(body);
        actorMatches(caller, envelope);
        Receipt receipt = ledger.submitAndWait(envelope);
        return created(envelope.id(), receipt, WriteReceipt.from(receipt));
    }

    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "submitEntries", summary = "Append up to 1,000 signed entries in order",
            description = "The body is a JSON array of envelopes. They are sequenced in order, so later ones see the "
                    + "effects of earlier ones; each gets its own result (the status a single submission would get, "
                    + "with its receipt or problem). One refused entry does not block the others. Answers 200.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = ApiDocument.SIGNED_ENTRIES)))
    public BatchResponse submitBatch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Caller caller = auth.caller(authorization).require(Caller.WRITE);
        Object json;
        try {
            json = StrictJson.parse(body);
        } catch (JsonFormatException e) {
            throw LedgerException.malformed("invalid-json", "The body is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof List<?> items)) {
            throw LedgerException.malformed("invalid-batch", "The body must be a JSON array of envelopes");
        }
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new LedgerException(LedgerException.Kind.MALFORMED, "batch-size", "Batch size out of range",
                    "A batch holds 1 to " + MAX_BATCH + " envelopes, not " + items.size());
        }
        List<BatchResult> results = new ArrayList<>(items.size());
        List<Envelope> parsed = new ArrayList<>(items.size());
        List<Integer> positions = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                Envelope e = parser.fromBatchItem(items.get(i));
                actorMatches(caller, e);
                parsed.add(e);
                positions.add(i);
                results.add(null);
            } catch (LedgerException e) {
                results.add(failed(null, e));
            }
        }
        List<Ledger.Outcome> outcomes = ledger.submitAllAndWait(parsed);
        for (int j = 0; j < outcomes.size(); j++) {
            String id = parsed.get(j).id().toString();
            Ledger.Outcome o = outcomes.get(j);
            results.set(positions.get(j), o.written()
                    ? new BatchResult(o.receipt().duplicate() ? 200 : 201, id, WriteReceipt.from(o.receipt()), null)
                    : failed(id, o.refusal()));
        }
        return new BatchResponse(results);
    }

    /** A token writes for its own organisation only: payload.actor must be the token's organisation. */
    static void actorMatches(Caller caller, Envelope e) {
        if (!caller.isOperator() && !caller.org().equals(e.actor())) {
            throw new LedgerException(LedgerException.Kind.FORBIDDEN, "actor-mismatch", "Not your organisation",
                    "This token belongs to \"" + caller.org() + "\"; it cannot submit entries with payload.actor \""
                            + e.actor() + "\"", java.util.Map.of("field", "payload.actor"), null);
        }
    }

    /** Most envelopes in one batch request. */
    public static final int MAX_BATCH = 1000;

    /** {@code {"results": [...]}}, one result per envelope, in request order. */
    public record BatchResponse(List<BatchResult> results) {
    }

    private static BatchResult failed(String id, LedgerException e) {
        Problem p = ProblemMappers.problem(e);
        return new BatchResult(p.status(), id, null, p);
    }

    static final String EXAMPLE_ENVELOPE = "{\"payload\":{\"actor\":\"acme-fab\",\"eccn\":\"3A090.a\","
            + "\"id\":\"7d5c1a9e-3f2b-4c6d-9e8f-0a1b2c3d4e5f\",\"kind\":\"accelerator\",\"model\":\"H200-SXM\","
            + "\"serial\":\"GH200-0001\",\"site\":\"hsinchu-f18\",\"time\":\"2026-11-27T08:00:00Z\","
            + "\"type\":\"unit.register\"},\"signature\":{\"alg\":\"Ed25519\",\"keyId\":"
            + "\"7250abde7c2a2c0f6a0a2bd6e4e0c8f4f1c6b5a2d3e4f5a6b7c8d9e0f1a2b482\",\"value\":\"<base64 signature over "
            + "the RFC 8785 canonical payload>\"}}";
    static final String EXAMPLE_RECEIPT = "{\"index\":41,\"leafHash\":\"<hex>\",\"integratedTime\":"
            + "\"2026-11-27T08:00:00.123Z\",\"checkpoint\":\"fabtrail.local/log\\n42\\n<base64 root>\\n\\n— "
            + "fabtrail.local/log <base64 signature>\\n\",\"inclusionProof\":{\"leafIndex\":41,\"treeSize\":42,"
            + "\"hashes\":[\"<hex>\",\"<hex>\"]}}";
    static final String EXAMPLE_PROBLEM = "{\"type\":\"urn:fabtrail:problem:not-custodian\",\"title\":"
            + "\"Not the custodian\",\"status\":409,\"detail\":\"acme-fab/GH200-0001 is held by \\\"northwind\\\", "
            + "not by \\\"acme-fab\\\"\",\"code\":\"not-custodian\",\"unit\":{\"manufacturer\":\"acme-fab\","
            + "\"serial\":\"GH200-0001\"}}";

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
    @Operation(operationId = "getEntryReceipt", summary = "The receipt of an entry already in the log, by its payload.id")
    public WriteReceipt receipt(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw LedgerException.malformed("invalid-id", "\"" + id + "\" is not a UUID");
        }
        LedgerException notFound = new LedgerException(LedgerException.Kind.NOT_FOUND, "entry-not-found",
                "No such entry", "No entry with id " + id + " that you may see");
        Receipt r = ledger.receipt(uuid).orElseThrow(() -> notFound);
        if (!log.canSee(caller.visibility(), r.index())) {
            throw notFound;
        }
        return WriteReceipt.from(r);
    }
}
