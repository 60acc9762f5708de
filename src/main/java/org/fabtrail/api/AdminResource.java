package org.fabtrail.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.Accounts;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.custody.KeyAddition;
import org.fabtrail.custody.KeyRevokePayload;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.OrgRegistration;
import org.fabtrail.custody.Organisations;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.ledger.SafeText;

import java.util.List;
import java.util.Map;

/**
 * Operator administration with the bootstrap admin token ({@code FABTRAIL_BOOTSTRAP_ADMIN_TOKEN}): onboarding
 * organisations and managing their keys. Each call appends an operator-signed entry and answers like any write.
 */
@Path("/api/v1/admin")
@Tag(name = "Admin")
public class AdminResource {

    /** {@code POST /api/v1/admin/orgs} body. */
    public record OrgRequest(String id, String name, String country, List<String> roles) {
    }

    /** {@code POST /api/v1/admin/users} body: a web UI account (org null and role operator for operator staff). */
    public record UserRequest(String username, String displayName, String org, String role, String password) {
    }

    /** The answer: the account, never the password. */
    public record UserView(String id, String username, String displayName, String org, String role) {
    }

    /** {@code POST /api/v1/admin/orgs/{org}/keys} body. */
    public record KeyRequest(String publicKey) {
    }

    @Inject
    Ledger ledger;
    @Inject
    Organisations organisations;
    @Inject
    OperatorEntries operator;
    @Inject
    Authenticator auth;
    @Inject
    Accounts accounts;

    @POST
    @Path("orgs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerOrg", summary = "Register an organisation (appends an operator-signed org.register)")
    @APIResponse(responseCode = "201", description = "Appended: the org.register entry's receipt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WriteReceipt.class)))
    public Response registerOrg(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, OrgRequest req) {
        authorise(auth);
        if (req == null) {
            throw LedgerException.malformed("missing-body", "A JSON body {id, name, country, roles} is required");
        }
        // Checked here, in the client's own field names, before the operator signs anything: the parser would refuse
        // the signed entry too, but naming payload.name, and a lone surrogate would not even canonicalise.
        SafeText.singleLine("id", req.id());
        SafeText.multiLine("name", req.name());
        SafeText.singleLine("country", req.country());
        if (req.roles() != null) {
            for (int i = 0; i < req.roles().size(); i++) {
                SafeText.singleLine("roles[" + i + "]", req.roles().get(i));
            }
        }
        OrgRegistration org = new OrgRegistration(req.id(), req.name(), req.country(), req.roles());
        return write(operator.sign("org.register", org), null);
    }

    @POST
    @Path("orgs/{org}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addOrgKey", summary = "Register a signing key for an organisation (appends key.add); the answer adds keyId")
    @APIResponse(responseCode = "201", description = "Appended: the key.add entry's receipt, with keyId",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WriteReceipt.class)))
    public Response addKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                            @PathParam("org") String org, KeyRequest req) {
        authorise(auth);
        SafeText.singleLine("org", org);
        if (req == null || req.publicKey() == null) {
            throw LedgerException.malformed("missing-field", "publicKey (a PEM SubjectPublicKeyInfo) is required");
        }
        SafeText.multiLine("publicKey", req.publicKey());
        String keyId;
        try {
            keyId = VerificationKey.fromPem(req.publicKey()).keyId();
        } catch (KeyFormatException e) {
            throw new LedgerException(LedgerException.Kind.RULE, "invalid-public-key", "Invalid entry",
                    "publicKey is not a PEM Ed25519 or P-256 public key: " + e.getMessage(),
                    Map.of("field", "publicKey"), null);
        }
        return write(operator.sign("key.add", new KeyAddition(org, req.publicKey())), keyId);
    }

    @DELETE
    @Path("orgs/{org}/keys/{keyId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "revokeOrgKey", summary = "Revoke an organisation's key (appends key.revoke)")
    @APIResponse(responseCode = "201", description = "Appended: the key.revoke entry's receipt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WriteReceipt.class)))
    public Response revokeKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                               @PathParam("org") String org, @PathParam("keyId") String keyId) {
        authorise(auth);
        SafeText.singleLine("org", org);
        SafeText.singleLine("keyId", keyId);
        return write(operator.sign("key.revoke",
                new KeyRevokePayload(org, keyId, "revoked by the operator")), null);
    }

    @POST
    @Path("users")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createUser", summary = "Create a web UI account: the first admin of an organisation, or operator staff")
    @APIResponse(responseCode = "201", description = "The account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    public Response createUser(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, UserRequest req) {
        authorise(auth);
        if (req == null) {
            throw LedgerException.malformed("missing-body", "A JSON body {username, displayName, org, role, password} is required");
        }
        SafeText.singleLine("username", req.username());
        SafeText.multiLine("displayName", req.displayName());
        SafeText.singleLine("org", req.org());
        SafeText.singleLine("role", req.role());
        if (req.org() != null && !organisations.exists(req.org())) {
            throw new LedgerException(LedgerException.Kind.RULE, "unknown-org", "Unknown organisation",
                    "Organisation \"" + req.org() + "\" is not registered", Map.of("field", "org"), null);
        }
        Account a = accounts.create(req.username(), req.displayName(), req.org(), req.role(), req.password());
        return Response.status(201).entity(new UserView(a.id.toString(), a.username, a.displayName, a.orgId, a.role))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private Response write(Envelope e, String keyId) {
        Receipt receipt = ledger.submitAndWait(e);
        WriteReceipt body = WriteReceipt.from(receipt);
        return EntriesResource.created(e.id(), receipt, keyId == null ? body : body.withKeyId(keyId));
    }

    private void authorise(String header) {
        auth.operator(header);
    }
}
