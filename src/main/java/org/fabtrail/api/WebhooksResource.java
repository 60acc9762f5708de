package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.discrepancy.Webhooks;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;

import java.util.List;
import java.util.Map;
import java.util.UUID;


/**
 * An organisation's webhooks for the findings that name it and the custody events that concern it (HMAC-signed
 * deliveries, retried with backoff, every attempt logged): register (the secret is shown once), list, stop, and the
 * delivery log.
 */
@Path("/api/v1/orgs/{org}/webhooks")
@Tag(name = "Discrepancies")
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    @Inject
    Authenticator auth;
    @Inject
    Ledger ledger;
    @Inject
    Webhooks webhooks;

    /**
     * A webhook to register: its URL and the kinds of events it gets ({@code discrepancy}: the findings that name
     * the organisation; {@code custody}: the custody events that concern it). Without {@code events}: findings only.
     */
    public record WebhookRequest(String url,
                                 @Schema(description = "The kinds of events the webhook gets, each one of "
                                         + "\"discrepancy\" and \"custody\"; without it: [\"discrepancy\"]")
                                 List<String> events) {
    }

    @JsonPropertyOrder({"id", "org", "url", "events", "active", "createdAt", "createdBy", "secret"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookView(String id, String org, String url, List<String> events, boolean active,
                              String createdAt, String createdBy, String secret) {
        static WebhookView from(Webhooks.Hook h, String secret) {
            return new WebhookView(h.id().toString(), h.org(), h.url(), h.events(), h.active(),
                    h.createdAt().toString(), h.createdBy(), secret);
        }
    }

    @POST
        @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Register a webhook for the findings that name the organisation "
            + "and/or the custody events that concern it; the answer shows the HMAC secret once")
    @APIResponse(responseCode = "201", description = "The webhook, with its signing secret shown this once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookView.class)))
    public Response addWebhook(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("org") String org, WebhookRequest request) {
        Caller caller = auth.caller(authorization).requireOrg(org).require(Caller.ADMIN);
        if (request == null || request.url() == null) {
            throw DiscrepanciesResource.bad("url", "the body must be {\"url\": \"https://...\"}");
        }
        List<String> events = request.events() == null ? List.of(Webhooks.DISCREPANCY) : request.events();
        try {
            Webhooks.eventKinds(events);
        } catch (IllegalArgumentException e) {
            throw DiscrepanciesResource.bad("events", e.getMessage());
        }
        try {
            webhooks.checkUrl(request.url());
        } catch (IllegalArgumentException e) {
            throw new LedgerException(LedgerException.Kind.RULE, "invalid-webhook-url", "Invalid webhook URL",
                    e.getMessage(), Map.of("field", "url"), null);
        }
        Webhooks.Registered r = ledger.read(c -> webhooks.register(org, request.url(),
                caller.isOperator() ? "operator" : "token:" + caller.tokenId(), events));
        return Response.status(201).entity(WebhookView.from(r.hook(), r.secret())).build();
    }

    @GET
        @Operation(operationId = "listWebhooks", summary = "The organisation's webhooks")
    public List<WebhookView> webhooks(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                      @PathParam("org") String org) {
        auth.caller(authorization).requireOrg(org).require(Caller.READ);
        return ledger.read(c -> webhooks.hooks(org).stream().map(h -> WebhookView.from(h, null)).toList());
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteWebhook", summary = "Stop a webhook (its delivery log is kept)")
    @APIResponse(responseCode = "204", description = "Stopped")
    public Response deleteWebhook(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @PathParam("org") String org, @PathParam("id") String id) {
        auth.caller(authorization).requireOrg(org).require(Caller.ADMIN);
        UUID u;
        try {
            u = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new LedgerException(LedgerException.Kind.NOT_FOUND, "webhook-not-found", "No such webhook",
                    "No active webhook " + id + " of " + org);
        }
        boolean done = ledger.read(c -> webhooks.deactivate(org, u));
        if (!done) {
            throw new LedgerException(LedgerException.Kind.NOT_FOUND, "webhook-not-found", "No such webhook",
                    "No active webhook " + id + " of " + org);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The delivery log of the organisation's webhooks, newest first (last 200)")
    public List<Webhooks.Delivery> deliveries(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                              @PathParam("org") String org) {
        auth.caller(authorization).requireOrg(org).require(Caller.READ);
        return ledger.read(c -> webhooks.deliveries(org, 200));
    }

}
