package org.fabtrail.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SafeText;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one admission check every API and UI request passes before its resource runs, so that no text a client
 * shapes reaches a rule, a query or the database unchecked (docs/api.md, "Problems"):
 *
 * <ul>
 *   <li>every decoded path parameter and API query parameter (names and values) is a single line of
 *       {@link SafeText}, and a page's query parameter (a GET form's field, which may be a textarea) is free text:
 *       otherwise {@code 400 invalid-text} naming the parameter;</li>
 *   <li>every text field of a submitted form (URL-encoded or multipart; file contents are left to their readers)
 *       is {@link SafeText#multiLine free text}: otherwise {@code 400 invalid-text} naming the field, and nothing
 *       is written;</li>
 *   <li>a request to a method that consumes a body of a declared media type must say its type: a write without
 *       {@code Content-Type} is {@code 415 unsupported-media-type} (a wrong type is refused by Quarkus REST the same
 *       way, mapped in {@link ProblemMappers}).</li>
 * </ul>
 *
 * API paths answer {@code application/problem+json}; pages answer a readable HTML page saying which field to
 * correct. Cursors that are decoded inside a resource are checked after decoding ({@link Paging}).
 */
public class Admission {

    private static final Set<String> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    /** Runs after matching (path parameters are known) and after a form body was read (its fields are known). */
    @ServerRequestFilter(readBody = true)
    public Optional<Response> admit(ResteasyReactiveContainerRequestContext request, ResourceInfo resource) {
        boolean api = isApi(request.getUriInfo().getPath());
        Optional<String> unsupported = missingContentType(request, resource);
        if (unsupported.isPresent()) {
            String title = "Unsupported Media Type";
            String detail = "This request has no Content-Type; send the body as " + unsupported.get();
            return Optional.of(api ? Problem.of(415, "unsupported-media-type", title, detail).toResponse()
                    : RefusalPage.response(415, title, detail));
        }
        try {
            MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters(true);
            path.forEach((name, values) -> values.forEach(v -> singleLine(name, v)));
            MultivaluedMap<String, String> query;
            try {
                query = request.getUriInfo().getQueryParameters(true);
            } catch (IllegalArgumentException e) {
                throw new LedgerException(LedgerException.Kind.MALFORMED, HttpLayer.INVALID_ESCAPE,
                        "Invalid percent-escape", "The query string is not valid percent-encoding", Map.of(), null);
            }
            query.forEach((name, values) -> {
                singleLine("query parameter name", name);
                // a page's GET form may have a textarea (the explorer's proof): line breaks are its text
                values.forEach(v -> (api ? SafeText.singleLineFault(v) : SafeText.multiLineFault(v)).ifPresent(fault -> {
                    throw SafeText.parameterRefusal(name, fault);
                }));
            });
            formFields(request.getServerRequestContext() instanceof ResteasyReactiveRequestContext context
                    ? context.getFormData() : null);
            return Optional.empty();
        } catch (LedgerException e) {
            if (api) {
                return Optional.of(ProblemMappers.response(e));
            }
            return Optional.of(RefusalPage.response(ProblemMappers.status(e.kind()), e.title(), pageDetail(e)));
        }
    }

    /** The refusal of a parameter ({@code field} and {@code parameter} both name it) holding a character SafeText refuses. */
    static boolean isApi(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    private static void singleLine(String name, String value) {
        SafeText.singleLineFault(value).ifPresent(fault -> {
            throw SafeText.parameterRefusal(name, fault);
        });
    }

    /** The media types the method consumes, when the request has a body method but no Content-Type. */
    private static Optional<String> missingContentType(ContainerRequestContext request, ResourceInfo resource) {
        if (!BODY_METHODS.contains(request.getMethod()) || request.getMediaType() != null) {
            return Optional.empty();
        }
        Method method = resource.getResourceMethod();
        if (method == null) {
            return Optional.empty();
        }
        Consumes consumes = method.getAnnotation(Consumes.class);
        if (consumes == null) {
            consumes = resource.getResourceClass().getAnnotation(Consumes.class);
        }
        if (consumes == null) {
            return Optional.empty();
        }
        List<String> types = Arrays.stream(consumes.value()).flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim).toList();
        if (types.isEmpty() || types.contains(MediaType.WILDCARD)) {
            return Optional.empty();
        }
        return Optional.of(String.join(" or ", types));
    }

    private static void formFields(FormData form) {
        if (form == null) {
            return;
        }
        for (String name : form) {
            singleLine("form field name", name);
            for (FormValue value : form.get(name)) {
                if (!value.isFileItem()) {
                    SafeText.multiLineFault(value.getValue()).ifPresent(fault -> {
                        throw SafeText.refusal(name, fault);
                    });
                }
            }
        }
    }

    private static String pageDetail(LedgerException e) {
        if (!SafeText.CODE.equals(e.code())) {
            return e.detail();
        }
        if (e.details().containsKey("parameter")) {
            return e.detail() + ". Check the link or the address you followed.";
        }
        return "The form field " + e.detail() + ". Nothing was saved: go back, correct the field and send the form "
                + "again.";
    }
}
