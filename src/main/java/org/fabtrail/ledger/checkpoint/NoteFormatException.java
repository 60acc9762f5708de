package org.fabtrail.ledger.checkpoint;

/**
 * Thrown when a signed note, a checkpoint body, a verifier key (vkey) or a signer key (skey) does not
 * follow c2sp.org/signed-note@v1.0.0 or c2sp.org/tlog-checkpoint@v1.0.0. The message says which rule
 * was broken; it never contains private key material.
 *
 * <p>Unchecked: a malformed note from outside is a bad request (HTTP 400), a malformed note in our own
 * store or configuration is a bug or a misconfiguration.
 */
public final class NoteFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message which rule was broken */
    public NoteFormatException(String message) {
        super(message);
    }
}
