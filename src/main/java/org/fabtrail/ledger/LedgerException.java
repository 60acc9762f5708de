package org.fabtrail.ledger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why the ledger refused something. Every refusal names a stable, machine-readable {@link #code() code}
 * (a lowercase slug such as {@code signature-invalid}) and a {@link Kind kind}; the API turns the kind into an
 * HTTP status and the code into the RFC 9457 problem {@code type} {@code urn:fabtrail:problem:<code>}.
 *
 * <p>A refused entry writes nothing: the sequencer only appends entries whose rules passed.
 */
public class LedgerException extends RuntimeException {

    /** What kind of refusal, and so how HTTP reports it. */
    public enum Kind {
        /** The input is not well-formed (400). */
        MALFORMED,
        /** No valid credentials (401). */
        UNAUTHENTICATED,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /** No such thing, or the caller may not see it (404). */
        NOT_FOUND,
        /** It contradicts the current state of the ledger, e.g. an id reused for another payload (409). */
        CONFLICT,
        /** Well-formed but breaks a rule of its entry type (422). */
        RULE,
        /** Too much at once; retry later (429). */
        RATE_LIMITED,
        /**
         * The server failed on this one entry (an unforeseen fault in its rules or projections) and wrote nothing of
         * it; the other entries of its batch are not affected (500).
         */
        FAULT,
        /** The sequencer queue is full; retry later (503 with Retry-After). */
        BUSY,
        /** The database failed; nothing was written (503). */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String code;
    private final String title;
    private final Map<String, Object> details;

    public LedgerException(Kind kind, String code, String title, String detail) {
        this(kind, code, title, detail, Map.of(), null);
    }

    public LedgerException(Kind kind, String code, String title, String detail, Map<String, Object> details,
                           Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.code = code;
        this.title = title;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static LedgerException malformed(String code, String detail) {
        return new LedgerException(Kind.MALFORMED, code, "Malformed entry", detail);
    }

    public static LedgerException rule(String code, String title, String detail) {
        return new LedgerException(Kind.RULE, code, title, detail);
    }

    public static LedgerException conflict(String code, String title, String detail) {
        return new LedgerException(Kind.CONFLICT, code, title, detail);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Extra members for the problem body (for example {@code field}); never secrets. */
    public Map<String, Object> details() {
        return details;
    }
}
