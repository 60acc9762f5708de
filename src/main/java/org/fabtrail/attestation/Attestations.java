package org.fabtrail.attestation;

import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.Rules;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.LedgerException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Device attestation: what a device signs, the evidence an inspection carries, and the verdict the ledger computes
 * from it. The same {@link #verify} runs in the {@code unit.inspect} rule (which refuses an entry whose verdict is not
 * exactly the computed one) and behind {@code POST /api/v1/attestations/verify} (which writes nothing).
 */
public final class Attestations {

    /** The domain separation prefix of the signed message. */
    public static final String DOMAIN = "fabtrail-attest-v1";
    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    /** Most certificates a device may present (its own first). */
    public static final int MAX_CHAIN = 4;
    static final int MAX_CERTIFICATE_PEM = 16384;

    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Set<String> EVIDENCE_FIELDS = Set.of("challengeId", "signature", "alg", "chain");
    private static final Set<String> VERDICT_FIELDS = Set.of("result", "reasons");

    private Attestations() {
    }

    /**
     * What the device signs: SHA-256("fabtrail-attest-v1" || 0x00 || manufacturer || 0x00 || serial || 0x00 ||
     * challenge), the strings in UTF-8. Ed25519 signs these 32 bytes as its message; ES256 signs them as a message
     * too (so ECDSA hashes them once more with SHA-256), exactly as an entry's signature is made over its payload.
     */
    public static byte[] message(String manufacturer, String serial, byte[] challenge) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(DOMAIN.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(manufacturer.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(serial.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(challenge);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A device's answer to a challenge.
     *
     * @param chain DER certificates, the device's own first, then the intermediates it presents
     */
    public record Evidence(UUID challengeId, String alg, byte[] signature, List<byte[]> chain) {
    }

    /**
     * Reads the {@code attestation} object: {@code {"challengeId", "signature", "alg", "chain"}}. Refusals are
     * {@code invalid-attestation} naming the member ({@code <field>.chain[1]}).
     */
    public static Evidence evidence(Object value, String field, DeviceIdentity identity) {
        if (!(value instanceof Map<?, ?> m) || !m.keySet().equals(EVIDENCE_FIELDS)) {
            throw invalid("invalid-attestation", field, field + " must be an object of exactly challengeId, signature, "
                    + "alg and chain");
        }
        if (!(m.get("challengeId") instanceof String id) || !UUID_TEXT.matcher(id).matches()) {
            throw invalid("invalid-attestation", field + ".challengeId", field + ".challengeId must be the challenge's id, "
                    + "a lowercase UUID");
        }
        if (!(m.get("alg") instanceof String alg) || !List.of("Ed25519", "ES256").contains(alg)) {
            throw invalid("invalid-attestation", field + ".alg", field + ".alg must be Ed25519 or ES256");
        }
        byte[] signature = m.get("signature") instanceof String s && s.length() <= 1024 ? base64(s) : null;
        if (signature == null || signature.length == 0) {
            throw invalid("invalid-attestation", field + ".signature", field + ".signature must be the device's signature "
                    + "in standard base64 with padding");
        }
        if (!(m.get("chain") instanceof List<?> list) || list.isEmpty() || list.size() > MAX_CHAIN) {
            throw invalid("invalid-attestation", field + ".chain", field + ".chain must be an array of 1 to " + MAX_CHAIN
                    + " PEM certificates, the device's own first");
        }
        List<byte[]> chain = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + ".chain[" + i + "]";
            byte[] der = list.get(i) instanceof String pem && pem.length() <= MAX_CERTIFICATE_PEM ? pem(pem) : null;
            if (der == null || !identity.isCertificate(der)) {
                throw invalid("invalid-attestation", at, at + " must be one PEM CERTIFICATE block holding an X.509 "
                        + "certificate");
            }
            chain.add(der);
        }
        return new Evidence(UUID.fromString(id), alg, signature, List.copyOf(chain));
    }

    /**
     * The verdict on an attestation: {@code pass} with no reasons, or {@code fail} with every reason in
     * {@link AttestationReasons#ORDER}.
     */
    public record Verdict(String result, List<String> reasons) {
        static Verdict of(Set<String> reasons) {
            List<String> sorted = AttestationReasons.sorted(reasons);
            return new Verdict(sorted.isEmpty() ? PASS : FAIL, sorted);
        }

        public boolean passed() {
            return PASS.equals(result);
        }

        /** {@code {"result": ..., "reasons": [...]}} as an entry carries it. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("result", result);
            m.put("reasons", reasons);
            return m;
        }

        /** Reads the {@code verdict} object of an entry; refusals are {@code invalid-verdict}. */
        static Verdict parse(Object value, String field) {
            if (!(value instanceof Map<?, ?> m) || !m.keySet().equals(VERDICT_FIELDS)) {
                throw invalid("invalid-verdict", field, field + " must be an object of exactly result and reasons");
            }
            if (!(m.get("result") instanceof String r) || !List.of(PASS, FAIL).contains(r)) {
                throw invalid("invalid-verdict", field + ".result", field + ".result must be pass or fail");
            }
            if (!(m.get("reasons") instanceof List<?> list) || list.size() > AttestationReasons.ORDER.size()) {
                throw invalid("invalid-verdict", field + ".reasons", field + ".reasons must be an array of reason codes");
            }
            List<String> reasons = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s) || s.isEmpty() || s.length() > 64 || reasons.contains(s)) {
                    throw invalid("invalid-verdict", field + ".reasons", field + ".reasons must be distinct reason codes");
                }
                reasons.add(s);
            }
            if (PASS.equals(r) != reasons.isEmpty()) {
                throw invalid("invalid-verdict", field, field + ": a pass has no reasons, a fail at least one");
            }
            return new Verdict(r, List.copyOf(reasons));
        }
    }

    /**
     * One check of an attestation, as pages list them.
     *
     * @param name   challenge, certificate, chain, revocation or signature ({@link AttestationReasons#CHECKS})
     * @param status pass, fail, or skipped (what it needs was missing: a known challenge, a chain that reaches a
     *               registered CA, a usable device key)
     */
    public record Check(String name, String status, List<String> reasons) {
    }

    /**
     * The verdict and how it came about.
     *
     * @param challengedAt when the challenge was issued (the time the chain was checked at), null for an unknown one
     * @param presented    the device's certificate as presented
     */
    public record Outcome(Verdict verdict, List<Check> checks, Instant challengedAt,
                          DeviceIdentity.Description presented) {
    }

    /**
     * Verifies evidence for {@code unit} submitted by {@code actor} at {@code at} (the entry's integrated time) as the
     * entry at {@code index}: the challenge is known, issued for this unit to this actor, unexpired at {@code at},
     * not used by an earlier entry; the presented device certificate is the one registered for the unit and names
     * its serial; the chain is valid at the time the challenge was issued and not revoked; the signature over
     * {@link #message} verifies with the device key.
     */
    static Outcome verify(AttestationState state, DeviceIdentity identity, CustodyState.Unit unit, String actor,
                          Evidence ev, Instant at, long index) throws SQLException {
        Set<String> reasons = new LinkedHashSet<>();
        AttestationState.Challenge ch = state.challenge(ev.challengeId()).orElse(null);
        if (ch == null) {
            reasons.add(AttestationReasons.CHALLENGE_UNKNOWN);
        } else {
            if (!ch.unit.equals(unit.key())) {
                reasons.add(AttestationReasons.CHALLENGE_OTHER_UNIT);
            }
            if (!ch.requester.equals(actor)) {
                reasons.add(AttestationReasons.CHALLENGE_OTHER_REQUESTER);
            }
            if (at.isAfter(ch.expiresAt)) {
                reasons.add(AttestationReasons.CHALLENGE_EXPIRED);
            }
            if (ch.usedBefore(index)) {
                reasons.add(AttestationReasons.CHALLENGE_USED);
            }
        }
        byte[] leaf = ev.chain().get(0);
        DeviceIdentity.DeviceCertificate device = null;
        try {
            device = identity.parseDevice(leaf);
        } catch (DeviceIdentity.Refused r) {
            reasons.add(AttestationReasons.ORDER.contains(r.code()) ? r.code() : AttestationReasons.CHAIN_INVALID);
        }
        if (unit.deviceCertificate() == null) {
            reasons.add(AttestationReasons.UNIT_HAS_NO_CERTIFICATE);
        } else if (!Arrays.equals(unit.deviceCertificate(), leaf)) {
            reasons.add(AttestationReasons.CERTIFICATE_NOT_REGISTERED);
        }
        if (device != null && !unit.key().serial().equals(device.subjectSerial())) {
            reasons.add(AttestationReasons.SERIAL_MISMATCH);
        }
        Set<String> skipped = new LinkedHashSet<>();
        if (ch == null) {
            skipped.addAll(List.of("chain", "revocation", "signature"));
        } else {
            List<String> chain = identity.checkChain(leaf, ev.chain().subList(1, ev.chain().size()), ch.createdAt,
                    state.trust(unit.key().manufacturer()));
            reasons.addAll(chain);
            if (chain.contains(AttestationReasons.UNKNOWN_ISSUER)
                    || chain.contains(AttestationReasons.BAD_CERTIFICATE_SIGNATURE)) {
                skipped.add("revocation"); // no registered CA at the end of the chain: no CRL to look at
            }
            if (device == null) {
                skipped.add("signature");
            } else if (!device.algorithm().equals(ev.alg())) {
                reasons.add(AttestationReasons.DEVICE_ALGORITHM_MISMATCH);
            } else if (!signatureVerifies(device, message(unit.key().manufacturer(), unit.key().serial(), ch.value),
                    ev.signature())) {
                reasons.add(AttestationReasons.DEVICE_SIGNATURE_INVALID);
            }
        }
        Verdict verdict = Verdict.of(reasons);
        List<Check> checks = new ArrayList<>();
        for (Map.Entry<String, List<String>> c : AttestationReasons.CHECKS.entrySet()) {
            List<String> mine = verdict.reasons().stream().filter(c.getValue()::contains).toList();
            String status = !mine.isEmpty() ? FAIL : skipped.contains(c.getKey()) ? "skipped" : PASS;
            checks.add(new Check(c.getKey(), status, mine));
        }
        return new Outcome(verdict, List.copyOf(checks), ch == null ? null : ch.createdAt,
                identity.describe(leaf).orElse(null));
    }

    private static boolean signatureVerifies(DeviceIdentity.DeviceCertificate device, byte[] message, byte[] signature) {
        try {
            return VerificationKey.fromSpki(device.spki()).verify(message, signature);
        } catch (IllegalArgumentException e) { // KeyFormatException included
            return false;
        }
    }

    /**
     * Verifies evidence without writing anything, as if {@code requester} submitted it {@code now} in an entry after
     * every one in the log: for the API's verify call and the inspector's page.
     *
     * @param attestation the {@code attestation} object as parsed JSON
     * @throws LedgerException {@code invalid-attestation} (422) for malformed evidence, {@code unknown-unit} (422)
     */
    public static Outcome verify(Connection c, DeviceIdentity identity, UnitKey unit, String requester,
                                 Object attestation, Instant now) throws SQLException {
        Evidence ev = evidence(attestation, "attestation", identity);
        BatchContext ctx = BatchContext.on(c); // read only: nothing is flushed
        CustodyState.Unit u = Rules.existing(CustodyState.of(ctx), unit);
        return verify(AttestationState.of(ctx), identity, u, requester, ev, now, Long.MAX_VALUE);
    }

    // ------------------------------------------------------------------------------------------------ parsing

    private static byte[] base64(String s) {
        try {
            byte[] b = Base64.getDecoder().decode(s);
            return Base64.getEncoder().encodeToString(b).equals(s) ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] pem(String text) {
        try {
            return Pem.decode(text, "CERTIFICATE");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A refusal naming {@code field} as given (a full path such as {@code payload.attestation.alg}). */
    static LedgerException invalid(String code, String field, String detail) {
        return new LedgerException(LedgerException.Kind.RULE, code, "Invalid entry", detail, Map.of("field", field),
                null);
    }
}
