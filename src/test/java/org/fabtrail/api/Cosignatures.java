package org.fabtrail.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.fabtrail.testing.Bytes.concat;

/**
 * Witness cosignatures checked as someone would who only read c2sp.org/tlog-cosignature@v1.0.1 and
 * signed-note@v1.0.0: JDK SHA-256 and Ed25519, the message written out from the spec's words. Independent of the
 * production code (org.fabtrail.ledger.checkpoint and org.fabtrail.witness are not used).
 */
final class Cosignatures {

    private Cosignatures() {
    }

    /** A witness's cosignature as found on a note. */
    record Found(String name, long timestamp) {
    }

    /**
     * @param note         a signed checkpoint with cosignature lines
     * @param witnessVkeys the witnesses' vkeys ({@code name+keyid+base64(0x04 || key)})
     * @return the names of the witnesses whose cosignature is on the note and verifies, in vkey order
     * @throws AssertionError when a line that names a listed witness and its key ID does not verify, or a vkey is
     *                        not a cosignature/v1 key with the right key ID
     */
    static List<String> verify(String note, List<String> witnessVkeys) throws Exception {
        return found(note, witnessVkeys).stream().map(Found::name).toList();
    }

    static List<Found> found(String note, List<String> witnessVkeys) throws Exception {
        int split = note.lastIndexOf("\n\n");
        String body = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2).split("\n");
        List<Found> out = new ArrayList<>();
        for (String vkey : witnessVkeys) {
            String[] parts = vkey.split("\\+", 3);
            String name = parts[0];
            byte[] typed = Base64.getDecoder().decode(parts[2]);
            if (typed.length != 33 || typed[0] != 0x04) {
                throw new AssertionError("not a cosignature/v1 vkey: " + vkey);
            }
            byte[] pk = Arrays.copyOfRange(typed, 1, 33);
            // key ID = SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4]
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0x04);
            byte[] keyId = Arrays.copyOf(sha.digest(pk), 4);
            if (!HexFormat.of().formatHex(keyId).equals(parts[1])) {
                throw new AssertionError("the vkey's key ID is not SHA-256(name || 0x0A || 0x04 || key)[:4]: " + vkey);
            }
            for (String line : lines) {
                if (!line.startsWith("\u2014 " + name + " ")) {
                    continue;
                }
                byte[] raw = Base64.getDecoder().decode(line.substring(("\u2014 " + name + " ").length()));
                if (!Arrays.equals(Arrays.copyOf(raw, 4), keyId)) {
                    continue; // another key of the same name: not ours to check
                }
                if (raw.length != 4 + 8 + 64) {
                    throw new AssertionError("a cosignature is key ID, 8-byte timestamp, 64-byte signature: " + line);
                }
                long timestamp = ByteBuffer.wrap(raw, 4, 8).getLong();
                if (timestamp < 0) {
                    throw new AssertionError("timestamp above 2^63 - 1");
                }
                String message = "cosignature/v1\n" + "time " + timestamp + "\n" + body;
                PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                        concat(HexFormat.of().parseHex("302a300506032b6570032100"), pk)));
                Signature ed = Signature.getInstance("Ed25519");
                ed.initVerify(key);
                ed.update(message.getBytes(StandardCharsets.UTF_8));
                if (!ed.verify(Arrays.copyOfRange(raw, 12, 76))) {
                    throw new AssertionError("the cosignature of " + name + " does not verify");
                }
                out.add(new Found(name, timestamp));
                break;
            }
        }
        return out;
    }

    /** The log's own signature on a note, checked with the JDK (the note's first signature line by the log). */
    static void verifyLog(String note, String logVkey) throws Exception {
        String[] parts = logVkey.split("\\+", 3);
        byte[] pk = Arrays.copyOfRange(Base64.getDecoder().decode(parts[2]), 1, 33);
        int split = note.lastIndexOf("\n\n");
        String body = note.substring(0, split + 1);
        String line = Arrays.stream(note.substring(split + 2).split("\n"))
                .filter(l -> l.startsWith("\u2014 " + parts[0] + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no signature of the log on " + note));
        byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                concat(HexFormat.of().parseHex("302a300506032b6570032100"), pk)));
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(key);
        ed.update(body.getBytes(StandardCharsets.UTF_8));
        if (!HexFormat.of().formatHex(raw, 0, 4).equals(parts[1]) || !ed.verify(Arrays.copyOfRange(raw, 4, raw.length))) {
            throw new AssertionError("the log's signature does not verify");
        }
    }
}
