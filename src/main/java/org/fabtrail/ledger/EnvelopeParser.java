package org.fabtrail.ledger;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.JsonFormatException;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.StrictJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns submitted bytes into an {@link Envelope}, refusing anything that is not exactly the wire format.
 * Stateless and thread-safe. Every refusal is a {@link LedgerException} of kind MALFORMED with a specific code.
 *
 * <p>Every string of the envelope, member names included, must be text that PostgreSQL and a reader can hold
 * ({@link SafeText}): a payload whose {@code name} holds U+0000 is refused here with {@code invalid-text} naming
 * {@code payload.name}, before it is queued, instead of failing in the database.
 */
public final class EnvelopeParser {

    /** Organisation and site ids. */
    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern BY = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** RFC 3339 in UTC with a literal Z, optional fraction of up to nine digits. */
    public static final Pattern UTC_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final Set<String> ENVELOPE_MEMBERS = Set.of("payload", "signature");
    private static final Set<String> SIGNATURE_MEMBERS = Set.of("keyId", "alg", "value");

    private final int maxBytes;

    public EnvelopeParser(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Envelope parse(byte[] utf8) {
        if (utf8.length > maxBytes) {
            throw tooLarge(utf8.length);
        }
        Object json;
        try {
            json = StrictJson.parse(utf8);
        } catch (JsonFormatException e) {
            throw LedgerException.malformed("invalid-json", "The body is not valid JSON: " + e.getMessage());
        }
        return fromJson(json);
    }

    /**
     * One envelope of a batch: held to the same size limit as a single submission, measured on its canonical form
     * (the batch's bytes are not the envelope's), then validated like any envelope.
     */
    public Envelope fromBatchItem(Object json) {
        int size = Jcs.canonicalize(json).length;
        if (size > maxBytes) {
            throw tooLarge(size);
        }
        return fromJson(json);
    }

    private LedgerException tooLarge(int size) {
        return new LedgerException(LedgerException.Kind.MALFORMED, "entry-too-large", "Entry too large",
                "An envelope may be at most " + maxBytes + " bytes; this one is " + size);
    }

    /** Validates an already parsed JSON value (for example one element of a batch). */
    public Envelope fromJson(Object json) {
        return fromJson(json, true);
    }

    /**
     * Reads an envelope already in the log (replay, verification): the same checks as {@link #fromJson} except the
     * admission-only text rule, which came later (issue 9) and must not make an entry written before it unverifiable.
     */
    public Envelope fromLog(Object json) {
        return fromJson(json, false);
    }

    @SuppressWarnings("unchecked")
    private Envelope fromJson(Object json, boolean admission) {
        Map<String, Object> env = object(json, "envelope");
        if (admission) {
            // Before anything else quotes a member back or reads a value: every string, member names included.
            requireText("", env);
        }
        onlyMembers(env, ENVELOPE_MEMBERS, "envelope");
        Map<String, Object> payload = object(env.get("payload"), "payload");
        Map<String, Object> sig = object(env.get("signature"), "signature");
        onlyMembers(sig, SIGNATURE_MEMBERS, "signature");

        String idText = string(payload, "id", "payload");
        if (!UUID_TEXT.matcher(idText).matches()) {
            throw field("invalid-id", "payload.id", "payload.id must be a UUID in lowercase 8-4-4-4-12 form");
        }
        String type = string(payload, "type", "payload");
        String actor = string(payload, "actor", "payload");
        if (!SLUG.matcher(actor).matches()) {
            throw field("invalid-actor", "payload.actor",
                    "payload.actor must be an organisation id matching [a-z0-9][a-z0-9-]{0,62}");
        }
        Instant time = utcTime(string(payload, "time", "payload"), "payload.time");
        if (payload.containsKey("by")) {
            String by = string(payload, "by", "payload");
            if (!BY.matcher(by).matches()) {
                throw field("invalid-field", "payload.by", "payload.by names the person who acted: 1 to 64 letters, "
                        + "digits, dots, hyphens, underscores or @");
            }
        }

        String keyId = string(sig, "keyId", "signature");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw field("invalid-key-id", "signature.keyId",
                    "signature.keyId must be 64 lowercase hex digits (SHA-256 of the DER SubjectPublicKeyInfo)");
        }
        String alg = string(sig, "alg", "signature");
        SignatureAlgorithm algorithm = SignatureAlgorithm.fromWireName(alg).orElseThrow(() ->
                field("unsupported-algorithm", "signature.alg", "signature.alg must be Ed25519 or ES256, not " + alg));
        byte[] value = base64(string(sig, "value", "signature"), "signature.value");

        byte[] canonical = Jcs.canonicalize(payload);
        // {"payload":<canonical payload>,"signature":<canonical signature>}: members in RFC 8785 order
        byte[] sigBytes = Jcs.canonicalize(sig);
        byte[] envelope = new byte[canonical.length + sigBytes.length + 25];
        int o = put(envelope, 0, "{\"payload\":".getBytes(StandardCharsets.US_ASCII));
        o = put(envelope, o, canonical);
        o = put(envelope, o, ",\"signature\":".getBytes(StandardCharsets.US_ASCII));
        o = put(envelope, o, sigBytes);
        envelope[o] = '}';
        return new Envelope(env, payload, UUID.fromString(idText), type, actor, time, keyId, algorithm, value,
                canonical, sha256(canonical), envelope, false);
    }

    /**
     * Refuses the first string under {@code json} that {@link SafeText} does not accept (member names as single-line
     * values, string values as free text), naming it by its path under {@code root} ({@code payload.units[2].serial}).
     *
     * @param root the path of {@code json} itself ({@code payload}), or empty for a whole envelope
     * @throws LedgerException MALFORMED {@value SafeText#CODE}
     */
    public static void requireText(String root, Object json) {
        TextFault fault = textFault(json);
        if (fault != null) {
            String path = root + fault.path();
            path = path.startsWith(".") ? path.substring(1) : path;
            throw SafeText.refusal(path.isEmpty() ? "envelope" : path, fault.what());
        }
    }

    /** Where in the envelope a string SafeText refuses sits ({@code .payload.name}), and what is wrong with it. */
    private record TextFault(String path, String what) {
    }

    /**
     * The first string under {@code value} that {@link SafeText} refuses (member names as single-line values, string
     * values as free text), or null when there is none. Runs on every submitted entry, so it walks the parsed JSON
     * once, character by character, without a regex, and copies no string: the path is built only on the way back
     * up from a fault (about 1 us for a typical entry; docs/adr/0007-sequencer-isolation.md).
     */
    private static TextFault textFault(Object value) {
        if (value instanceof String s) {
            Optional<String> fault = SafeText.multiLineFault(s);
            return fault.isEmpty() ? null : new TextFault("", fault.get());
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> member : map.entrySet()) {
                String name = (String) member.getKey();
                Optional<String> fault = SafeText.singleLineFault(name);
                if (fault.isPresent()) {
                    return new TextFault("", "a member name with " + fault.get());
                }
                TextFault inner = textFault(member.getValue());
                if (inner != null) {
                    return new TextFault("." + name + inner.path(), inner.what());
                }
            }
            return null;
        }
        if (value instanceof List<?> list) {
            for (int i = 0, n = list.size(); i < n; i++) {
                TextFault inner = textFault(list.get(i));
                if (inner != null) {
                    return new TextFault("[" + i + "]" + inner.path(), inner.what());
                }
            }
        }
        return null; // numbers, booleans, null
    }

    /** Parses an RFC 3339 UTC timestamp ("...Z"), refusing offsets and out-of-range fields. */
    public static Instant utcTime(String text, String fieldName) {
        if (!UTC_TIME.matcher(text).matches()) {
            throw field("invalid-time", fieldName, fieldName + " must be an RFC 3339 UTC time such as "
                    + "2026-01-31T12:00:00Z, not " + quote(text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw field("invalid-time", fieldName, fieldName + " is not a valid date and time: " + quote(text));
        }
    }

    private static int put(byte[] dst, int offset, byte[] src) {
        System.arraycopy(src, 0, dst, offset, src.length);
        return offset + src.length;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw field("invalid-envelope", what, what + " must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static void onlyMembers(Map<String, Object> map, Set<String> allowed, String what) {
        for (String k : map.keySet()) {
            if (!allowed.contains(k)) {
                throw field("unknown-field", what + "." + k, what + " has an unknown member " + quote(k)
                        + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        for (String k : allowed) {
            if (!map.containsKey(k)) {
                throw field("missing-field", what + "." + k, what + "." + k + " is required");
            }
        }
    }

    private static String string(Map<String, Object> map, String key, String what) {
        Object v = map.get(key);
        if (v == null) {
            throw field("missing-field", what + "." + key, what + "." + key + " is required");
        }
        if (!(v instanceof String s)) {
            throw field("invalid-field", what + "." + key, what + "." + key + " must be a string");
        }
        return s;
    }

    private static byte[] base64(String text, String fieldName) {
        byte[] out;
        try {
            out = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw field("invalid-base64", fieldName, fieldName + " must be standard base64 with padding");
        }
        if (!Base64.getEncoder().encodeToString(out).equals(text)) {
            throw field("invalid-base64", fieldName, fieldName + " must be standard base64 with padding");
        }
        return out;
    }

    static LedgerException field(String code, String field, String detail) {
        return new LedgerException(LedgerException.Kind.MALFORMED, code, "Malformed entry", detail,
                Map.of("field", field), null);
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "\"" + shown.replace("\"", "\\\"") + "\"";
    }

    /** UTF-8 helper for callers that hold text. */
    public Envelope parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
