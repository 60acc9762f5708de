package org.fabtrail.ledger.merkle;

/**
 * A Merkle proof, or the data it is checked against, does not verify.
 *
 * <p>Thrown by the {@code Proofs.verify*} methods for every kind of bad input: sizes or indexes out of
 * range, hashes of the wrong length, proofs of the wrong length, and proofs that do not lead to the
 * expected root. The message says which check failed. Callers serving HTTP report it as a client
 * error (the submitted proof or checkpoint is invalid), never as a server failure.
 */
public final class ProofException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param reason which check failed, in words a log operator can act on
     */
    public ProofException(String reason) {
        super(reason);
    }
}
