package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the public log check (ADR 0023): the page's as {@code {check:key}}, and its script's messages
 * ({@code check_js_*}), which the page hands to {@code logcheck.js} in the attributes of {@code #logcheck-texts}
 * ({@code %1}, {@code %2}... stand for the script's values). German is {@code messages/check_de.properties}. A bundle
 * of its own so that each bundle stays within 300 messages ({@code UiMessagesTest} checks).
 */
@MessageBundle(value = "check", locale = "en")
public interface LogCheckMessages {

    @Message("Check the log")
    String check_title();

    @Message("Check the log yourself")
    String check_heading();

    @Message("Every fact Fabtrail shows is an entry in one append-only log. The log commits to its entries with a Merkle tree (RFC 9162) and signs the tree's size and root in a")
    String check_intro_1();

    @Message("checkpoint")
    String check_intro_checkpoint();

    @Message("(a C2SP signed note). With the log's public key you can check, without trusting this server, that a checkpoint is genuine, that an entry is in the log, and that the log only grew since a checkpoint you kept.")
    String check_intro_2();

    @Message("The checks below run in your browser (SHA-256 and Ed25519 from the browser's own WebCrypto); this server only hands out the checkpoint and the proof hashes at its public endpoints")
    String check_browser_1();

    @Message(", which anyone may fetch. No entry's contents are shown here.")
    String check_browser_2();

    @Message("Signed in, you can also browse the entries you may see in the")
    String check_signed_in();

    @Message("ledger explorer")
    String check_explorer();

    @Message("These checks need JavaScript. Without it, fetch the key, the checkpoint and the proofs from the endpoints named below and check them with any RFC 9162 and C2SP signed-note verifier, or with Fabtrail's offline verifier (the API guide,")
    String check_noscript_1();

    @Message(", shows how).")
    String check_noscript_2();

    @Message("The log's public key")
    String check_key_heading();

    @Message("Verifier key (C2SP note key:")
    String check_key_label();

    @Message("Served at")
    String check_served_at();

    @Message(". A key you got from somewhere else (the operator's announcement, a regulator, a partner) is a stronger check: paste it here and every check below uses it.")
    String check_key_help();

    @Message("The current checkpoint")
    String check_checkpoint_heading();

    @Message("Tree size")
    String check_tree_size();

    @Message(", published {at}.")
    String check_published(String at);

    @Message("The log has published no checkpoint yet.")
    String check_no_checkpoint();

    @Message("Checkpoint (origin, tree size, root hash, then the signature lines)")
    String check_checkpoint_label();

    @Message("As served at")
    String check_as_served();

    @Message("origin")
    String check_origin();

    @Message(". Witness cosignature lines, if any, are left alone: only the log's signature is checked.")
    String check_witness();

    @Message("Check the signature")
    String check_signature_button();

    @Message("Load the newest checkpoint")
    String check_load_latest();

    @Message("Is an entry in the log?")
    String check_inclusion_heading();

    @Message("Give the entry's log index and leaf hash, as a write receipt has them")
    String check_inclusion_1();

    @Message(". The leaf hash is SHA-256(0x00 ‖ the leaf's bytes). Your browser fetches the inclusion proof for the tree size of the checkpoint above and checks that it leads from your leaf hash to the signed root.")
    String check_inclusion_2();

    @Message("Log index")
    String check_log_index();

    @Message("Leaf hash (64 hex digits)")
    String check_leaf_hash();

    @Message("Proof hashes (optional: hex, one per line; empty fetches the log's proof)")
    String check_proof_hashes();

    @Message("Check inclusion")
    String check_inclusion_button();

    @Message("Did the log only grow?")
    String check_consistency_heading();

    @Message("Paste a checkpoint you kept from earlier (a receipt's")
    String check_consistency_1();

    @Message(", or this page on another day). Your browser checks its signature, fetches the consistency proof from its tree size to the current one, and checks that the older tree is a prefix of the current tree: nothing in it was changed or removed.")
    String check_consistency_2();

    @Message("Older checkpoint")
    String check_older();

    @Message("Check consistency")
    String check_consistency_button();

    @Message("this browser offers no WebCrypto on this page (it needs HTTPS, or localhost)")
    String check_js_no_webcrypto();

    @Message("%1 is not hex")
    String check_js_not_hex();

    @Message("%1 is not base64")
    String check_js_not_base64();

    @Message("the key is not of the form name+hash+key")
    String check_js_key_form();

    @Message("the key hash is not 8 lowercase hex digits")
    String check_js_key_hash_digits();

    @Message("the key")
    String check_js_the_key();

    @Message("the key is not an Ed25519 key")
    String check_js_not_ed25519();

    @Message("the key hash %1 does not match the key (it should be %2)")
    String check_js_key_hash_mismatch();

    @Message("malformed note: not UTF-8")
    String check_js_note_not_utf8();

    @Message("malformed note: it holds control characters")
    String check_js_note_control();

    @Message("malformed note: no blank line before the signatures")
    String check_js_note_no_blank();

    @Message("malformed note: the signatures do not end with a newline")
    String check_js_note_no_newline();

    @Message("malformed note: more than %1 signatures")
    String check_js_note_too_many();

    @Message("malformed note: line %1 of the signatures does not start with \"— \"")
    String check_js_note_line_start();

    @Message("malformed note: signature line %1 has no valid key name")
    String check_js_note_key_name();

    @Message("signature %1")
    String check_js_signature_n();

    @Message("malformed note: signature %1 is too short")
    String check_js_note_sig_short();

    @Message("the note has no signature by %1")
    String check_js_no_signature_by();

    @Message("invalid signature for key %1")
    String check_js_invalid_signature();

    @Message("the checkpoint does not have origin, size and root lines")
    String check_js_cp_lines();

    @Message("the checkpoint has no origin")
    String check_js_cp_no_origin();

    @Message("the checkpoint's tree size is not a decimal number")
    String check_js_cp_size();

    @Message("the checkpoint's root hash")
    String check_js_cp_root_hash();

    @Message("the checkpoint's root hash is not 32 bytes")
    String check_js_cp_root_length();

    @Message("proof hash %1 is not 32 bytes")
    String check_js_proof_hash_length();

    @Message("the proof has more hashes than the tree has levels")
    String check_js_proof_too_long();

    @Message("the proof has fewer hashes than the tree has levels")
    String check_js_proof_too_short();

    @Message("the leaf index %1 is not below the tree size %2")
    String check_js_index_not_below();

    @Message("a leaf hash and a root are 32 bytes")
    String check_js_leaf_root_length();

    @Message("the proof leads to root %1, not to the signed root %2")
    String check_js_wrong_root();

    @Message("a consistency proof from the empty tree proves nothing")
    String check_js_from_empty();

    @Message("the older tree (size %1) is larger than the newer one (size %2)")
    String check_js_older_larger();

    @Message("trees of equal size need an empty proof")
    String check_js_equal_size_proof();

    @Message("two different roots for the same tree size %1: the log forked")
    String check_js_forked();

    @Message("roots are 32 bytes")
    String check_js_root_length();

    @Message("the proof is empty")
    String check_js_proof_empty();

    @Message("the proof does not lead to the older root %1")
    String check_js_not_older_root();

    @Message("the proof does not lead to the newer root %1")
    String check_js_not_newer_root();

    @Message("proof hash %1 is not 64 hex digits")
    String check_js_proof_hash_digits();

    @Message("proof hash")
    String check_js_proof_hash();

    @Message("the log answered %1")
    String check_js_log_answered();

    @Message("the log answered no proof hashes")
    String check_js_no_proof_hashes();

    @Message("the log answered a proof hash that is not 64 hex digits")
    String check_js_bad_proof_hash();

    @Message("Verified")
    String check_js_verified();

    @Message("Failed")
    String check_js_failed();

    @Message("Checking…")
    String check_js_checking();

    @Message("the check stopped: %1")
    String check_js_stopped();

    @Message("the current checkpoint is signed by %1 (Ed25519 over the note text): origin %2, tree size %3, root %4")
    String check_js_current_signed();

    @Message("the log index must be a whole number")
    String check_js_index_number();

    @Message("the leaf hash must be 64 hex digits")
    String check_js_leaf_hash_digits();

    @Message("index %1 is not in the tree of size %2 (yet)")
    String check_js_index_not_in_tree();

    @Message("your inclusion proof: %1 hashes")
    String check_js_your_inclusion();

    @Message("the log's inclusion proof: %1 hashes")
    String check_js_log_inclusion();

    @Message("leaf hash")
    String check_js_leaf_hash();

    @Message("the proof leads from leaf hash %1 at index %2 to the signed root %3: the entry is in the log")
    String check_js_included();

    @Message("paste the older checkpoint first")
    String check_js_paste_older();

    @Message("the older checkpoint is signed by the log's key: tree size %1, root %2")
    String check_js_older_signed();

    @Message("the older checkpoint is of another log (%1)")
    String check_js_another_log();

    @Message("the older checkpoint (size %1) is larger than the current one (size %2)")
    String check_js_older_cp_larger();

    @Message("your consistency proof: %1 hashes")
    String check_js_your_consistency();

    @Message("the log's consistency proof: %1 hashes")
    String check_js_log_consistency();

    @Message("the tree of size %1 is a prefix of the tree of size %2: nothing in it was changed or removed")
    String check_js_prefix();
}
