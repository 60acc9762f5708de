package org.fabtrail.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.web.session.SessionManager;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;

/** Small helpers shared by the page classes: redirects, the session cookie, CSRF checks. */
public final class Web {

    private Web() {
    }

    /** Text as HTML or XML character data and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    public static Response redirect(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    /** To the login page, coming back to {@code next} afterwards. */
    static Response toLogin(String next) {
        return redirect("/login?next=" + URLEncoder.encode(next == null ? "/" : next, StandardCharsets.UTF_8));
    }

    public static NewCookie sessionCookie(String token, boolean secure) {
        return new NewCookie.Builder(SessionManager.COOKIE).value(token).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /**
     * Whether the cookies are Secure: always when so configured, else when the request came over TLS, which a
     * trusted proxy's {@code X-Forwarded-Proto} / {@code Forwarded} header tells (Quarkus believes it from trusted
     * proxies only).
     */
    public static boolean secure(WebConfig config, HttpServerRequest request) {
        return config.secureCookie() || request.isSSL();
    }

    public static NewCookie clearedCookie(boolean secure) {
        return new NewCookie.Builder(SessionManager.COOKIE).value("").path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
    }

    /** Whether a form's token is the one issued (compared in constant time); a missing one never is. */
    public static boolean sameToken(String issued, String submitted) {
        return issued != null && !issued.isEmpty() && submitted != null && MessageDigest.isEqual(
                issued.getBytes(StandardCharsets.UTF_8), submitted.getBytes(StandardCharsets.UTF_8));
    }

    /** Refuses a form whose CSRF token is not this session's. */
    static void checkCsrf(Viewer viewer, String submitted) {
        if (!sameToken(viewer.csrf(), submitted)) {
            throw new LedgerException(LedgerException.Kind.FORBIDDEN, "csrf", "Form expired",
                    "This form was not issued to your session (or the session changed). Reload the page and try again.");
        }
    }

    /** The text as a UUID, or empty when it is none (a mistyped or made-up id in a URL, or no text). */
    public static Optional<UUID> uuid(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Only local paths may be redirect targets (no open redirects). */
    public static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        try {
            URI.create(next); // it becomes a Location header: a malformed one would fail the answer
        } catch (IllegalArgumentException e) {
            return "/";
        }
        return next;
    }
}
