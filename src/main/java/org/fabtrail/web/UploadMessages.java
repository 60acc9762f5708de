package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the pages that take a CSV file: bulk registration of units and the restricted-party list (ADR 0023);
 * templates use them as {@code {upload:key}}, German is {@code messages/upload_de.properties}. A bundle of its own so
 * that each bundle stays within 300 messages ({@code UiMessagesTest} checks).
 */
@MessageBundle(value = "upload", locale = "en")
public interface UploadMessages {

    @Message("Bulk registration")
    String bulk_title();

    @Message("Bulk registration finished")
    String bulk_finished();

    @Message("Bulk registration running")
    String bulk_running();

    @Message("From {source}, started by {by} at {at}. This page is at a stable address: you may leave and come back.")
    String bulk_from(String source, String by, String at);

    @Message("{done} of {total} rows ({accepted} registered, {rejected} rejected)")
    String bulk_progress(int done, int total, int accepted, int rejected);

    /** {@link #bulk_progress} for the poller in {@code app.js}, which puts the numbers where {@code $done}... stand. */
    @Message("$done of $total rows ($accepted registered, $rejected rejected)")
    String bulk_progress_js();

    @Message("The job stopped early: {failure}")
    String bulk_stopped(String failure);

    @Message("Rows")
    String bulk_rows();

    @Message("Registered")
    String bulk_registered();

    @Message("(log indexes #{first} to #{last})")
    String bulk_log_indexes(Long first, Long last);

    @Message("Rejected")
    String bulk_rejected();

    @Message("Finished")
    String bulk_finished_at();

    @Message("Download the rejected rows (rejected.csv)")
    String bulk_download_rejected();

    @Message("— row number, reason, and the row as given; fix them and upload the file again as it is.")
    String bulk_download_help();

    @Message("Rejected rows")
    String bulk_rejected_rows();

    @Message("(first {shown} of {total})")
    String bulk_first_of(int shown, int total);

    @Message("Row")
    String bulk_row();

    @Message("Serial")
    String bulk_serial();

    @Message("Reason")
    String bulk_reason();

    @Message("Your units")
    String bulk_your_units();

    @Message("Upload another file")
    String bulk_another();

    @Message("Register units from CSV")
    String bulk_upload_title();

    @Message("Register units from a CSV")
    String bulk_upload_heading();

    @Message("Registers many units made by {org} at once, each signed by {org} and naming you ({user}). Good rows register, bad rows are reported with their row number and why, and can be downloaded to fix.")
    String bulk_upload_intro(String org, String user);

    @Message("The first row is the header:")
    String bulk_header_row();

    @Message("is accelerator, server, board or module;")
    String bulk_kind_is();

    @Message("may be empty;")
    String bulk_eccn_may();

    @Message("is one of {org}'s site ids;")
    String bulk_site_is(String org);

    @Message("(optional column) is a PEM certificate in double quotes. Rows are numbered as in a spreadsheet: the header is row 1.")
    String bulk_cert_is();

    @Message("CSV file")
    String upload_csv_file();

    @Message("or paste the rows")
    String upload_or_paste();

    @Message("Check and register")
    String bulk_check_register();

    @Message("Cancel")
    String upload_cancel();

    @Message("serial,kind,model,eccn,site")
    String bulk_columns();

    @Message("Restricted parties")
    String parties_title();

    @Message("Restricted-party list")
    String parties_heading();

    @Message("Every dispatch is screened against this list: the receiving organisation's name (and aliases) for")
    String parties_intro_1();

    @Message(", the receiving site's country for")
    String parties_intro_2();

    @Message(". Depending on the instance's settings a match refuses the dispatch or opens a finding.")
    String parties_intro_3();

    @Message("In force: {total} {#if total == 1}row{#else}rows{/if}")
    String parties_in_force(int total);

    @Message("The list is empty: screening matches nothing but dispatches without a licence.")
    String parties_empty();

    @Message("Source list")
    String parties_source();

    @Message("Rows")
    String parties_rows();

    @Message("Replace the list")
    String parties_replace();

    @Message("The file replaces the whole list in one step. A file with any bad row is refused whole, with every problem listed, and the list in force stays as it is.")
    String parties_replace_help();

    @Message("Check and replace the list")
    String parties_check_replace();

    @Message("(the first {shown} of {total})")
    String parties_first_of(int shown, int total);

    @Message("None.")
    String parties_none();

    @Message("Name")
    String parties_name();

    @Message("Country")
    String parties_country();

    @Message("Aliases")
    String parties_aliases();

    @Message("Identifiers")
    String parties_identifiers();

    @Message("Addresses")
    String parties_addresses();

    @Message("every destination in the country")
    String parties_whole_country();

    @Message("The file is larger than {mb} MB.")
    String upload_too_large(long mb);

    @Message("The file is larger than {mb} MB; split it into several uploads.")
    String bulk_too_large(long mb);

    @Message("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
    String upload_not_utf8();

    @Message("The upload could not be read; try again.")
    String upload_unreadable();

    @Message("Choose a CSV file or paste its rows.")
    String bulk_choose();

    @Message("Choose a CSV file or paste its rows. (To empty the list, paste the header row alone.)")
    String parties_choose();

    @Message("There are no rows under the header.")
    String bulk_no_rows();

    @Message("There is no bulk registration {id} of your organisation (reports are kept for {hours} hours and forgotten on restart).")
    String bulk_no_job_kept(String id, long hours);

    @Message("There is no bulk registration {id} of your organisation.")
    String bulk_no_job(String id);

    @Message("Imported the list: {rows} rows are now in force for screening.")
    String parties_imported(String rows);

    @Message("Not imported: the file has {problems} {#if problems == 1}problem{#else}problems{/if} (listed below). The list in force has not changed.")
    String parties_not_imported(int problems);

    @Message("uploaded file")
    String bulk_source_file();

    @Message("pasted text")
    String bulk_source_pasted();

    @Message("The file is empty. The first row must be the header: serial,kind,model,eccn,site[,deviceCertificate].")
    String bulk_file_empty();

    @Message("The header has an unknown column \"{name}\". The columns are {columns} and optionally {optional}.")
    String bulk_unknown_column(String name, String columns, String optional);

    @Message("The header names the column \"{name}\" twice.")
    String bulk_column_twice(String name);

    @Message("The header (row 1) lacks the {#if count == 1}column{#else}columns{/if} {columns}. It must be serial,kind,model,eccn,site[,deviceCertificate].")
    String bulk_columns_missing(int count, String columns);
}
