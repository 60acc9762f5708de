package org.fabtrail.witness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Cosigner;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteVerificationException;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.Notes;
import org.fabtrail.ledger.merkle.ProofException;
import org.fabtrail.ledger.merkle.Proofs;

/**
 * A transparency log witness (c2sp.org/tlog-witness@v1.0.0), without HTTP: state and a request in, an answer out.
 *
 * <p>{@link #addCheckpoint} checks, in the spec's order:
 * <ol>
 *   <li>the body is an old size line, up to 63 proof lines, an empty line and a signed checkpoint note; otherwise
 *       <b>400</b>;</li>
 *   <li>the checkpoint's origin is a log this witness is configured for; otherwise <b>404</b>;</li>
 *   <li>a signature by one of that log's keys verifies (signatures by other keys are ignored; a bad signature
 *       by a known key rejects the note); otherwise <b>403</b>;</li>
 *   <li>the old size is not larger than the checkpoint's size; otherwise <b>400</b>;</li>
 *   <li>the old size is the size of the latest checkpoint this witness cosigned for the log (0 if none); otherwise
 *       <b>409</b> with that size as the body ({@code text/x.tlog.size});</li>
 *   <li>the consistency proof from that checkpoint to the new one verifies; otherwise <b>422</b>, and the request is
 *       kept as evidence (a log that signed two inconsistent checkpoints, or a client that sent a bad proof);</li>
 *   <li>when the sizes are equal, the root hashes are equal; otherwise <b>409</b> (with the size as the body), and
 *       both checkpoints are kept as evidence: two signed checkpoints of one size with different roots prove a
 *       split view.</li>
 * </ol>
 * Then the new checkpoint is saved durably, and only then is it cosigned: <b>200</b> with one cosignature/v1 line.
 * Checking the old size and saving the new checkpoint is atomic per log, so two concurrent requests can never roll
 * the witness back.
 *
 * <p>Thread-safe. Misbehaviour is reported to the {@link Observer} after the evidence is kept.
 */
public final class Witness {

    /**
     * A log this witness witnesses.
     *
     * @param origin the checkpoint origin line that identifies it
     * @param keys   its checkpoint keys (Ed25519, type 0x01); any one of them must sign
     */
    public record Log(String origin, List<NoteVerifier> keys) {
        public Log {
            Objects.requireNonNull(origin, "origin");
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("log " + origin + " needs at least one key");
            }
            for (NoteVerifier k : keys) {
                if (k.isCosigner()) {
                    throw new IllegalArgumentException("the key of log " + origin + " is a cosignature key (type 0x04), "
                            + "not a log's checkpoint key");
                }
            }
        }
    }

    /**
     * Evidence of misbehaviour, as reported.
     *
     * @param kind          {@code split-view} (same size, different root) or {@code inconsistent} (the consistency
     *                      proof from the checkpoint the witness holds does not verify)
     * @param origin        the log
     * @param heldSize      the size of the checkpoint the witness holds
     * @param submittedSize the size of the checkpoint submitted
     * @param evidence      the name under which the evidence is kept (or why it could not be kept)
     */
    public record Misbehaviour(String kind, String origin, long heldSize, long submittedSize, String evidence) {
    }

    /** Hears about what the witness sees. Implementations must be thread-safe and return quickly. */
    public interface Observer {
        /** A log misbehaved (or a client sent a bad proof); the evidence is kept. */
        void misbehaviour(Misbehaviour m);

        /** The witness answered a request with {@code status}. */
        default void answered(int status) {
        }

        Observer NONE = m -> {
        };
    }

    private record Held(long size, byte[] root, String note) {
    }

    private final Cosigner cosigner;
    private final Map<String, Log> logs = new LinkedHashMap<>();
    private final WitnessStore store;
    private final LongSupplier clockSeconds;
    private final Observer observer;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * Loads the witness's state from its store.
     *
     * @param cosigner     the witness's key and name
     * @param logs         the logs it witnesses
     * @param store        where its state is kept
     * @param clockSeconds the POSIX time for cosignature timestamps
     * @param observer     told about misbehaviour
     * @throws IOException              when the store cannot be read
     * @throws IllegalArgumentException when two logs share an origin, or a stored checkpoint is malformed
     */
    public Witness(Cosigner cosigner, Collection<Log> logs, WitnessStore store, LongSupplier clockSeconds,
                   Observer observer) throws IOException {
        this.cosigner = Objects.requireNonNull(cosigner, "cosigner");
        this.store = Objects.requireNonNull(store, "store");
        this.clockSeconds = Objects.requireNonNull(clockSeconds, "clockSeconds");
        this.observer = Objects.requireNonNull(observer, "observer");
        for (Log log : logs) {
            if (this.logs.put(log.origin(), log) != null) {
                throw new IllegalArgumentException("log " + log.origin() + " is configured twice");
            }
        }
        for (Map.Entry<String, String> e : store.load().entrySet()) {
            Checkpoint cp;
            try {
                cp = Checkpoint.parse(Note.parse(e.getValue().getBytes(StandardCharsets.UTF_8)).text(), e.getKey());
            } catch (NoteFormatException ex) {
                throw new IllegalArgumentException("the stored checkpoint of " + e.getKey() + " is malformed: "
                        + ex.getMessage(), ex);
            }
            held.put(e.getKey(), new Held(cp.size(), cp.rootHash(), e.getValue()));
        }
    }

    /** @return the witness's cosigner (name and key) */
    public Cosigner cosigner() {
        return cosigner;
    }

    /** @return the logs it witnesses, in configuration order */
    public List<Log> logs() {
        return List.copyOf(logs.values());
    }

    /** @return the latest checkpoint this witness cosigned for a log (its note as submitted), if any */
    public Optional<String> latest(String origin) {
        Held h = held.get(origin);
        return h == null ? Optional.empty() : Optional.of(h.note());
    }

    /**
     * Handles an {@code add-checkpoint} request body.
     *
     * @param body the request body
     * @return the answer; never throws for any input
     */
    public WitnessAnswer addCheckpoint(byte[] body) {
        WitnessAnswer answer = handle(body);
        observer.answered(answer.status());
        return answer;
    }

    private WitnessAnswer handle(byte[] body) {
        AddCheckpoint request;
        try {
            request = AddCheckpoint.parse(body);
        } catch (AddCheckpoint.Malformed e) {
            return WitnessAnswer.text(400, "malformed request: " + e.getMessage());
        }
        byte[] noteBytes = request.checkpoint();
        Note note;
        Checkpoint cp;
        try {
            note = Note.parse(noteBytes);
            cp = Checkpoint.parse(note.text());
        } catch (NoteFormatException e) {
            return WitnessAnswer.text(400, "malformed checkpoint: " + e.getMessage());
        }
        Log log = logs.get(cp.origin());
        if (log == null) {
            return WitnessAnswer.text(404, "unknown log origin");
        }
        try {
            Notes.open(noteBytes, log.keys());
        } catch (NoteVerificationException | NoteFormatException e) {
            return WitnessAnswer.text(403, "the checkpoint is not signed by a key of this log: " + e.getMessage());
        }
        if (request.oldSize() > cp.size()) {
            return WitnessAnswer.text(400, "old size " + request.oldSize() + " is larger than the checkpoint's size "
                    + cp.size());
        }
        String submitted = new String(noteBytes, StandardCharsets.UTF_8);
        synchronized (locks.computeIfAbsent(cp.origin(), o -> new Object())) {
            Held h = held.get(cp.origin());
            long heldSize = h == null ? 0 : h.size();
            if (request.oldSize() != heldSize) {
                return WitnessAnswer.conflict(heldSize);
            }
            if (h != null && cp.size() == heldSize) {
                if (!Arrays.equals(h.root(), cp.rootHash())) {
                    report("split-view", cp, h, body, "two checkpoints of tree size " + heldSize
                            + " with different root hashes, both signed by the log");
                    return WitnessAnswer.conflict(heldSize);
                }
                if (!request.proof().isEmpty()) {
                    return WitnessAnswer.text(422, "the consistency proof between equal sizes must be empty");
                }
                return cosign(note, cp, null, submitted);
            }
            if (heldSize > 0) {
                try {
                    Proofs.verifyConsistency(heldSize, cp.size(), h.root(), cp.rootHash(), request.proof());
                } catch (ProofException e) {
                    report("inconsistent", cp, h, body, "the consistency proof from the held checkpoint of tree size "
                            + heldSize + " to tree size " + cp.size() + " does not verify: " + e.getMessage());
                    return WitnessAnswer.text(422, "the consistency proof from tree size " + heldSize + " to "
                            + cp.size() + " does not verify: " + e.getMessage());
                }
            }
            return cosign(note, cp, submitted, submitted);
        }
    }

    /** Saves the new checkpoint (when {@code save} is not null) and only then cosigns it. Caller holds the lock. */
    private WitnessAnswer cosign(Note note, Checkpoint cp, String save, String submitted) {
        if (save != null) {
            try {
                store.save(cp.origin(), save);
            } catch (IOException e) {
                return WitnessAnswer.text(500, "the witness could not save the checkpoint; try again");
            }
            held.put(cp.origin(), new Held(cp.size(), cp.rootHash(), submitted));
        }
        String line = cosigner.cosign(note.text(), clockSeconds.getAsLong()).line();
        return new WitnessAnswer(200, WitnessAnswer.TEXT, line.getBytes(StandardCharsets.UTF_8));
    }

    private void report(String kind, Checkpoint cp, Held h, byte[] requestBody, String what) {
        String text = "kind: " + kind + "\n"
                + "origin: " + cp.origin() + "\n"
                + "witness: " + cosigner.verifier().vkey() + "\n"
                + "finding: " + what + "\n"
                + "\n--- the checkpoint this witness cosigned last (tree size " + h.size() + ") ---\n" + h.note()
                + "\n--- the add-checkpoint request received (tree size " + cp.size() + "), base64 ---\n"
                + wrap(Base64.getEncoder().encodeToString(requestBody))
                + "\n--- the same request as text ---\n" + new String(requestBody, StandardCharsets.UTF_8);
        String name;
        try {
            name = store.keepEvidence(kind, text);
        } catch (IOException e) {
            name = "(not kept: " + e.getMessage() + ")";
        }
        observer.misbehaviour(new Misbehaviour(kind, cp.origin(), h.size(), cp.size(), name));
    }

    private static String wrap(String s) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < s.length(); i += 76) {
            lines.add(s.substring(i, Math.min(s.length(), i + 76)));
        }
        return String.join("\n", lines) + "\n";
    }
}
