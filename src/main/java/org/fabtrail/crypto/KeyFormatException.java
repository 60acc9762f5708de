package org.fabtrail.crypto;

/**
 * Thrown when key material (PEM, DER SubjectPublicKeyInfo, PKCS#8, raw key bytes) cannot be
 * accepted: it is malformed, not DER, of an unsupported algorithm or curve, not a valid point, or
 * of the wrong kind (a private key where a public key was expected, and so on).
 *
 * <p>The message says what was wrong in terms a key holder can act on. It never contains key
 * material. Callers that answer HTTP requests report it as 400 Bad Request (or 422 when the key
 * arrived inside an otherwise well-formed entry).
 */
public final class KeyFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the key */
    public KeyFormatException(String message) {
        super(message);
    }
}
