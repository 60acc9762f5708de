package org.fabtrail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fabtrail.testing.Bytes;
import org.fabtrail.testing.LedgerAssertions;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.fabtrail.testing.Bytes.concat;

/**
 * An offline bundle verifier written independently of the production code: JDK crypto (SHA-256, Ed25519,
 * ECDSA), Jackson only to read the bundle's outer JSON, and the leaf bytes checked as bytes. What a partner or
 * inspector would write from the docs.
 */
final class BundleVerifier {

    /** What the bundle proves, entry by entry. */
    record Verified(long treeSize, String origin, List<Long> indexes, List<String> types) {
    }

    private BundleVerifier() {
    }

    /** What a witness policy found on the bundle's checkpoint: the names of the listed witnesses that cosigned. */
    record Witnessed(Verified bundle, List<String> cosigners) {
    }

    /**
     * Verifies the bundle and applies a k-of-n witness policy to its checkpoint (c2sp.org/tlog-cosignature v1,
     * checked here with the JDK's Ed25519 over the message built from the spec's text).
     *
     * @throws AssertionError when fewer than {@code required} of the witnesses cosigned, or any listed witness's line
     *                        does not verify
     */
    static Witnessed verify(String bundleJson, String trustedVkey, List<String> witnessVkeys, int required)
            throws Exception {
        Verified v = verify(bundleJson, trustedVkey);
        String note = new ObjectMapper().readTree(bundleJson).get("checkpoint").asText();
        List<String> by = Cosignatures.verify(note, witnessVkeys);
        if (by.size() < required) {
            throw new AssertionError("the checkpoint has " + by.size() + " of the " + required
                    + " witness cosignatures required (cosigned by " + by + ")");
        }
        return new Witnessed(v, by);
    }

    static Verified verify(String bundleJson, String trustedVkey) throws Exception {
        JsonNode bundle = new ObjectMapper().readTree(bundleJson);
        if (!bundle.get("logKey").asText().equals(trustedVkey)) {
            throw new AssertionError("the bundle's log key is not the trusted one");
        }
        // 1. the checkpoint: a signed note whose signature verifies with the trusted log key (other signature
        //    lines, such as witnesses' cosignatures, are ignored here)
        String note = bundle.get("checkpoint").asText();
        int split = note.lastIndexOf("\n\n");
        String body = note.substring(0, split + 1);
        String logName = trustedVkey.split("\\+", 3)[0];
        String sigLine = java.util.Arrays.stream(note.substring(split + 2).split("\n"))
                .filter(l -> l.startsWith("\u2014 " + logName + " ")).findFirst().orElse("");
        String[] vk = trustedVkey.split("\\+", 3);
        String name = vk[0];
        byte[] keyBytes = Base64.getDecoder().decode(vk[2]);
        if (keyBytes[0] != 1) {
            throw new AssertionError("not an Ed25519 vkey");
        }
        byte[] pk = Arrays.copyOfRange(keyBytes, 1, 33);
        byte[] hashInput = concat((name + "\n").getBytes(StandardCharsets.UTF_8), new byte[]{1}, pk);
        byte[] keyHash = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(hashInput), 4);
        if (!HexFormat.of().formatHex(keyHash).equals(vk[1])) {
            throw new AssertionError("vkey hash mismatch");
        }
        if (!sigLine.startsWith("\u2014 " + name + " ")) {
            throw new AssertionError("signature line is not by " + name);
        }
        byte[] sig = Base64.getDecoder().decode(sigLine.substring(sigLine.lastIndexOf(' ') + 1));
        if (!Arrays.equals(Arrays.copyOf(sig, 4), keyHash)) {
            throw new AssertionError("signature key hash mismatch");
        }
        PublicKey logKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                concat(HexFormat.of().parseHex("302a300506032b6570032100"), pk)));
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(logKey);
        ed.update(body.getBytes(StandardCharsets.UTF_8));
        if (!ed.verify(Arrays.copyOfRange(sig, 4, sig.length))) {
            throw new AssertionError("checkpoint signature does not verify");
        }
        String[] lines = body.split("\n");
        String origin = lines[0];
        long size = Long.parseLong(lines[1]);
        byte[] root = Base64.getDecoder().decode(lines[2]);

        // 2. the signing keys, by key id = SHA-256 of the DER SubjectPublicKeyInfo
        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonNode k : bundle.get("keys")) {
            String pem = k.get("publicKey").asText();
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            if (!id.equals(k.get("keyId").asText())) {
                throw new AssertionError("key id does not match its key");
            }
            String alg = k.get("alg").asText();
            keys.put(id, KeyFactory.getInstance(alg.equals("Ed25519") ? "Ed25519" : "EC")
                    .generatePublic(new X509EncodedKeySpec(der)));
        }

        // 3. every entry: leaf hash, inclusion in the checkpoint's tree, and the submitter's signature
        List<Long> indexes = new ArrayList<>();
        List<String> types = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (JsonNode e : bundle.get("entries")) {
            byte[] leaf = Base64.getDecoder().decode(e.get("leaf").asText());
            byte[] leafHash = MessageDigest.getInstance("SHA-256").digest(concat(new byte[]{0}, leaf));
            if (!HexFormat.of().formatHex(leafHash).equals(e.get("leafHash").asText())) {
                throw new AssertionError("leaf hash mismatch at " + e.get("index"));
            }
            long index = e.get("index").asLong();
            List<byte[]> proof = new ArrayList<>();
            e.get("inclusionProof").forEach(h -> proof.add(HexFormat.of().parseHex(h.asText())));
            if (!Arrays.equals(root, LedgerAssertions.rootFromInclusion(index, size, leafHash, proof))) {
                throw new AssertionError("entry " + index + " is not in the checkpoint's tree");
            }
            JsonNode parsed = json.readTree(leaf);
            if (parsed.get("index").asLong() != index) {
                throw new AssertionError("leaf names another index");
            }
            JsonNode signature = parsed.get("envelope").get("signature");
            // The leaf is RFC 8785 canonical, so the canonical payload is its "payload" member, byte for byte.
            byte[] payload = member(leaf, "{\"envelope\":{\"payload\":");
            PublicKey signer = keys.get(signature.get("keyId").asText());
            if (signer == null) {
                throw new AssertionError("the bundle lacks key " + signature.get("keyId"));
            }
            Signature s = Signature.getInstance(signature.get("alg").asText().equals("Ed25519") ? "Ed25519" : "SHA256withECDSA");
            s.initVerify(signer);
            s.update(payload);
            if (!s.verify(Base64.getDecoder().decode(signature.get("value").asText()))) {
                throw new AssertionError("signature of entry " + index + " does not verify");
            }
            indexes.add(index);
            types.add(parsed.get("envelope").get("payload").get("type").asText());
        }
        return new Verified(size, origin, indexes, types);
    }

    /** The JSON object that starts right after {@code prefix} in the canonical bytes (braces balanced, strings skipped). */
    static byte[] member(byte[] canonical, String prefix) {
        String text = new String(canonical, StandardCharsets.UTF_8);
        if (!text.startsWith(prefix)) {
            throw new AssertionError("leaf does not start with " + prefix);
        }
        int start = prefix.getBytes(StandardCharsets.UTF_8).length;
        int depth = 0;
        for (int i : Bytes.outsideJsonStrings(canonical, start)) {
            if (canonical[i] == '{') {
                depth++;
            } else if (canonical[i] == '}' && --depth == 0) {
                return Arrays.copyOfRange(canonical, start, i + 1);
            }
        }
        throw new AssertionError("unbalanced leaf");
    }
}
