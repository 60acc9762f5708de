package org.fabtrail.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.ProblemMappers;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.signing.UiSigning;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the form pages share: writing an entry as the viewer and waiting for its receipt, turning a refusal into
 * messages next to the form's fields, the CSRF check as a readable 403 page, and the notice after a write.
 */
@Singleton
public class Forms {

    /** The key of a message about the form as a whole (shown above it). */
    public static final String FORM = "form";
    /** The query parameter naming the log index of the entry a write just made (post-redirect-get). */
    public static final String LOGGED = "logged";

    private static final Pattern PAYLOAD_PREFIX = Pattern.compile("\\bpayload\\.");

    @Inject
    UiSigning signing;
    @Inject
    Pages pages;

    /**
     * Signs the entry as the viewer's organisation, appends it and waits until it is in the log. The payload is the
     * entry type's record ({@link PayloadRecord}): the form spells no field name of the payload.
     */
    public Receipt write(Viewer viewer, String type, PayloadRecord payload) {
        return write(sign(viewer, type, payload));
    }

    /** The entry, signed as the viewer's organisation, without writing it (for a page that needs its id first). */
    public Envelope sign(Viewer viewer, String type, PayloadRecord payload) {
        return signing.sign(viewer, type, payload.payloadFields());
    }

    /** Appends an entry signed with {@link UiSigning#sign} and waits until it is in the log. */
    public Receipt write(Envelope envelope) {
        return pages.ledger.submitAndWait(envelope);
    }

    /**
     * A refusal as messages by form field. The payload field the refusal names ({@link Payload#refusedField}) is the
     * form field of the same name unless {@code fields} maps it to another; a refusal about a unit goes to
     * {@code unitField}; anything else to {@link #FORM}.
     */
    public static Map<String, String> errors(LedgerException e, Map<String, String> fields, String unitField) {
        Map<String, String> out = new LinkedHashMap<>();
        String message = shown(e);
        Optional<String> field = Payload.refusedField(e);
        if (field.isPresent()) {
            out.put(fields.getOrDefault(field.get(), field.get()), message);
        } else if (e.details().get("unit") != null && unitField != null) {
            out.put(unitField, message);
        } else {
            out.put(FORM, message);
        }
        return out;
    }

    /**
     * A refusal as a form shows it: in English the ledger's own words ({@link #readable}); in another language the
     * text for its problem type ({@code refusal_} texts of {@link FormMessages}), or the English words when there is
     * none. The ledger's {@code detail} itself (also the API's) stays English.
     */
    public static String shown(LedgerException e) {
        String english = readable(e);
        return Texts.inEnglish() ? english : Texts.forCode(FormMessages.class, "refusal_", e.code()).orElse(english);
    }

    /** The refusal's message without the wire-format prefixes ("payload.serial must ..." reads "serial must ..."). */
    public static String readable(LedgerException e) {
        String m = e.getMessage() == null ? e.title() : e.getMessage();
        return PAYLOAD_PREFIX.matcher(m).replaceAll("");
    }

    /** Viewers who act for no organisation (the operator's staff) make no custody entries in the UI. */
    public static Optional<Response> needsOrg(Viewer viewer) {
        if (viewer.org() == null) {
            return Optional.of(ErrorPage.forbidden(viewer, Texts.of(FormMessages.class).refusal_needs_org()));
        }
        return Optional.empty();
    }

    /** After a write: to the affected page, which shows a notice naming the entry's log index. */
    public static Response done(String path, Receipt receipt) {
        return Response.seeOther(URI.create(path + (path.contains("?") ? "&" : "?") + LOGGED + "=" + receipt.index()))
                .build();
    }

    /** The entry a notice names, if the viewer may see it. */
    public EntryLine notice(Viewer viewer, String logged) {
        if (logged == null || !logged.matches("0|[1-9]\\d{0,17}")) {
            return null;
        }
        long idx = Long.parseLong(logged);
        return pages.log.entry(viewer.visibility(), idx).map(EntryLine::from).orElse(null);
    }

    /** A unit reference as forms submit it: {@code manufacturer/serial}. */
    public static Optional<UnitKey> unitRef(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return UnitKey.parse(text.trim());
    }

    /** The form again with the refusal's messages, at the status the API answers the refusal with. */
    public static Response refused(LedgerException e, TemplateInstance form) {
        return again(ProblemMappers.status(e.kind()), form);
    }

    /** The form again, as an HTML answer with {@code status} (422 for what the form's own checks refuse). */
    public static Response again(int status, TemplateInstance form) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(form).build();
    }

    /** A trimmed form value; null when absent or blank. */
    public static String value(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
