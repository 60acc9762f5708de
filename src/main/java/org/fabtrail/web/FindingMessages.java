package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

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
}
