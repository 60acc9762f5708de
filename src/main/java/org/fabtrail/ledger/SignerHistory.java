package org.fabtrail.ledger;

import org.fabtrail.crypto.VerificationKey;

import java.util.Collection;

/**
 * The key registry replayed from the log, for offline verification: which key had to sign an entry, given
 * every entry before it. Implemented by the custody package, which owns the key registry's rules.
 */
public interface SignerHistory {

    /**
     * The registered, active key of the entry's actor with the entry's key id.
     *
     * @throws LedgerException naming why no such key was valid at this point of the log
     */
    VerificationKey signerOf(Envelope envelope);

    /** Applies the entry's effect on the registry (key.add, key.revoke, ...), after it was checked. */
    void apply(Envelope envelope, long index);

    /**
     * The operator keys that were active when the tree had {@code treeSize} entries: the keys a checkpoint of
     * that size may be signed with (added before index {@code treeSize}, not revoked before it).
     */
    Collection<VerificationKey> operatorKeys(long treeSize);
}
