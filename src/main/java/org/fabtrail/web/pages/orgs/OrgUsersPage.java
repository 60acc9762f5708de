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
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.Accounts;
import org.fabtrail.api.ProblemMappers;
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

/** An organisation's users: list, add (username, name, role, initial password), disable (ends their sessions). */
@OrgAdmin
@Path("/orgs/{org}/users")
@Produces(MediaType.TEXT_HTML)
public class OrgUsersPage extends OrgAdminPage {

    public record UserView(UUID id, String username, String displayName, String role, Instant createdAt,
                           Instant disabledAt, boolean self) {
        /** Another active account: one the viewer may disable. */
        public boolean disableable() {
            return disabledAt == null && !self;
        }
    }

    /**
     * @param form   the values to show in the add form (never the password)
     * @param errors messages by form field
     * @param error  a message about the form as a whole
     */
    public record UsersModel(CustodyQueries.OrgRecord org, List<UserView> users, String next, String first,
                             String notice, Map<String, String> form, Map<String, String> errors, String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(Viewer viewer, UsersModel m);
    }

    @Inject
    Accounts accounts;

    @GET
    public Response list(@PathParam("org") String org,
                         @QueryParam("after") String after, @QueryParam("notice") String notice,
                         @QueryParam("user") String user) {
        Viewer v = viewer.get();
        String cursor = after != null && Accounts.USERNAME.matcher(after).matches() ? after : null;
        UsersModel m = model(v, org, cursor, notice(notice, user), Map.of("role", Account.MEMBER), Map.of(),
                null);
        return noStore(Templates.users(v, m));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@PathParam("org") String org,
                        @FormParam("username") String username,
                        @FormParam("displayName") String displayName, @FormParam("role") String role,
                        @FormParam("password") String password) {
        Viewer v = viewer.get();
        try {
            Account a = accounts.create(username, displayName, org, role, password);
            return Web.redirect("/orgs/" + org + "/users?notice=added&user=" + a.username);
        } catch (LedgerException e) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("username", username == null ? "" : username);
            form.put("displayName", displayName == null ? "" : displayName);
            form.put("role", role == null ? Account.MEMBER : role);
            String field = UiSubmit.field(e);
            Map<String, String> errors = field == null ? Map.of() : Map.of(field, e.detail());
            UsersModel m = model(v, org, null, null, form, errors, field == null ? e.detail() : null);
            return noStore(ProblemMappers.status(e.kind()), Templates.users(v, m));
        }
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable(@PathParam("org") String org,
                            @PathParam("id") String id) {
        Viewer v = viewer.get();
        UUID uuid = Web.uuid(id).orElse(null);
        if (uuid == null) {
            return ErrorPage.notFound(v, Texts.of(AdminMessages.class).org_no_user(org));
        }
        if (uuid.equals(v.userId())) {
            return ErrorPage.of(v, 409, Texts.of(AdminMessages.class).org_not_own_title(), Texts.of(AdminMessages.class).org_not_own());
        }
        try {
            accounts.disable(uuid, org);
        } catch (LedgerException e) {
            return ErrorPage.of(v, e);
        }
        return Web.redirect("/orgs/" + org + "/users?notice=disabled");
    }

    private UsersModel model(Viewer v, String org, String after, String notice, Map<String, String> form,
                             Map<String, String> errors, String error) {
        String base = "/orgs/" + org + "/users";
        Slice<UserView> users = Slice.of(accounts.page(org, after, PAGE + 1),
                a -> new UserView(a.id, a.username, a.displayName, a.role, a.createdAt, a.disabledAt,
                        a.id.equals(v.userId())), base, a -> a.username);
        return new UsersModel(org(org), users.rows(), users.next(), after == null ? null : base, notice, form, errors,
                error);
    }

    private static String notice(String code, String user) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "added" -> user != null && Accounts.USERNAME.matcher(user).matches()
                    ? Texts.of(AdminMessages.class).org_user_added_named(user) : Texts.of(AdminMessages.class).org_user_added();
            case "disabled" -> Texts.of(AdminMessages.class).org_user_disabled();
            default -> null;
        };
    }
}
