package org.fabtrail.server;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;
import org.fabtrail.testing.ForwardingWitnessStore;
import org.fabtrail.testing.LedgerFixture;
import org.fabtrail.witness.FileWitnessStore;
import org.fabtrail.witness.Witness;
import org.fabtrail.witness.WitnessMetrics;
import org.fabtrail.witness.WitnessServer;
import org.fabtrail.witness.WitnessStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collector and a witness that fails for a while (its disk refuses to save, so it answers 500): the collector asks
 * it again after a pause, with the checkpoint it could not cosign, even when no new write comes; and while it keeps
 * failing, it is not asked once a round. Plain JUnit: the real sequencer on PostgreSQL, the real witness over HTTP.
 */
class CosignatureCollectorTest {

    /** A witness store whose saves fail while {@code failing} is set (a full or broken disk). */
    static final class FailingStore extends ForwardingWitnessStore {
        volatile boolean failing;

        FailingStore(WitnessStore inner) {
            super(inner);
        }

        @Override
        public void save(String origin, String note) throws IOException {
            if (failing) {
                throw new IOException("no space left on device");
            }
            super.save(origin, note);
        }
    }

    @TempDir
    Path dir;
    LedgerFixture log;
    FileWitnessStore files;
    FailingStore store;
    WitnessServer server;
    CosignatureCollector collector;
    CosignedCheckpoints cosigned;
    final AtomicLong errors = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        log = LedgerFixture.withGenesis("collector_retry");
        files = new FileWitnessStore(dir);
        store = new FailingStore(files);
        Cosigner cosigner = new Cosigner("witness.test/retry", SigningKey.generate(SignatureAlgorithm.ED25519));
        Witness.Observer counting = new Witness.Observer() {
            @Override
            public void misbehaviour(Witness.Misbehaviour m) {
            }

            @Override
            public void answered(int status) {
                if (status == 500) {
                    errors.incrementAndGet();
                }
            }
        };
        Witness witness = new Witness(cosigner, List.of(new Witness.Log(LedgerFixture.ORIGIN,
                List.of(log.signer.verifier()))), store, () -> System.currentTimeMillis() / 1000, counting);
        server = WitnessServer.start(witness, new WitnessMetrics(Witness.Observer.NONE),
                WitnessServer.Settings.loopback());
        WitnessSettings settings = new WitnessSettings(List.of(new WitnessSettings.Configured("w",
                URI.create(server.url()), cosigner.verifier())), new WitnessPolicy(List.of(cosigner.verifier()), 1));
        cosigned = new CosignedCheckpoints(settings.policy());
        collector = new CosignatureCollector(log.dataSource, cosigned, settings,
                new CosignatureCollector.Settings(Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(100)),
                Clock.systemUTC(), HttpClient.newHttpClient());
    }

    @AfterEach
    void stop() throws Exception {
        collector.close();
        server.close();
        files.close();
        log.close();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(20);
        }
    }

    @Test
    void aWitnessThatFailedIsAskedAgainWithoutWaitingForANewWrite() throws Exception {
        for (int i = 0; i < 3; i++) {
            log.append(log.orgRegister("retry-" + i));
        }
        long head = log.ledger.head().size();
        store.failing = true;
        collector.start();
        await(() -> collector.failures("w") > 0, "the witness fails to cosign");
        assertEquals(0L, collector.witnessSizes().get("w"));
        assertTrue(cosigned.newest().isEmpty());

        // The witness's disk is back. Nothing is written any more: the checkpoint it could not cosign is the log's
        // newest, and it must be cosigned all the same.
        store.failing = false;
        await(() -> collector.witnessSizes().get("w") == head, "the witness is asked again and cosigns tree size "
                + head);
        await(() -> cosigned.newest().map(c -> c.treeSize() == head).orElse(false),
                "the cosigned checkpoint is served");
        assertEquals(head, log.ledger.head().size(), "no write happened in between");
    }

    @Test
    void aFailingWitnessIsNotAskedOnceARound() throws Exception {
        store.failing = true;
        collector.start();
        log.append(log.orgRegister("busy-0"));
        await(() -> errors.get() > 0, "the witness fails to cosign");
        // Writes go on for 2.5 s, a new checkpoint (and a new round) every few milliseconds. The pauses after the
        // failure (1 s, then 2 s) allow two more requests at most; a request a round would be hundreds.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        int writes = 0;
        while (System.nanoTime() < until) {
            log.append(log.orgRegister("busy-" + ++writes));
        }
        assertTrue(writes > 10, "writes went on: " + writes);
        assertTrue(errors.get() <= 3, errors.get() + " requests to a failing witness during " + writes + " writes");

        store.failing = false;
        long head = log.ledger.head().size();
        await(() -> collector.witnessSizes().get("w") == head, "the witness cosigns once its disk is back");
    }
}
