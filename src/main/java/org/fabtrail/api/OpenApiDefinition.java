package org.fabtrail.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI document's header: what the API is and how callers authenticate. */
@OpenAPIDefinition(
        info = @Info(title = "Fabtrail API", version = "1",
                description = "Signed, append-only custody ledger for export-controlled AI hardware. Partners submit "
                        + "signed entries (RFC 8785 canonical payload, Ed25519 or ES256) and read units, histories, "
                        + "offline bundles and a cursor feed. Every write is answered with its log index, the signed "
                        + "checkpoint covering it and an inclusion proof. Errors are RFC 9457 problem+json with type "
                        + "urn:fabtrail:problem:<code>. The guide with worked examples is docs/api.md."),
        security = @SecurityRequirement(name = "bearer"),
        tags = {@Tag(name = "Entries"), @Tag(name = "Units"), @Tag(name = "Feed"), @Tag(name = "Transfers"),
                @Tag(name = "Organisations"), @Tag(name = "Tokens"), @Tag(name = "Log", description = "Public: "
                + "checkpoints, proofs, hash tiles and the log key need no token"), @Tag(name = "Admin")})
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An organisation's API token (ftk_...), or the operator's bootstrap admin token")
public class OpenApiDefinition extends Application {
}
