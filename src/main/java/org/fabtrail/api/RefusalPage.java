package org.fabtrail.api;

import io.quarkus.arc.Arc;
import io.quarkus.qute.Engine;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The readable page a browser gets for a refusal made before any page class ran (the HTTP layer, the admission
 * checks): the web layer's error template ({@code templates/ErrorPage/error.html}), rendered by its name with no
 * signed-in person, so the HTTP layer needs no class of the web package (which sits above it).
 */
public final class RefusalPage {

    /** The template the web layer's {@code ErrorPage} renders too. */
    static final String TEMPLATE = "ErrorPage/error";

    private RefusalPage() {
    }

    /** The page as HTML text, for the HTTP layer, which writes its answers itself. */
    public static String html(int status, String title, String detail) {
        return Arc.container().instance(Engine.class).get().getTemplate(TEMPLATE).data("viewer", null)
                .data("status", status).data("title", title).data("detail", detail).render();
    }

    /** The page as an answer. */
    public static Response response(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity(html(status, title, detail)).build();
    }
}
