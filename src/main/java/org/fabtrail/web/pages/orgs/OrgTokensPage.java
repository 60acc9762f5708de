package org.fabtrail.web.pages.orgs;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.ProblemMappers;
import org.fabtrail.api.auth.ApiToken;
import org.fabtrail.api.auth.ApiTokens;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.web.AdminMessages;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.OrgAdmin;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.signing.UiSubmit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An organisation's API tokens for its partner systems: list, create (name, scopes, lifetime; the token is shown once,
 * on the page that answers the form), revoke.
 */
@OrgAdmin
@Path("/orgs/{org}/tokens")
@Produces(MediaType.TEXT_HTML)
public class OrgTokensPage extends OrgAdminPage {

    /** A token as listed: never the token itself. */
    public record TokenView(UUID id, String name, String scopes, Instant createdAt, Instant expiresAt,
                            Instant revokedAt, Instant lastUsedAt, String state) {
        static TokenView from(ApiToken t, boolean active) {
            String state = t.revokedAt != null ? "revoked" : active ? "active" : "expired";
            return new TokenView(t.id, t.name, String.join(", ", t.scopes), t.createdAt, t.expiresAt, t.revokedAt,
                    t.lastUsedAt, state);
        }

        public boolean revocable() {
            return revokedAt == null;
        }
    }

    public record TokensModel(CustodyQueries.OrgRecord org, List<TokenView> tokens, String next, String first,
                              String notice, Map<String, String> form, List<String> scopes,
                              Map<String, String> errors, int maxDays) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tokens(Viewer viewer, TokensModel m);

        static native TemplateInstance created(Viewer viewer, CustodyQueries.OrgRecord org, TokenView token,
                                               String secret);
    }

    @Inject
    ApiTokens apiTokens;

    @GET
    public Response list(@PathParam("org") String org,
                         @QueryParam("after") String after, @QueryParam("notice") String notice) {
        Viewer v = viewer.get();
        UUID cursor = Web.uuid(after).orElse(null);
        String text = "revoked".equals(notice) ? Texts.of(AdminMessages.class).org_token_revoked() : null;
        TokensModel m = model(org, cursor, text, Map.of("expiresInDays", String.valueOf(ApiTokens.DEFAULT_DAYS)),
                List.of("read"), Map.of());
        return noStore(Templates.tokens(v, m));
    }

    /**
     * Creates a token and answers with the page that shows it, once. Not a redirect: the secret must not travel in a
     * URL or be kept anywhere for a later page; the answer is marked {@code no-store}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@PathParam("org") String org,
                           @FormParam("name") String name,
                           @FormParam("scopes") List<String> scopes, @FormParam("expiresInDays") String days) {
        Viewer v = viewer.get();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name == null ? "" : name);
        form.put("expiresInDays", days == null ? "" : days);
        List<String> chosen = scopes == null ? List.of() : scopes;
        try {
            Integer lifetime = null;
            if (days != null && !days.isBlank()) {
                if (!days.trim().matches("\\d{1,6}")) {
                    throw new LedgerException(LedgerException.Kind.RULE, "invalid-token-request", "Invalid token request",
                            Texts.of(AdminMessages.class).org_token_days(apiTokens.maxDays()),
                            Map.of("field", "expiresInDays"), null);
                }
                lifetime = Integer.parseInt(days.trim());
            }
            ApiTokens.Created created = apiTokens.create(org, name, chosen, lifetime);
            return noStore(Templates.created(v, org(org), TokenView.from(created.token(), true), created.secret()));
        } catch (LedgerException e) {
            String field = UiSubmit.field(e);
            TokensModel m = model(org, null, null, form, chosen, Map.of(field == null ? "name" : field, e.detail()));
            return noStore(ProblemMappers.status(e.kind()), Templates.tokens(v, m));
        }
    }

    @POST
    @Path("{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("org") String org,
                           @PathParam("id") String id) {
        Viewer v = viewer.get();
        UUID uuid = Web.uuid(id).orElse(null);
        try {
            if (uuid == null) {
                throw ApiTokens.notFound(id);
            }
            apiTokens.revoke(org, uuid);
        } catch (LedgerException e) {
            return ErrorPage.of(v, e);
        }
        return Web.redirect("/orgs/" + org + "/tokens?notice=revoked");
    }

    private TokensModel model(String org, UUID after, String notice, Map<String, String> form, List<String> scopes,
                              Map<String, String> errors) {
        String base = "/orgs/" + org + "/tokens";
        Slice<TokenView> tokens = Slice.of(apiTokens.page(org, after, PAGE + 1),
                t -> TokenView.from(t, apiTokens.active(t)), base, t -> t.id);
        return new TokensModel(org(org), tokens.rows(), tokens.next(), after == null ? null : base, notice, form,
                scopes, errors, apiTokens.maxDays());
    }
}
