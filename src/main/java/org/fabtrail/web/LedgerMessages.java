package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the ledger explorer's pages (ADR 0023); templates use them as {@code {ledger:key}}, German is
 * {@code messages/ledger_de.properties}. A bundle of its own so that each bundle stays within 300 messages (Quarkus 3.33
 * generates code that fails verification for a bundle of more; {@code UiMessagesTest} checks).
 */
@MessageBundle(value = "ledger", locale = "en")
public interface LedgerMessages {

    @Message("Ledger explorer")
    String ledger_explorer();

    @Message("Latest checkpoint")
    String ledger_latest_checkpoint();

    @Message("Tree size")
    String ledger_tree_size();

    @Message("Root hash")
    String ledger_root_hash();

    @Message("Published")
    String ledger_published();

    @Message("Signature")
    String ledger_signature();

    @Message("signed by")
    String ledger_signed_by();

    @Message("does not verify with the log's key")
    String ledger_does_not_verify();

    @Message("The checkpoint as published")
    String ledger_as_published();

    @Message("The log has published no checkpoint yet.")
    String ledger_no_checkpoint();

    @Message("The log's public key")
    String ledger_public_key();

    @Message("Checkpoints are C2SP signed notes; check them with this verifier key")
    String ledger_key_intro();

    @Message("Check that the log only grew")
    String ledger_only_grew();

    @Message("From tree size")
    String ledger_from_size();

    @Message("To tree size")
    String ledger_to_size();

    @Message("Verify consistency")
    String ledger_verify_consistency();

    @Message("Entries you may see")
    String ledger_entries();

    @Message("No entries.")
    String ledger_no_entries();

    @Message("Type")
    String ledger_type();

    @Message("Newest")
    String ledger_newest();

    @Message("Older entries")
    String ledger_older();

    @Message("Entry #{index}")
    String ledger_entry(long index);

    @Message("Actor")
    String ledger_actor();

    @Message("Entry id")
    String ledger_entry_id();

    @Message("Integrated")
    String ledger_integrated();

    @Message("Signing key")
    String ledger_signing_key();

    @Message("Leaf hash")
    String ledger_leaf_hash();

    @Message("Signed envelope")
    String ledger_envelope();

    @Message("The leaf as stored ({n} bytes of RFC 8785 canonical JSON; its hash is SHA-256(0x00 ‖ leaf))")
    String ledger_leaf_as_stored(int n);

    @Message("Inclusion proof")
    String ledger_inclusion_proof();

    @Message("Against the latest checkpoint: tree size {size}, root")
    String ledger_against(long size);

    @Message("{n} hashes, lowest level first:")
    String ledger_hashes(int n);

    @Message("Verify")
    String ledger_verify();

    @Message("The server checks, with the same verifiers an auditor would use: the checkpoint's signature with the log's key, the leaf hash from the stored leaf, and the proof from the leaf to the checkpoint's root. Change the claim to see a check fail.")
    String ledger_verify_intro();

    @Message("Leaf index")
    String ledger_leaf_index();

    @Message("Tree size (of a signed checkpoint)")
    String ledger_size_signed();

    @Message("Proof hashes (hex, one per line)")
    String ledger_proof_hashes();

    @Message("Consistency")
    String ledger_consistency();

    @Message("A consistency proof shows that the tree of the smaller size is a prefix of the larger one: no entry was changed or removed in between. Roots come from signed checkpoints, whose signatures are checked with the log's key.")
    String ledger_consistency_intro();

    @Message("(latest: {size})")
    String ledger_latest(long size);

    @Message("Proof hashes (optional: hex, one per line; empty takes the log's own proof)")
    String ledger_proof_optional();

    @Message("Verified")
    String ledger_verified();

    @Message("Not verified")
    String ledger_not_verified();

    @Message("Claim:")
    String ledger_claim();
}
