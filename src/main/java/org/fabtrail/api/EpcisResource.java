package org.fabtrail.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.epcis.EpcisDocuments;
import org.fabtrail.epcis.EpcisExport;
import org.fabtrail.epcis.EpcisQuery;
import org.fabtrail.epcis.EpcisCapture;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * GS1 EPCIS 2.0 (docs/api.md, "EPCIS 2.0"): the custody entries the caller may see as EPCIS events, one unit's story
 * as an EPCISDocument, and the core of the EPCIS REST query binding ({@code GET /api/v1/epcis/events}). Answers are
 * JSON-LD, as {@code application/json} or, when asked for, {@code application/ld+json}. One unit's story is served by
 * {@link UnitEpcisResource} (its path lies under {@code /api/v1/units}).
 */
@Path("/api/v1/epcis")
@Tag(name = "EPCIS")
@Produces({MediaType.APPLICATION_JSON, EpcisResource.LD_JSON})
public class EpcisResource {

    static final String LD_JSON = "application/ld+json";

    @Inject
    Authenticator auth;
    @Inject
    Ledger ledger;
    @Inject
    EpcisDocuments documents;
    @Inject
    ObjectMapper json;
    @Inject
    EnvelopeParser parser;
    @Context
    UriInfo uri;

    @GET
    @Path("events")
    @Operation(operationId = "queryEpcisEvents", summary = "EPCIS 2.0 SimpleEventQuery over the entries of your feed: "
            + "eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_action, EQ_bizStep, EQ_disposition, MATCH_epc, "
            + "MATCH_parentID, MATCH_anyEPC, EQ_readPoint, EQ_bizLocation (lists separated by |), paged with perPage "
            + "and nextPageToken (the next page's URL is in the Link header, rel=\"next\")")
    @APIResponse(responseCode = "200", description = "An EPCISQueryDocument; a Link header names the next page unless "
            + "this is the last", content = {@Content(mediaType = MediaType.APPLICATION_JSON), @Content(mediaType = LD_JSON)})
    @APIResponse(responseCode = "400", description = "invalid-parameter: an unknown, repeated or malformed parameter "
            + "(named in the problem's parameter member)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "401", description = "unauthenticated: no valid bearer token",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response events(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        EpcisQuery q = new EpcisQuery(uri.getQueryParameters(true));
        EpcisExport.Page page = documents.query(caller.visibility(), q, proofBase(uri));
        Response.ResponseBuilder r = answer(json, EpcisExport.queryDocument(page.events(), Instant.now()));
        if (page.next() != null) {
            r.header("Link", "<" + uri.getRequestUriBuilder().replaceQueryParam("nextPageToken", page.next().format())
                    .build() + ">; rel=\"next\"");
        }
        return r.build();
    }

    @POST
    @Path("capture")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "captureEpcis", summary = "Capture an EPCIS 2.0 document: a signed epcis.capture entry "
            + "whose payload.document is the EPCISDocument; its events are applied in order as the custody entries "
            + "they map to, all or nothing", description = "The body is a signed envelope as for POST /api/v1/entries, "
            + "whose payload.type must be epcis.capture. Answers as that endpoint does; a refused event is named in "
            + "the problem's event member (its position) and field (payload.document.epcisBody.eventList[i]...).")
    @APIResponse(responseCode = "201", description = "Captured: every event applied; the receipt of the entry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WriteReceipt.class)))
    @APIResponse(responseCode = "200", description = "An identical resubmission: the original answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WriteReceipt.class)))
    @APIResponse(responseCode = "400", description = "Not a well-formed signed envelope",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "An event breaks a custody rule (nothing is written)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "not-epcis-capture, an event Fabtrail cannot apply, or one that "
            + "breaks a rule of its entry type (nothing is written)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response capture(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Caller caller = auth.caller(authorization).require(Caller.WRITE);
        Envelope envelope = parser.parse(body);
        if (!EpcisCapture.TYPE.equals(envelope.type())) {
            throw new LedgerException(LedgerException.Kind.RULE, "not-epcis-capture", "Not an EPCIS capture",
                    "payload.type must be " + EpcisCapture.TYPE + " here; other entries go to POST /api/v1/entries",
                    Map.of("field", "payload.type"), null);
        }
        EntriesResource.actorMatches(caller, envelope);
        Receipt receipt = ledger.submitAndWait(envelope);
        return EntriesResource.created(envelope.id(), receipt, WriteReceipt.from(receipt));
    }

    /** The export for this request: proofs linked against the log's current size, at this server's address. */
    /** The URL of the inclusion-proof endpoint the events point to. */
    static String proofBase(UriInfo uri) {
        return uri.getBaseUriBuilder().path("api/v1/log/proof/inclusion").build().toString();
    }

    /** A 200 answer with the document and the EPCIS version headers. */
    static Response.ResponseBuilder answer(ObjectMapper json, Map<String, Object> document) {
        try {
            return Response.ok(json.writeValueAsString(document)).header("GS1-EPCIS-Version", "2.0.0")
                    .header("GS1-CBV-Version", "2.0.0");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
