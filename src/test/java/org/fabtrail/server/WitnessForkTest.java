package org.fabtrail.server;

import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.testing.LedgerFixture;
import org.fabtrail.testing.TestDatabase;
import org.fabtrail.witness.FileWitnessStore;
import org.fabtrail.witness.Witness;
import org.fabtrail.witness.WitnessMetrics;
import org.fabtrail.witness.WitnessServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A forked log: two databases with the same operator key that share a prefix and then diverge (as an operator who
 * keeps a second copy, or whoever stole the key and a backup, could show one history to a regulator and another to a
 * partner). A witness that followed one branch refuses the other and keeps both as evidence; the other branch's
 * collector reports the conflict, and its start check refuses to start. Plain JUnit: the real sequencers on two
 * PostgreSQL databases, the real witness over HTTP, the real collector.
 */
class WitnessForkTest {

    @TempDir
    Path dir;
    final List<AutoCloseable> closing = new ArrayList<>();
    final List<Witness.Misbehaviour> seen = Collections.synchronizedList(new ArrayList<>());
    WitnessServer server;
    FileWitnessStore store;
    Cosigner cosigner;
    LedgerFixture a;
    SigningKey operator;

    @BeforeEach
    void start() throws Exception {
        // The common prefix: the genesis and 5 organisations.
        a = new LedgerFixture("fork_a");
        closing.add(a);
        operator = a.operatorKey;
        a.genesis();
        for (int i = 0; i < 5; i++) {
            a.append(a.orgRegister("common-" + i));
        }
        cosigner = new Cosigner("witness.test/fork", SigningKey.generate(SignatureAlgorithm.ED25519));
        store = new FileWitnessStore(dir);
        WitnessMetrics metrics = new WitnessMetrics(seen::add);
        Witness witness = new Witness(cosigner, List.of(new Witness.Log(LedgerFixture.ORIGIN,
                List.of(a.signer.verifier()))), store, () -> System.currentTimeMillis() / 1000, metrics);
        server = WitnessServer.start(witness, metrics, WitnessServer.Settings.loopback());
    }

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
        server.close();
        store.close();
    }

    /** Another database: a copy of A as it is now, with the same operator key. */
    LedgerFixture branch(String name) {
        LedgerFixture b = new LedgerFixture(TestDatabase.copyOf(a.database, name), operator);
        closing.add(b);
        return b;
    }

    CosignatureCollector collector(LedgerFixture log) throws Exception {
        WitnessSettings settings = new WitnessSettings(List.of(new WitnessSettings.Configured("w",
                java.net.URI.create(server.url()), cosigner.verifier())), new WitnessPolicy(List.of(cosigner.verifier()), 1));
        CosignatureCollector c = new CosignatureCollector(log.dataSource, new CosignedCheckpoints(settings.policy()),
                settings, new CosignatureCollector.Settings(Duration.ofSeconds(5), Duration.ofMillis(10),
                Duration.ofMillis(100)), Clock.systemUTC(), HttpClient.newHttpClient());
        closing.add(c);
        return c;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }

    static String latest(LedgerFixture log) throws Exception {
        try (Connection c = log.dataSource.getConnection()) {
            return new LedgerStore().latestCheckpoint(c).orElseThrow().note();
        }
    }

    long evidenceFiles(String kind) throws Exception {
        try (Stream<Path> files = Files.list(store.evidenceDirectory())) {
            return files.filter(f -> f.getFileName().toString().startsWith(kind + "-")).count();
        }
    }

    @Test
    void aWitnessThatFollowedOneBranchCatchesTheOther() throws Exception {
        LedgerFixture b = branch("fork_b");
        for (int i = 0; i < 5; i++) {
            a.append(a.orgRegister("branch-a-" + i));
        }
        for (int i = 0; i < 7; i++) {
            b.append(b.orgRegister("branch-b-" + i));
        }
        // The witness follows branch A (size 11).
        CosignatureCollector onA = collector(a);
        onA.start();
        await(() -> onA.witnessSizes().get("w") == 11, "the witness cosigns branch A");
        assertEquals(List.of(), seen);

        // Branch B (size 13) asks the same witness: 409 tells it the witness holds 11, and B's honest proof from
        // ITS tree of 11 does not verify against A's root of 11.
        CosignatureCollector onB = collector(b);
        onB.start();
        await(() -> onB.conflicts() > 0, "branch B's collector reports the conflict");
        await(() -> !seen.isEmpty(), "the witness reports the misbehaviour");
        assertEquals("inconsistent", seen.get(0).kind());
        assertEquals(11, seen.get(0).heldSize());
        assertEquals(13, seen.get(0).submittedSize());
        assertEquals(1, evidenceFiles("inconsistent"));
        String evidence = Files.readString(store.evidenceDirectory().resolve(seen.get(0).evidence()));
        assertTrue(evidence.contains(latest(a)), "the branch the witness cosigned");
        assertTrue(evidence.contains(latest(b)), "and the other branch's checkpoint");
        assertEquals(11, onA.witnessSizes().get("w"), "the witness stays with A");

        // B cannot start: its start check finds the witness's checkpoint that its log does not extend.
        List<String> problems = onB.checkAtStart(13, latest(b));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("witness w (" + server.url() + ") refuses the consistency proof from "
                + "the checkpoint of tree size 11 it holds to tree size 13"), problems.get(0));
        assertTrue(problems.get(0).endsWith("does not extend the checkpoint the witness cosigned, the log was forked "
                + "or rewritten"), problems.get(0));

        // A's start check passes, and A goes on being cosigned.
        assertEquals(List.of(), collector(a).checkAtStart(11, latest(a)));
        a.append(a.orgRegister("branch-a-more"));
        await(() -> onA.witnessSizes().get("w") == 12, "A is still cosigned");
    }

    @Test
    void twoCheckpointsOfOneSizeAreASplitView() throws Exception {
        LedgerFixture c = branch("fork_c");
        for (int i = 0; i < 4; i++) {
            a.append(a.orgRegister("view-a-" + i));
            c.append(c.orgRegister("view-c-" + i));
        }
        assertEquals(10, a.ledger.head().size());
        assertEquals(10, c.ledger.head().size());
        CosignatureCollector onA = collector(a);
        onA.start();
        await(() -> onA.witnessSizes().get("w") == 10, "the witness cosigns A at 10");

        List<String> problems = collector(c).checkAtStart(10, latest(c));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("holds another checkpoint of tree size 10"), problems.get(0));
        assertEquals("split-view", seen.get(0).kind());
        assertEquals(1, evidenceFiles("split-view"));
    }
}
