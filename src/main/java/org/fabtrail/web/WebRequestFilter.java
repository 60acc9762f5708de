package org.fabtrail.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.fabtrail.web.session.SessionManager;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one way into every page: resolves the session cookie into the request's {@link CurrentViewer}, lets through
 * only those the handler's marks allow ({@link SignedIn}, {@link InOrg}, {@link Inspector}, {@link OperatorStaff},
 * {@link OrgAdmin}), and refuses any unsafe request of a signed-in person that lacks the session's CSRF token
 * (form field {@code _csrf}; {@link CsrfExempt} for signing in). Page handlers therefore only call a service and
 * render a template. Every answer to a signed-in viewer is marked {@code no-store}; every page is
 * rendered in the language {@link Languages} chooses. Resources outside this package (the API) are left alone.
 */
public class WebRequestFilter {

    /** The form field that carries the session's CSRF token. */
    public static final String CSRF_FIELD = "_csrf";

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final String PACKAGE = WebRequestFilter.class.getPackageName();

    @Inject
    SessionManager sessions;
    @Inject
    CurrentViewer current;
    @Inject
    Pages pages;
    @Inject
    Languages.Current language;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION, readBody = true)
    public Optional<Response> enter(ResteasyReactiveContainerRequestContext request, ResourceInfo resource) {
        Class<?> page = resource.getResourceClass();
        Method handler = resource.getResourceMethod();
        if (page == null || handler == null || !page.getPackageName().startsWith(PACKAGE)) {
            return Optional.empty();
        }
        language.set(Languages.choose(request.getCookies().get(Languages.COOKIE), request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)));
        Cookie cookie = request.getCookies().get(SessionManager.COOKIE);
        Optional<Viewer> viewer = sessions.viewer(cookie == null ? null : cookie.getValue());
        viewer.ifPresent(current::set);
        boolean safe = SAFE.contains(request.getMethod());
        if (viewer.isEmpty()) {
            return needsSignIn(page, handler) ? Optional.of(Web.toLogin(next(request, safe))) : Optional.empty();
        }
        Viewer v = viewer.get();
        Optional<Response> refused = refusal(v, request, page, handler);
        if (refused.isEmpty() && !safe && !handler.isAnnotationPresent(CsrfExempt.class)) {
            refused = Optional.ofNullable(ErrorPage.csrfRefusal(v, csrf(request)));
        }
        return refused.map(WebRequestFilter::rendered);
    }

    /**
     * Every answer to a signed-in viewer is {@code Cache-Control: no-store}: a shared terminal (a dock's) must not
     * keep custody pages after its user signed out. An answer that chose its own caching keeps it.
     */
    @ServerResponseFilter
    public void leave(ContainerResponseContext response) {
        if (current.find().isPresent() && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    /** A refusal page rendered here: an aborted request does not pass the template writer of a page's answer. */
    private static Response rendered(Response page) {
        if (page.getEntity() instanceof TemplateInstance template) {
            return Response.fromResponse(page).entity(template.render()).build();
        }
        return page;
    }

    private Optional<Response> refusal(Viewer v, ContainerRequestContext request, Class<?> page, Method handler) {
        OrgAdmin admin = mark(OrgAdmin.class, handler, page);
        if (admin != null) {
            String org = request.getUriInfo().getPathParameters().getFirst("org");
            return Optional.ofNullable(OrgAccess.refusal(pages, v, org == null ? "" : org));
        }
        OperatorStaff operator = mark(OperatorStaff.class, handler, page);
        if (operator != null && !v.isOperator()) {
            return Optional.of(ErrorPage.forbidden(v, Texts.byKey(FormMessages.class, operator.value())));
        }
        Inspector inspector = mark(Inspector.class, handler, page);
        if (inspector != null && !v.isInspector()) {
            return Optional.of(ErrorPage.forbidden(v, Texts.byKey(FormMessages.class, inspector.value())));
        }
        if (mark(InOrg.class, handler, page) != null) {
            return Forms.needsOrg(v);
        }
        return Optional.empty();
    }

    private static boolean needsSignIn(Class<?> page, Method handler) {
        for (Class<? extends Annotation> a : List.of(SignedIn.class, InOrg.class, Inspector.class,
                OperatorStaff.class, OrgAdmin.class)) {
            if (mark(a, handler, page) != null) {
                return true;
            }
        }
        return false;
    }

    /** The handler's own mark, else its page's. */
    private static <A extends Annotation> A mark(Class<A> type, AnnotatedElement handler, AnnotatedElement page) {
        A own = handler.getAnnotation(type);
        return own != null ? own : page.getAnnotation(type);
    }

    /** Where the sign-in page sends the person back: this page (for a form post, the page the form is on). */
    private static String next(ContainerRequestContext request, boolean safe) {
        URI uri = request.getUriInfo().getRequestUri();
        String query = uri.getRawQuery();
        return safe && query != null ? uri.getRawPath() + "?" + query : uri.getRawPath();
    }

    /** The form's {@code _csrf} field (the body was read before this filter), or null. */
    private static String csrf(ResteasyReactiveContainerRequestContext request) {
        FormData form = request.getServerRequestContext() instanceof ResteasyReactiveRequestContext context
                ? context.getFormData() : null;
        FormValue value = form == null ? null : form.getFirst(CSRF_FIELD);
        return value == null || value.isFileItem() ? null : value.getValue();
    }
}
