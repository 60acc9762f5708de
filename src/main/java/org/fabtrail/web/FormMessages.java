package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts the web layer's Java code words for a page (ADR 0023): form field errors, refusals, not-found reasons, a
 * device check's steps. Code takes them in the viewer's language with {@link Texts#of}; German is
 * {@code messages/form_de.properties}. The ledger's own refusals (also the API's) stay English.
 */
@MessageBundle(value = "form", locale = "en")
public interface FormMessages {

    @Message("Not allowed")
    String error_not_allowed();

    @Message("Not found")
    String error_not_found();

    @Message("The pages are in English (en) or German (de).")
    String error_language_unknown();

    @Message("There is no unit {unit}.")
    String no_unit(String unit);

    @Message("There is no such challenge of yours for {unit}.")
    String no_challenge(String unit);

    @Message("Only inspector and regulator organisations (and the log operator) record inspections. Look units up with the search box instead.")
    String refusal_inspect();

    @Message("The restricted-party list is kept by the log operator; inspectors and regulators may look at it.")
    String refusal_restricted_list();

    @Message("Only the log operator's staff replace the restricted-party list.")
    String refusal_restricted_replace();

    @Message("Operator staff act for no organisation, so they cannot make custody entries here. Sign in as a member of the organisation that acts.")
    String refusal_needs_org();

    @Message("Challenge issued by the ledger for this unit, to you, unexpired and unused")
    String check_challenge();

    @Message("The device presented the certificate registered for this serial")
    String check_certificate();

    @Message("Its chain leads to a device CA of the manufacturer, valid when the challenge was issued")
    String check_chain();

    @Message("Neither the certificate nor its CA is revoked")
    String check_revocation();

    @Message("The device's signature over the challenge verifies with its key")
    String check_signature();

    @Message("Paste the device's answer: the JSON it printed, with alg, chain and signature.")
    String device_paste();

    @Message("The answer is not JSON ({problem}). Paste exactly what the device printed.")
    String device_not_json(String problem);

    @Message("The answer must be a JSON object with alg, chain and signature.")
    String device_not_object();

    @Message("The answer names another challenge ({id}): ask the device again with this one.")
    String device_other_challenge(String id);

    @Message("Not a serial (or manufacturer/serial): {lines}. Serials are letters, digits, dots, hyphens and underscores.")
    String inspect_bad_components(String lines);

    @Message("At most 64 components; you listed {listed}.")
    String inspect_too_many_components(int listed);

    @Message("Say whether what you found matches the ledger (consistent) or not (discrepancy).")
    String inspect_result();

    @Message("Give both the organisation and the site where you found the unit, or neither.")
    String inspect_site_both();

    @Message("Organisation and site ids are lowercase letters, digits and hyphens, such as acme-fab and hsinchu-fab12.")
    String inspect_site_ids();

    @Message("An organisation id is lowercase letters, digits and hyphens, such as northwind.")
    String inspect_custodian_id();

    @Message("Write what you checked and saw (seals, labels, where it was, who showed it).")
    String inspect_notes();

    @Message("Notes have at most {max} characters; these have {length}.")
    String inspect_notes_long(int max, int length);

    @Message("active")
    String word_active();

    @Message("lost")
    String word_lost();

    @Message("stolen")
    String word_stolen();

    @Message("destroyed")
    String word_destroyed();

    @Message("decommissioned")
    String word_decommissioned();

    @Message("in_transit")
    String word_in_transit();

    @Message("pending")
    String word_pending();

    @Message("partial")
    String word_partial();

    @Message("received")
    String word_received();

    @Message("rejected")
    String word_rejected();

    @Message("cancelled")
    String word_cancelled();

    @Message("open")
    String word_open();

    @Message("acknowledged")
    String word_acknowledged();

    @Message("investigating")
    String word_investigating();

    @Message("resolved")
    String word_resolved();

    @Message("low")
    String word_low();

    @Message("medium")
    String word_medium();

    @Message("high")
    String word_high();

    @Message("critical")
    String word_critical();

    @Message("revoked")
    String word_revoked();

    @Message("expired")
    String word_expired();

    @Message("stopped")
    String word_stopped();

    @Message("present")
    String word_present();

    @Message("missing")
    String word_missing();

    @Message("unexpected")
    String word_unexpected();

    @Message("not-comparable")
    String word_not_comparable();

    @Message("manufacturer")
    String word_manufacturer();

    @Message("distributor")
    String word_distributor();

    @Message("integrator")
    String word_integrator();

    @Message("datacenter")
    String word_datacenter();

    @Message("inspector")
    String word_inspector();

    @Message("regulator")
    String word_regulator();

    @Message("the ledger issued no challenge with this id")
    String reason_challenge_unknown();

    @Message("the challenge was issued for another unit")
    String reason_challenge_other_unit();

    @Message("the challenge was issued to another organisation")
    String reason_challenge_other_requester();

    @Message("the challenge had expired")
    String reason_challenge_expired();

    @Message("the challenge was already used by an earlier inspection (a replay)")
    String reason_challenge_used();

    @Message("no device certificate is registered for this unit")
    String reason_unit_has_no_certificate();

    @Message("the device presented a certificate other than the one registered for this serial")
    String reason_certificate_not_registered();

    @Message("the certificate's subject serialNumber is not the unit's serial")
    String reason_serial_mismatch();

    @Message("the certificate does not chain to a device CA the manufacturer registered")
    String reason_unknown_issuer();

    @Message("a certificate's signature does not verify with its issuer's key")
    String reason_bad_certificate_signature();

    @Message("a certificate of the chain had expired")
    String reason_certificate_expired();

    @Message("a certificate of the chain was not yet valid")
    String reason_certificate_not_yet_valid();

    @Message("an issuing certificate of the chain is not a CA (basic constraints)")
    String reason_not_a_ca();

    @Message("the chain is longer than a CA's path length constraint allows")
    String reason_path_too_long();

    @Message("a certificate's key usage does not allow its role (certificate signing, or digital signature for the device)")
    String reason_key_usage();

    @Message("PKIX path validation failed for another reason")
    String reason_chain_invalid();

    @Message("a device CA on the chain, or above it, was withdrawn by its manufacturer (ca.revoke), or carries the key of one that was")
    String reason_ca_revoked();

    @Message("a certificate of the chain, or a CA above it, is on its issuer's registered CRL")
    String reason_revoked();

    @Message("the registered CRL of a CA on the chain was past its nextUpdate and no newer one is registered: revocations since are unknown")
    String reason_crl_stale();

    @Message("the device key is neither Ed25519 nor ECDSA P-256")
    String reason_unsupported_device_key();

    @Message("alg does not match the device key's algorithm")
    String reason_device_algorithm_mismatch();

    @Message("the signature over the challenge does not verify with the device key")
    String reason_device_signature_invalid();

    @Message("QR code of the challenge {challenge}")
    String device_qr_label(String challenge);

    @Message("QR code of {url}")
    String label_qr_label(String url);

    @Message("QR code that adds your Fabtrail sign-in to an authenticator app")
    String twostep_qr_label();

    @Message("consistent")
    String word_consistent();

    @Message("discrepancy")
    String word_discrepancy();

    @Message("pass")
    String word_pass();

    @Message("fail")
    String word_fail();

    @Message("The ledger knows no such organisation.")
    String refusal_unknown_org();

    @Message("The ledger knows no such unit.")
    String refusal_unknown_unit();

    @Message("The ledger knows no such dispatch.")
    String refusal_unknown_transfer();

    @Message("The organisation has no such site registered.")
    String refusal_unknown_site();

    @Message("The units are not all at the same site.")
    String refusal_different_site();

    @Message("The unit was reported lost, stolen, destroyed or decommissioned: it takes no custody entries.")
    String refusal_unit_retired();

    @Message("A unit named is not on this dispatch.")
    String refusal_unit_not_on_transfer();

    @Message("The unit is in transit: its receiver records its arrival first.")
    String refusal_unit_in_transit();

    @Message("A unit with this serial is already registered.")
    String refusal_unit_exists();

    @Message("The unit is assembled into another: take it out first.")
    String refusal_unit_assembled();

    @Message("This dispatch is already closed.")
    String refusal_transfer_closed();

    @Message("The time given is in the future.")
    String refusal_time_in_future();

    @Message("A site with this id is already registered.")
    String refusal_site_exists();

    @Message("An organisation with this id is already registered.")
    String refusal_org_exists();

    @Message("Your organisation does not have the role this needs.")
    String refusal_role_required();

    @Message("Only the receiver of the dispatch may do this.")
    String refusal_not_receiver();

    @Message("The unit is not reported lost or stolen.")
    String refusal_not_missing();

    @Message("Your organisation does not hold this unit.")
    String refusal_not_custodian();

    @Message("A unit named is not a component of this one.")
    String refusal_not_a_component();

    @Message("These units cannot be assembled so.")
    String refusal_invalid_assembly();

    @Message("You are not authorised to do this.")
    String refusal_not_authorised();

    @Message("The ledger is busy: try again in a moment. Nothing was written.")
    String refusal_ledger_busy();

    @Message("The ledger is stopped: nothing was written.")
    String refusal_ledger_stopped();

    @Message("The finding is already resolved.")
    String refusal_discrepancy_resolved();

    @Message("A finding only moves forward: open, acknowledged, investigating, resolved.")
    String refusal_state_not_forward();

    @Message("There is no unit {unit} that you may see.")
    String no_unit_visible(String unit);

    @Message("{unit} is held by {custodian}, not by {org}; only its custodian can do this.")
    String actions_not_custodian(String unit, String custodian, String org);

    @Message("Unit retired")
    String actions_retired_title();

    @Message("{unit} was reported {status}; no custody activity is accepted on it.")
    String actions_retired(String unit, String status);

    @Message("Unit in transit")
    String actions_in_transit_title();

    @Message("{unit} is in transit on dispatch {transfer}; it can be changed again once received, rejected or cancelled.")
    String actions_in_transit(String unit, String transfer);

    @Message("\"{ref}\" is not a unit reference (manufacturer/serial)")
    String actions_not_a_ref(String ref);

    @Message("Tick at least one unit to put into {unit}.")
    String actions_tick_assemble(String unit);

    @Message("Tick at least one component to take out of {unit}.")
    String actions_tick_disassemble(String unit);

    @Message("Only manufacturers register units; {org} is not a manufacturer.")
    String units_only_manufacturers(String org);

    @Message("Choose the receiving organisation's site from the list.")
    String dispatch_choose_site_from_list();

    @Message("Tick or type at least one unit to dispatch.")
    String dispatch_no_units();

    @Message("Choose the receiving organisation.")
    String dispatch_choose_receiver();

    @Message("Choose the site that receives the units.")
    String dispatch_choose_site();

    @Message("Give the expected arrival as a date (2026-05-01) or a date and time in UTC (2026-05-01T14:00).")
    String dispatch_bad_arrival();

    @Message("Give the date the licence expires (2026-12-31; it is valid through that day, UTC) or a date and time in UTC (2026-12-31T12:00).")
    String dispatch_bad_licence_date();

    @Message("Write the destinations the licence covers as two-letter country codes (ISO 3166-1), separated by spaces or commas: SG MY.")
    String dispatch_bad_countries();

    @Message("No unit {org} holds has serial \"{serial}\".")
    String dispatch_no_such_serial(String org, String serial);

    @Message("Several units with serial \"{serial}\" are held by {org}: write manufacturer/serial.")
    String dispatch_several_serials(String serial, String org);

    @Message("Not a unit reference (manufacturer/serial): {refs}")
    String dispatch_not_refs(String refs);

    @Message("Tick at least one unit that arrived. To refuse the whole shipment, reject it instead.")
    String receive_no_units();

    @Message("Transfer closed")
    String transfer_closed_title();

    @Message("This dispatch is already {state}; nothing on it is in transit.")
    String transfer_closed(String state);

    @Message("There is no transfer {id} that you may see.")
    String transfer_none_visible(String id);

    @Message("There is no organisation \"{org}\".")
    String no_org(String org);

    @Message("Only the administrators of {org} (and the log operator) may manage its users, API tokens and signing keys.")
    String org_admins_only(String org);

    @Message("Too many failed sign-ins from this address or for this username. Try again in {seconds} seconds.")
    String signin_throttled_seconds(long seconds);

    @Message("Too many failed sign-ins from this address or for this username. Try again in {minutes} minutes.")
    String signin_throttled_minutes(long minutes);

    @Message("Wrong username or password.")
    String signin_wrong_password();

    @Message("Wrong code. Type the code your authenticator app shows now.")
    String signin_wrong_code();

    @Message("This sign-in expired. Please sign in again.")
    String signin_expired();

    @Message("This sign-in form expired or was not issued by this site. Please sign in again.")
    String signin_form_expired();

    @Message("No set-up is under way. Start again.")
    String twostep_no_setup();

    @Message("That is not the code your app shows now. Check that the phone's clock is right and type the current code.")
    String twostep_not_the_code();

    @Message("Wrong code: two-step sign-in stays on.")
    String twostep_stays_on();

    @Message("The organisation {org} has no identity provider here. Sign in with your username and password.")
    String sso_no_provider(String org);

    @Message("This sign-in was not started in this browser, or has expired. Please start again.")
    String sso_not_started();

    @Message("The identity provider did not sign you in{#if said != null} ({said}){/if}.")
    String sso_not_signed_in(String said);

    @Message("The organisation's identity provider was removed. Sign in with your username and password.")
    String sso_provider_removed();

    @Message("The identity provider's answer was refused ({why}). Nothing was changed; ask your organisation's admin if this persists.")
    String sso_answer_refused(String why);

    @Message("This form was not issued to your session (or the session changed). Reload the page and try again.")
    String refusal_csrf();

    @Message("Custody chain")
    String chain_label();

    @Message("in transit to {site}")
    String chain_in_transit_to(String site);

    @Message("Findings opened and resolved per day")
    String trend_title();

    @Message("From {first} to {last} (UTC): {opened} opened, {resolved} resolved. The table below the chart lists every day.")
    String trend_desc(String first, String last, long opened, long resolved);

    @Message("opened")
    String trend_opened();

    @Message("resolved")
    String trend_resolved();

    @Message("Form expired")
    String refusal_title_csrf();

    @Message("Different site")
    String refusal_title_different_site();

    @Message("Discrepancy resolved")
    String refusal_title_discrepancy_resolved();

    @Message("Invalid assembly")
    String refusal_title_invalid_assembly();

    @Message("Ledger busy")
    String refusal_title_ledger_busy();

    @Message("Ledger stopped")
    String refusal_title_ledger_stopped();

    @Message("Not a component")
    String refusal_title_not_a_component();

    @Message("Not authorised")
    String refusal_title_not_authorised();

    @Message("Not the custodian")
    String refusal_title_not_custodian();

    @Message("Not lost or stolen")
    String refusal_title_not_missing();

    @Message("Not the receiver")
    String refusal_title_not_receiver();

    @Message("Organisation exists")
    String refusal_title_org_exists();

    @Message("Role required")
    String refusal_title_role_required();

    @Message("Site exists")
    String refusal_title_site_exists();

    @Message("State does not move forward")
    String refusal_title_state_not_forward();

    @Message("Time in the future")
    String refusal_title_time_in_future();

    @Message("Transfer closed")
    String refusal_title_transfer_closed();

    @Message("Unit assembled")
    String refusal_title_unit_assembled();

    @Message("Unit exists")
    String refusal_title_unit_exists();

    @Message("Unit in transit")
    String refusal_title_unit_in_transit();

    @Message("Not on this dispatch")
    String refusal_title_unit_not_on_transfer();

    @Message("Unit retired")
    String refusal_title_unit_retired();

    @Message("Unknown organisation")
    String refusal_title_unknown_org();

    @Message("Unknown site")
    String refusal_title_unknown_site();

    @Message("Unknown transfer")
    String refusal_title_unknown_transfer();

    @Message("Unknown unit")
    String refusal_title_unknown_unit();

    @Message("Database unavailable")
    String refusal_title_database_unavailable();

    @Message("The database cannot be reached just now; nothing was changed. Try again shortly.")
    String refusal_database_unavailable();
}
