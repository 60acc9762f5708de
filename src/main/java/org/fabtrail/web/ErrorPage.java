package org.fabtrail.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.ProblemMappers;
import org.fabtrail.ledger.LedgerException;

/** A refusal as a page a person can read: not allowed (403), not found (404), or another error with its reason. */
public final class ErrorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(Viewer viewer, int status, String title, String detail);
    }

    private ErrorPage() {
    }

    public static Response of(Viewer viewer, int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity(Templates.error(viewer, status, title, detail)).build();
    }

    public static Response forbidden(Viewer viewer, String detail) {
        return of(viewer, 403, Texts.of(FormMessages.class).error_not_allowed(), detail);
    }

    public static Response notFound(Viewer viewer, String detail) {
        return of(viewer, 404, Texts.of(FormMessages.class).error_not_found(), detail);
    }

    /**
     * A ledger or form refusal, with the status the API would give it; in another language than English the title
     * and text for its problem type ({@code refusal_title_} and {@code refusal_} texts of {@link FormMessages}) where
     * there are some, else the ledger's English title and detail.
     */
    public static Response of(Viewer viewer, LedgerException e) {
        if (Texts.inEnglish()) {
            return of(viewer, ProblemMappers.status(e.kind()), e.title(), e.detail());
        }
        return of(viewer, ProblemMappers.status(e.kind()),
                Texts.forCode(FormMessages.class, "refusal_title_", e.code()).orElse(e.title()),
                Texts.forCode(FormMessages.class, "refusal_", e.code()).orElse(e.detail()));
    }

    /** Null when the form's CSRF token is this session's; otherwise the refusal page (nothing was done). */
    static Response csrfRefusal(Viewer viewer, String submitted) {
        try {
            Web.checkCsrf(viewer, submitted);
            return null;
        } catch (LedgerException e) {
            return of(viewer, e);
        }
    }
}
