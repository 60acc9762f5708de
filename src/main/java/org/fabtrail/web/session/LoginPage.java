package org.fabtrail.web.session;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.fabtrail.accounts.IdentityProviders;
import org.fabtrail.api.HttpLimits;
import org.fabtrail.web.CsrfExempt;
import org.fabtrail.web.CurrentViewer;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Web;
import org.fabtrail.web.WebConfig;
import org.fabtrail.web.WebRequestFilter;

import java.net.URI;
import java.util.List;

/** Sign in and sign out. */
@Path("/")
public class LoginPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String next, String error, String username, String csrf,
                                             List<String> providers);

        static native TemplateInstance code(String error, String challenge, String csrf);
    }

    /**
     * The sign-in form's own CSRF token, before any session exists (double-submit: this cookie and the form's
     * {@code _csrf} field must match), so another site cannot sign a browser in to an account of its choosing.
     */
    static final String LOGIN_CSRF_COOKIE = "ft_login_csrf";

    @Inject
    SessionManager sessions;
    @Inject
    CurrentViewer viewer;
    @Context
    HttpServerRequest request;
    @Inject
    WebConfig config;
    @Inject
    IdentityProviders providers;

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("next") String next) {
        if (viewer.find().isPresent()) {
            return Web.redirect(Web.safeNext(next));
        }
        return form(200, next, null);
    }

    private Response form(int status, String next, String error) {
        return form(status, next, error, providers.organisations(), secure());
    }

    /** The sign-in form with a new CSRF pair, answering {@code status} with {@code error} (null: none). */
    static Response form(int status, String next, String error, List<String> providers, boolean secure) {
        String csrf = SessionManager.randomToken();
        return Response.status(status).type(MediaType.TEXT_HTML).header("Cache-Control", "no-store")
                .cookie(loginCsrfCookie(csrf, secure)).entity(Templates.login(Web.safeNext(next), error, "", csrf,
                        providers)).build();
    }

    @POST
    @Path("login")
    @CsrfExempt
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(@FormParam("username") String username, @FormParam("password") String password,
                          @FormParam("next") String next, @FormParam(WebRequestFilter.CSRF_FIELD) String submitted,
                          @CookieParam(LOGIN_CSRF_COOKIE) String issued) {
        if (!Web.sameToken(issued, submitted)) {
            return form(403, next, Texts.of(FormMessages.class).signin_form_expired());
        }
        String address = HttpLimits.clientAddress(request);
        try {
            String token = sessions.login(username, password, address, Web.safeNext(next));
            return Response.seeOther(URI.create(Web.safeNext(next)))
                    .cookie(Web.sessionCookie(token, secure())).build();
        } catch (SessionManager.SecondFactorRequired e) {
            return Response.ok(Templates.code(null, e.challenge, issued)).type(MediaType.TEXT_HTML)
                    .header("Cache-Control", "no-store").build();
        } catch (SessionManager.LoginRefused e) {
            return Response.status(401).entity(Templates.login(Web.safeNext(next), e.getMessage(),
                    username == null ? "" : username, issued, providers.organisations())).type(MediaType.TEXT_HTML)
                    .build();
        } catch (SessionManager.LoginThrottled e) {
            return Response.status(429).header("Retry-After", e.retryAfter).entity(Templates.login(Web.safeNext(next),
                    e.getMessage(), username == null ? "" : username, issued, providers.organisations()))
                    .type(MediaType.TEXT_HTML).build();
        }
    }

    /** The second step of a sign-in whose account has a second factor: the authenticator app's current code. */
    @POST
    @Path("login/code")
    @CsrfExempt
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response code(@FormParam("challenge") String challenge, @FormParam("code") String code,
                         @FormParam(WebRequestFilter.CSRF_FIELD) String submitted,
                         @CookieParam(LOGIN_CSRF_COOKIE) String issued) {
        if (!Web.sameToken(issued, submitted)) {
            return form(403, "/", Texts.of(FormMessages.class).signin_form_expired());
        }
        try {
            SessionManager.CodeAccepted accepted = sessions.completeSecondFactor(challenge, code,
                    HttpLimits.clientAddress(request));
            return Response.seeOther(URI.create(Web.safeNext(accepted.next())))
                    .cookie(Web.sessionCookie(accepted.token(), secure())).build();
        } catch (SessionManager.WrongCode e) {
            return Response.status(401).type(MediaType.TEXT_HTML).header("Cache-Control", "no-store")
                    .entity(Templates.code(e.getMessage(), challenge, issued)).build();
        } catch (SessionManager.LoginRefused e) {
            return form(401, "/", e.getMessage());
        } catch (SessionManager.LoginThrottled e) {
            return Response.status(429).header("Retry-After", e.retryAfter).type(MediaType.TEXT_HTML)
                    .entity(Templates.code(e.getMessage(), challenge, issued)).build();
        }
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@CookieParam(SessionManager.COOKIE) String cookie) {
        sessions.logout(cookie); // the filter checked the form's CSRF token when the session is live
        return Response.seeOther(URI.create("/login")).cookie(Web.clearedCookie(secure())).build();
    }

    /** The sign-in form's own CSRF cookie (SameSite=Strict, only for the sign-in paths). */
    private static NewCookie loginCsrfCookie(String token, boolean secure) {
        return new NewCookie.Builder(LOGIN_CSRF_COOKIE).value(token).path("/login").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    private boolean secure() {
        return Web.secure(config, request);
    }
}
