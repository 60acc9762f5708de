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

    @Message("There is no log entry #{index} that you may see.")
    String verify_no_entry(String index);

    @Message("entry #{entry} is leaf {index} of the tree of size {size}")
    String verify_claim_inclusion(String entry, String index, String size);

    @Message("the tree of size {from} is a prefix of the tree of size {to}")
    String verify_claim_consistency(String from, String to);

    @Message("claim")
    String verify_check_claim();

    @Message("checkpoint")
    String verify_check_checkpoint();

    @Message("leaf hash")
    String verify_check_leaf_hash();

    @Message("inclusion proof")
    String verify_check_inclusion();

    @Message("consistency proof")
    String verify_check_consistency();

    @Message("sizes")
    String verify_check_sizes();

    @Message("proof")
    String verify_check_proof();

    @Message("root of size {size}")
    String verify_check_root(String size);

    @Message("checkpoint of size {size}")
    String verify_check_checkpoint_of(String size);

    @Message("The leaf index and tree size must be whole numbers.")
    String verify_whole_numbers();

    @Message("No signed checkpoint of tree size {size} was published; the latest is of size {latest}.")
    String verify_no_checkpoint(String size, String latest);

    @Message("SHA-256(0x00 ‖ {bytes} leaf bytes) recomputed: {hash}{#if ok} = the stored leaf hash{#else} ≠ the stored leaf hash {stored}{/if}")
    String verify_leaf(String bytes, String hash, boolean ok, String stored);

    @Message("the proof of {hashes} hashes leads from leaf {index} to root {root} of the signed checkpoint (tree size {size})")
    String verify_included(String hashes, String index, String root, String size);

    @Message("the proof of {hashes} hashes does not lead from leaf {index} to root {root} of the signed checkpoint (tree size {size}): {problem}")
    String verify_not_included(String hashes, String index, String root, String size, String problem);

    @Message("Both tree sizes must be whole numbers.")
    String verify_sizes_whole();

    @Message("Sizes must satisfy 1 ≤ from ≤ to ≤ {size} (the current tree size).")
    String verify_sizes(String size);

    @Message("the proof of {hashes} hashes shows that the tree of size {from} (root {root1}) is a prefix of the tree of size {to} (root {root2}): nothing in it was changed or removed")
    String verify_consistent(String hashes, String from, String root1, String to, String root2);

    @Message("the proof of {hashes} hashes does not link size {from} (root {root1}) to size {to} (root {root2}): {problem}")
    String verify_not_consistent(String hashes, String from, String root1, String to, String root2, String problem);

    @Message("no signed checkpoint of size {size} was published; root {root} recomputed from the server's stored tree (this part trusts the server)")
    String verify_recomputed(String size, String root);

    @Message("signed by {key} (Ed25519 signature over the note text verified with the log's key); origin {origin}, tree size {size}, root {root}{#if !matches}; but it does not match the stored tree head of that size{/if}")
    String verify_signed(String key, String origin, String size, String root, boolean matches);

    @Message("the checkpoint does not verify with {key}: {problem}")
    String verify_not_signed(String key, String problem);

    @Message("the log gives no proof for this claim: {detail}")
    String verify_no_proof(String detail);

    @Message("proof hash {n} is not 64 hex digits")
    String verify_bad_proof_hash(int n);
}
