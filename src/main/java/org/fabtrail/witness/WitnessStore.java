package org.fabtrail.witness;

import java.io.IOException;
import java.util.Map;

/**
 * Where a witness keeps what it must not forget: the latest checkpoint it cosigned for each log, and the evidence of
 * a log's misbehaviour.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #save} is durable when it returns: after a crash, {@link #load} returns that note or a later one for
 *       the origin, never an earlier one and never a torn one. The witness calls it before it answers with a
 *       cosignature, and never concurrently for one origin.</li>
 *   <li>{@link #keepEvidence} is durable when it returns, and keeps the same text once (it returns the same name).</li>
 * </ul>
 */
public interface WitnessStore {

    /** @return the latest cosigned checkpoint note of each origin, as saved */
    Map<String, String> load() throws IOException;

    /**
     * Replaces the latest cosigned checkpoint of a log.
     *
     * @param origin the log's origin
     * @param note   the checkpoint note as submitted (its signatures included)
     */
    void save(String origin, String note) throws IOException;

    /**
     * Keeps evidence of misbehaviour.
     *
     * @param kind a short slug, e.g. {@code split-view}
     * @param text the evidence: both checkpoints, signatures included, and what was submitted
     * @return a name under which it is kept
     */
    String keepEvidence(String kind, String text) throws IOException;
}
