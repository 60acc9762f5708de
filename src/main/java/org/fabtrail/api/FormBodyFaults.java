package org.fabtrail.api;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Arrays;

/**
 * Form bodies Quarkus REST's own parser cannot read, before any filter or page runs, on every form (signed in or
 * not): it throws bare exceptions that would be answered 500. Each is the client's {@code 400}, as the same fault
 * in a URL is:
 *
 * <ul>
 *   <li>a {@code %} that starts no escape in an {@code application/x-www-form-urlencoded} body
 *       ({@code name=%%%}): {@code invalid-escape};</li>
 *   <li>a multipart body that ends before its closing boundary, or a part whose {@code Content-Type} names a
 *       charset there is no such thing as: {@code bad-request}.</li>
 * </ul>
 *
 * Anything else the parser throws (a temporary file it cannot write, say) stays a server fault.
 */
final class FormBodyFaults {

    /** What the refusal says. */
    record Fault(String code, String title, String detail) {
    }

    /** The class of Quarkus REST that reads form bodies; the faults above escape from it. */
    private static final String FORM_BODY_HANDLER = "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler";
    private static final String URL_FORM_PARSER =
            "org.jboss.resteasy.reactive.server.core.multipart.FormEncodedDataDefinition";

    private FormBodyFaults() {
    }

    /** The client's fault {@code e} reports, or null when it is none of those above. */
    static Fault of(Throwable e) {
        if (!thrownBy(e, FORM_BODY_HANDLER)) {
            return null;
        }
        if (e instanceof IllegalArgumentException && thrownBy(e, URL_FORM_PARSER)) {
            return new Fault(HttpLayer.INVALID_ESCAPE, "Invalid percent-escape", "The form holds a \"%\" that does "
                    + "not start a percent-escape (%XX); send a literal % as %25");
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith("Connection terminated")) {
            return new Fault("bad-request", "Bad Request", "The multipart form ends before its closing boundary");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedEncodingException || t instanceof IllegalCharsetNameException) {
                return new Fault("bad-request", "Bad Request", "A part of the form names a charset that does not "
                        + "exist; send text as UTF-8");
            }
        }
        return null;
    }

    private static boolean thrownBy(Throwable e, String className) {
        return Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().startsWith(className));
    }
}
