package org.fabtrail.ledger;

import org.fabtrail.crypto.SignatureAlgorithm;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A signed entry envelope as a partner submits it (see docs/design/log-format.md):
 * {@code {"payload": {...}, "signature": {"keyId", "alg", "value"}}}.
 *
 * <p>Invariants established by {@link EnvelopeParser}: the envelope has exactly the members {@code payload}
 * and {@code signature}; the payload has a lowercase UUID {@code id}, a {@code type}, an organisation-id
 * {@code actor} and an RFC 3339 UTC {@code time}; {@code canonicalPayload} is the RFC 8785 form the signature
 * must cover. Whether the signature verifies, and whether the type's own fields are valid, is checked later.
 *
 * @param json             the whole envelope as parsed JSON; it becomes part of the leaf
 * @param payload          the payload object (same instance as inside {@code json})
 * @param canonicalPayload RFC 8785 bytes of the payload: what is signed
 * @param payloadHash      SHA-256 of {@code canonicalPayload}: the idempotency fingerprint
 * @param canonicalEnvelope RFC 8785 bytes of the whole envelope: what the leaf embeds
 * @param signatureVerified true once the signature was checked against a registered key (on admission); when
 *                         false the sequencer's rules check it against the registry as of the entry's index
 * @param payloadRecord    the payload's type-specific fields as the domain read them on admission (an object the
 *                         ledger never looks into), or null: not admitted yet, or read from the log for a replay.
 *                         The rules read it from here instead of parsing {@code payload} again; an envelope without
 *                         one is read by the rules themselves
 */
public record Envelope(Map<String, Object> json,
                       Map<String, Object> payload,
                       UUID id,
                       String type,
                       String actor,
                       Instant time,
                       String keyId,
                       SignatureAlgorithm algorithm,
                       byte[] signature,
                       byte[] canonicalPayload,
                       byte[] payloadHash,
                       byte[] canonicalEnvelope,
                       boolean signatureVerified,
                       Object payloadRecord) {

    /** An envelope without a payload record, as {@link EnvelopeParser} makes it. */
    public Envelope(Map<String, Object> json, Map<String, Object> payload, UUID id, String type, String actor,
                    Instant time, String keyId, SignatureAlgorithm algorithm, byte[] signature,
                    byte[] canonicalPayload, byte[] payloadHash, byte[] canonicalEnvelope, boolean signatureVerified) {
        this(json, payload, id, type, actor, time, keyId, algorithm, signature, canonicalPayload, payloadHash,
                canonicalEnvelope, signatureVerified, null);
    }

    public Envelope withSignatureVerified() {
        return new Envelope(json, payload, id, type, actor, time, keyId, algorithm, signature, canonicalPayload,
                payloadHash, canonicalEnvelope, true, payloadRecord);
    }

    /** This envelope carrying {@code record} as its {@link #payloadRecord()}. */
    public Envelope withPayloadRecord(Object record) {
        return new Envelope(json, payload, id, type, actor, time, keyId, algorithm, signature, canonicalPayload,
                payloadHash, canonicalEnvelope, signatureVerified, record);
    }

    /** The payload record if it is a {@code type} (a cast, no copy), else null. */
    public <T> T payloadRecord(Class<T> type) {
        return type.isInstance(payloadRecord) ? type.cast(payloadRecord) : null;
    }
}
