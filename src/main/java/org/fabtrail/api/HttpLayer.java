package org.fabtrail.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The answers the HTTP layer gives itself, before or instead of a resource, each with an RFC 9457 problem body
 * (pages: a readable HTML page) instead of the empty body Vert.x and Quarkus would send:
 *
 * <ul>
 *   <li>a request target that is not a valid URI: {@code 400 bad-request} (Quarkus's own check, which answers an
 *       empty 400 before any route runs, is switched off by {@code vertx.disableURIValidation}, set in
 *       {@code FabtrailMain} and for the tests in the build);</li>
 *   <li>a {@code %} in the request target that starts no percent-escape: {@code 400 invalid-escape} (in a form
 *       body, {@link FormBodyFaults}); a
 *       {@code Transfer-Encoding} that does not end in {@code chunked} (a body of unknown length), or
 *       {@code Authorization} headers that differ: {@code 400 bad-request};</li>
 *   <li>a {@code Content-Length} over {@code quarkus.http.limits.max-body-size}: {@code 413 body-too-large},
 *       answered before the body is read; a chunked body is read (without a worker thread) up to the same limit
 *       and refused the same way when it exceeds it;</li>
 *   <li>every other failure a route reports (a status, or an exception no resource mapped): the problem of that
 *       status; only 5xx, real server faults, are logged, with their stack trace.</li>
 * </ul>
 *
 * Requests that Vert.x's HTTP codec cannot decode at all (414, 431, a malformed request line) are answered by
 * {@link HttpCodecErrors} with {@link #send}.
 */
@ApplicationScoped
public class HttpLayer {

    /** The problem code of a malformed percent-escape. */
    public static final String INVALID_ESCAPE = "invalid-escape";

    private static final Logger LOG = Logger.getLogger(HttpLayer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    void routes(@Observes Router router) {
        long limit = maxBodySize.asLongValue();
        // before Quarkus's own upload limit (order -2), which answers an empty 413
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> screen(ctx, limit));
        // after any route that reads bodies itself (a body already read is left alone), before the resources
        BodyHandler chunkedBodies = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(RouteConstants.ROUTE_ORDER_COMPRESSION + 1).handler(ctx -> {
            if (isChunkedNonForm(ctx.request()) && !ctx.request().isEnded() && !ctx.body().available()
                    && ctx.body().buffer() == null) {
                chunkedBodies.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (!ctx.response().headWritten()) {
                failure(ctx, ctx.failure() instanceof HttpException h ? h.getStatusCode() : ctx.statusCode());
            } else if (!ctx.response().ended() && !(ctx.failure() instanceof HttpClosedException)) {
                ctx.next(); // too late for a body: Quarkus's error handler closes the connection
            }
            // else: answered already (a 413 closes its connection, and the unread body then fails once more)
        });
        // failures Vert.x Web reports without running any route's failure handler (a path it cannot decode while
        // matching routes is a 400 of this kind)
        for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 431, 500}) {
            router.errorHandler(status, ctx -> {
                if (!ctx.response().headWritten()) {
                    failure(ctx, status);
                }
            });
        }
    }

    private static void screen(RoutingContext ctx, long limit) {
        HttpServerRequest request = ctx.request();
        if (badEscape(request.uri()) >= 0) {
            escapeRefusal(request);
            return;
        }
        try {
            new URI(request.uri());
        } catch (URISyntaxException e) {
            send(request, 400, "bad-request", "Bad Request", "The request target is not a valid URI: "
                    + e.getReason() + " at position " + e.getIndex() + "; percent-encode such characters");
            return;
        }
        if (request.headers().getAll(HttpHeaderNames.AUTHORIZATION).stream().distinct().count() > 1) {
            // RFC 9110 11.6.2: one set of credentials; which of two counts would depend on who reads them (the
            // same header twice is harmless, and clients that set it twice exist)
            send(request, 400, "bad-request", "Bad Request",
                    "A request carries one set of credentials: its Authorization headers differ");
            return;
        }
        String coding = request.getHeader(HttpHeaderNames.TRANSFER_ENCODING);
        if (coding != null && !coding.trim().toLowerCase(Locale.ROOT).endsWith("chunked")) {
            // RFC 9112 6.3: the body's length cannot be known; Vert.x would wait for it forever
            send(request, 400, "bad-request", "Bad Request", "A request's Transfer-Encoding must end in chunked",
                    true);
            return;
        }
        String length = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                send(request, 400, "bad-request", "Bad Request", "Content-Length is not a number of bytes");
                return;
            }
            if (n > limit) {
                send(request, 413, "body-too-large", "Body too large", "The body has " + n + " bytes; at most "
                        + limit + " are accepted");
                return;
            }
        }
        ctx.next();
    }

    private static boolean isChunkedNonForm(HttpServerRequest request) {
        if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                || !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return false;
        }
        String type = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        return !t.startsWith("multipart/") && !t.startsWith("application/x-www-form-urlencoded");
    }

    private static void escapeRefusal(HttpServerRequest request) {
        send(request, 400, INVALID_ESCAPE, "Invalid percent-escape", "The request target holds a \"%\" at position "
                + badEscape(request.uri()) + " that does not start a percent-escape (%XX); send a literal % as %25");
    }

    /** The position of the first {@code %} not followed by two hex digits, or -1. */
    static int badEscape(String target) {
        if (target == null) {
            return -1;
        }
        for (int i = target.indexOf('%'); i >= 0; i = target.indexOf('%', i + 1)) {
            if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                    || Character.digit(target.charAt(i + 2), 16) < 0) {
                return i;
            }
        }
        return -1;
    }

    private static void failure(RoutingContext ctx, int reported) {
        Throwable failure = ctx.failure();
        int status = reported;
        if (status < 400 || status > 599) {
            status = 500;
        }
        HttpServerRequest request = ctx.request();
        if (status == 400 && badEscape(request.uri()) >= 0) {
            escapeRefusal(request); // Vert.x Web met it while matching routes, before screen() ran
            return;
        }
        if (status >= 500) {
            LOG.errorf(failure, "%s %s failed", request.method(), request.path());
            send(request, status, code(status), "Internal error",
                    "The server failed to handle this request. The error is logged.");
            return;
        }
        String detail = failure instanceof HttpException h && h.getPayload() != null && !h.getPayload().isBlank()
                ? h.getPayload() : title(status);
        send(request, status, code(status), title(status), detail);
    }

    /** The problem code the HTTP layer gives a status it answers on its own. */
    public static String code(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 413 -> "body-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 431 -> "headers-too-large";
            default -> status >= 500 ? "server-error" : "bad-request";
        };
    }

    private static String title(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        if (s != null) {
            return s.getReasonPhrase();
        }
        return switch (status) {
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
    }

    /**
     * Answers the request with a problem (API paths, and clients that do not ask for HTML) or a readable page, and
     * closes the connection after a 408, 413, 414 or 431, whose request was not read to its end.
     */
    public static void send(HttpServerRequest request, int status, String code, String title, String detail) {
        send(request, status, code, title, detail, status == 408 || status == 413 || status == 414 || status == 431);
    }

    /** The same, closing the connection after the answer when {@code close}. */
    public static void send(HttpServerRequest request, int status, String code, String title, String detail,
                            boolean close) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        String body;
        if (wantsPage(request)) {
            response.putHeader(HttpHeaderNames.CONTENT_TYPE, "text/html;charset=utf-8");
            body = RefusalPage.html(status, title, detail);
        } else {
            response.putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
            try {
                body = JSON.writeValueAsString(Problem.of(status, code, title, detail));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        response.setStatusCode(status);
        if (close) {
            response.putHeader(HttpHeaderNames.CONNECTION, "close");
            response.endHandler(v -> request.connection().close());
        }
        response.end(body);
    }

    /** True when the answer should be a readable page: a path outside the API, asked for by a browser. */
    static boolean wantsPage(HttpServerRequest request) {
        String path;
        try {
            path = request.path();
        } catch (RuntimeException e) {
            return false;
        }
        if (path == null || Admission.isApi(path)) {
            return false;
        }
        String accept = request.getHeader(HttpHeaderNames.ACCEPT);
        return accept != null && accept.contains("text/html");
    }
}
