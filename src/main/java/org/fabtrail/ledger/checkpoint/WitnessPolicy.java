package org.fabtrail.ledger.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A k-of-n witness policy: a checkpoint is trusted when the log signed it and at least {@code required} of the
 * listed witnesses cosigned it (c2sp.org/tlog-cosignature v1). With no witnesses and {@code required = 0} every
 * checkpoint the log signed meets it: that is a log without witnesses.
 *
 * <p>Signatures from keys the policy does not list are ignored, as signed-note requires; a signature whose name and
 * key hash match a listed witness or log key but does not verify rejects the whole note.
 *
 * @param witnesses the witnesses' cosignature verifier keys (type 0x04), no two alike
 * @param required  how many of them must cosign, 0 to {@code witnesses.size()}
 */
public record WitnessPolicy(List<NoteVerifier> witnesses, int required) {

    /** No witnesses: the log's signature is enough. */
    public static final WitnessPolicy NONE = new WitnessPolicy(List.of(), 0);

    /**
     * The policy of these witnesses requiring {@code required} cosignatures, or all of them (k = n) when it is null, as
     * the {@code verify} and {@code monitor} commands default.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static WitnessPolicy of(List<NoteVerifier> witnesses, Integer required) {
        return new WitnessPolicy(witnesses, required == null ? witnesses.size() : required);
    }

    /**
     * @throws IllegalArgumentException when a key is not a cosignature key, a key is listed twice, or {@code required}
     *                                  is out of range
     */
    public WitnessPolicy {
        witnesses = List.copyOf(witnesses);
        Set<String> ids = new HashSet<>();
        for (NoteVerifier w : witnesses) {
            if (!w.isCosigner()) {
                throw new IllegalArgumentException("witness key " + w.vkey() + " is not a cosignature/v1 key (signature "
                        + "type 0x04); a witness publishes its vkey in that form");
            }
            if (!ids.add(w.name() + "+" + NoteText.hex8(w.keyHash()))) {
                throw new IllegalArgumentException("witness " + w.name() + " is listed twice");
            }
        }
        if (required < 0 || required > witnesses.size()) {
            throw new IllegalArgumentException("a policy of " + witnesses.size() + " witnesses can require 0 to "
                    + witnesses.size() + " cosignatures, not " + required);
        }
    }

    /** @return whether any witness is listed */
    public boolean witnessed() {
        return !witnesses.isEmpty();
    }

    /**
     * One witness's valid cosignature.
     *
     * @param witness   the witness's key
     * @param timestamp when it cosigned (POSIX seconds)
     * @param signature the signature line's content
     */
    public record Cosignature(NoteVerifier witness, long timestamp, NoteSignature signature) {
    }

    /**
     * What a checkpoint proves under this policy.
     *
     * @param checkpoint the checkpoint body the log signed
     * @param note       the note as given, parsed
     * @param cosigned   the listed witnesses whose cosignature verified, in policy order
     * @param required   the policy's threshold
     */
    public record Verdict(Checkpoint checkpoint, Note note, List<Cosignature> cosigned, int required) {
        /** @return whether at least {@code required} witnesses cosigned */
        public boolean satisfied() {
            return cosigned.size() >= required;
        }

        /** @return the names of the witnesses that cosigned, in policy order */
        public List<String> cosignerNames() {
            return cosigned.stream().map(c -> c.witness().name()).toList();
        }
    }

    /**
     * Opens a (possibly cosigned) checkpoint: the log's signature must verify, and every listed witness's cosignature
     * on it is checked. Whether the policy is met is {@link Verdict#satisfied()}; this method only throws when the note
     * cannot be trusted at all.
     *
     * @param signedNote     the checkpoint note with its signature lines
     * @param expectedOrigin the log's origin
     * @param logKeys        the log's checkpoint keys (type 0x01)
     * @return the verdict
     * @throws NoteFormatException       if the note or its body is malformed, or of another log
     * @throws NoteVerificationException if no log key signed it, or a listed key's signature does not verify
     */
    public Verdict check(byte[] signedNote, String expectedOrigin, Collection<NoteVerifier> logKeys) {
        Objects.requireNonNull(logKeys, "logKeys");
        List<NoteVerifier> known = new ArrayList<>(logKeys);
        for (NoteVerifier k : logKeys) {
            if (k.isCosigner()) {
                throw new IllegalArgumentException("log key " + k.vkey() + " is a cosignature key, not a log key");
            }
        }
        known.addAll(witnesses);
        VerifiedNote verified = Notes.open(signedNote, known);
        if (verified.verifiedBy().stream().noneMatch(logKeys::contains)) {
            throw new NoteVerificationException("the checkpoint is not signed by the log's key (only cosigned)");
        }
        Checkpoint checkpoint = Checkpoint.parse(verified.text(), expectedOrigin);
        Note note = Note.parse(signedNote);
        return new Verdict(checkpoint, note, cosigners(note, new LinkedHashSet<>(verified.verifiedBy())), required);
    }

    /**
     * The listed witnesses' valid cosignatures on a note, without checking the log's signature (for a caller that
     * checks it otherwise).
     *
     * @throws NoteFormatException       if the note is malformed
     * @throws NoteVerificationException if a listed witness's signature does not verify
     */
    public List<Cosignature> cosignatures(byte[] signedNote) {
        Note note = Note.parse(signedNote);
        byte[] text = note.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Set<NoteVerifier> valid = new LinkedHashSet<>();
        for (NoteSignature s : note.signatures()) {
            for (NoteVerifier w : witnesses) {
                if (s.name().equals(w.name()) && s.keyHash() == w.keyHash()) {
                    if (!w.verify(text, s.signatureUnsafe())) {
                        throw new NoteVerificationException("invalid cosignature for key " + w.name() + "+"
                                + NoteText.hex8(w.keyHash()));
                    }
                    valid.add(w);
                }
            }
        }
        return cosigners(note, valid);
    }

    private List<Cosignature> cosigners(Note note, Set<NoteVerifier> by) {
        List<Cosignature> cosigned = new ArrayList<>();
        for (NoteVerifier w : witnesses) {
            if (!by.contains(w)) {
                continue;
            }
            for (NoteSignature s : note.signatures()) {
                if (s.name().equals(w.name()) && s.keyHash() == w.keyHash()) {
                    cosigned.add(new Cosignature(w, Cosignatures.timestampOf(s), s));
                    break;
                }
            }
        }
        return cosigned;
    }

    /**
     * Adds cosignature lines to a signed checkpoint, after its own lines; a line the note already has is not added
     * twice.
     *
     * @param signedNote   the checkpoint note
     * @param cosignatures the lines to add
     * @return the encoded note
     * @throws NoteFormatException if the note is malformed or would have more than {@value Note#MAX_SIGNATURES}
     *                             signatures
     */
    public static byte[] withCosignatures(byte[] signedNote, Collection<NoteSignature> cosignatures) {
        Note note = Note.parse(signedNote);
        List<NoteSignature> all = new ArrayList<>(note.signatures());
        for (NoteSignature s : cosignatures) {
            if (!all.contains(s)) {
                all.add(s);
            }
        }
        return new Note(note.text(), all).encode();
    }
}
