package org.fabtrail.client;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.ProofException;
import org.fabtrail.ledger.merkle.Proofs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a partner checks on everything the log answers, with nothing but the log key it pinned: write answers
 * (docs/api.md, "The write answer and how to verify it") and a unit's offline bundle ("GET …/bundle").
 * Every check that fails throws {@link VerificationFailed} saying which one.
 */
public final class ReceiptVerifier {

    private static final HexFormat HEX = HexFormat.of();

    private final NoteVerifier logKey;

    /** @param logVkey the log's key in C2SP vkey form ({@code GET /api/v1/log/key}), pinned out of band */
    public ReceiptVerifier(String logVkey) {
        this.logKey = NoteVerifier.parse(logVkey.trim());
    }

    /** A check that did not hold. */
    public static final class VerificationFailed extends RuntimeException {
        public VerificationFailed(String message) {
            super(message);
        }
    }

    /** A verified write answer: where the entry is, and the checkpoint that covers it. */
    public record Verified(long index, String integratedTime, Checkpoint checkpoint, String checkpointNote) {
    }

    /** The signed checkpoint note, opened with the pinned key. */
    public Checkpoint checkpoint(String note) {
        try {
            return Checkpoint.open(note.getBytes(StandardCharsets.UTF_8), logKey.name(), List.of(logKey));
        } catch (RuntimeException e) {
            throw new VerificationFailed("the checkpoint does not verify with the pinned log key: " + e.getMessage());
        }
    }

    /**
     * Checks a write answer for the envelope that was sent: the checkpoint's signature, the leaf rebuilt from the
     * envelope, {@code index} and {@code integratedTime}, its hash, and the inclusion proof to the checkpoint's root.
     *
     * @param envelope the envelope as sent (any JSON form: the leaf holds its canonical form)
     * @param answer   the write answer ({@code receipt} of a batch item, or the body of a single write)
     */
    public Verified writeAnswer(Map<String, Object> envelope, Map<String, Object> answer) {
        String note = string(answer, "checkpoint");
        Checkpoint cp = checkpoint(note);
        long index = number(answer, "index");
        String time = string(answer, "integratedTime");
        Map<String, Object> leaf = new LinkedHashMap<>();
        leaf.put("envelope", envelope);
        leaf.put("index", index);
        leaf.put("integratedTime", time);
        byte[] leafHash = Merkle.leafHash(Jcs.canonicalize(leaf));
        if (!HEX.formatHex(leafHash).equals(string(answer, "leafHash"))) {
            throw new VerificationFailed("leafHash is not the hash of the leaf rebuilt from the envelope sent, index "
                    + index + " and integratedTime " + time);
        }
        Map<String, Object> proof = object(answer, "inclusionProof");
        if (number(proof, "leafIndex") != index || number(proof, "treeSize") != cp.size()) {
            throw new VerificationFailed("the inclusion proof is not for index " + index + " in the checkpoint's tree of "
                    + cp.size());
        }
        inclusion(index, cp, leafHash, hashes(proof.get("hashes")));
        return new Verified(index, time, cp, note);
    }

    /** Checks that {@code newer} extends {@code older}, given the consistency proof the log served for them. */
    public void consistent(Checkpoint older, Checkpoint newer, List<byte[]> proof) {
        try {
            Proofs.verifyConsistency(older.size(), newer.size(), older.rootHash(), newer.rootHash(), proof);
        } catch (ProofException e) {
            throw new VerificationFailed("checkpoint " + newer.size() + " is not consistent with checkpoint " + older.size()
                    + " seen before: the log was rewritten or shows another history (" + e.getMessage() + ")");
        }
    }

    /** What a verified bundle proves: its checkpoint and the indexes and types of the unit's entries. */
    public record VerifiedBundle(Checkpoint checkpoint, List<Long> indexes, List<String> types) {
    }

    /**
     * Verifies a unit's offline bundle: the checkpoint with the pinned key; for each entry its leaf hash, its
     * inclusion proof, that the leaf names its index, and its signature with the bundle's key of that id (whose id
     * is recomputed from the key, and which belongs to the payload's actor).
     */
    @SuppressWarnings("unchecked")
    public VerifiedBundle bundle(String bundleJson) {
        Map<String, Object> bundle = asObject(StrictJson.parse(bundleJson), "the bundle");
        Checkpoint cp = checkpoint(string(bundle, "checkpoint"));
        Map<String, Map<String, Object>> keys = new HashMap<>();
        for (Object k : list(bundle, "keys")) {
            Map<String, Object> key = asObject(k, "a key");
            keys.put(string(key, "keyId"), key);
        }
        List<Long> indexes = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Object o : list(bundle, "entries")) {
            Map<String, Object> entry = asObject(o, "an entry");
            long index = number(entry, "index");
            byte[] leafBytes = Base64.getDecoder().decode(string(entry, "leaf"));
            byte[] leafHash = Merkle.leafHash(leafBytes);
            if (!HEX.formatHex(leafHash).equals(string(entry, "leafHash"))) {
                throw new VerificationFailed("entry " + index + ": leafHash is not the hash of its leaf");
            }
            inclusion(index, cp, leafHash, hashes(entry.get("inclusionProof")));
            Map<String, Object> leaf = asObject(StrictJson.parse(leafBytes), "a leaf");
            if (number(leaf, "index") != index) {
                throw new VerificationFailed("entry " + index + ": its leaf names index " + leaf.get("index"));
            }
            Map<String, Object> envelope = object(leaf, "envelope");
            Map<String, Object> payload = object(envelope, "payload");
            Map<String, Object> signature = object(envelope, "signature");
            Map<String, Object> key = keys.get(string(signature, "keyId"));
            if (key == null) {
                throw new VerificationFailed("entry " + index + ": the bundle has no key " + signature.get("keyId"));
            }
            VerificationKey vk = VerificationKey.fromPem(string(key, "publicKey"));
            if (!vk.keyId().equals(string(signature, "keyId")) || !string(key, "org").equals(string(payload, "actor"))) {
                throw new VerificationFailed("entry " + index + ": key " + signature.get("keyId")
                        + " is not the key of that id belonging to the entry's actor");
            }
            if (!vk.verify(Jcs.canonicalize(payload), Base64.getDecoder().decode(string(signature, "value")))) {
                throw new VerificationFailed("entry " + index + ": the signature does not verify");
            }
            indexes.add(index);
            types.add(string(payload, "type"));
        }
        return new VerifiedBundle(cp, indexes, types);
    }

    private static void inclusion(long index, Checkpoint cp, byte[] leafHash, List<byte[]> proof) {
        try {
            Proofs.verifyInclusion(index, cp.size(), leafHash, proof, cp.rootHash());
        } catch (ProofException e) {
            throw new VerificationFailed("entry " + index + " is not in the checkpoint's tree of " + cp.size() + ": "
                    + e.getMessage());
        }
    }

    static List<byte[]> hashes(Object v) {
        Object list = v instanceof Map<?, ?> m ? m.get("hashes") : v;
        if (!(list instanceof List<?> l)) {
            throw new VerificationFailed("a proof must be a list of hex hashes");
        }
        List<byte[]> out = new ArrayList<>();
        for (Object h : l) {
            out.add(HEX.parseHex(String.valueOf(h)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object v, String what) {
        if (!(v instanceof Map<?, ?>)) {
            throw new VerificationFailed(what + " is not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    static Map<String, Object> object(Map<String, Object> m, String name) {
        return asObject(m.get(name), "\"" + name + "\"");
    }

    static List<?> list(Map<String, Object> m, String name) {
        if (!(m.get(name) instanceof List<?> l)) {
            throw new VerificationFailed("\"" + name + "\" is not a JSON array");
        }
        return l;
    }

    static String string(Map<String, Object> m, String name) {
        if (!(m.get(name) instanceof String s)) {
            throw new VerificationFailed("\"" + name + "\" is missing or not a string");
        }
        return s;
    }

    static long number(Map<String, Object> m, String name) {
        if (!(m.get(name) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0) {
            throw new VerificationFailed("\"" + name + "\" is missing or not a whole number");
        }
        return n.longValue();
    }
}
