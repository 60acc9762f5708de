package org.fabtrail.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.fabtrail.ledger.LedgerException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/** Every error leaves the API as application/problem+json. Server faults are logged, never echoed. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** The HTTP status of each kind of ledger refusal. */
    public static int status(LedgerException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case RULE -> 422;
            case RATE_LIMITED -> 429;
            case FAULT -> 500;
            case BUSY, UNAVAILABLE -> 503;
        };
    }

    public static Problem problem(LedgerException e) {
        Problem p = Problem.of(status(e.kind()), e.code(), e.title(), e.detail());
        e.details().forEach(p::with);
        return p;
    }

    public static Response response(LedgerException e) {
        if (e.kind() == LedgerException.Kind.UNAVAILABLE && e.getCause() != null) {
            LOG.error("Ledger unavailable: " + e.getCause().getMessage(), e.getCause());
        }
        Response.ResponseBuilder r = Response.fromResponse(problem(e).toResponse());
        if (e.kind() == LedgerException.Kind.BUSY || e.kind() == LedgerException.Kind.UNAVAILABLE
                || e.kind() == LedgerException.Kind.RATE_LIMITED) {
            r.header("Retry-After", String.valueOf(e.details().getOrDefault("retryAfter", 1)));
        }
        if (e.kind() == LedgerException.Kind.UNAUTHENTICATED) {
            r.header("WWW-Authenticate", "Bearer");
        }
        return r.build();
    }

    @ServerExceptionMapper
    public Response ledger(LedgerException e) {
        return response(e);
    }

    @ServerExceptionMapper
    public Response completion(CompletionException e) {
        if (e.getCause() instanceof LedgerException le) {
            return response(le);
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return json(json);
            }
        }
        String code = HttpLayer.code(status);
        if (status >= 500) {
            return unexpected(e);
        }
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage();
        return Problem.of(status, code, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), detail).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return Problem.of(400, "invalid-json", "Malformed request", "The body is not the expected JSON: "
                + (e instanceof MismatchedInputException m ? expected(m) : e.getOriginalMessage())).toResponse();
    }

    /** A member of the wrong type, said in JSON's terms ({@code expiresInDays must be an integer}). */
    static String expected(MismatchedInputException e) {
        String where = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
        Class<?> type = e.getTargetType();
        String what = type == null ? "of another type"
                : type == String.class ? "a string"
                : type == Boolean.class || type == boolean.class ? "true or false"
                : type == Integer.class || type == int.class || type == Long.class || type == long.class ? "an integer"
                : Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a number"
                : Collection.class.isAssignableFrom(type) || type.isArray() ? "an array"
                : "an object";
        return (where.isEmpty() ? "the body" : where) + " must be " + what;
    }

    /**
     * Well-formed JSON of the wrong shape (a string where an array belongs). Quarkus REST's own mapper for this
     * exact type would otherwise win over {@link #json} and answer 400 with an empty body.
     */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    /** A form body the client got wrong ({@link FormBodyFaults}): 400, a readable page for browsers; else 500. */
    @ServerExceptionMapper
    public Response fault(Throwable e, HttpServerRequest request) {
        FormBodyFaults.Fault f = FormBodyFaults.of(e);
        if (f == null) {
            return unexpected(e);
        }
        return HttpLayer.wantsPage(request) ? RefusalPage.response(400, f.title(), f.detail())
                : Problem.of(400, f.code(), f.title(), f.detail()).toResponse();
    }

    public Response unexpected(Throwable e) {
        LOG.error("Unexpected error", e);
        return Problem.of(500, "server-error", "Internal error",
                "The server failed to handle this request. The error is logged.").toResponse();
    }
}
