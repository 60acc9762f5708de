package org.fabtrail.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.fabtrail.server.CosignatureCollector;
import org.fabtrail.server.FabtrailConfig;
import org.fabtrail.server.LedgerStartup;
import org.fabtrail.server.VerifyCommand;
import org.fabtrail.testing.Appends;
import org.fabtrail.testing.ForwardingWitnessStore;
import org.fabtrail.testing.Rollback;
import org.fabtrail.testing.TestDatabase;
import org.fabtrail.witness.FileWitnessStore;
import org.fabtrail.witness.MonitorCommand;
import org.fabtrail.witness.Witness;
import org.fabtrail.witness.WitnessMetrics;
import org.fabtrail.witness.WitnessServer;
import org.fabtrail.witness.WitnessStore;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A witnessed log (issue 13): the server runs with three witnesses on loopback (the production witness, in this JVM,
 * each on its own port and data directory) and a 2-of-3 policy. The cosignatures are checked by {@link Cosignatures},
 * written from the spec's text without the production code. Then one witness goes down and the others become slow
 * (their disks hang): writes go on, and the cosigned checkpoint catches up when they come back. Last, the database is
 * rolled back and the start check refuses it because the witnesses hold a larger checkpoint.
 */
@QuarkusTest
@TestProfile(WitnessedLogTest.Witnessed.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WitnessedLogTest {

    static final String ORIGIN = "witnessed.fabtrail.test/log";

    public static class Witnessed implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ThreeWitnesses.class));
        }
    }

    /** A witness store whose disk can be made to hang: a save waits while the gate is closed. */
    static final class GatedStore extends ForwardingWitnessStore {
        volatile CountDownLatch gate = new CountDownLatch(0);

        GatedStore(WitnessStore inner) {
            super(inner);
        }

        @Override
        public void save(String origin, String note) throws IOException {
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            super.save(origin, note);
        }

        void hang() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }
    }

    /** One running witness. */
    record Running(String name, Cosigner cosigner, GatedStore store, FileWitnessStore files, Witness witness,
                   WitnessServer server) {
    }

    /** The operator key (so the witnesses know the log's vkey) and three witnesses, before the server starts. */
    public static class ThreeWitnesses implements QuarkusTestResourceLifecycleManager {
        static SigningKey operator;
        static final List<Running> witnesses = new ArrayList<>();

        @Override
        public Map<String, String> start() {
            try {
                operator = SigningKey.generate(SignatureAlgorithm.ED25519);
                NoteVerifier logKey = NoteVerifier.ed25519(ORIGIN, operator.verificationKey());
                List<String> config = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    String name = "w" + i + ".witness.test/fabtrail";
                    Cosigner cosigner = new Cosigner(name, SigningKey.generate(SignatureAlgorithm.ED25519));
                    FileWitnessStore files = new FileWitnessStore(Files.createTempDirectory("fabtrail-witness-" + i));
                    GatedStore store = new GatedStore(files);
                    WitnessMetrics metrics = new WitnessMetrics(Witness.Observer.NONE);
                    Witness witness = new Witness(cosigner, List.of(new Witness.Log(ORIGIN, List.of(logKey))), store,
                            () -> System.currentTimeMillis() / 1000, metrics);
                    WitnessServer server = WitnessServer.start(witness, metrics, WitnessServer.Settings.loopback());
                    witnesses.add(new Running("w" + i, cosigner, store, files, witness, server));
                    config.add("w" + i + " " + server.url() + " " + cosigner.verifier().vkey());
                }
                return Map.of("fabtrail.operator-key", operator.toPkcs8Pem(),
                        "fabtrail.log-origin", ORIGIN,
                        "fabtrail.witnessing.witnesses", String.join(",", config),
                        "fabtrail.witnessing.required", "2",
                        "fabtrail.witnessing.timeout", "PT2S",
                        "fabtrail.witnessing.min-interval", "PT0.05S",
                        "fabtrail.witnessing.poll-interval", "PT0.5S",
                        "fabtrail.witnessing.max-wait", "PT30S");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            for (Running w : witnesses) {
                w.store().release();
                w.server().close();
                try {
                    w.files().close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }
        }
    }

    @Inject
    Ledger ledger;
    @Inject
    OperatorEntries operator;
    @Inject
    LedgerStartup startup;
    @Inject
    CosignatureCollector collector;
    @Inject
    FabtrailConfig config;
    @Inject
    DataSource dataSource;
    @Inject
    org.fabtrail.discrepancy.DiscrepancyEngine engine;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String databaseUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String databaseUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String databasePassword;

    static List<Running> w() {
        return ThreeWitnesses.witnesses;
    }

    static List<String> witnessVkeys() {
        return w().stream().map(r -> r.cosigner().verifier().vkey()).toList();
    }

    String logVkey() {
        return NoteVerifier.ed25519(ORIGIN, ThreeWitnesses.operator.verificationKey()).vkey();
    }

    private Receipt register(String org) throws Exception {
        return Appends.registerOrg(ledger, operator, org, 20);
    }

    private static String cosigned(long size) {
        return given().get("/api/v1/log/checkpoint/cosigned?size=" + size + "&wait=25").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString();
    }

    private static long sizeOf(String note) {
        return Long.parseLong(note.split("\n")[1]);
    }

    @Test
    @Order(1)
    void checkpointsAreCosignedUnderTwoOfThreeAndVerifyWithoutTheWitnessCode() throws Exception {
        long started = System.currentTimeMillis() / 1000;
        Receipt receipt = null;
        for (int i = 0; i < 5; i++) {
            receipt = register("wl-" + i);
        }
        long size = receipt.inclusionProof().treeSize();
        // The receipt is zero-merge-delay: signed by the operator alone, at once.
        assertEquals(1, receipt.checkpoint().split("\n\n")[1].split("\n").length);

        String note = cosigned(size);
        assertTrue(sizeOf(note) >= size);
        Cosignatures.verifyLog(note, logVkey());
        List<Cosignatures.Found> found = Cosignatures.found(note, witnessVkeys());
        assertTrue(found.size() >= 2, "at least 2 of 3 cosigned: " + found);
        for (Cosignatures.Found f : found) {
            assertTrue(f.timestamp() >= started - 5 && f.timestamp() <= System.currentTimeMillis() / 1000 + 5,
                    "the cosignature's timestamp is the time it was made");
        }

        String served = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        assertTrue(Cosignatures.verify(served, witnessVkeys()).size() >= 2, served);
        String latest = given().get("/api/v1/log/checkpoint/latest").then().statusCode(200).extract().asString();
        assertEquals(1, latest.split("\n\n")[1].split("\n").length, "latest: the operator's signature only");
        Cosignatures.verifyLog(latest, logVkey());

        // The production policy agrees with the independent check.
        WitnessPolicy policy = new WitnessPolicy(witnessVkeys().stream().map(NoteVerifier::parse).toList(), 2);
        assertTrue(policy.check(note.getBytes(StandardCharsets.UTF_8), ORIGIN, List.of(NoteVerifier.parse(logVkey())))
                .satisfied());

        given().get("/api/v1/log/witnesses").then().statusCode(200)
                .body("required", equalTo(2))
                .body("witnesses.name", equalTo(List.of("w1", "w2", "w3")))
                .body("witnesses.vkey", equalTo(witnessVkeys()));

        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM checkpoint_cosignatures WHERE tree_size = "
                     + sizeOf(note))) {
            rs.next();
            assertTrue(rs.getInt(1) >= 2, "the cosignatures are stored");
        }
        // The witnesses keep the checkpoint they cosigned, on disk.
        for (Running r : w()) {
            r.witness().latest(ORIGIN).ifPresent(held -> assertTrue(sizeOf(held) >= 1));
        }
    }

    @Test
    @Order(2)
    void theWaitingEndpointRefusesWhatItCannotAnswer() {
        long head = ledger.head().size();
        given().get("/api/v1/log/checkpoint/cosigned").then().statusCode(400)
                .body("type", equalTo("urn:fabtrail:problem:missing-parameter"));
        given().get("/api/v1/log/checkpoint/cosigned?size=" + (head + 1)).then().statusCode(400)
                .body("type", equalTo("urn:fabtrail:problem:out-of-range"));
        given().get("/api/v1/log/checkpoint/cosigned?size=1&wait=31").then().statusCode(400)
                .body("type", equalTo("urn:fabtrail:problem:out-of-range"));
        given().get("/api/v1/log/checkpoint/cosigned?size=x").then().statusCode(400)
                .body("type", equalTo("urn:fabtrail:problem:invalid-parameter"));
    }

    @Test
    @Order(3)
    void aUnitBundleCarriesTheCosignedCheckpointAndMeetsAPolicy() throws Exception {
        ApiClient.Partner fab = CustodyClient.partnerWithSite("wl-fab", "manufacturer",
                "wl-site", "DE");
        CustodyClient.register(fab, "WL-0001", "accelerator", "H100", "wl-site");
        cosigned(ledger.head().size());
        String bundle = fab.given().get("/api/v1/units/wl-fab/WL-0001/bundle").then().statusCode(200).extract()
                .asString();
        BundleVerifier.Witnessed v = BundleVerifier.verify(bundle, logVkey(), witnessVkeys(), 2);
        assertTrue(v.cosigners().size() >= 2, v.cosigners().toString());
        assertEquals(List.of("unit.register"), v.bundle().types());
        // A policy of a witness this log does not have fails.
        String stranger = new Cosigner("stranger.test/w", SigningKey.generate(SignatureAlgorithm.ED25519)).verifier()
                .vkey();
        AssertionError e = assertThrows(AssertionError.class, () -> BundleVerifier.verify(bundle, logVkey(),
                List.of(stranger), 1));
        assertTrue(e.getMessage().contains("0 of the 1"), e.getMessage());
    }

    @Test
    @Order(3)
    void aDiscrepancyReportCarriesTheCosignedCheckpoint() throws Exception {
        ApiClient.Partner fab = CustodyClient.partnerWithSite("wl-dfab", "manufacturer",
                "wl-dline", "TW");
        ApiClient.Partner dist = CustodyClient.partnerWithSite("wl-ddist", "distributor",
                "wl-dhub", "NL");
        CustodyClient.register(fab, "WL-D1", "accelerator", "H200", "wl-dline");
        CustodyClient.register(fab, "WL-D2", "accelerator", "H200", "wl-dline");
        String t = CustodyClient.dispatch(fab, "wl-ddist", "wl-dhub", List.of(CustodyClient.ref("wl-dfab", "WL-D1"),
                CustodyClient.ref("wl-dfab", "WL-D2")));
        CustodyClient.receive(dist, t, "wl-dhub", List.of(CustodyClient.ref("wl-dfab", "WL-D1"))); // one is missing
        engine.publish();
        String id = dist.given().get("/api/v1/discrepancies?org=wl-ddist&rule=short-receipt").then().statusCode(200)
                .extract().jsonPath().getString("items[0].id");
        cosigned(ledger.head().size());

        io.restassured.path.json.JsonPath report = dist.given().get("/api/v1/discrepancies/" + id + "/report").then()
                .statusCode(200).extract().jsonPath();
        String note = report.getString("checkpoint");
        Cosignatures.verifyLog(note, logVkey());
        assertTrue(Cosignatures.verify(note, witnessVkeys()).size() >= 2, note);
        long size = sizeOf(note);
        byte[] root = java.util.Base64.getDecoder().decode(note.split("\n")[2]);
        List<Map<String, Object>> entries = report.getList("entries");
        assertFalse(entries.isEmpty());
        for (Map<String, Object> e : entries) {
            byte[] hash = org.fabtrail.ledger.merkle.Merkle.leafHash(java.util.Base64.getDecoder().decode(
                    (String) e.get("leaf")));
            List<byte[]> proof = ((List<?>) e.get("inclusionProof")).stream()
                    .map(h -> java.util.HexFormat.of().parseHex((String) h)).toList();
            org.fabtrail.ledger.merkle.Proofs.verifyInclusion(((Number) e.get("index")).longValue(), size, hash, proof,
                    root);
        }
    }

    @Test
    @Order(4)
    void oneWitnessDownChangesNothingForWritesAndTwoStillMeetThePolicy() throws Exception {
        w().get(2).server().close(); // w3 is gone for good: connections are refused
        Receipt r = null;
        for (int i = 0; i < 5; i++) {
            r = register("wl-down-" + i);
        }
        String note = cosigned(r.inclusionProof().treeSize());
        assertEquals(List.of("w1.witness.test/fabtrail", "w2.witness.test/fabtrail"),
                Cosignatures.verify(note, witnessVkeys()));
    }

    @Test
    @Order(5)
    void slowWitnessesNeverHoldUpAWrite() throws Exception {
        long cosignedBefore = sizeOf(given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString());
        w().get(0).store().hang();
        w().get(1).store().hang();
        try {
            Receipt r = null;
            for (int i = 0; i < 20; i++) {
                r = register("wl-slow-" + i); // each answered (within 20 s at most) while the witnesses hang
            }
            long size = r.inclusionProof().treeSize();
            assertEquals(size, sizeOf(given().get("/api/v1/log/checkpoint/latest").then().statusCode(200).extract()
                    .asString()), "the signed checkpoint moves on");
            assertEquals(cosignedBefore, sizeOf(given().get("/api/v1/log/checkpoint").then().statusCode(200)
                    .extract().asString()), "the cosigned one waits for the witnesses");
            Response pending = given().get("/api/v1/log/checkpoint/cosigned?size=" + size + "&wait=1");
            pending.then().statusCode(503).header("Retry-After", "1")
                    .body("type", equalTo("urn:fabtrail:problem:cosignature-pending"));
        } finally {
            w().get(0).store().release();
            w().get(1).store().release();
        }
        long now = ledger.head().size();
        String note = cosigned(now);
        assertTrue(sizeOf(note) >= now);
        assertEquals(2, Cosignatures.verify(note, witnessVkeys()).size());
    }

    @Test
    @Order(6)
    void verifyAndTheMonitorApplyAWitnessPolicy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        WitnessPolicy twoOfThree = new WitnessPolicy(witnessVkeys().stream().map(NoteVerifier::parse).toList(), 2);
        assertEquals(0, VerifyCommand.verify(databaseUrl, databaseUser, databasePassword,
                Optional.of(NoteVerifier.parse(logVkey())), Optional.empty(), twoOfThree, print), out.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("witnesses OK: the checkpoint of tree size "),
                out.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("cosigned by 2 of the 2 required: "
                + "w1.witness.test/fabtrail ("), out.toString());

        // The newest checkpoint the log signed, held as a partner's receipt: not cosigned, so a policy refuses it.
        register("wl-receipt");
        Path receipt = Files.createTempFile("receipt", ".txt");
        Files.writeString(receipt, given().get("/api/v1/log/checkpoint/latest").then().extract().asString());
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        assertEquals(1, VerifyCommand.verify(databaseUrl, databaseUser, databasePassword, Optional.empty(),
                Optional.of(Files.readString(receipt)), twoOfThree, new PrintStream(out2, true, StandardCharsets.UTF_8)));
        assertTrue(out2.toString(StandardCharsets.UTF_8).contains("witnesses FAIL: the trusted checkpoint of tree size "),
                out2.toString());

        cosigned(ledger.head().size());
        ByteArrayOutputStream monitorOut = new ByteArrayOutputStream();
        PrintStream m = new PrintStream(monitorOut, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("http://localhost:" + RestAssured.port, "--vkey", logVkey(),
                "--once", "--witnesses-required", "2"));
        for (String v : witnessVkeys()) {
            args.add("--witness");
            args.add(v);
        }
        assertEquals(0, MonitorCommand.run(args.toArray(String[]::new), m, m), monitorOut.toString());
        assertTrue(monitorOut.toString(StandardCharsets.UTF_8).contains("; cosigned by w1.witness.test/fabtrail, "
                + "w2.witness.test/fabtrail"), monitorOut.toString());
    }

    /** Runs last: it rolls the database back. */
    @Test
    @Order(7)
    void aRolledBackDatabaseIsRefusedBecauseTheWitnessesHoldMore() throws Exception {
        long before = ledger.head().size();
        for (int i = 0; i < 3; i++) {
            register("wl-rb-" + i);
        }
        long size = ledger.head().size();
        cosigned(size); // w1 and w2 now hold this size
        try (Connection owner = TestDatabase.superuser(databaseUrl).getConnection()) {
            Rollback.toCheckpoint(owner, before);
        }
        // The data directory's own record is gone too (a new instance, or the attacker replaced it): the witnesses
        // alone must notice.
        Files.deleteIfExists(Path.of(config.dataDir()).resolve("latest-checkpoint"));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> startup.requireWitnessesAgree());
        assertTrue(refused.getMessage().startsWith("Fabtrail refuses to start: witness w1 (" + w().get(0).server().url()
                + ") holds a checkpoint of tree size " + size + " of this log, but the database's log has tree size "
                + before), refused.getMessage());
        assertTrue(refused.getMessage().contains("witness w2 ("), refused.getMessage());
        assertFalse(refused.getMessage().contains("witness w3"), "w3 is down: skipped, not blamed");

        // The running collector notices it as well, and counts it for the alert.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (collector.conflicts() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(collector.conflicts() > 0);
    }
}
