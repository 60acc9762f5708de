package org.fabtrail.ledger;

import org.fabtrail.crypto.Signer;
import org.fabtrail.ledger.checkpoint.Checkpoint;
import org.fabtrail.ledger.checkpoint.Note;
import org.fabtrail.ledger.checkpoint.NoteSigner;
import org.fabtrail.ledger.checkpoint.NoteVerifier;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Signs checkpoints of this log: C2SP tlog-checkpoint bodies in C2SP signed notes, with the operator's Ed25519
 * key under the log's origin as key name (so the vkey is {@code <origin>+<hash>+<key>}).
 */
public final class CheckpointSigner {

    private final String origin;
    private final NoteSigner signer;

    public CheckpointSigner(String origin, Signer operatorKey) {
        this.origin = origin;
        this.signer = new NoteSigner(origin, operatorKey);
    }

    public String origin() {
        return origin;
    }

    /** The signed checkpoint text for a tree of {@code size} leaves with root {@code root}. */
    public String sign(long size, byte[] root) {
        String body = new Checkpoint(origin, size, root, List.of()).body();
        return new String(Note.sign(body, signer), StandardCharsets.UTF_8);
    }

    /** The verifier key in C2SP vkey form, as served at /api/v1/log/key. */
    public String vkey() {
        return signer.verifier().vkey();
    }

    public NoteVerifier verifier() {
        return signer.verifier();
    }
}
