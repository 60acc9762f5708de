package org.fabtrail.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A readable error page for the web UI (the API answers problem+json instead): 403, 404, 503. */
final class ErrorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(Viewer viewer, int status, String title, String message);
    }

    private ErrorPage() {
    }

    static Response of(Viewer viewer, int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(viewer, status, title, message)).build();
    }

    static Response forbidden(Viewer viewer, String message) {
        return of(viewer, 403, "Not allowed", message);
    }

    static Response notFound(Viewer viewer, String message) {
        return of(viewer, 404, "Not found", message);
    }
}
