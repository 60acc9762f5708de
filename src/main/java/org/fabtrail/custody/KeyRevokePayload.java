package org.fabtrail.custody;

/** The payload of {@code key.revoke}; {@code reason} may be null. */
public record KeyRevokePayload(String org, String keyId, String reason) implements PayloadRecord {
}
