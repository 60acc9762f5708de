package org.fabtrail.attestation;

/**
 * Input the attestation checks cannot accept, with a stable reason code that the rules turn into problems and verdict
 * reasons. Each checker refuses with its own subtype ({@link DeviceIdentity.Refused},
 * {@link PlatformCertificates.Refused}), so a caller catches the refusals of the check it made.
 */
public abstract class Refusal extends RuntimeException {

    private final String code;

    protected Refusal(String code, String detail) {
        super(detail);
        this.code = code;
    }

    /** The reason code. */
    public String code() {
        return code;
    }
}
