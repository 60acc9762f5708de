package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

import java.util.UUID;

/**
 * The texts of the pages of units, transfers, sites and organisations (ADR 0023): home, units, dispatch, inbox,
 * transfer, a unit's actions (status, assemble, disassemble), the discrepancy dashboard, sites and organisations.
 * Templates use them as {@code {pages:key}}; German is {@code messages/pages_de.properties}. A bundle apart from
 * {@link UiMessages} so that each stays within 300 messages (Quarkus 3.33 generates code that fails verification for
 * a bundle of more; {@code UiMessagesTest} checks, and that both German files have every key).
 */
@MessageBundle(value = "pages", locale = "en")
public interface PageMessages {

    @Message("Home")
    String home_title();

    @Message("what needs you")
    String home_needs_you();

    @Message("shipment to receive")
    String home_shipment_to_receive();

    @Message("shipments to receive")
    String home_shipments_to_receive();

    @Message("({n} overdue)")
    String home_overdue(Long n);

    @Message("dispatch awaiting receipt")
    String home_dispatch_awaiting();

    @Message("dispatches awaiting receipt")
    String home_dispatches_awaiting();

    @Message("finding needs you")
    String home_finding_needs_you();

    @Message("findings need you")
    String home_findings_need_you();

    @Message("(unresolved)")
    String home_unresolved();

    @Message("finding names {org}")
    String home_finding_names(String org);

    @Message("findings name {org}")
    String home_findings_name(String org);

    @Message("(unresolved: add what you know)")
    String home_add_what_you_know();

    @Message("To find a unit, use the search box at the top of every page: a serial,")
    String home_find();

    @Message(", or what a scanner reads from its label.")
    String home_find_end();

    @Message("Recent activity")
    String home_recent();

    @Message("Nothing you may see has happened yet.")
    String home_nothing();

    @Message("Index")
    String home_index();

    @Message("When")
    String home_when();

    @Message("Who")
    String home_who();

    @Message("What")
    String home_what();

    @Message("Inbox")
    String inbox_title();

    @Message("Inbox of {org}")
    String inbox_heading(String org);

    @Message("Dispatch units")
    String inbox_dispatch();

    @Message("Inbound: to receive ({n})")
    String inbox_inbound(long n);

    @Message("Nothing is on its way to {org}.")
    String inbox_nothing_inbound(String org);

    @Message("Nothing is on its way to {org} beyond this page.")
    String inbox_nothing_inbound_beyond(String org);

    @Message("From")
    String inbox_from();

    @Message("To site")
    String inbox_to_site();

    @Message("Units")
    String inbox_units();

    @Message("Dispatched")
    String inbox_dispatched();

    @Message("Expected")
    String inbox_expected();

    @Message("Licence")
    String inbox_licence();

    @Message("To")
    String inbox_to();

    @Message("From site")
    String inbox_from_site();

    @Message("overdue")
    String inbox_overdue();

    @Message("Receive")
    String inbox_receive();

    @Message("Reject")
    String inbox_reject();

    @Message("Details")
    String inbox_details();

    @Message("Cancel")
    String inbox_cancel();

    @Message("Inbound pages")
    String inbox_inbound_pages();

    @Message("Outbound pages")
    String inbox_outbound_pages();

    @Message("Outbound: not yet received ({n})")
    String inbox_outbound(long n);

    @Message("Nothing {org} sent is waiting for receipt.")
    String inbox_nothing_outbound(String org);

    @Message("Nothing {org} sent is waiting for receipt beyond this page.")
    String inbox_nothing_outbound_beyond(String org);

    @Message("Transfer {id}")
    String transfer_title(UUID id);

    @Message("Dispatch from {sender} to {receiver}")
    String transfer_heading(String sender, String receiver);

    @Message("Transfer")
    String transfer_transfer();

    @Message("Sender")
    String transfer_sender();

    @Message("site")
    String transfer_site();

    @Message("Receiver")
    String transfer_receiver();

    @Message("Licence")
    String transfer_licence();

    @Message("none given")
    String transfer_none_given();

    @Message("Carrier")
    String transfer_carrier();

    @Message("shipment")
    String transfer_shipment();

    @Message("Expected arrival")
    String transfer_expected_arrival();

    @Message("Dispatched")
    String transfer_dispatched();

    @Message("State")
    String transfer_state();

    @Message("closed at log index")
    String transfer_closed_at();

    @Message("{n} of {total} units still in transit")
    String transfer_still_in_transit(long n, int total);

    @Message("Receive units")
    String transfer_receive_units();

    @Message("Reject the shipment")
    String transfer_reject_shipment();

    @Message("Cancel the dispatch")
    String transfer_cancel_dispatch();

    @Message("Units ({n})")
    String transfer_units(int n);

    @Message("Received")
    String transfer_received();

    @Message("at")
    String transfer_at();

    @Message("Back to the inbox")
    String transfer_back_to_inbox();

    @Message("Receive units from {sender}")
    String transfer_receive_from(String sender);

    @Message("Dispatch")
    String transfer_dispatch();

    @Message("sent to")
    String transfer_sent_to();

    @Message("under licence")
    String transfer_under_licence();

    @Message("Custody of the ticked units moves to {org} when you confirm.")
    String transfer_custody_moves(String org);

    @Message("Which units arrived? ({n} in transit)")
    String transfer_which_arrived(int n);

    @Message("Arrived")
    String transfer_arrived();

    @Message("Shipment reference")
    String transfer_shipment_ref();

    @Message("Units you leave unticked stay")
    String transfer_unticked();

    @Message("in transit")
    String transfer_in_transit();

    @Message("on this dispatch, held by {sender}: you can receive them\n      later, or reject what is left.")
    String transfer_unticked_end(String sender);

    @Message("Received at")
    String transfer_received_at();

    @Message("Confirm receipt")
    String transfer_confirm_receipt();

    @Message("Reject dispatch")
    String transfer_reject_title();

    @Message("Cancel dispatch")
    String transfer_cancel_title();

    @Message("Reject the shipment from {sender}")
    String transfer_reject_heading(String sender);

    @Message("Cancel the dispatch to {receiver}")
    String transfer_cancel_heading(String receiver);

    @Message("Every unit still in transit on it stays with {sender}; units already received are not affected.")
    String transfer_reject_text(String sender);

    @Message("Every unit still in transit on it stays with {sender}; {receiver} can no longer receive them.")
    String transfer_cancel_text(String sender, String receiver);

    @Message("Reason")
    String transfer_reason();

    @Message("Register a unit")
    String units_register();

    @Message("Register from CSV")
    String units_register_csv();

    @Message("site id")
    String units_site_id();

    @Message("exact model")
    String units_exact_model();

    @Message("any")
    String units_any();

    @Message("Filter")
    String units_filter();

    @Message("Clear")
    String units_clear();

    @Message("No unit you may see matches.")
    String units_none();

    @Message("No unit you may see matches these filters.")
    String units_none_filtered();

    @Message("in {serial}")
    String units_in(String serial);

    @Message("Sends units {org} holds at one of its sites to another organisation. Custody moves only when the receiver confirms receipt.")
    String dispatch_intro(String org);

    @Message("{org} has no site, so it holds nothing to dispatch.")
    String dispatch_no_site(String org);

    @Message("Register a site")
    String dispatch_register_site();

    @Message("Choose the site the units leave from")
    String dispatch_choose_site();

    @Message("Show its units")
    String dispatch_show_units();

    @Message("Units at {site} that may move ({n} listed)")
    String dispatch_movable(String site, int n);

    @Message("Units at {site} that may move ({n}+ listed)")
    String dispatch_movable_more(String site, int n);

    @Message("Nothing {org} holds at {site} may move now")
    String dispatch_nothing(String org, String site);

    @Message("Nothing {org} holds at {site} may move now beyond this page")
    String dispatch_nothing_beyond(String org, String site);

    @Message("(units in transit, inside another unit, destroyed or decommissioned cannot be dispatched on their own).")
    String dispatch_nothing_why();

    @Message("Units pages")
    String dispatch_units_pages();

    @Message("← First units")
    String dispatch_first_units();

    @Message("More units →")
    String dispatch_more_units();

    @Message("Ticks are sent with this page only. For more units than one page, type them below.")
    String dispatch_ticks();

    @Message("More units")
    String dispatch_more();

    @Message("(optional: one per line, manufacturer/serial or a serial you hold)")
    String dispatch_more_hint();

    @Message("Receiving organisation")
    String dispatch_receiving_org();

    @Message("choose…")
    String dispatch_choose();

    @Message("Its receiving site")
    String dispatch_receiving_site();

    @Message("(site id)")
    String dispatch_site_id();

    @Message("site id of the receiver")
    String dispatch_site_id_placeholder();

    @Message("(organisation and site)")
    String dispatch_org_and_site();

    @Message("Only {org}'s sites are listed.")
    String dispatch_only_sites_of(String org);

    @Message("List every receiver")
    String dispatch_list_every();

    @Message("Export licence reference")
    String dispatch_licence();

    @Message("(if the shipment needs one)")
    String dispatch_licence_hint();

    @Message("Licence valid until")
    String dispatch_valid_until();

    @Message("Destinations it covers")
    String dispatch_destinations();

    @Message("e.g. SG MY")
    String dispatch_countries_placeholder();

    @Message("The licence's terms, as stated on it: the last day it is valid (UTC) and the countries it allows shipping to (two-letter codes). Screening flags a dispatch outside them.")
    String dispatch_terms_help();

    @Message("(air waybill, tracking number)")
    String dispatch_shipment_hint();

    @Message("(UTC)")
    String dispatch_utc();

    @Message("Dispatch")
    String dispatch_button();

    @Message("Registers one serialized unit made by {org}, signed by {org} and naming you ({user}).")
    String units_register_intro(String org, String user);

    @Message("Many at once?")
    String units_many();

    @Message("Upload a CSV")
    String units_upload_csv();

    @Message("{org} has no site yet.")
    String units_no_site(String org);

    @Message("first: every unit is registered at one.")
    String units_no_site_end();

    @Message("Serial")
    String units_serial();

    @Message("Exactly as printed: letters, digits, dot, underscore, hyphen; case-sensitive, never normalised.")
    String units_serial_help();

    @Message("e.g. 3A090.a or EAR99")
    String units_eccn_placeholder();

    @Message("Device identity certificate")
    String units_device_certificate();

    @Message("(optional, PEM)")
    String units_optional_pem();

    @Message("Register")
    String units_register_button();

    @Message("-----BEGIN CERTIFICATE-----")
    String units_pem_placeholder();

    @Message("Report status of {serial}")
    String actions_status_title(String serial);

    @Message("Report the status of")
    String actions_status_heading();

    @Message("Destroyed and decommissioned are final: no custody activity is accepted afterwards. Recovered brings a lost or stolen unit back to active.")
    String actions_status_intro();

    @Message("What happened, and any report number")
    String actions_reason_placeholder();

    @Message("Report")
    String actions_report();

    @Message("Assemble into {serial}")
    String actions_assemble_into(String serial);

    @Message("Assemble into")
    String actions_assemble_heading();

    @Message("Puts units {org} holds at {site} into this {kind}. Assembled components travel with it\n  and cannot be dispatched alone.")
    String actions_assemble_intro(String org, String site, String kind);

    @Message("Already inside:")
    String actions_already_inside();

    @Message("Components held at {site}")
    String actions_held_at(String site);

    @Message("Nothing else {org} holds at {site} may be assembled now.")
    String actions_nothing(String org, String site);

    @Message("Nothing else {org} holds at {site} may be assembled now beyond this page.")
    String actions_nothing_beyond(String org, String site);

    @Message("← First")
    String actions_first();

    @Message("More →")
    String actions_more();

    @Message("Assemble")
    String actions_assemble();

    @Message("Disassemble {serial}")
    String actions_disassemble_title(String serial);

    @Message("Take components out of")
    String actions_disassemble_heading();

    @Message("The components you tick stay with {org} at {site} as units of their own.")
    String actions_disassemble_intro(String org, String site);

    @Message("Nothing is assembled into this unit.")
    String actions_nothing_inside();

    @Message("Take out")
    String actions_take_out();

    @Message("Every finding of the ledger's detectors and of inspectors.")
    String findings_every();

    @Message("The findings that name {org}: you can add notes and evidence to them.")
    String findings_naming(String org);

    @Message("Each change of a finding is a signed entry in the log.")
    String findings_signed();

    @Message("Filter findings")
    String findings_filter();

    @Message("Rule")
    String findings_rule();

    @Message("Severity")
    String findings_severity();

    @Message("Organisation")
    String findings_organisation();

    @Message("e.g. northwind")
    String findings_org_placeholder();

    @Message("manufacturer/serial")
    String findings_unit_placeholder();

    @Message("Opened from")
    String findings_opened_from();

    @Message("until (before)")
    String findings_until();

    @Message("Counts")
    String findings_counts();

    @Message("Opened and resolved, last 30 days")
    String findings_trend();

    @Message("The chart as a table")
    String findings_chart_table();

    @Message("Day (UTC)")
    String findings_day();

    @Message("Opened")
    String findings_opened();

    @Message("Resolved")
    String findings_resolved();

    @Message("Findings ({n})")
    String findings_count(long n);

    @Message("Export CSV")
    String findings_export();

    @Message("No finding matches.")
    String findings_none();

    @Message("No finding matches these filters.")
    String findings_none_filtered();

    @Message("Summary")
    String findings_summary();

    @Message("({n} units)")
    String findings_units(int n);

    @Message("Pages of findings")
    String findings_pages();

    @Message("Sites of {org}")
    String sites_of(String org);

    @Message("{org} has no site.")
    String sites_none(String org);

    @Message("{org} has no site after these.")
    String sites_none_after(String org);

    @Message("Id")
    String sites_id();

    @Message("Name")
    String sites_name();

    @Message("Country")
    String sites_country();

    @Message("Address")
    String sites_address();

    @Message("Declares a site of {org}: a place where it holds, receives or ships units. Signed by {org}, naming you ({user}).")
    String sites_intro(String org, String user);

    @Message("e.g. ams-schiphol")
    String sites_id_placeholder();

    @Message("Lowercase letters, digits and hyphens; unique within {org}; never changes.")
    String sites_id_help(String org);

    @Message("(ISO 3166-1 alpha-2, e.g. NL)")
    String sites_country_hint();

    @Message("Latitude")
    String sites_latitude();

    @Message("Longitude")
    String sites_longitude();

    @Message("Register site")
    String sites_register_button();

    @Message("Roles")
    String orgs_roles();

    @Message("First page")
    String orgs_first_page();

    @Message("Next page")
    String orgs_next_page();

    @Message("Manage {org}")
    String orgs_manage_label(String org);

    @Message("Manage:")
    String orgs_manage();

    @Message("Users")
    String orgs_users();

    @Message("API tokens")
    String orgs_tokens();

    @Message("Signing keys")
    String orgs_keys();

    @Message("Webhooks")
    String orgs_webhooks();

    @Message("Identity provider")
    String orgs_identity_provider();

    @Message("Sites")
    String orgs_sites();

    @Message("No sites registered.")
    String orgs_no_sites();

    @Message("Pages of sites")
    String orgs_sites_pages();

    @Message("First sites")
    String orgs_first_sites();

    @Message("More sites")
    String orgs_more_sites();

    @Message("No signing keys registered.")
    String orgs_no_keys();

    @Message("Key id")
    String orgs_key_id();

    @Message("Algorithm")
    String orgs_algorithm();

    @Message("Added")
    String orgs_added();

    @Message("Revoked")
    String orgs_revoked();

    @Message("active")
    String orgs_active();

    @Message("The web UI signs this organisation's entries with this key")
    String orgs_ui_key_title();

    @Message("UI signing key")
    String orgs_ui_key();

    @Message("Pages of keys")
    String orgs_keys_pages();

    @Message("First keys")
    String orgs_first_keys();

    @Message("More keys")
    String orgs_more_keys();

    @Message("Coordinates")
    String orgs_coordinates();

    @Message("Units here")
    String orgs_units_here();

    @Message("No unit that you may see is at this site.")
    String orgs_no_units_here();
}
