package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

import java.util.UUID;

/**
 * The texts of a finding's page (ADR 0023); templates use them as {@code {finding:key}}, German is
 * {@code messages/finding_de.properties}. A bundle of its own so that each bundle stays within 300 messages (Quarkus 3.33
 * generates code that fails verification for a bundle of more; {@code UiMessagesTest} checks).
 */
@MessageBundle(value = "finding", locale = "en")
public interface FindingMessages {

    @Message("Finding {rule}")
    String finding_title(String rule);

    @Message("resolved, outcome {outcome}.")
    String finding_notice_resolved(String outcome);

    @Message("note recorded; the finding is {state}.")
    String finding_notice_note(String state);

    @Message("outcome")
    String finding_outcome();

    @Message("by")
    String finding_by();

    @Message("For the API and the detectors")
    String finding_technical();

    @Message("The detector's keys of the details above")
    String finding_keys();

    @Message("and the key that stops it opening the same finding twice")
    String finding_key();

    @Message("Printable report with proofs")
    String finding_printable();

    @Message("Report as JSON")
    String finding_json();

    @Message("Work this finding")
    String finding_work();

    @Message("Move it on")
    String finding_move_on();

    @Message("New state")
    String finding_new_state();

    @Message("Why")
    String finding_why();

    @Message("Record the change")
    String finding_record_change();

    @Message("Resolve")
    String finding_resolve();

    @Message("Outcome")
    String finding_outcome_label();

    @Message("A resolved finding is final: later facts open new findings.")
    String finding_final();

    @Message("Resolve the finding")
    String finding_resolve_button();

    @Message("Add a note")
    String finding_add_note();

    @Message("Note")
    String finding_note();

    @Message("Evidence")
    String finding_evidence_label();

    @Message("(optional: log indexes of entries, e.g. 1234 1240)")
    String finding_evidence_hint();

    @Message("Document")
    String finding_document();

    @Message("(optional, at most 10 MiB: customs papers, a photo, an RMA form)")
    String finding_document_hint();

    @Message("A document has at most 10 MiB; this one has {size} bytes.")
    String finding_document_too_large(long size);

    @Message("The log records the document's name, SHA-256 and size with your note; the file is kept for those who may see this finding.")
    String finding_document_help();

    @Message("Add the note")
    String finding_add_note_button();

    @Message("History")
    String finding_history();

    @Message("evidence")
    String finding_evidence();

    @Message("document")
    String finding_document_word();

    @Message("{n} bytes")
    String finding_bytes(Object n);

    @Message("Evidence ({n})")
    String finding_evidence_count(int n);

    @Message("This finding names no evidence entries.")
    String finding_no_evidence();

    @Message("leaf")
    String finding_leaf();

    @Message("Timeline of {unit} around the evidence")
    String finding_timeline(String unit);

    @Message("You may not see this unit's history.")
    String finding_not_visible();

    @Message("No entries.")
    String finding_no_entries();

    @Message("earlier entries not shown")
    String finding_earlier_hidden();

    @Message("later entries not shown")
    String finding_later_hidden();

    @Message("The whole history of {unit}")
    String finding_whole_history(String unit);

    @Message("Discrepancy report {id}")
    String report_title(UUID id);

    @Message("Back to the finding")
    String report_back();

    @Message("Download this report as JSON")
    String report_download();

    @Message("use your browser's Print to file it.")
    String report_print();

    @Message("Discrepancy report")
    String report_heading();

    @Message("Prepared from the Fabtrail custody log by {name} ({org}). Every fact below is an entry of the signed, append-only log, with the proof that the log includes it.")
    String report_prepared(String name, String org);

    @Message("Prepared from the Fabtrail custody log by {name} (log operator). Every fact below is an entry of the signed, append-only log, with the proof that the log includes it.")
    String report_prepared_operator(String name);

    @Message("Finding")
    String report_finding();

    @Message("Finding id")
    String report_finding_id();

    @Message("Summary")
    String report_summary();

    @Message("Rule")
    String report_rule();

    @Message("Severity")
    String report_severity();

    @Message("State")
    String report_state();

    @Message("outcome: {outcome}")
    String report_outcome(String outcome);

    @Message("Opened")
    String report_opened();

    @Message("{at} by {by}, log index {index}")
    String report_opened_by(String at, String by, long index);

    @Message("Units")
    String report_units();

    @Message("Organisations")
    String report_orgs();

    @Message("Evidence")
    String report_evidence();

    @Message("log indexes")
    String report_log_indexes();

    @Message("History")
    String report_history();

    @Message("Index")
    String report_index();

    @Message("When (UTC)")
    String report_when();

    @Message("Who")
    String report_who();

    @Message("Change")
    String report_change();

    @Message("Note or reason")
    String report_note();

    @Message(", outcome {outcome}")
    String report_outcome_after(String outcome);

    @Message("Entries and their inclusion proofs")
    String report_entries();

    @Message("Against the checkpoint below (tree size {size}).")
    String report_against(long size);

    @Message("Log index {index}")
    String report_log_index(long index);

    @Message("{type} by {actor}")
    String report_entry_by(String type, String actor);

    @Message("Leaf hash")
    String report_leaf_hash();

    @Message("Inclusion proof")
    String report_inclusion_proof();

    @Message("none needed (the tree has one leaf)")
    String report_no_proof();

    @Message("Checkpoint")
    String report_checkpoint();

    @Message("Tree size")
    String report_tree_size();

    @Message("Root hash (base64)")
    String report_root_hash();

    @Message("Log public key")
    String report_log_key();

    @Message("How to verify")
    String report_how();

    @Message("Nothing here needs to be taken on trust. Take the leaf bytes of each entry from the JSON form of this report")
    String report_how_1();

    @Message("base64): their SHA-256 with a 0x00 byte in front is the leaf hash above. Combine it with the proof hashes in order as RFC 9162 (section 2.1.3.2) says — each step is SHA-256 of 0x01 followed by the two hashes — using the entry's log index and the tree size; the result must equal the root hash of the checkpoint. Finally check the checkpoint's signature (a C2SP signed note) with the log's public key, obtained from the operator independently of this report. Any RFC 9162 implementation does this;")
    String report_how_2();

    @Message("(worked example, step 18) shows the same checks as a short shell script.")
    String report_how_3();

    @Message("Reported status")
    String detail_status();

    @Message("What was recorded")
    String detail_entryType();

    @Message("Assembled in")
    String detail_inside();

    @Message("Found in")
    String detail_foundIn();

    @Message("Recorded in")
    String detail_recordedIn();

    @Message("Known to the ledger")
    String detail_known();

    @Message("Time claimed by the entry")
    String detail_claimed();

    @Message("Time logged")
    String detail_integrated();

    @Message("Previous sighting logged")
    String detail_previous();

    @Message("Previous sighting")
    String detail_previousEvent();

    @Message("Dispatch")
    String detail_transfer();

    @Message("Expected by")
    String detail_due();

    @Message("Units still in transit")
    String detail_inTransit();

    @Message("Listed organisation")
    String detail_listedOrg();

    @Message("Restricted-party list")
    String detail_sourceList();

    @Message("Listed party")
    String detail_listed();

    @Message("Name match score")
    String detail_score();

    @Message("Name matched")
    String detail_matchedName();

    @Message("List row")
    String detail_listRow();

    @Message("Identifiers")
    String detail_identifiers();

    @Message("Screened at")
    String detail_at();

    @Message("Screening rule")
    String detail_rule();

    @Message("Origin country")
    String detail_origin();

    @Message("Destination country")
    String detail_destination();

    @Message("Route")
    String detail_chain();

    @Message("Within")
    String detail_window();

    @Message("Device CA id")
    String detail_caId();

    @Message("Device CA")
    String detail_caSubject();

    @Message("Revocation list due")
    String detail_nextUpdate();

    @Message("Revocation list entry")
    String detail_crlIndex();

    @Message("First seen")
    String detail_firstSeen();

    @Message("Unit")
    String detail_unit();

    @Message("Serial")
    String detail_serial();

    @Message("Model")
    String detail_model();

    @Message("Manufacturer")
    String detail_manufacturer();

    @Message("There is no finding {id} that you may see.")
    String finding_none_visible(String id);

    @Message("Write the note: what you found, or what the evidence shows.")
    String finding_write_note();

    @Message("Evidence is a list of log indexes such as 1234 1240, not \"{text}\".")
    String finding_bad_evidence(String text);

    @Message("There is no such document of a finding you may see.")
    String finding_no_document();

    @Message("Choose the state the finding moves to.")
    String finding_choose_state();

    @Message("Say why: what was done, or who is looking into it.")
    String finding_say_why();

    @Message("Choose the outcome.")
    String finding_choose_outcome();

    @Message("Give the reason: what explains the finding, or what was confirmed.")
    String finding_give_reason();

    @Message("The document could not be stored; try again.")
    String finding_document_not_stored();

    @Message("State")
    String group_state();

    @Message("Severity")
    String group_severity();

    @Message("Rule")
    String group_rule();

    @Message("Organisation")
    String group_org();
}
