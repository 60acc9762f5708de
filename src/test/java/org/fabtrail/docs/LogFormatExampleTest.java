package org.fabtrail.docs;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.KeyReplay;
import org.fabtrail.custody.Operator;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Sequencer;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.merkle.AppendResult;
import org.fabtrail.ledger.merkle.Merkle;
import org.fabtrail.ledger.merkle.NodeId;
import org.fabtrail.ledger.merkle.NodeSource;
import org.fabtrail.ledger.merkle.Proofs;
import org.fabtrail.ledger.merkle.StoredNode;
import org.fabtrail.ledger.merkle.TreeAppender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.fabtrail.testing.Bytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the worked example of docs/design/log-format.md true.
 *
 * <p>Builds the two-entry example log twice: once with the production code (Jcs, SigningKey,
 * OperatorEntries.signAs, Sequencer.leaf, Merkle, TreeAppender, Proofs, CheckpointSigner) and once by hand in
 * this class (JSON written as strings, SHA-256 and Ed25519 from the JDK, the note format assembled byte by
 * byte). The two must agree, and every value must appear in the document byte for byte. If the format or the
 * document changes, this test fails and names the value; its message carries the value to paste back.
 *
 * <p>Plain JUnit: no Quarkus, no database. Maven runs tests from the project root, where the document is.
 */
class LogFormatExampleTest {

    static final Path DOC = Path.of("docs/design/log-format.md");

    static final String ORIGIN = "example.fabtrail.local/log";
    static final UUID GENESIS_ID = UUID.fromString("11111111-1111-4111-8111-111111111111");
    static final UUID ORG_ID = UUID.fromString("22222222-2222-4222-8222-222222222222");
    static final Instant GENESIS_TIME = Instant.parse("2026-01-15T09:00:00Z");
    static final Instant ORG_TIME = Instant.parse("2026-01-15T09:05:00Z");
    static final Instant INTEGRATED_0 = Instant.parse("2026-01-15T09:00:00.250Z");
    static final Instant INTEGRATED_1 = Instant.parse("2026-01-15T09:05:00.125Z");
    static final String WITNESS = "witness.example.org/w1";
    /** When the witness cosigned the checkpoint of size 2: 2026-01-15T09:05:01Z. */
    static final long COSIGNED_AT = Instant.parse("2026-01-15T09:05:01Z").getEpochSecond();

    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Encoder B64 = Base64.getEncoder();

    /** The operator's seed: bytes 0x00, 0x01, ..., 0x1f. Public on purpose; never use it for a real log. */
    static byte[] seed() {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) i;
        }
        return seed;
    }

    /** The witness's seed: bytes 0x20, 0x21, ..., 0x3f. Public on purpose; never use it for a real witness. */
    static byte[] witnessSeed() {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (0x20 + i);
        }
        return seed;
    }

    /** The witness's cosignature of the checkpoint of size 2, as the production witness makes it. */
    record ProductionCosigned(String vkey, String line, String cosigned) {
    }

    /** The same, by hand: the JDK's Ed25519 over the message written out from c2sp.org/tlog-cosignature. */
    record ByHandCosigned(byte[] publicKey, String keyId, String vkey, String message, String line, String cosigned) {
    }

    static ProductionCosigned productionCosigned;
    static ByHandCosigned handCosigned;

    static ProductionCosigned cosignWithProductionCode() {
        org.fabtrail.ledger.checkpoint.Cosigner w = new org.fabtrail.ledger.checkpoint.Cosigner(WITNESS,
                SigningKey.ed25519FromSeed(witnessSeed()));
        String body = org.fabtrail.ledger.checkpoint.Note.parse(utf8(production.checkpoint2())).text();
        String line = w.cosign(body, COSIGNED_AT).line();
        return new ProductionCosigned(w.verifier().vkey(), line, production.checkpoint2() + line);
    }

    static ByHandCosigned cosignByHand() throws Exception {
        KeyPair pair = jdkEd25519(witnessSeed());
        byte[] publicKey = rawPublicKey(pair.getPublic().getEncoded());
        // key ID = SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4]
        byte[] keyId = Arrays.copyOf(sha256(concat(utf8(WITNESS + "\n"), new byte[] {0x04}, publicKey)), 4);
        String vkey = WITNESS + "+" + HEX.formatHex(keyId) + "+" + B64.encodeToString(concat(new byte[] {0x04}, publicKey));
        String body = ORIGIN + "\n2\n" + B64.encodeToString(hand.root2()) + "\n";
        String message = "cosignature/v1\n" + "time " + COSIGNED_AT + "\n" + body;
        byte[] timestamp = java.nio.ByteBuffer.allocate(8).putLong(COSIGNED_AT).array();
        String line = "\u2014 " + WITNESS + " " + B64.encodeToString(concat(keyId, timestamp, ed25519(pair, message)))
                + "\n";
        return new ByHandCosigned(publicKey, HEX.formatHex(keyId), vkey, message, line, hand.checkpoint2() + line);
    }

    /** The example as the production code builds it. */
    record Production(SigningKey key, Envelope genesis, Envelope org, byte[] leaf0, byte[] leaf1, byte[] leafHash0,
                      byte[] leafHash1, AppendResult batch1, AppendResult batch2, List<byte[]> inclusion0,
                      List<byte[]> inclusion1, List<byte[]> consistency, String checkpoint1, String checkpoint2,
                      String vkey, String privatePem, byte[] root2FromStore) {
    }

    /** The example as this test builds it by hand. */
    record ByHand(byte[] publicKey, byte[] spki, String keyId, String publicPem, String privatePem,
                  String genesisPayload, String genesisSignature, String genesisEnvelope, String leaf0,
                  byte[] leafHash0, String orgPayload, String orgSignature, String orgEnvelope, String leaf1,
                  byte[] leafHash1, byte[] root2, String keyHash, String vkey, String checkpoint1,
                  String checkpoint2) {
    }

    static Production production;
    static ByHand hand;
    static String doc;

    @BeforeAll
    static void build() throws Exception {
        production = buildWithProductionCode();
        hand = buildByHand();
        productionCosigned = cosignWithProductionCode();
        handCosigned = cosignByHand();
        doc = Files.readString(DOC, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ production

    static Production buildWithProductionCode() {
        SigningKey key = SigningKey.ed25519FromSeed(seed());
        EnvelopeParser parser = new EnvelopeParser(65536);
        Envelope genesis = OperatorEntries.signAs(key, Operator.ID, GENESIS_ID, "key.add",
                Map.of("org", Operator.ID, "publicKey", key.verificationKey().toPem()),
                parser, Clock.fixed(GENESIS_TIME, ZoneOffset.UTC));
        Envelope org = OperatorEntries.signAs(key, Operator.ID, ORG_ID, "org.register",
                Map.of("org", "acme-fab", "name", "Acme Fab Ltd.", "country", "TW", "roles", List.of("manufacturer")),
                parser, Clock.fixed(ORG_TIME, ZoneOffset.UTC));

        byte[] leaf0 = Sequencer.leaf(genesis, 0, INTEGRATED_0);
        byte[] leaf1 = Sequencer.leaf(org, 1, INTEGRATED_1);
        byte[] h0 = Merkle.leafHash(leaf0);
        byte[] h1 = Merkle.leafHash(leaf1);

        // Two batches, as the sequencer commits them: genesis alone at startup, then the org.register.
        AppendResult batch1 = TreeAppender.empty().append(List.of(h0));
        AppendResult batch2 = batch1.next().append(List.of(h1));

        // What the store holds after size 2: leaf hashes at level 0, and every complete subtree above.
        Map<NodeId, byte[]> stored = new LinkedHashMap<>();
        stored.put(new NodeId(0, 0), h0);
        stored.put(new NodeId(0, 1), h1);
        for (StoredNode n : batch1.newNodes()) {
            stored.put(n.id(), n.hash());
        }
        for (StoredNode n : batch2.newNodes()) {
            stored.put(n.id(), n.hash());
        }
        NodeSource src = (level, index) -> stored.get(new NodeId(level, index));

        CheckpointSigner signer = new CheckpointSigner(ORIGIN, key);
        return new Production(key, genesis, org, leaf0, leaf1, h0, h1, batch1, batch2,
                Proofs.inclusion(0, 2, src), Proofs.inclusion(1, 2, src), Proofs.consistency(1, 2, src),
                signer.sign(1, batch1.root()), signer.sign(2, batch2.root()), signer.vkey(), key.toPkcs8Pem(),
                Proofs.root(2, src));
    }

    // ------------------------------------------------------------------ by hand

    static ByHand buildByHand() throws Exception {
        KeyPair pair = jdkEd25519(seed());
        byte[] jdkSpki = pair.getPublic().getEncoded();
        byte[] publicKey = rawPublicKey(jdkSpki);

        // RFC 8410 SubjectPublicKeyInfo and PKCS#8 PrivateKeyInfo for Ed25519: fixed DER prefixes.
        byte[] spki = concat(HEX.parseHex("302a300506032b6570032100"), publicKey);
        assertArrayEquals(jdkSpki, spki, "the JDK's SubjectPublicKeyInfo is the RFC 8410 one");
        byte[] pkcs8 = concat(HEX.parseHex("302e020100300506032b657004220420"), seed());
        String keyId = HEX.formatHex(sha256(spki));
        String publicPem = "-----BEGIN PUBLIC KEY-----\n" + B64.encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
        String privatePem = "-----BEGIN PRIVATE KEY-----\n" + B64.encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";

        // Entry 0: the genesis key.add. RFC 8785 here is just: no whitespace, members sorted by name.
        String genesisPayload = "{\"actor\":\"operator\",\"id\":\"" + GENESIS_ID + "\",\"org\":\"operator\","
                + "\"publicKey\":" + jsonString(publicPem) + ",\"time\":\"2026-01-15T09:00:00.000Z\","
                + "\"type\":\"key.add\"}";
        String genesisSignature = B64.encodeToString(ed25519(pair, genesisPayload));
        String genesisEnvelope = envelope(genesisPayload, keyId, genesisSignature);
        String leaf0 = "{\"envelope\":" + genesisEnvelope + ",\"index\":0,\"integratedTime\":\"2026-01-15T09:00:00.250Z\"}";
        byte[] h0 = sha256(concat(new byte[] {0x00}, utf8(leaf0)));

        // Entry 1: org.register.
        String orgPayload = "{\"actor\":\"operator\",\"country\":\"TW\",\"id\":\"" + ORG_ID + "\","
                + "\"name\":\"Acme Fab Ltd.\",\"org\":\"acme-fab\",\"roles\":[\"manufacturer\"],"
                + "\"time\":\"2026-01-15T09:05:00.000Z\",\"type\":\"org.register\"}";
        String orgSignature = B64.encodeToString(ed25519(pair, orgPayload));
        String orgEnvelope = envelope(orgPayload, keyId, orgSignature);
        String leaf1 = "{\"envelope\":" + orgEnvelope + ",\"index\":1,\"integratedTime\":\"2026-01-15T09:05:00.125Z\"}";
        byte[] h1 = sha256(concat(new byte[] {0x00}, utf8(leaf1)));

        // RFC 9162: the root of one leaf is its leaf hash; of two, SHA-256(0x01 || left || right).
        byte[] root2 = sha256(concat(new byte[] {0x01}, h0, h1));

        // C2SP signed note: key hash = SHA-256(name || 0x0A || 0x01 || public key)[:4].
        byte[] keyHash = Arrays.copyOf(sha256(concat(utf8(ORIGIN + "\n"), new byte[] {0x01}, publicKey)), 4);
        String vkey = ORIGIN + "+" + HEX.formatHex(keyHash) + "+" + B64.encodeToString(concat(new byte[] {0x01}, publicKey));
        String checkpoint1 = signedCheckpoint(pair, keyHash, 1, h0);
        String checkpoint2 = signedCheckpoint(pair, keyHash, 2, root2);
        return new ByHand(publicKey, spki, keyId, publicPem, privatePem, genesisPayload, genesisSignature,
                genesisEnvelope, leaf0, h0, orgPayload, orgSignature, orgEnvelope, leaf1, h1, root2,
                HEX.formatHex(keyHash), vkey, checkpoint1, checkpoint2);
    }

    static String envelope(String payload, String keyId, String signature) {
        return "{\"payload\":" + payload + ",\"signature\":{\"alg\":\"Ed25519\",\"keyId\":\"" + keyId
                + "\",\"value\":\"" + signature + "\"}}";
    }

    /** Ed25519 from the JDK (not Bouncy Castle): a key pair generator fed {@code seed} as its randomness. */
    static KeyPair jdkEd25519(byte[] seed) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("Ed25519");
        kpg.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
        return kpg.generateKeyPair();
    }

    /** The raw 32-byte Ed25519 public key that ends the SubjectPublicKeyInfo {@code spki}. */
    static byte[] rawPublicKey(byte[] spki) {
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    static String signedCheckpoint(KeyPair pair, byte[] keyHash, long size, byte[] root) throws Exception {
        String body = ORIGIN + "\n" + size + "\n" + B64.encodeToString(root) + "\n";
        byte[] sig = ed25519(pair, body);
        return body + "\n" + "\u2014 " + ORIGIN + " " + B64.encodeToString(concat(keyHash, sig)) + "\n";
    }

    static byte[] ed25519(KeyPair pair, String message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(utf8(message));
        return s.sign();
    }

    /** A JSON string with the escapes RFC 8785 uses; the example needs only newline, quote and backslash. */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    assertTrue(c >= 0x20, "no other control characters in the example");
                    sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Hands the JDK's key pair generator the seed instead of random bytes. */
    static final class FixedRandom extends SecureRandom {
        private final byte[] bytes;

        FixedRandom(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            assertEquals(bytes.length, out.length, "the generator asks for exactly one seed");
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static List<String> hexes(List<byte[]> hashes) {
        return hashes.stream().map(LogFormatExampleTest::hex).toList();
    }

    /** A JSON array of hex hashes as the API writes it: {@code ["<hex>","<hex>"]}. */
    static String hexList(List<byte[]> hashes) {
        List<String> out = new ArrayList<>();
        for (String h : hexes(hashes)) {
            out.add("\"" + h + "\"");
        }
        return "[" + String.join(",", out) + "]";
    }

    // ------------------------------------------------------------------ the two builds agree

    @Test
    void keysAgree() throws Exception {
        assertArrayEquals(hand.publicKey(), production.key().verificationKey().rawPublicKey());
        assertArrayEquals(hand.spki(), production.key().verificationKey().spki());
        assertEquals(hand.keyId(), production.key().keyId());
        assertEquals(hand.publicPem(), production.key().verificationKey().toPem());
        assertEquals(hand.privatePem(), production.privatePem());
        assertEquals(hand.vkey(), production.vkey());
        assertEquals(production.vkey(), NoteVerifier.parse(hand.vkey()).vkey(), "the vkey parses and round-trips");
    }

    @Test
    void entriesAgree() throws Exception {
        Envelope g = production.genesis();
        assertEquals(hex(sha256(utf8(hand.genesisPayload()))), hex(g.payloadHash()));
        assertEquals(hand.genesisPayload(), str(g.canonicalPayload()));
        assertEquals(hand.genesisPayload(), Jcs.canonicalString(g.payload()));
        assertEquals(hand.genesisSignature(), B64.encodeToString(g.signature()));
        assertEquals(hand.genesisEnvelope(), Jcs.canonicalString(g.json()));
        assertEquals(hand.leaf0(), str(production.leaf0()));
        assertArrayEquals(hand.leafHash0(), production.leafHash0());

        Envelope o = production.org();
        assertEquals(hex(sha256(utf8(hand.orgPayload()))), hex(o.payloadHash()));
        assertEquals(hand.orgPayload(), str(o.canonicalPayload()));
        assertEquals(hand.orgSignature(), B64.encodeToString(o.signature()));
        assertEquals(hand.orgEnvelope(), Jcs.canonicalString(o.json()));
        assertEquals(hand.leaf1(), str(production.leaf1()));
        assertArrayEquals(hand.leafHash1(), production.leafHash1());
    }

    @Test
    void treeAgrees() throws Exception {
        // Size 1: the root is the only leaf hash, and no tree_nodes row exists yet.
        assertArrayEquals(hand.leafHash0(), production.batch1().root());
        assertEquals(List.of(), production.batch1().newNodes());
        // Size 2: one tree_nodes row, (level 1, idx 0), which is the root.
        assertArrayEquals(hand.root2(), production.batch2().root());
        assertEquals(List.of(new StoredNode(new NodeId(1, 0), hand.root2())), production.batch2().newNodes());
        assertArrayEquals(hand.root2(), Merkle.root(List.of(hand.leafHash0(), hand.leafHash1())));

        // Inclusion of 0 in 2 is [leaf hash 1]; of 1 in 2 is [leaf hash 0]; consistency 1 -> 2 is [leaf hash 1].
        assertEquals(List.of(hex(hand.leafHash1())), hexes(production.inclusion0()));
        assertEquals(List.of(hex(hand.leafHash0())), hexes(production.inclusion1()));
        assertEquals(List.of(hex(hand.leafHash1())), hexes(production.consistency()));
        assertEquals(Set.of(new NodeId(0, 1)), Proofs.inclusionNodes(0, 2), "the store reads one leaf hash");
        assertEquals(Set.of(new NodeId(0, 1)), Proofs.consistencyNodes(1, 2));
        // The sequencer answers index 1 with the proof it computes from the batch; it equals the stored one.
        assertEquals(hexes(production.inclusion1()), hexes(production.batch2().inclusionProof(1)));
        assertArrayEquals(hand.root2(), production.root2FromStore());

        // By hand, as the document describes: index 0 is a left child, so hash (own || sibling).
        byte[] fromProof = sha256(concat(new byte[] {0x01}, hand.leafHash0(), production.inclusion0().get(0)));
        assertArrayEquals(hand.root2(), fromProof);
        assertDoesNotThrow(() -> Proofs.verifyInclusion(0, 2, hand.leafHash0(), production.inclusion0(), hand.root2()));
        assertDoesNotThrow(() -> Proofs.verifyInclusion(1, 2, hand.leafHash1(), production.inclusion1(), hand.root2()));
        assertDoesNotThrow(() -> Proofs.verifyConsistency(1, 2, hand.leafHash0(), hand.root2(), production.consistency()));
    }

    @Test
    void checkpointsAgreeAndVerify() {
        assertEquals(hand.checkpoint1(), production.checkpoint1());
        assertEquals(hand.checkpoint2(), production.checkpoint2());
        NoteVerifier verifier = NoteVerifier.parse(hand.vkey());
        Checkpoint cp = Checkpoint.open(utf8(hand.checkpoint2()), ORIGIN, List.of(verifier));
        assertEquals(2, cp.size());
        assertArrayEquals(hand.root2(), cp.rootHash());
    }

    @Test
    void theCosignedCheckpointAgreesAndMeetsAOneOfOnePolicy() {
        assertEquals(handCosigned.vkey(), productionCosigned.vkey());
        assertEquals(handCosigned.line(), productionCosigned.line());
        assertEquals(handCosigned.cosigned(), productionCosigned.cosigned());
        org.fabtrail.ledger.checkpoint.WitnessPolicy policy = new org.fabtrail.ledger.checkpoint.WitnessPolicy(
                List.of(NoteVerifier.parse(handCosigned.vkey())), 1);
        var verdict = policy.check(utf8(handCosigned.cosigned()), ORIGIN, List.of(NoteVerifier.parse(hand.vkey())));
        assertTrue(verdict.satisfied());
        assertEquals(COSIGNED_AT, verdict.cosigned().get(0).timestamp());
    }

    @Test
    void keyRegistryReplayAcceptsTheGenesisAndThenTheOperatorKey() {
        KeyReplay replay = new KeyReplay();
        Envelope g = production.genesis();
        // Index 0: no key is registered yet; the genesis key.add is checked against the key it adds.
        assertTrue(replay.signerOf(g).verify(g.canonicalPayload(), g.signature()));
        replay.apply(g, 0);
        assertEquals(List.of(production.key().verificationKey()), List.copyOf(replay.operatorKeys(1)));
        assertEquals(List.of(), List.copyOf(replay.operatorKeys(0)), "no checkpoint of size 0 can be signed");
        // Index 1: signed by the operator key registered at index 0.
        Envelope o = production.org();
        assertTrue(replay.signerOf(o).verify(o.canonicalPayload(), o.signature()));
    }

    // ------------------------------------------------------------------ the document shows exactly these values

    /** Every value the document prints, by name. */
    static Map<String, String> documentedValues() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("seed (hex)", hex(seed()));
        v.put("private key PEM (PKCS#8)", hand.privatePem());
        v.put("public key (hex)", hex(hand.publicKey()));
        v.put("SubjectPublicKeyInfo (hex)", hex(hand.spki()));
        v.put("public key PEM", hand.publicPem());
        v.put("key id", hand.keyId());
        v.put("genesis canonical payload", hand.genesisPayload());
        v.put("genesis payload hash", hex(production.genesis().payloadHash()));
        v.put("genesis signature", hand.genesisSignature());
        v.put("genesis envelope", hand.genesisEnvelope());
        v.put("leaf 0", hand.leaf0());
        v.put("leaf hash 0", hex(hand.leafHash0()));
        v.put("org.register canonical payload", hand.orgPayload());
        v.put("org.register payload hash", hex(production.org().payloadHash()));
        v.put("org.register signature", hand.orgSignature());
        v.put("leaf 1", hand.leaf1());
        v.put("leaf hash 1", hex(hand.leafHash1()));
        v.put("root of size 1 (base64)", B64.encodeToString(hand.leafHash0()));
        v.put("root of size 2 (hex)", hex(hand.root2()));
        v.put("root of size 2 (base64)", B64.encodeToString(hand.root2()));
        v.put("key hash", hand.keyHash());
        v.put("vkey", hand.vkey());
        v.put("checkpoint of size 1", hand.checkpoint1());
        v.put("checkpoint of size 2", hand.checkpoint2());
        v.put("inclusion proof 0 in 2",
                "{\"leafIndex\":0,\"treeSize\":2,\"hashes\":" + hexList(production.inclusion0()) + "}");
        v.put("inclusion proof 1 in 2",
                "{\"leafIndex\":1,\"treeSize\":2,\"hashes\":" + hexList(production.inclusion1()) + "}");
        v.put("consistency proof 1 to 2",
                "{\"from\":1,\"to\":2,\"hashes\":" + hexList(production.consistency()) + "}");
        v.put("witness seed (hex)", hex(witnessSeed()));
        v.put("witness public key (hex)", hex(handCosigned.publicKey()));
        v.put("witness key ID", handCosigned.keyId());
        v.put("witness vkey", handCosigned.vkey());
        v.put("cosignature signed message", handCosigned.message());
        v.put("cosigned checkpoint of size 2", handCosigned.cosigned());
        return v;
    }

    @Test
    void documentShowsEveryValueByteForByte() {
        List<String> missing = new ArrayList<>();
        documentedValues().forEach((name, value) -> {
            if (!doc.contains(value)) {
                missing.add("--- " + name + " ---\n" + value);
            }
        });
        assertTrue(missing.isEmpty(), DOC + " does not show these values of the worked example exactly:\n"
                + String.join("\n", missing));
    }
}
