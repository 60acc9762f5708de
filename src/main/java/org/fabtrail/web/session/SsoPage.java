package org.fabtrail.web.session;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.fabtrail.accounts.IdentityProviders;
import org.fabtrail.web.Web;
import org.fabtrail.web.WebConfig;

import java.net.URI;

/**
 * Sign-in through an organisation's identity provider ({@link OidcSignIn}): {@code /login/sso/<org>} sends the
 * browser to the provider, {@code /login/callback} takes it back and opens an ordinary session, so CSRF tokens,
 * roles and sign-out work as after a password. A refusal is the sign-in page with the reason; nothing is created.
 * Links, not a form, lead here: the Content-Security-Policy's {@code form-action 'self'} would stop a form's redirect
 * to the provider.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SsoPage {

    /** The state of the sign-in under way in this browser (SameSite=Lax: the provider's redirect back carries it). */
    public static final String STATE_COOKIE = "ft_sso_state";

    @Inject
    OidcSignIn oidc;
    @Inject
    SessionManager sessions;
    @Inject
    IdentityProviders providers;
    @Inject
    WebConfig config;
    @Context
    UriInfo uri;
    @Context
    HttpServerRequest request;

    @GET
    @Path("login/sso/{org}")
    public Response start(@PathParam("org") String org, @QueryParam("next") String next) {
        try {
            OidcSignIn.Start s = oidc.start(org, next, callback());
            return Response.seeOther(s.authorization()).header("Cache-Control", "no-store")
                    .cookie(stateCookie(s.state(), -1)).build();
        } catch (OidcSignIn.Refused e) {
            return LoginPage.form(e.status, next, e.getMessage(),
                    providers.organisations(), Web.secure(config, request));
        }
    }

    @GET
    @Path("login/callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code,
                             @QueryParam("error") String error, @CookieParam(STATE_COOKIE) String issued) {
        try {
            OidcSignIn.Finished f = oidc.finish(state, issued, code, error, callback());
            return Response.seeOther(URI.create(Web.safeNext(f.next())))
                    .cookie(Web.sessionCookie(sessions.open(f.account().id), Web.secure(config, request)), stateCookie("", 0))
                    .build();
        } catch (OidcSignIn.Refused e) {
            Response page = LoginPage.form(403, "/", e.getMessage(), providers.organisations(),
                    Web.secure(config, request));
            return Response.fromResponse(page).cookie(stateCookie("", 0)).build();
        }
    }

    private URI callback() {
        return OidcSignIn.callback(uri);
    }

    private NewCookie stateCookie(String value, int maxAge) {
        return new NewCookie.Builder(STATE_COOKIE).value(value).path("/login").httpOnly(true).secure(Web.secure(config, request))
                .sameSite(NewCookie.SameSite.LAX).maxAge(maxAge).build();
    }
}
