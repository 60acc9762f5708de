package org.fabtrail.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Opens signed notes: parses them and verifies their signatures against known keys, following
 * c2sp.org/signed-note@v1.0.0.
 *
 * <ul>
 *   <li>A signature is from a known key when both its key name and its key hash match a known
 *       verifier; signatures that match neither or only one of the two are ignored and reported as
 *       {@link VerifiedNote#unverified()}.</li>
 *   <li>Every signature from a known key is verified, duplicates included; if any fails, the whole
 *       note is rejected (the spec says SHOULD, Fabtrail does).</li>
 *   <li>If no known key signed the note, it is rejected (MUST).</li>
 * </ul>
 */
public final class Notes {

    private Notes() {
    }

    /**
     * Parses a note and verifies it against known keys.
     *
     * @param note  the encoded note
     * @param known the trusted verifiers; two different verifiers must not share name and key hash
     * @return the text and who signed it
     * @throws NoteFormatException       if the note is malformed
     * @throws NoteVerificationException if no known key signed it, or a known key's signature is invalid
     * @throws IllegalArgumentException  if two different known verifiers share a name and key hash
     */
    public static VerifiedNote open(byte[] note, Collection<NoteVerifier> known) {
        Objects.requireNonNull(known, "known");
        Map<String, NoteVerifier> byId = new HashMap<>();
        for (NoteVerifier v : known) {
            NoteVerifier previous = byId.put(id(v.name(), v.keyHash()), v);
            if (previous != null && !previous.equals(v)) {
                throw new IllegalArgumentException("ambiguous known keys: two verifiers for " + v.name() + "+"
                        + NoteText.hex8(v.keyHash()));
            }
        }
        Note parsed = Note.parse(note);
        byte[] text = parsed.text().getBytes(StandardCharsets.UTF_8);
        Set<NoteVerifier> verified = new LinkedHashSet<>();
        Set<NoteSignature> unverified = new LinkedHashSet<>();
        for (NoteSignature sig : parsed.signatures()) {
            NoteVerifier v = byId.get(id(sig.name(), sig.keyHash()));
            if (v == null) {
                unverified.add(sig);
            } else if (v.verify(text, sig.signatureUnsafe())) {
                verified.add(v);
            } else {
                throw new NoteVerificationException("invalid signature for key " + shown(sig.name()) + "+"
                        + NoteText.hex8(sig.keyHash()));
            }
        }
        if (verified.isEmpty()) {
            List<String> others = new ArrayList<>();
            for (NoteSignature sig : unverified) {
                others.add(shown(sig.name()) + "+" + NoteText.hex8(sig.keyHash()));
            }
            throw new NoteVerificationException("note has no signature from a known key (signed only by "
                    + String.join(", ", others) + ")");
        }
        return new VerifiedNote(parsed.text(), new ArrayList<>(verified), new ArrayList<>(unverified));
    }

    /**
     * A key name as a message quotes it: the format allows DEL and the C1 controls in a name (only spaces, '+' and
     * C0 controls are refused), so those are written as {@code \\uXXXX} to keep a refusal one line of text.
     */
    private static String shown(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.chars().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04X", c) : (char) c));
        return out.toString();
    }

    private static String id(String name, int keyHash) {
        return name + "+" + NoteText.hex8(keyHash);
    }
}
