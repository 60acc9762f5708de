package org.fabtrail.ledger.checkpoint;

import static org.fabtrail.testing.Bytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.TestResources;
import org.junit.jupiter.api.Test;

/**
 * c2sp.org/tlog-cosignature@v1.0.1 against the spec's own text: its example cosigned checkpoint, its example signed
 * message, and the key ID rule, with the signed message rebuilt here from the spec's words and checked with the JDK's
 * Ed25519 (not the production code's Bouncy Castle).
 */
class CosignatureTest {

    static final String SPEC = TestResources.utf8("vectors/c2sp/released/tlog-cosignature@v1.0.1.md");

    /** The n-th fenced code block of the spec (``` ... ```), or the n-th indented block. */
    static String fenced(String doc, int n) {
        Matcher m = Pattern.compile("```\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        for (int i = 0; i <= n; i++) {
            assertTrue(m.find(), "the spec has a code block " + n);
        }
        return m.group(1);
    }

    /** The indented example after the line {@code after} (4-space indented lines, indentation removed). */
    static String indented(String doc, String after) {
        int at = doc.indexOf(after);
        assertTrue(at >= 0, after);
        StringBuilder sb = new StringBuilder();
        boolean started = false;
        for (String line : doc.substring(at).split("\n", -1)) {
            if (line.startsWith("    ")) {
                started = true;
                sb.append(line.substring(4)).append('\n');
            } else if (started) {
                break;
            }
        }
        return sb.toString();
    }

    @Test
    void theSpecsExampleCosignedCheckpointParsesAndItsTimestampIsTheSignedMessagesTime() {
        String example = fenced(SPEC, 0);
        Note note = Note.parse(example.getBytes(StandardCharsets.UTF_8));
        assertEquals("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
                note.text());
        assertEquals(2, note.signatures().size());
        NoteSignature cosignature = note.signatures().get(1);
        assertEquals("witness.example.com/w1", cosignature.name());
        assertEquals(0x8d66cf3f, cosignature.keyHash());
        assertEquals(Cosignatures.SIGNATURE_BYTES, cosignature.signature().length, "4-byte key ID, then 72 bytes");
        assertEquals(1679315147L, Cosignatures.timestampOf(cosignature));
        assertEquals(-1, Cosignatures.timestampOf(note.signatures().get(0)), "the log's signature is 64 bytes");
        assertEquals(example, new String(note.encode(), StandardCharsets.UTF_8), "re-encodes byte for byte");
        assertTrue(cosignature.line().equals(example.split("\n")[5] + "\n"));
    }

    @Test
    void theSignedMessageIsTheSpecsExampleByteForByte() {
        String specMessage = indented(SPEC, "The header line MUST be the fixed string");
        assertTrue(specMessage.startsWith("cosignature/v1\ntime 1679315147\n"), specMessage);
        String body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        assertEquals(specMessage, new String(Cosignatures.signedMessage(1679315147L,
                body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }

    /** A public witness's vkey as its operator publishes it: type 0x04 and the key ID the spec prescribes. */
    @Test
    void keyIdOfAPublishedWitnessVkeyIsTheSpecifiedHash() throws Exception {
        String vkey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
        NoteVerifier v = NoteVerifier.parse(vkey);
        assertTrue(v.isCosigner());
        assertEquals(vkey, v.vkey());
        byte[] typed = Base64.getDecoder().decode(vkey.split("\\+", 3)[2]);
        assertEquals(0x04, typed[0]);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("remora.n621.de\n".getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x04);
        byte[] h = sha.digest(Arrays.copyOfRange(typed, 1, 33));
        assertEquals("da77ade7", HexFormat.of().formatHex(h, 0, 4));
        assertEquals(v, NoteVerifier.cosignatureV1("remora.n621.de", v.key()));
        assertEquals(ByteBuffer.wrap(h).getInt(), v.keyHash());
    }

    @Test
    void aCosignatureIsTheSpecsStructureOverTheSpecsMessage() throws Exception {
        SigningKey key = SigningKey.ed25519FromSeed(HexFormat.of().parseHex(
                "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"));
        Cosigner cosigner = new Cosigner("witness.example.org/w1", key);
        String body = "example.org/log\n42\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n";
        long time = 1_767_225_600L; // 2026-01-01T00:00:00Z
        String line = cosigner.cosign(body, time).line();

        // The line: em dash, space, name, space, base64(key ID || u64 timestamp big-endian || Ed25519 signature).
        assertTrue(line.startsWith("\u2014 witness.example.org/w1 ") && line.endsWith("\n"), line);
        byte[] raw = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1, line.length() - 1));
        assertEquals(4 + 8 + 64, raw.length);
        byte[] pk = key.verificationKey().rawPublicKey();
        byte[] keyId = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(concat(
                "witness.example.org/w1\n".getBytes(StandardCharsets.UTF_8), new byte[] {0x04}, pk)), 4);
        assertArrayEquals(keyId, Arrays.copyOf(raw, 4));
        assertEquals(time, ByteBuffer.wrap(raw, 4, 8).getLong());

        // The message, written from the spec's words, verified with the JDK's Ed25519.
        String message = "cosignature/v1\n" + "time " + time + "\n" + body;
        PublicKey jdk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(
                HexFormat.of().parseHex("302a300506032b6570032100"), pk)));
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(jdk);
        ed.update(message.getBytes(StandardCharsets.UTF_8));
        assertTrue(ed.verify(Arrays.copyOfRange(raw, 12, 76)));

        // And the production verifier agrees, and refuses a changed timestamp or body.
        NoteVerifier v = cosigner.verifier();
        byte[] sig = Arrays.copyOfRange(raw, 4, 76);
        assertTrue(v.verify(body.getBytes(StandardCharsets.UTF_8), sig));
        byte[] later = sig.clone();
        later[7]++;
        assertFalse(v.verify(body.getBytes(StandardCharsets.UTF_8), later));
        assertFalse(v.verify(body.replace("42", "43").getBytes(StandardCharsets.UTF_8), sig));
        assertFalse(v.verify(body.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(sig, 71)));
    }

    @Test
    void aTimestampAbove2To63Minus1IsRefused() {
        SigningKey key = SigningKey.ed25519FromSeed(new byte[32]);
        byte[] body = "o\n1\n".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> Cosignatures.signedMessage(-1, body));
        byte[] sig = new byte[72];
        sig[0] = (byte) 0x80;
        assertEquals(-1, Cosignatures.timestampOf(sig));
        assertFalse(NoteVerifier.cosignatureV1("w", key.verificationKey()).verify(body, sig));
    }

    @Test
    void aPlainEd25519KeyAndACosignatureKeyOfTheSameKeyAndNameDiffer() {
        SigningKey key = SigningKey.ed25519FromSeed(new byte[32]);
        NoteVerifier plain = NoteVerifier.ed25519("w.example/1", key.verificationKey());
        NoteVerifier cosig = NoteVerifier.cosignatureV1("w.example/1", key.verificationKey());
        assertFalse(plain.equals(cosig));
        assertTrue(plain.keyHash() != cosig.keyHash(), "the type byte is in the key ID");
        assertFalse(plain.isCosigner());
        // A cosignature on a note is not a signature of the plain key: opening with it finds no known signature.
        String body = "o\n1\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n";
        byte[] note = new Note(body, List.of(new Cosigner("w.example/1", key).cosign(body, 5))).encode();
        assertThrows(NoteVerificationException.class, () -> Notes.open(note, List.of(plain)));
        assertEquals(List.of(cosig), Notes.open(note, List.of(cosig)).verifiedBy());
    }

    @Test
    void aPolicyCountsTheListedWitnessesThatCosignedAndIgnoresOthers() {
        SigningKey logKey = SigningKey.ed25519FromSeed(seed(1));
        NoteSigner log = new NoteSigner("example.org/log", logKey);
        Cosigner a = new Cosigner("a.example/w", SigningKey.ed25519FromSeed(seed(2)));
        Cosigner b = new Cosigner("b.example/w", SigningKey.ed25519FromSeed(seed(3)));
        Cosigner c = new Cosigner("c.example/w", SigningKey.ed25519FromSeed(seed(4)));
        Cosigner stranger = new Cosigner("d.example/w", SigningKey.ed25519FromSeed(seed(5)));
        String body = new Checkpoint("example.org/log", 7, new byte[32]).body();
        byte[] signed = Note.sign(body, log);
        WitnessPolicy twoOfThree = new WitnessPolicy(List.of(a.verifier(), b.verifier(), c.verifier()), 2);

        WitnessPolicy.Verdict none = twoOfThree.check(signed, "example.org/log", List.of(log.verifier()));
        assertFalse(none.satisfied());
        assertEquals(7, none.checkpoint().size());

        byte[] one = WitnessPolicy.withCosignatures(signed, List.of(c.cosign(body, 10), stranger.cosign(body, 11)));
        assertEquals(List.of("c.example/w"), twoOfThree.check(one, "example.org/log", List.of(log.verifier()))
                .cosignerNames());
        byte[] two = WitnessPolicy.withCosignatures(one, List.of(a.cosign(body, 12)));
        WitnessPolicy.Verdict ok = twoOfThree.check(two, "example.org/log", List.of(log.verifier()));
        assertTrue(ok.satisfied());
        assertEquals(List.of("a.example/w", "c.example/w"), ok.cosignerNames(), "in policy order");
        assertEquals(12, ok.cosigned().get(0).timestamp());

        // A listed witness's signature that does not verify rejects the note; a witness alone is not the log.
        byte[] forged = WitnessPolicy.withCosignatures(signed, List.of(new NoteSignature("b.example/w",
                b.verifier().keyHash(), new byte[72])));
        assertThrows(NoteVerificationException.class,
                () -> twoOfThree.check(forged, "example.org/log", List.of(log.verifier())));
        byte[] witnessOnly = new Note(body, List.of(a.cosign(body, 1), b.cosign(body, 1))).encode();
        assertThrows(NoteVerificationException.class,
                () -> twoOfThree.check(witnessOnly, "example.org/log", List.of(log.verifier())));
        assertThrows(IllegalArgumentException.class, () -> new WitnessPolicy(List.of(log.verifier()), 1),
                "a log key is not a witness key");
        assertThrows(IllegalArgumentException.class, () -> new WitnessPolicy(List.of(a.verifier()), 2));
        assertTrue(WitnessPolicy.NONE.check(signed, "example.org/log", List.of(log.verifier())).satisfied());
    }

    static byte[] seed(int n) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) n);
        return s;
    }
}
