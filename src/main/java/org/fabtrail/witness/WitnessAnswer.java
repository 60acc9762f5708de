package org.fabtrail.witness;

import java.nio.charset.StandardCharsets;

/**
 * An answer of the witness, independent of HTTP: status code, content type and body.
 *
 * @param status      the HTTP status code
 * @param contentType the media type of the body
 * @param body        the body (not copied; do not change it)
 */
public record WitnessAnswer(int status, String contentType, byte[] body) {

    /** The media type of a tree size in a 409 answer (tlog-witness). */
    public static final String TLOG_SIZE = "text/x.tlog.size";
    static final String TEXT = "text/plain; charset=utf-8";

    static WitnessAnswer text(int status, String message) {
        return new WitnessAnswer(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static WitnessAnswer conflict(long size) {
        return new WitnessAnswer(409, TLOG_SIZE, (size + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** @return the body as UTF-8 text */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
