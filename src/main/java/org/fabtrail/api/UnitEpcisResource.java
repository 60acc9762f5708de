package org.fabtrail.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.epcis.EpcisDocuments;
import org.fabtrail.epcis.EpcisExport;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One unit's whole story as an EPCIS 2.0 EPCISDocument (docs/api.md, "EPCIS 2.0"): the events of its history, which
 * the caller may read exactly when it may read the unit; a unit it may not see answers 404 as one that does not
 * exist. Its own class because its path lies under {@link UnitsResource}'s; the rest is {@link EpcisResource}.
 */
@Path("/api/v1/units/{manufacturer}/{serial}/epcis")
@Tag(name = "EPCIS")
@Produces({MediaType.APPLICATION_JSON, EpcisResource.LD_JSON})
public class UnitEpcisResource {

    @Inject
    Authenticator auth;
    @Inject
    EpcisDocuments documents;
    @Inject
    ObjectMapper json;
    @Context
    UriInfo uri;


    @GET
    @Operation(operationId = "getUnitEpcis", summary = "A unit's whole story as an EPCIS 2.0 EPCISDocument: one event "
            + "per custody entry about it, in log order")
    @APIResponse(responseCode = "200", description = "The EPCISDocument",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON), @Content(mediaType = EpcisResource.LD_JSON)})
    @APIResponse(responseCode = "401", description = "unauthenticated: no valid bearer token",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", description = "unit-not-found: no such unit, or one you may not see",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response unit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        UnitKey k = UnitsResource.key(manufacturer, serial);
        List<Map<String, Object>> events = documents.unit(caller.visibility(), k, EpcisResource.proofBase(uri))
                .orElseThrow(() -> UnitsResource.notFound(manufacturer, serial));
        return EpcisResource.answer(json, EpcisExport.document(events, Instant.now())).build();
    }
}
