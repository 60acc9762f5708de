package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * An entry as a sentence for people (ADR 0023), by entry type: {@link EntryLine}'s summary in English (the form the
 * custody chain reads its sites from) and in the viewer's language (what timelines and the explorer show). German is
 * {@code messages/entry_de.properties}.
 */
@MessageBundle(value = "entry", locale = "en")
public interface EntryMessages {

    @Message("Registered organisation {org} ({name}, {country}) as {roles}")
    String entry_org_register(String org, String name, String country, String roles);

    @Message("Added a signing key for {org}")
    String entry_key_add(String org);

    @Message("Revoked key {key} of {org}")
    String entry_key_revoke(String key, String org);

    @Message("Registered site {site} ({name}, {country})")
    String entry_site_register(String site, String name, String country);

    @Message("Registered {kind} {model} serial {serial} at {site}{#if eccn != null} (ECCN {eccn}){/if}{#if certificate} with a device identity certificate{/if}")
    String entry_unit_register(String kind, String model, String serial, String site, String eccn, boolean certificate);

    @Message("Assembled {components} into {parent}")
    String entry_unit_assemble(String components, String parent);

    @Message("Took {components} out of {parent}")
    String entry_unit_disassemble(String components, String parent);

    @Message("Dispatched {units} to {to} ({toSite}){#if licence != null}, licence {licence}{/if}{#if carrier != null}, carrier {carrier}{/if}")
    String entry_transfer_dispatch(String units, String to, String toSite, String licence, String carrier);

    @Message("Received {units} at {site}")
    String entry_transfer_receive(String units, String site);

    @Message("Rejected the dispatch: {reason}")
    String entry_transfer_reject(String reason);

    @Message("Cancelled the dispatch: {reason}")
    String entry_transfer_cancel(String reason);

    @Message("Reported {unit} {status}: {reason}")
    String entry_unit_status(String unit, String status, String reason);

    @Message("Inspected {unit}: {result}{#if foundAt != null}, found at {foundAt}{/if}{#if custodian != null}, held by {custodian}{/if}.{notes}{attestation}")
    String entry_unit_inspect(String unit, String result, String foundAt, String custodian, String notes, String attestation);

    @Message("Device attestation: {result}{#if reasons != null} ({reasons}){/if}.")
    String entry_attestation(String result, String reasons);

    @Message("Certified {unit} with a device identity certificate")
    String entry_unit_certify(String unit);

    @Message("Registered a device CA certificate")
    String entry_ca_add();

    @Message("Revoked device CA {ca}{#if reason != null}: {reason}{/if}")
    String entry_ca_revoke(String ca, String reason);

    @Message("Registered a certificate revocation list for its device CA")
    String entry_ca_crl();

    @Message("Opened a {severity} finding ({rule}): {summary}")
    String entry_discrepancy_open(String severity, String rule, String summary);

    @Message("{#if state != null}Moved the finding to {state}: {#else}Noted on the finding: {/if}{note}")
    String entry_discrepancy_note(String state, String note);

    @Message("Resolved the finding as {outcome}: {reason}")
    String entry_discrepancy_resolve(String outcome, String reason);

    @Message("{count} units ({first}, …)")
    String entry_units(int count, String first);
}
