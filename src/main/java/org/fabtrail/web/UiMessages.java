package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the pages (ADR 0023), in English; {@code src/main/resources/messages/msg_de.properties} has them in
 * German. Templates use them as {@code {msg:key}}; Quarkus checks at build time that every key a template names exists
 * here and takes the parameters given, and that the German file names no key missing here.
 * {@code UiMessagesTest} checks that the German file has every key. Texts of pages in English only are in
 * {@link PageMessages}.
 */
@MessageBundle(value = "msg", locale = "en")
public interface UiMessages {

    @Message("en")
    String lang();

    @Message("Serial, manufacturer/serial or scanned QR")
    String layout_search_placeholder();

    @Message("Find a unit")
    String layout_find_unit();

    @Message("Find")
    String layout_find();

    @Message("Inbox")
    String nav_inbox();

    @Message("Units")
    String nav_units();

    @Message("Discrepancies")
    String nav_discrepancies();

    @Message("Inspect")
    String nav_inspect();

    @Message("Ledger")
    String nav_ledger();

    @Message("Restricted parties")
    String nav_restricted();

    @Message("Organisations")
    String nav_orgs();

    @Message("Two-step sign-in")
    String nav_two_step();

    @Message("Sign out")
    String nav_sign_out();

    @Message("Every fact on these pages is an entry in a signed, append-only log.")
    String footer_text();

    @Message("Check it.")
    String footer_check();

    @Message("Language")
    String footer_language();

    @Message("log index")
    String log_index();

    @Message("Sign in")
    String login_title();

    @Message("Username")
    String login_username();

    @Message("Password")
    String login_password();

    @Message("Or sign in with your organisation's identity provider:")
    String login_sso();

    @Message("Sign in: code")
    String login_code_title();

    @Message("Code from your authenticator app")
    String login_code_label();

    @Message("Inspect")
    String inspect_title();

    @Message("Inspect a unit")
    String inspect_heading();

    @Message("Serial, manufacturer/serial, or scan the unit's QR code")
    String inspect_q_label();

    @Message("e.g. GH200-0001")
    String inspect_q_placeholder();

    @Message("Look up")
    String inspect_look_up();

    @Message("No registered unit has the serial “{q}”. Serials are case-sensitive: enter it exactly as on the label. A unit that is not in the ledger at all is itself a finding: report it.")
    String inspect_no_match(String q);

    @Message("Several manufacturers use this serial; choose the one on the label:")
    String inspect_several();

    @Message("Inspect {unit}")
    String inspect_unit_title(String unit);

    @Message("Inspection recorded at log index")
    String inspect_recorded();

    @Message("It is in the")
    String inspect_recorded_in();

    @Message("unit's timeline")
    String inspect_unit_timeline();

    @Message("Where the ledger says it is")
    String inspect_where();

    @Message("Held by")
    String unit_held_by();

    @Message("Site")
    String unit_site();

    @Message("Unit")
    String unit_unit();

    @Message("Inside")
    String unit_inside();

    @Message("Last change")
    String unit_last_change();

    @Message("In transit:")
    String inspect_in_transit();

    @Message("dispatched by {sender} ({site}) on {at} to")
    String inspect_dispatched(String sender, String site, String at);

    @Message("carrier")
    String inspect_carrier();

    @Message("licence")
    String inspect_licence();

    @Message("Until {receiver} confirms receipt, {custodian} is still the custodian.")
    String inspect_until_receipt(String receiver, String custodian);

    @Message("Components ({n})")
    String unit_components(int n);

    @Message("inspect")
    String inspect_link();

    @Message("Check the device")
    String inspect_check_device();

    @Message("Registered identity:")
    String inspect_identity();

    @Message("issued by")
    String inspect_issued_by();

    @Message("valid until")
    String inspect_valid_until();

    @Message("No device certificate is registered for this unit: a device that answers a challenge cannot pass. Check it anyway to record what it presents.")
    String inspect_no_certificate();

    @Message("The ledger gives you a one-time challenge; the device signs it with its identity key; you paste its answer and see each check.")
    String inspect_challenge_intro();

    @Message("Request a challenge")
    String inspect_request_challenge();

    @Message("Record what you found")
    String inspect_record_heading();

    @Message("Record inspection")
    String inspect_record();

    @Message("Signed as {org} and naming you ({user}).")
    String inspect_signed_as(String org, String user);

    @Message("Signed as the operator and naming you ({user}).")
    String inspect_signed_as_operator(String user);

    @Message("Earlier inspections")
    String inspect_earlier();

    @Message("Result")
    String field_result();

    @Message("Consistent: matches the ledger")
    String field_consistent();

    @Message("Discrepancy: something differs")
    String field_discrepancy();

    @Message("Found at the site of (organisation id)")
    String field_site_org();

    @Message("Site id")
    String field_site_id();

    @Message("Leave both empty if it was not at a registered site, and say where in the notes.")
    String field_site_empty();

    @Message("Found at")
    String field_found_at();

    @Message("Not at a registered site (say where in the notes)")
    String field_not_at_site();

    @Message("Preselected: where the ledger says it is. Choose another site if you found it elsewhere.")
    String field_found_at_help();

    @Message("Held by")
    String field_held_by();

    @Message("Not known (say who showed it in the notes)")
    String field_not_known();

    @Message("expected: the ledger's custodian")
    String field_expected_custodian();

    @Message("expected: in transit to it")
    String field_expected_transit();

    @Message("Components found inside (optional)")
    String field_components();

    @Message("One serial per line, as read from each component's label or the BMC inventory")
    String field_components_help();

    @Message("when another manufacturer made it")
    String field_components_help_other();

    @Message("Leave empty if you did not open it; the ledger compares what you list with the components it records.")
    String field_components_help_end();

    @Message("Platform certificate read from the server (optional)")
    String field_platform();

    @Message("Paste the PEM")
    String field_platform_help();

    @Message("the BMC or vendor tool shows. The ledger checks it against the manufacturer's CAs and compares its components with the ones it records; a failed check is recorded, not refused.")
    String field_platform_help_end();

    @Message("Notes")
    String field_notes();

    @Message("is reported")
    String alert_reported();

    @Message("is flagged")
    String alert_flagged();

    @Message("Status")
    String alert_status();

    @Message("reported by")
    String alert_reported_by();

    @Message("on")
    String alert_on();

    @Message("Reason:")
    String alert_reason();

    @Message("No unresolved finding about it.")
    String alert_no_findings();

    @Message("No unresolved finding about it yet: anyone holding it is a finding.")
    String alert_no_findings_gone();

    @Message("Open findings ({n}):")
    String alert_findings(int n);

    @Message("opened")
    String alert_opened();

    @Message("stolen")
    String status_stolen();

    @Message("lost")
    String status_lost();

    @Message("destroyed")
    String status_destroyed();

    @Message("Search")
    String search_title();

    @Message("Search: {q}")
    String search_heading(String q);

    @Message("No unit you may see matches “{q}”. Enter a serial or its beginning exactly as registered (serials are case-sensitive), or manufacturer/serial.")
    String search_none(String q);

    @Message("Units whose serial starts with “{q}”:")
    String search_prefix(String q);

    @Message("Several manufacturers use this serial:")
    String search_several();

    @Message("Not found")
    String unit_not_found_title();

    @Message("No such unit")
    String unit_not_found();

    @Message("There is no unit {unit} that you may see.")
    String unit_not_found_text(String unit);

    @Message("Label of {unit}")
    String label_title(String unit);

    @Message("Label")
    String label_crumb();

    @Message("Print this page and stick the label on the unit or its packaging. The QR code carries the unit's address,")
    String label_print();

    @Message("a phone's camera opens its page, and the inspector's")
    String label_print_end();

    @Message("Scan label")
    String label_scan();

    @Message("finds the unit with it.")
    String label_print_finds();

    @Message("Scan the label: take or choose a photo of its QR or Data Matrix code")
    String scan_photo();

    @Message("Scan with the live camera")
    String scan_camera();

    @Message("Camera view: hold the label's code in the frame")
    String scan_video();

    @Message("Print its label (QR code)")
    String unit_print_label();

    @Message("Kind")
    String unit_kind();

    @Message("Model")
    String unit_model();

    @Message("Custodian")
    String unit_custodian();

    @Message("Registered")
    String unit_registered();

    @Message("Actions")
    String unit_actions();

    @Message("Custody chain")
    String unit_custody_chain();

    @Message("Timeline")
    String unit_timeline();

    @Message("Open discrepancies")
    String unit_open_discrepancies();

    @Message("Every finding about this unit")
    String unit_every_finding();

    @Message("Inspections")
    String unit_inspections();

    @Message("No inspection recorded yet.")
    String unit_no_inspection();

    @Message("Check the device of {unit}")
    String device_title(String unit);

    @Message("device check")
    String device_crumb();

    @Message("Registered device identity")
    String device_registered();

    @Message("Subject")
    String device_subject();

    @Message("Issuer")
    String device_issuer();

    @Message("No device certificate is registered for this unit. Whatever the device presents, the check fails (unit-has-no-certificate): record what it presents as a finding.")
    String device_no_certificate();

    @Message("1. Have the device sign this challenge")
    String device_step1();

    @Message("Challenge")
    String device_challenge();

    @Message("(32 bytes, base64; for you only, once, until {until})")
    String device_challenge_note(String until);

    @Message("The same challenge as a QR code (it carries exactly the text above), for a device tool that reads it with a camera.")
    String device_qr_caption();

    @Message("Give it to the device's attestation tool (its BMC or vendor tool) for")
    String device_give();

    @Message("and copy its answer below.")
    String device_give_end();

    @Message("In this demo: the device simulator")
    String device_demo();

    @Message("docs/inspectors.md explains what the device signs.")
    String device_demo_doc();

    @Message("This challenge expired at {at}. Its check fails (challenge-expired); ask for a new one.")
    String device_expired(String at);

    @Message("Request a new challenge")
    String device_new_challenge();

    @Message("2. Paste the device's answer")
    String device_step2();

    @Message("The JSON the device printed (alg, chain, signature)")
    String device_response();

    @Message("or read it from a file")
    String device_response_file();

    @Message("Check the answer")
    String device_check();

    @Message("Checking writes nothing to the ledger.")
    String device_writes_nothing();

    @Message("The device is the one registered")
    String device_passed();

    @Message("The device check failed")
    String device_failed();

    @Message("yes")
    String device_yes();

    @Message("not checked: what it needs is missing (a challenge the ledger knows, a chain that reaches a registered CA, a usable device key)")
    String device_skipped();

    @Message("yes, but")
    String device_yes_but();

    @Message("no")
    String device_no();

    @Message("Presented certificate:")
    String device_presented();

    @Message("valid {from} to {to}")
    String device_valid(String from, String to);

    @Message("Verdict:")
    String device_verdict();

    @Message("It becomes part of the inspection you record.")
    String device_verdict_end();

    @Message("3. Record the inspection")
    String device_step3();

    @Message("Record the inspection with this device check")
    String device_record();

    @Message("The ledger checks the answer again and records the verdict it finds.")
    String device_checks_again();

    @Message("← Newest")
    String pager_newest();

    @Message("Older →")
    String pager_older();

    @Message("Recorded at log index")
    String recorded_at();

    @Message("Back")
    String back();

    @Message("Pages")
    String pager_pages();

    @Message("← Previous")
    String pager_previous();

    @Message("Next →")
    String pager_next();

    @Message("(optional)")
    String optional();

    @Message("Home")
    String nav_home();

    @Message("Identity certificate")
    String unit_identity_certificate();

    @Message("registered")
    String unit_cert_registered();

    @Message("below")
    String unit_below();

    @Message("none")
    String unit_none();

    @Message("Platform certificate")
    String unit_platform_certificate();

    @Message("matches custody")
    String unit_matches_custody();

    @Message("{missing} missing, {unexpected} unexpected")
    String unit_missing_unexpected(int missing, int unexpected);

    @Message("In transit")
    String unit_in_transit();

    @Message("on dispatch")
    String unit_on_dispatch();

    @Message("from {sender} ({senderSite})\n  to {receiver} ({receiverSite}), dispatched {at}")
    String unit_from_to(String sender, String senderSite, String receiver, String receiverSite, String at);

    @Message("Custody moves when {receiver} confirms receipt.")
    String unit_custody_moves(String receiver);

    @Message("The dispatch")
    String unit_the_dispatch();

    @Message("Receive")
    String unit_receive();

    @Message("Reject")
    String unit_reject();

    @Message("Cancel the dispatch")
    String unit_cancel_dispatch();

    @Message("Dispatch")
    String unit_dispatch();

    @Message("Assemble components into it")
    String unit_assemble();

    @Message("Take components out")
    String unit_disassemble();

    @Message("Report status")
    String unit_report_status();

    @Message("No unresolved finding.")
    String unit_no_finding();

    @Message("No unresolved finding that names {org}.")
    String unit_no_finding_naming(String org);

    @Message("When")
    String unit_when();

    @Message("By")
    String unit_by();

    @Message("Device check")
    String unit_device_check();

    @Message("Findings")
    String unit_findings();

    @Message("held by")
    String unit_held_by_lower();

    @Message("pass")
    String unit_pass();

    @Message("fail:")
    String unit_fail();

    @Message("Device identity certificate")
    String unit_device_identity_certificate();

    @Message("Valid")
    String unit_valid();

    @Message("{from} to {to}")
    String unit_from_until(String from, String to);

    @Message("Key")
    String unit_key();

    @Message("Serial number")
    String unit_serial_number();

    @Message("SHA-256 fingerprint")
    String unit_fingerprint();

    @Message("Platform")
    String unit_platform();

    @Message("serial")
    String unit_serial_lower();

    @Message("version")
    String unit_version();

    @Message("Verified by")
    String unit_verified_by();

    @Message("registered device CA")
    String unit_registered_ca();

    @Message("id")
    String unit_id();

    @Message("Certified")
    String unit_certified();

    @Message("Every certified component with a serial is assembled in this unit, and nothing else is.")
    String unit_platform_consistent();

    @Message("The certificate and custody differ:")
    String unit_platform_differ();

    @Message("{present} present, {notComparable} without a serial to compare.")
    String unit_present_not_comparable(int present, int notComparable);

    @Message("Expected (the certificate) versus found (custody: the units assembled in {serial} now)")
    String unit_platform_caption(String serial);

    @Message("Class")
    String unit_class();

    @Message("Manufacturer")
    String unit_manufacturer();

    @Message("Serial")
    String unit_serial();

    @Message("Found in custody")
    String unit_found_in_custody();

    @Message("model differs")
    String unit_model_differs();

    @Message("No platform certificate is registered for this server.")
    String unit_no_platform_certificate();

    @Message("Download the offline bundle")
    String unit_bundle();

    @Message("every entry above with its inclusion proof against one signed checkpoint, checkable without this server.")
    String unit_bundle_text();

    @Message("by")
    String unit_by_lower();

    @Message("key")
    String unit_key_lower();

    @Message("signature checked when appended · included in the log (tree size {size}):")
    String unit_signature_checked(long size);

    @Message("proof")
    String unit_proof();
}
