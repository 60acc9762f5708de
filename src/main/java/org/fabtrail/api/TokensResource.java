package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import org.fabtrail.api.auth.ApiToken;
import org.fabtrail.api.auth.ApiTokens;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.custody.Organisations;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SafeText;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * API tokens of an organisation: created and revoked by the operator or by the organisation itself with an
 * {@code admin}-scoped token. A token is shown once, when created; only its SHA-256 is stored.
 */
@Path("/api/v1/orgs/{org}/tokens")
@Tag(name = "Tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokensResource {

    /** {@code POST} body: a name, scopes (read, write, admin), and a lifetime in days. */
    public record TokenRequest(String name, List<String> scopes, Integer expiresInDays) {
    }

    /** A token as listed; {@code token} is present only in the answer that created it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(String id, String org, String name, List<String> scopes, Instant createdAt,
                            Instant expiresAt, Instant revokedAt, Instant lastUsedAt, String token) {
        static TokenView from(ApiToken t, String secret) {
            return new TokenView(t.id.toString(), t.orgId, t.name, List.of(t.scopes), t.createdAt, t.expiresAt,
                    t.revokedAt, t.lastUsedAt, secret);
        }
    }

    @Inject
    Authenticator auth;
    @Inject
    ApiTokens tokens;
    @Inject
    Organisations organisations;

    private Caller admin(String authorization, String org) {
        Caller caller = auth.caller(authorization).requireOrg(org).require(Caller.ADMIN);
        if (!organisations.exists(org)) {
            throw new LedgerException(LedgerException.Kind.NOT_FOUND, "unknown-org", "Unknown organisation",
                    "Organisation \"" + org + "\" is not registered");
        }
        return caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createToken", summary = "Create an API token (the answer is the only time the token is shown)")
    @APIResponse(responseCode = "201", description = "The token, shown this once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenView.class)))
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String org,
                           TokenRequest req) {
        admin(authorization, org);
        if (req != null) {
            SafeText.singleLine("name", req.name());
        }
        ApiTokens.Created created = req == null ? tokens.create(org, null, null, null)
                : tokens.create(org, req.name(), req.scopes(), req.expiresInDays());
        return Response.status(201).entity(TokenView.from(created.token(), created.secret())).build();
    }

    @GET
    @Operation(operationId = "listTokens", summary = "List an organisation's tokens (never the tokens themselves)")
    public List<TokenView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String org) {
        admin(authorization, org);
        return tokens.list(org).stream().map(t -> TokenView.from(t, null)).toList();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "revokeToken", summary = "Revoke a token; it stops working on its next request")
    public TokenView revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String org,
                            @PathParam("id") String id) {
        admin(authorization, org);
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiTokens.notFound(id);
        }
        return TokenView.from(tokens.revoke(org, uuid), null);
    }
}
