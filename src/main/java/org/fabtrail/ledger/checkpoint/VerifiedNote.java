package org.fabtrail.ledger.checkpoint;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Notes#open}: a note text that at least one known key signed.
 *
 * @param text       the note text, ending in a newline; trust it only as far as you trust
 *                   {@code verifiedBy}
 * @param verifiedBy the known verifiers whose signatures verified, each once, in note order; never empty
 * @param unverified signatures from keys that are not known (not checked), identical lines once each
 */
public record VerifiedNote(String text, List<NoteVerifier> verifiedBy, List<NoteSignature> unverified) {

    /**
     * Copies the lists.
     *
     * @param text       the note text
     * @param verifiedBy the verifiers whose signatures verified; not empty
     * @param unverified signatures from unknown keys
     */
    public VerifiedNote {
        Objects.requireNonNull(text, "text");
        verifiedBy = List.copyOf(verifiedBy);
        unverified = List.copyOf(unverified);
        if (verifiedBy.isEmpty()) {
            throw new IllegalArgumentException("a verified note has at least one verifier");
        }
    }

    /**
     * @param verifier a known verifier
     * @return whether that verifier's signature is among the verified ones
     */
    public boolean isVerifiedBy(NoteVerifier verifier) {
        return verifiedBy.contains(verifier);
    }
}
