package org.fabtrail.custody;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Receipts;

import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds entries signed by the log operator: onboarding, key management, and (later) automatic findings. */
public final class OperatorEntries {

    private final SigningKey operatorKey;
    private final EnvelopeParser parser;
    private final Clock clock;

    public OperatorEntries(SigningKey operatorKey, EnvelopeParser parser, Clock clock) {
        this.operatorKey = operatorKey;
        this.parser = parser;
        this.clock = clock;
    }

    /** A signed envelope of {@code type} carrying {@code payload} (the type's record), with a fresh id. */
    public Envelope sign(String type, PayloadRecord payload) {
        return sign(type, payload.payloadFields());
    }

    /** As {@link #sign(String, PayloadRecord)}, claiming the time {@code at} reads (the demo story's past events). */
    public Envelope sign(String type, PayloadRecord payload, Clock at) {
        return sign(type, payload.payloadFields(), at);
    }

    /** Signs {@code payload} (the type's record) as {@code actor} with {@code key}: the demo seeder's partners. */
    public static Envelope signAs(SigningKey key, String actor, UUID id, String type, PayloadRecord payload,
                                  EnvelopeParser parser, Clock clock) {
        return signAs(key, actor, id, type, payload.payloadFields(), parser, clock);
    }

    /** A signed envelope of {@code type} with the given type-specific fields and a fresh id. */
    public Envelope sign(String type, Map<String, Object> fields) {
        return sign(UUID.randomUUID(), type, fields);
    }

    /** As {@link #sign(String, Map)}, claiming the time {@code at} reads (the demo story's past events). */
    public Envelope sign(String type, Map<String, Object> fields, Clock at) {
        return signAs(operatorKey, Operator.ID, UUID.randomUUID(), type, fields, parser, at);
    }

    public Envelope sign(UUID id, String type, Map<String, Object> fields) {
        return signAs(operatorKey, Operator.ID, id, type, fields, parser, clock);
    }

    /** Signs an envelope as {@code actor} with {@code key} (also used by tests and the demo seeder). */
    public static Envelope signAs(SigningKey key, String actor, UUID id, String type, Map<String, Object> fields,
                                  EnvelopeParser parser, Clock clock) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id.toString());
        payload.put("type", type);
        payload.put("actor", actor);
        payload.put("time", Receipts.formatTime(clock.instant()));
        payload.putAll(fields);
        // Before canonicalising: RFC 8785 cannot encode a lone surrogate, and nothing unstorable gets signed.
        EnvelopeParser.requireText("payload", payload);
        byte[] signature = key.sign(Jcs.canonicalize(payload));
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("keyId", key.keyId());
        sig.put("alg", key.algorithm().wireName());
        sig.put("value", Base64.getEncoder().encodeToString(signature));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("payload", payload);
        envelope.put("signature", sig);
        return parser.fromJson(envelope);
    }

    /** The genesis entry: the operator's own key, signed by itself. */
    public Envelope genesis() {
        return sign(KeyAdd.TYPE, new KeyAddition(Operator.ID, operatorKey.verificationKey().toPem()));
    }

    public String operatorKeyId() {
        return operatorKey.keyId();
    }
}
