package org.fabtrail.ledger;

import java.time.Instant;

/**
 * The answer to a write: where the entry is, the signed checkpoint that covers it, and the proof that it does.
 * Given only after the batch holding the entry is committed.
 *
 * @param duplicate true when this answers an identical resubmission of an entry already in the log
 */
public record Receipt(long index, byte[] leafHash, Instant integratedTime, String checkpoint,
                      InclusionProof inclusionProof, boolean duplicate) {

    public Receipt asDuplicate() {
        return new Receipt(index, leafHash, integratedTime, checkpoint, inclusionProof, true);
    }
}
