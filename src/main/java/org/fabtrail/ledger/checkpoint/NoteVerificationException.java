package org.fabtrail.ledger.checkpoint;

/**
 * Thrown by {@link Notes#open} when a well-formed note must not be trusted: no known key signed it,
 * or a signature whose key name and key hash match a known key does not verify.
 *
 * <p>Unchecked. A client that receives such a checkpoint treats the log as misbehaving or the
 * response as forged; the API never produces one, and reports one found in its own store as
 * 500 Internal Server Error.
 */
public final class NoteVerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message why the note is not trusted */
    public NoteVerificationException(String message) {
        super(message);
    }
}
