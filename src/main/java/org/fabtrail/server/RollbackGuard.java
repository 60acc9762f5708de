package org.fabtrail.server;

import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.custody.Operator;
import org.fabtrail.ledger.ConsistencyProof;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipts;
import org.fabtrail.ledger.TreeHead;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.Notes;
import org.fabtrail.ledger.merkle.ProofException;
import org.fabtrail.ledger.merkle.Proofs;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Rollback protection at start: the database's log must extend the newest checkpoint this instance signed
 * ({@link CheckpointFile}). A database whose tree is smaller than that checkpoint, or of another root at its size,
 * was rolled back or replaced, and Fabtrail refuses to start, naming both sizes.
 *
 * <p>The file must be a checkpoint of this log's origin signed by an operator key (the configured one or one
 * registered in the database). When it is consistent and the database is ahead (a crash between a commit and the
 * file's write, or other instances writing to the same database), the file catches up with the database's newest
 * checkpoint. A data directory without the file (first start, an upgrade) gets it from the database's newest
 * checkpoint.
 *
 * <p>A deliberate restore from a backup is accepted with {@code FABTRAIL_ACCEPT_ROLLBACK_TO=<tree size>}: only a
 * database of exactly that size is accepted, the old file is kept as {@code latest-checkpoint.rolled-back-...} and
 * the rollback is logged.
 */
final class RollbackGuard {

    private static final Logger LOG = Logger.getLogger(RollbackGuard.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final LedgerStore store = new LedgerStore();
    private final CheckpointFile file;
    private final String origin;
    private final NoteVerifier configuredKey;
    private final Clock clock;

    /**
     * @param configuredKey the checkpoint key this instance signs with (checked besides the operator keys the
     *                      database registers, so a file signed before a key rotation still verifies)
     */
    RollbackGuard(CheckpointFile file, String origin, NoteVerifier configuredKey, Clock clock) {
        this.file = file;
        this.origin = origin;
        this.configuredKey = configuredKey;
        this.clock = clock;
    }

    /**
     * Checks the database against the file and brings the file up to date.
     *
     * @param acceptRollbackTo the tree size of a deliberately restored database the operator accepts
     * @return what was found, for the log
     * @throws IllegalStateException when the database does not extend the file's checkpoint (Fabtrail must not
     *                               start)
     */
    String check(Connection c, OptionalLong acceptRollbackTo) throws SQLException, IOException {
        TreeHead head = store.head(c);
        List<NoteVerifier> keys = operatorKeys(c);
        Optional<String> kept = file.read();
        if (kept.isEmpty()) {
            warnNothingToAccept(acceptRollbackTo, head);
            return adopt(c, head, keys, -1).map(size -> "Rollback protection: wrote " + file.path()
                    + " from the database's checkpoint of tree size " + size + " (it did not exist)")
                    .orElse("Rollback protection: " + file.path() + " will hold the first checkpoint");
        }
        Problem problem = compare(c, head, kept.get(), keys);
        if (problem == null) {
            warnNothingToAccept(acceptRollbackTo, head);
            long fileSize = CheckpointFile.sizeOf(kept.get());
            return adopt(c, head, keys, fileSize).map(size -> "Rollback protection: the database extends the "
                    + "checkpoint of tree size " + fileSize + " in " + file.path() + "; the file now holds size " + size)
                    .orElse("Rollback protection: the database (tree size " + head.size() + ") extends the checkpoint "
                            + "of tree size " + fileSize + " in " + file.path());
        }
        if (acceptRollbackTo.isPresent() && acceptRollbackTo.getAsLong() == head.size()) {
            String suffix = "rolled-back-" + (problem.fileSize >= 0 ? problem.fileSize + "-" : "")
                    + STAMP.format(clock.instant());
            Path aside = file.moveAside(suffix).orElseThrow();
            LOG.warnf("Rollback ACCEPTED (FABTRAIL_ACCEPT_ROLLBACK_TO=%d): %s. The previous checkpoint is kept in %s. "
                    + "Receipts partners hold for entries beyond tree size %d no longer verify against this log; "
                    + "remove FABTRAIL_ACCEPT_ROLLBACK_TO now.", head.size(), problem.text, aside, head.size());
            return adopt(c, head, keys, -1).map(size -> "Rollback protection: " + file.path()
                    + " now holds the restored database's checkpoint of tree size " + size)
                    .orElse("Rollback protection: " + file.path() + " will hold the first checkpoint");
        }
        throw refusal(problem.text, acceptRollbackTo, head.size());
    }

    /**
     * The refusal to start on a database that does not extend a checkpoint held outside it (this instance's file, or
     * a witness's cosigned checkpoint), with what the operator can do about it.
     */
    static IllegalStateException refusal(String problem, OptionalLong acceptRollbackTo, long headSize) {
        String accept = acceptRollbackTo.isPresent()
                ? " (FABTRAIL_ACCEPT_ROLLBACK_TO=" + acceptRollbackTo.getAsLong() + " accepts only a database of "
                + "that tree size, and this one has " + headSize + ")"
                : "";
        return new IllegalStateException("Fabtrail refuses to start: " + problem + accept + ". If the database "
                + "was restored from a backup on purpose, start once with FABTRAIL_ACCEPT_ROLLBACK_TO=" + headSize
                + " to accept it; otherwise treat this as an incident: compare it with the partners' receipts "
                + "(verify --checkpoint) and restore the newest copy of the log.");
    }

    /** A reason the database does not extend the file, with the file's size when it could be read. */
    private record Problem(String text, long fileSize) {
    }

    private Problem compare(Connection c, TreeHead head, String kept, List<NoteVerifier> keys) throws SQLException {
        byte[] bytes = kept.getBytes(StandardCharsets.UTF_8);
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(Note.parse(bytes).text());
        } catch (RuntimeException e) {
            return new Problem(file.path() + " is not a signed checkpoint (" + e.getMessage() + ")", -1);
        }
        long f = cp.size();
        long h = head.size();
        if (!cp.origin().equals(origin)) {
            return new Problem(file.path() + " holds a checkpoint of tree size " + f + " of the log \"" + cp.origin()
                    + "\", not of this log \"" + origin + "\" (database tree size " + h + ")", f);
        }
        try {
            Notes.open(bytes, keys);
        } catch (RuntimeException e) {
            return new Problem(file.path() + " holds a checkpoint of tree size " + f + " that no operator key of this "
                    + "log signed (" + e.getMessage() + "); the database (tree size " + h + ") or the data directory "
                    + "belongs to another log", f);
        }
        if (f > h) {
            return new Problem("the database's log has tree size " + h + " but this instance signed a checkpoint of "
                    + "tree size " + f + " (" + file.path() + "): " + (f - h) + " newest entries (indexes " + h + " to "
                    + (f - 1) + ") are missing, the database was rolled back", f);
        }
        if (f == h) {
            return Arrays.equals(cp.rootHash(), head.root()) ? null
                    : new Problem("the database's log has tree size " + h + " like the checkpoint this instance "
                    + "signed (" + file.path() + ", tree size " + f + "), but another root: the database holds a "
                    + "different log (forked or rewritten)", f);
        }
        if (f == 0) {
            return null;
        }
        try {
            ConsistencyProof proof = new Receipts(store).consistency(c, f, h);
            Proofs.verifyConsistency(f, h, cp.rootHash(), head.root(), proof.hashes());
            return null;
        } catch (SQLException | ProofException e) {
            return new Problem("the database's log of tree size " + h + " does not extend the checkpoint of tree "
                    + "size " + f + " this instance signed (" + file.path() + "): " + e.getMessage()
                    + "; the log before index " + f + " was forked or rewritten", f);
        }
    }

    /**
     * Writes the database's newest checkpoint to the file when the database is ahead of {@code fileSize} and
     * the checkpoint is the head's, signed by an operator key.
     */
    private Optional<Long> adopt(Connection c, TreeHead head, List<NoteVerifier> keys, long fileSize)
            throws SQLException, IOException {
        if (head.size() == 0 || head.size() <= fileSize) {
            return Optional.empty();
        }
        Optional<LedgerStore.StoredCheckpoint> latest = store.latestCheckpoint(c);
        if (latest.isEmpty() || latest.get().treeSize() != head.size()
                || !Arrays.equals(latest.get().rootHash(), head.root())) {
            LOG.warnf("Rollback protection: the database's newest checkpoint is not the tree head's (size %d); %s "
                    + "was not updated. Run verify.", head.size(), file.path());
            return Optional.empty();
        }
        String note = latest.get().note();
        try {
            Checkpoint cp = Checkpoint.open(note.getBytes(StandardCharsets.UTF_8), origin, keys);
            if (cp.size() != head.size() || !Arrays.equals(cp.rootHash(), head.root())) {
                throw new IllegalArgumentException("its signed body differs from the stored size and root");
            }
        } catch (RuntimeException e) {
            LOG.warnf("Rollback protection: the database's newest checkpoint (size %d) does not verify (%s); %s was "
                    + "not updated. Run verify.", head.size(), e.getMessage(), file.path());
            return Optional.empty();
        }
        file.replace(note);
        return Optional.of(head.size());
    }

    private static void warnNothingToAccept(OptionalLong acceptRollbackTo, TreeHead head) {
        if (acceptRollbackTo.isPresent()) {
            LOG.warnf("FABTRAIL_ACCEPT_ROLLBACK_TO=%d is set but the database (tree size %d) extends the newest "
                    + "checkpoint this instance signed: there is no rollback to accept. Remove the setting.",
                    acceptRollbackTo.getAsLong(), head.size());
        }
    }

    /** The configured checkpoint key and every Ed25519 operator key the database registers, revoked ones too. */
    private List<NoteVerifier> operatorKeys(Connection c) throws SQLException {
        List<NoteVerifier> out = new ArrayList<>();
        out.add(configuredKey);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT spki FROM org_keys WHERE org_id = ? AND algorithm = 'Ed25519'")) {
            ps.setString(1, Operator.ID);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    NoteVerifier v = NoteVerifier.ed25519(origin, VerificationKey.fromSpki(rs.getBytes(1)));
                    if (!out.contains(v)) {
                        out.add(v);
                    }
                }
            }
        }
        return out;
    }
}
