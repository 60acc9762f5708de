package org.fabtrail.crypto;

/**
 * Thrown by {@link StrictJson} when its input is not strict RFC 8259 / I-JSON (RFC 7493) text.
 *
 * <p>The message names the problem and where it was found ({@code "at offset 17 (line 2, column 5)"});
 * {@link #offset()} gives the same offset, counted in UTF-16 code units of the parsed string, or in
 * bytes when the input was rejected as invalid UTF-8. Callers that answer HTTP requests report it
 * as 400 Bad Request: the submitted document is malformed.
 */
public final class JsonFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * @param message what is wrong, including the position
     * @param offset  where it is wrong (see the class description)
     */
    public JsonFormatException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** @return the offset at which the problem was found */
    public int offset() {
        return offset;
    }
}
