package org.fabtrail.server;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.testing.Appends;
import org.fabtrail.testing.Rollback;
import org.fabtrail.testing.TestDatabase;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback protection as the server runs it: the start writes {@code <data dir>/latest-checkpoint}, every answer's
 * checkpoint is in it before the answer goes out, and after a consistent rollback of the database the running
 * server stops acknowledging writes and its start check refuses, naming both sizes. Runs on a log of its own,
 * because it rolls the log back.
 */
@QuarkusTest
@TestProfile(RollbackStartupTest.OwnLog.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollbackStartupTest {

    /** A profile of its own: its own database and data directory, which the last test rolls back. */
    public static class OwnLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fabtrail.ledger.max-batch", "64");
        }
    }

    @Inject
    Ledger ledger;
    @Inject
    OperatorEntries operator;
    @Inject
    FabtrailConfig config;
    @Inject
    LedgerStartup startup;
    /** The application's database: the rollback is done as someone who holds all of it (the test server's user). */
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String databaseUrl;

    private Path file() {
        return Path.of(config.dataDir()).resolve(CheckpointFile.NAME);
    }

    private long fileSize() throws Exception {
        return CheckpointFile.sizeOf(Files.readString(file()));
    }

    private Receipt register(String org) throws Exception {
        return Appends.registerOrg(ledger, operator, org, 60);
    }

    @Test
    @Order(1)
    void theStartWroteTheLatestCheckpoint() throws Exception {
        assertEquals(ledger.latestCheckpoint().orElseThrow().note(), Files.readString(file()));
    }

    @Test
    @Order(2)
    void everyAnswerIsCoveredByTheFileWhenItArrives() throws Exception {
        Appends.concurrently(8, 20, (writer, i) -> {
            Receipt r = register("rb-" + writer + "-" + i);
            long held = fileSize();
            assertTrue(held >= r.inclusionProof().treeSize(), "answered with a checkpoint of size "
                    + r.inclusionProof().treeSize() + " while the file held " + held);
        });
        assertEquals(ledger.latestCheckpoint().orElseThrow().note(), Files.readString(file()));
    }

    /** Issue 9, finding 7: a consistent rollback of the database under the server. */
    @Test
    @Order(3)
    void aRolledBackDatabaseIsNoticedRunningAndRefusedAtStart() throws Exception {
        register("before-rollback");
        long rolledBackTo = ledger.head().size();
        for (int i = 0; i < 5; i++) {
            register("rolled-back-" + i);
        }
        long size = ledger.head().size();
        assertEquals(size, fileSize());
        try (Connection owner = TestDatabase.superuser(databaseUrl).getConnection()) {
            Rollback.toCheckpoint(owner, rolledBackTo);
        }
        assertEquals(rolledBackTo, ledger.head().size());

        LedgerException unavailable = assertInstanceOf(LedgerException.class,
                assertThrows(Exception.class, () -> register("after-rollback")));
        assertEquals(LedgerException.Kind.UNAVAILABLE, unavailable.kind(), unavailable.getMessage());
        long now = ledger.head().size(); // that write was committed, but not acknowledged
        assertEquals(size, fileSize(), "the file keeps the larger checkpoint");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> startup.requireNoRollback());
        assertTrue(refused.getMessage().startsWith("Fabtrail refuses to start: the database's log has tree size "
                + now + " but this instance signed a checkpoint of tree size " + size), refused.getMessage());
    }
}
