package org.fabtrail.attestation.platform;

/**
 * Thrown by {@link PlatformCertificate#parse(byte[])} when the input is not a well-formed TCG
 * Platform Certificate: not PEM or DER, not strict DER, not an RFC 5755 version 2 attribute
 * certificate, or a TCG attribute or extension that does not have the structure the TCG Platform
 * Certificate Profile gives it.
 *
 * <p>Parsing either returns a complete {@link PlatformCertificate} or throws this exception; it never
 * returns a partly parsed result. The message says what was wrong and where; callers that answer HTTP
 * requests report it as 400 Bad Request (or 422 when the certificate arrived inside an otherwise
 * well-formed entry).
 */
public final class PlatformCertificateException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the certificate */
    public PlatformCertificateException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the certificate
     * @param cause   the lower-level failure
     */
    public PlatformCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
