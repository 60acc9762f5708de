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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.fabtrail.accounts.IdentityProvider;
import org.fabtrail.accounts.IdentityProviders;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.discrepancy.Webhooks;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.web.AdminMessages;
import org.fabtrail.web.OrgAccess;
import org.fabtrail.web.OrgAdmin;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.session.OidcSignIn;

import java.util.Map;

/**
 * An organisation's OpenID Connect identity provider (docs/operators.md): issuer, client id and secret (sealed at
 * rest, never shown again), the claim that names the user, the groups that make an org admin or a member, and
 * whether unknown users get an account. Org admins and the operator's staff, through {@link OrgAccess}.
 */
@OrgAdmin
@Path("/orgs/{org}/identity-provider")
public class OrgIdentityProviderPage extends OrgAdminPage {

    /** The form as shown: the stored settings, or what was typed with the errors. */
    public record Form(String issuer, String clientId, boolean secretSet, String userClaim, String groupsClaim,
                       String adminGroup, String memberGroup, boolean provision) {
        static Form of(IdentityProvider p) {
            IdentityProviders.Settings s = p.settings;
            return new Form(s.issuer(), s.clientId(), true, s.userClaim(), s.groupsClaim(), nn(s.adminGroup()),
                    nn(s.memberGroup()), s.provision());
        }

        static final Form EMPTY = new Form("", "", false, "preferred_username", "groups", "", "", false);
    }

    public record ProviderModel(CustodyQueries.OrgRecord org, boolean configured, Form form, String callback,
                                String startUrl, String notice, Map<String, String> errors) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance provider(Viewer viewer, ProviderModel m);
    }

    @Inject
    IdentityProviders providers;
    @Inject
    Webhooks webhooks;
    @Context
    UriInfo uri;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("org") String org, @QueryParam("notice") String notice) {
        var stored = providers.of(org);
        AdminMessages t = Texts.of(AdminMessages.class);
        String text = "saved".equals(notice) ? t.org_provider_saved(org)
                : "removed".equals(notice) ? t.org_provider_removed() : null;
        return answer(200, org, stored.isPresent(), stored.map(Form::of).orElse(Form.EMPTY), text, Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response save(@PathParam("org") String org, @FormParam("issuer") String issuer,
                         @FormParam("clientId") String clientId, @FormParam("clientSecret") String clientSecret,
                         @FormParam("userClaim") String userClaim, @FormParam("groupsClaim") String groupsClaim,
                         @FormParam("adminGroup") String adminGroup, @FormParam("memberGroup") String memberGroup,
                         @FormParam("provision") String provision) {
        Viewer v = viewer.get();
        boolean configured = providers.of(org).isPresent();
        Form typed = new Form(nn(issuer).trim(), nn(clientId), configured, nn(userClaim), nn(groupsClaim),
                nn(adminGroup), nn(memberGroup), provision != null);
        try {
            if (typed.issuer().length() > 500) {
                throw new IllegalArgumentException("the URL is longer than 500 characters");
            }
            webhooks.checkUrl(typed.issuer());
        } catch (IllegalArgumentException e) {
            return answer(422, org, configured, typed, null, Map.of("issuer", Texts.of(AdminMessages.class).org_not_saved(e.getMessage())));
        }
        try {
            providers.save(org, new IdentityProviders.Settings(typed.issuer(), typed.clientId(), typed.userClaim(),
                    typed.groupsClaim(), typed.adminGroup(), typed.memberGroup(), typed.provision()), clientSecret,
                    "ui:" + v.username());
        } catch (LedgerException e) {
            if (e.kind() != LedgerException.Kind.RULE) {
                throw e;
            }
            return answer(422, org, configured, typed, null, Map.of(String.valueOf(e.details().get("field")),
                    Texts.of(AdminMessages.class).org_not_saved(e.detail())));
        }
        return Web.redirect("/orgs/" + org + "/identity-provider?notice=saved");
    }

    @POST
    @Path("remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@PathParam("org") String org) {
        providers.remove(org);
        return Web.redirect("/orgs/" + org + "/identity-provider?notice=removed");
    }

    private Response answer(int status, String org, boolean configured, Form form, String notice,
                            Map<String, String> errors) {
        Viewer v = viewer.get();
        String callback = OidcSignIn.callback(uri).toString();
        String start = uri.getBaseUriBuilder().path("login/sso/" + org).build().toString();
        return noStore(status, Templates.provider(v, new ProviderModel(org(org), configured, form, callback, start,
                notice, errors)));
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
