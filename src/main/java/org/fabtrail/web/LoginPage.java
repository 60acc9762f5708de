package org.fabtrail.web;

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
import org.fabtrail.api.HttpLimits;

import java.net.URI;

/** Sign in and sign out. */
@Path("/")
public class LoginPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String next, String error, String username, String csrf);
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

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("next") String next) {
        if (viewer.find().isPresent()) {
            return Web.redirect(Web.safeNext(next));
        }
        String csrf = SessionManager.randomToken();
        return Response.ok(Templates.login(Web.safeNext(next), null, "", csrf)).header("Cache-Control", "no-store")
                .cookie(loginCsrfCookie(csrf)).build();
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
            String csrf = SessionManager.randomToken();
            return Response.status(403).type(MediaType.TEXT_HTML).header("Cache-Control", "no-store")
                    .cookie(loginCsrfCookie(csrf)).entity(Templates.login(Web.safeNext(next), "This sign-in form "
                            + "expired or was not issued by this site. Please sign in again.", "", csrf)).build();
        }
        String address = HttpLimits.clientAddress(request);
        try {
            String token = sessions.login(username, password, address);
            return Response.seeOther(URI.create(Web.safeNext(next)))
                    .cookie(Web.sessionCookie(token, secure())).build();
        } catch (SessionManager.LoginRefused e) {
            return Response.status(401).entity(Templates.login(Web.safeNext(next), e.getMessage(),
                    username == null ? "" : username, issued)).type(MediaType.TEXT_HTML).build();
        } catch (SessionManager.LoginThrottled e) {
            return Response.status(429).header("Retry-After", e.retryAfter).entity(Templates.login(Web.safeNext(next),
                    e.getMessage(), username == null ? "" : username, issued)).type(MediaType.TEXT_HTML).build();
        }
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@CookieParam(SessionManager.COOKIE) String cookie) {
        sessions.logout(cookie); // the filter checked the form's CSRF token when the session is live
        return Response.seeOther(URI.create("/login")).cookie(Web.clearedCookie(secure())).build();
    }

    /**
     * Whether the session cookie is Secure: always when so configured, else when the request came over TLS, which a
     * trusted proxy's {@code X-Forwarded-Proto} / {@code Forwarded} header tells (Quarkus believes it from trusted
     * proxies only).
     */
    private NewCookie loginCsrfCookie(String token) {
        return new NewCookie.Builder(LOGIN_CSRF_COOKIE).value(token).path("/login").httpOnly(true).secure(secure())
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    private boolean secure() {
        return config.secureCookie() || request.isSSL();
    }
}
