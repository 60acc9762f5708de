package org.fabtrail.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The language switch in every page's footer: a plain link (no JavaScript) that remembers the language in a cookie
 * and goes back to the page it was followed from. Changing a language changes nothing else, so a GET that another
 * site could trigger does no harm and needs no CSRF token.
 */
@Path("/language/{lang}")
public class LanguagePage {

    private static final int YEAR = (int) Duration.ofDays(365).toSeconds();

    @Inject
    WebConfig config;
    @Inject
    HttpServerRequest request;
    @Inject
    CurrentViewer viewer;

    @GET
    public Response choose(@PathParam("lang") String lang, @HeaderParam("Referer") String referer) {
        Optional<Locale> spoken = Languages.spoken(lang);
        if (spoken.isEmpty()) {
            return ErrorPage.notFound(viewer.find().orElse(null), Texts.of(FormMessages.class).error_language_unknown());
        }
        NewCookie cookie = new NewCookie.Builder(Languages.COOKIE).value(spoken.get().getLanguage()).path("/")
                .maxAge(YEAR).httpOnly(true).secure(Web.secure(config, request)).sameSite(NewCookie.SameSite.LAX)
                .build();
        return Response.seeOther(URI.create(back(referer))).cookie(cookie).build();
    }

    /** The path (and query) of the page the switch was followed from, on this site; else the home page. */
    static String back(String referer) {
        if (referer == null) {
            return "/";
        }
        try {
            URI from = URI.create(referer);
            String path = from.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/language/")) {
                return "/";
            }
            return from.getRawQuery() == null ? path : path + "?" + from.getRawQuery();
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
