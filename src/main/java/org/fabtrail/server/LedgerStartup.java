package org.fabtrail.server;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.Operator;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.ledger.merkle.Merkle;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Runs once the schema is migrated: refuses a non-durable database, refuses a database rolled back behind the
 * newest checkpoint this instance signed, writes the genesis entry into an empty log
 * (the operator's key, signed by itself), refuses an operator key the log does not know or an origin other than
 * the log's, and seeds demo data.
 */
@ApplicationScoped
public class LedgerStartup {

    private static final Logger LOG = Logger.getLogger(LedgerStartup.class);

    @Inject
    DataSource dataSource;
    @Inject
    Ledger ledger;
    @Inject
    OperatorEntries operatorEntries;
    @Inject
    SigningKey operatorKey;
    @Inject
    FabtrailConfig config;
    @Inject
    DemoData demo;
    @Inject
    DiscrepancyEngine discrepancies;
    @Inject
    RestrictedList restricted;
    @Inject
    DiscrepancyWorker worker;
    @Inject
    CheckpointFile checkpointFile;
    @Inject
    CheckpointSigner checkpointSigner;
    @Inject
    Clock clock;
    @Inject
    CosignatureCollector witnesses;

    void onStart(@Observes StartupEvent event) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            DurabilityCheck.require(c);
        }
        ledger.latestCheckpoint().ifPresent(cp -> requireSameOrigin(config.logOrigin(), cp.note()));
        requireNoRollback();
        requireWitnessesAgree();
        if (ledger.head().size() == 0) {
            Receipt genesis = ledger.submitAndWait(operatorEntries.genesis());
            LOG.infof("Started a new log: genesis entry %d registers operator key %s", genesis.index(),
                    operatorKey.keyId());
        } else {
            requireRegisteredOperatorKey();
        }
        restricted.reload();
        discrepancies.publishTo(ledger, operatorEntries);
        if (config.demo()) {
            demo.seedIfEmpty();
            demo.printSignIns();
        }
        LOG.infof("Log %s: %d entries; checkpoint key %s", config.logOrigin(), ledger.head().size(),
                operatorKey.keyId());
        worker.start();
        witnesses.start();
    }

    /**
     * Asks every witness for the checkpoint of this log it cosigned last and refuses a database that does not extend
     * it (a rollback, or another history signed with this log's key), naming the witness and both sizes. A witness
     * that cannot be reached is logged and skipped: one witness down must not keep the log from starting.
     */
    public void requireWitnessesAgree() throws SQLException, InterruptedException {
        if (!witnesses.witnessed() || !config.witnessing().startupCheck()) {
            return;
        }
        long size = ledger.head().size();
        String note = size == 0 ? checkpointSigner.sign(0, Merkle.emptyRoot())
                : ledger.read(c -> new LedgerStore().checkpointAt(c, size)).orElseThrow(() ->
                new IllegalStateException("Fabtrail refuses to start: the tree head (size " + size + ") has no "
                        + "checkpoint; run verify")).note();
        java.util.List<String> problems = witnesses.checkAtStart(size, note);
        if (problems.isEmpty()) {
            LOG.infof("Witnesses: every witness that answered holds a checkpoint this log (tree size %d) extends", size);
            return;
        }
        String problem = String.join("; ", problems);
        if (config.acceptRollbackTo().isPresent() && config.acceptRollbackTo().getAsLong() == size) {
            LOG.errorf("Witnesses hold checkpoints this database does not extend, and FABTRAIL_ACCEPT_ROLLBACK_TO=%d "
                    + "accepts it: %s. Those witnesses will not cosign this log again: their operators must be told "
                    + "of the restore (their evidence shows the old history).", size, problem);
            return;
        }
        throw RollbackGuard.refusal(problem, config.acceptRollbackTo(), size);
    }

    /**
     * Refuses a database that does not extend the newest checkpoint this instance signed (kept in
     * {@code <data dir>/latest-checkpoint}), naming both tree sizes; see {@link RollbackGuard}.
     */
    void requireNoRollback() throws SQLException, java.io.IOException {
        try (Connection c = dataSource.getConnection()) {
            LOG.info(new RollbackGuard(checkpointFile, config.logOrigin(), checkpointSigner.verifier(), clock)
                    .check(c, config.acceptRollbackTo()));
        }
    }

    /**
     * A log keeps its origin for good: checkpoints under another origin would make the log fail verification from
     * then on (and would not verify with the vkey partners pinned), and history cannot be rewritten to undo it.
     */
    static void requireSameOrigin(String configured, String latestCheckpointNote) {
        int end = latestCheckpointNote.indexOf('\n');
        String origin = end < 0 ? latestCheckpointNote : latestCheckpointNote.substring(0, end);
        if (!origin.equals(configured)) {
            throw new IllegalStateException("Fabtrail refuses to start: this log's checkpoints have the origin \""
                    + origin + "\" but FABTRAIL_LOG_ORIGIN is \"" + configured + "\". A log keeps its origin for good; "
                    + "set FABTRAIL_LOG_ORIGIN=" + origin);
        }
    }

    private void requireRegisteredOperatorKey() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT revoked_idx IS NULL FROM org_keys WHERE key_id = ? AND org_id = ?")) {
            ps.setString(1, operatorKey.keyId());
            ps.setString(2, Operator.ID);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    throw new IllegalStateException("Fabtrail refuses to start: the configured operator key "
                            + operatorKey.keyId() + " is not an active operator key of this log. Configure the "
                            + "operator key this log was started with (FABTRAIL_OPERATOR_KEY)");
                }
            }
        }
    }
}
