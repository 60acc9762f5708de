package org.fabtrail.web.pages.findings;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.DiscrepanciesResource;
import org.fabtrail.api.ProblemMappers;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.discrepancy.DiscrepancyNote;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.discrepancy.DiscrepancyResolution;
import org.fabtrail.discrepancy.Findings;
import org.fabtrail.discrepancy.Documents;
import org.fabtrail.web.Cursors;
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.FindingMessages;
import org.fabtrail.web.FormPage;
import org.fabtrail.web.Forms;
import org.fabtrail.web.Pages;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One finding: what the rule found, the units and organisations it names, the evidence entries, each unit's timeline
 * around the evidence, and its history (every open, note and resolve entry with who, when and why). Forms: a note
 * (with optional evidence) for the organisations it names and those who work the queue; a move to acknowledged or
 * investigating and the resolution for inspectors, regulators and the operator. Each form writes one signed entry;
 * a refusal (by the form or by the ledger's rules) is shown on the form and writes nothing. The printable report
 * with the inclusion proofs of every entry, and its JSON.
 */
@SignedIn
@Path("/discrepancies/{id: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}")
public class DiscrepancyPage extends FormPage {

    /** Entries of a unit's timeline shown before and after each evidence entry. */
    static final int AROUND = 3;
    /** Units whose timelines the page shows (a finding may name many). */
    static final int MAX_TIMELINES = 5;

    /** One event of the history, with the person who acted in the UI (when it was made there). */
    public record HistoryItem(DiscrepancyQueries.Event event, String by) {
    }

    /** One line of a unit's timeline: the entry, whether it is evidence of this finding, and a gap before it. */
    public record TimelineItem(EntryLine line, boolean evidence, boolean gapBefore) {
    }

    /** A unit's entries around the evidence; {@code visible} false when the viewer may not see the unit. */
    public record UnitTimeline(UnitKey unit, boolean visible, List<TimelineItem> items, boolean gapAfter) {
    }

    /**
     * A detail of the finding, as text, with its label in words.
     *
     * @param key the detector's key (kept for the JSON report and the API)
     */
    public record Detail(String key, String label, String value) {
    }

    /**
     * A detail key in words, in the viewer's language: its {@code detail_} text of {@link FindingMessages}, or the
     * camelCase key spelled out ("inTransit" → "In transit").
     */
    static String label(String key) {
        Optional<String> listed = Texts.forCode(FindingMessages.class, "detail_", key);
        if (listed.isPresent()) {
            return listed.get();
        }
        String words = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
        return words.isEmpty() ? key : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The page. */
    public record DetailModel(DiscrepancyQueries.Discrepancy d, List<HistoryItem> history, List<EntryLine> evidence,
                              List<UnitTimeline> timelines, List<Detail> details, boolean mayNote, boolean mayWork,
                              List<String> nextStates, List<String> outcomes, HistoryItem notice) {
        public boolean open() {
            return !"resolved".equals(d.state());
        }
    }

    /** A printed entry of the report: its role, its line, its leaf hash and the proof hashes. */
    public record ReportItem(DiscrepanciesResource.ReportEntry entry, EntryLine line) {
    }

    /** The printable report. */
    public record ReportModel(DiscrepancyQueries.Discrepancy d, List<HistoryItem> history,
                              DiscrepanciesResource.Report report, List<ReportItem> items, long treeSize,
                              String rootHash) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance detail(Viewer viewer, DetailModel m, Map<String, String> form,
                                              Map<String, String> errors);

        static native TemplateInstance report(Viewer viewer, ReportModel m);
    }

    @Inject
    DiscrepanciesResource api;

    @Inject
    Documents documents;

    private static Response notFound(Viewer v, String id) {
        return ErrorPage.notFound(v, Texts.of(FindingMessages.class).finding_none_visible(id));
    }

    /** The finding with its history, if the viewer may see it (a viewer of no organisation who does not see all: none). */
    private Optional<Findings.FindingHistory> visible(Viewer v, UUID id) {
        if (!v.seesAll() && v.org() == null) {
            return Optional.empty();
        }
        return pages.findings.withHistory(v.visibility(), id);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("id") String id,
                         @QueryParam(Forms.LOGGED) String logged) {
        Viewer v = viewer.get();
        Long notice = Cursors.index(logged);
        Optional<DetailModel> m = visible(v, UUID.fromString(id)).map(h -> model(v, h, notice));
        if (m.isEmpty()) {
            return notFound(v, id);
        }
        return Response.ok(Templates.detail(v, m.get(), Map.of(), Map.of())).build();
    }

    private DetailModel model(Viewer v, Findings.FindingHistory found, Long notice) {
        DiscrepancyQueries.Discrepancy d = found.finding();
        List<DiscrepancyQueries.Event> events = found.events();
        Map<Long, EntryLine> eventLines = new LinkedHashMap<>();
        for (EntryLine l : Pages.lines(pages.log.at(events.stream().map(DiscrepancyQueries.Event::index).toList()))) {
            eventLines.put(l.index(), l);
        }
        List<HistoryItem> history = new ArrayList<>();
        HistoryItem noticed = null;
        for (DiscrepancyQueries.Event e : events) {
            EntryLine l = eventLines.get(e.index());
            HistoryItem h = new HistoryItem(e, l == null ? null : l.by());
            history.add(h);
            if (notice != null && notice == e.index()) {
                noticed = h;
            }
        }
        List<EntryLine> evidence = Pages.lines(pages.log.at(d.evidence()));
        List<UnitTimeline> timelines = new ArrayList<>();
        for (UnitKey k : d.units().subList(0, Math.min(MAX_TIMELINES, d.units().size()))) {
            timelines.add(timeline(v, k, d.evidence()));
        }
        List<Detail> details = new ArrayList<>();
        d.details().forEach((key, value) -> details.add(new Detail(key, label(key), value instanceof String s ? s
                : Jcs.canonicalString(value))));
        boolean worker = v.isInspector();
        boolean involved = v.org() != null && d.orgs().contains(v.org());
        return new DetailModel(d, history, evidence, timelines, details, worker || involved, worker,
                nextStates(d.state()), DiscrepancyQueries.OUTCOMES, noticed);
    }

    /** The unit's entries within {@link #AROUND} of each evidence entry (or its last entries when none is its own). */
    private UnitTimeline timeline(Viewer v, UnitKey k, List<Long> evidence) {
        Optional<List<Long>> seen = pages.units.entryIndexes(v.visibility(), k);
        if (seen.isEmpty()) {
            return new UnitTimeline(k, false, List.of(), false);
        }
        List<Long> all = seen.get();
        TreeSet<Integer> positions = new TreeSet<>();
        for (long e : evidence) {
            int p = Collections.binarySearch(all, e);
            int at = p >= 0 ? p : -p - 1;
            for (int i = at - AROUND; i <= at + AROUND - (p >= 0 ? 0 : 1); i++) {
                if (i >= 0 && i < all.size()) {
                    positions.add(i);
                }
            }
        }
        if (positions.isEmpty()) {
            for (int i = Math.max(0, all.size() - 2 * AROUND); i < all.size(); i++) {
                positions.add(i);
            }
        }
        List<Long> indexes = positions.stream().map(all::get).toList();
        List<EntryLine> lines = Pages.lines(pages.log.at(indexes));
        List<TimelineItem> items = new ArrayList<>();
        int previous = -1;
        int i = 0;
        for (int pos : positions) {
            EntryLine l = lines.get(i++);
            items.add(new TimelineItem(l, evidence.contains(l.index()), previous >= 0 ? pos > previous + 1 : pos > 0));
            previous = pos;
        }
        return new UnitTimeline(k, true, items, previous >= 0 && previous < all.size() - 1);
    }

    static List<String> nextStates(String state) {
        int at = DiscrepancyQueries.STATES.indexOf(state);
        List<String> out = new ArrayList<>();
        for (String s : List.of("acknowledged", "investigating")) {
            if (DiscrepancyQueries.STATES.indexOf(s) > at) {
                out.add(s);
            }
        }
        return out;
    }

    // ---- forms -----------------------------------------------------------------------------------------------

    @POST
    @Path("note")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response note(@PathParam("id") String id,
                         @FormParam("note") String note,
                         @FormParam("evidence") String evidence) {
        return note(id, note, evidence, null);
    }

    /** The note form as the page sends it: multipart, with an optional document attached. */
    @POST
    @Path("note")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    public Response noteWithDocument(@PathParam("id") String id,
                                     @RestForm("note") String note,
                                     @RestForm("evidence") String evidence, @RestForm("document") FileUpload document) {
        return note(id, note, evidence, document);
    }

    private Response note(String id, String note, String evidence, FileUpload document) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("note", Forms.orEmpty(note));
        form.put("evidence", Forms.orEmpty(evidence));
        Map<String, String> errors = new LinkedHashMap<>();
        String text = Forms.value(note);
        if (text == null) {
            errors.put("note", Texts.of(FindingMessages.class).finding_write_note());
        }
        List<Long> indexes = Forms.value(evidence) == null ? null : evidence(evidence, errors);
        Attached attached = new Attached(document, errors);
        return write(id, "discrepancy.note", docs -> new DiscrepancyNote(UUID.fromString(id), text, null, indexes, docs),
                form, errors, "noteForm", Map.of("discrepancy", "noteForm", "documents", "document"), attached);
    }

    /** The log indexes a note quotes as evidence, as typed ("1234 1240", "#12, #15"); an error on the first bad one. */
    private static List<Long> evidence(String evidence, Map<String, String> errors) {
        List<Long> indexes = new ArrayList<>();
        for (String s : evidence.trim().split("[\\s,;#]+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!s.matches("0|[1-9]\\d{0,17}")) {
                errors.put("evidence", Texts.of(FindingMessages.class).finding_bad_evidence(s));
                break;
            }
            indexes.add(Long.parseLong(s));
        }
        return indexes;
    }

    /** A document uploaded with a note: stored (for the finding) just before the note that quotes it is written. */
    private final class Attached {
        private final FileUpload upload;

        Attached(FileUpload upload, Map<String, String> errors) {
            this.upload = upload != null && upload.size() > 0 ? upload : null;
            if (this.upload != null && this.upload.size() > Documents.MAX_BYTES) {
                errors.put("document", Texts.of(FindingMessages.class).finding_document_too_large(this.upload.size()));
            }
        }

        /** Stores the document; what the note's {@code documents} field says of it (null without one). */
        List<DiscrepancyNote.Document> store(Viewer v, UUID discrepancy) throws java.io.IOException, SQLException {
            if (upload == null) {
                return null;
            }
            Documents.Stored d = documents.store(discrepancy, upload.fileName(), upload.contentType(),
                    java.nio.file.Files.readAllBytes(upload.uploadedFile()), v.org() == null ? "operator" : v.org());
            return List.of(new DiscrepancyNote.Document(d.name(), d.sha256(), d.size()));
        }
    }

    /** A document stored for the finding, as a download. */
    @GET
    @Path("documents/{sha256: [0-9a-f]{64}}")
    public Response document(@PathParam("id") String id,
                             @PathParam("sha256") String sha256) {
        Viewer v = viewer.get();
        UUID uuid = UUID.fromString(id);
        Optional<Documents.Content> content = !v.seesAll() && v.org() == null ? Optional.empty()
                : pages.findings.document(v.visibility(), uuid, sha256);
        return content.map(DiscrepanciesResource::attachment)
                .orElseGet(() -> ErrorPage.notFound(v, Texts.of(FindingMessages.class).finding_no_document()));
    }

    @POST
    @Path("state")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response state(@PathParam("id") String id,
                          @FormParam("state") String state,
                          @FormParam("why") String why) {
        FindingMessages t = Texts.of(FindingMessages.class);
        return writeRequired(id, "discrepancy.note", new Required("state", state, t.finding_choose_state()),
                new Required("why", why, t.finding_say_why()),
                (next, note) -> new DiscrepancyNote(UUID.fromString(id), note, next, null, null),
                "stateForm", Map.of("note", "why", "discrepancy", "stateForm"));
    }

    @POST
    @Path("resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response resolve(@PathParam("id") String id,
                            @FormParam("outcome") String outcome,
                            @FormParam("reason") String reason) {
        FindingMessages t = Texts.of(FindingMessages.class);
        return writeRequired(id, "discrepancy.resolve", new Required("outcome", outcome, t.finding_choose_outcome()),
                new Required("reason", reason, t.finding_give_reason()),
                (how, why) -> new DiscrepancyResolution(UUID.fromString(id), how, why),
                "resolveForm", Map.of("discrepancy", "resolveForm"));
    }

    /** A required form field as typed, and the error it has when left empty. */
    private record Required(String field, String value, String message) {

        /** Kept as typed for the form; trimmed for the entry, or null with an error on it. */
        String take(Map<String, String> form, Map<String, String> errors) {
            form.put(field, Forms.orEmpty(value));
            if (Forms.value(value) == null) {
                errors.put(field, message);
                return null;
            }
            return value.trim();
        }
    }

    /** A form of two required fields (the state and resolve forms), written as one entry made of their values. */
    private Response writeRequired(String id, String type, Required first, Required second,
                                   BiFunction<String, String, PayloadRecord> payload, String formKey,
                                   Map<String, String> fieldNames) {
        Map<String, String> form = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        String a = first.take(form, errors);
        String b = second.take(form, errors);
        return write(id, type, docs -> payload.apply(a, b), form, errors, formKey, fieldNames, null);
    }

    /**
     * The shared part of the three forms: visibility (404 for a finding the viewer may not see), the form's own
     * checks, then one signed entry, its payload made by {@code payload} from the attached documents (null for none);
     * any refusal re-renders the page with the message on its form. A refused payload field goes to the form field of
     * the same name unless {@code fieldNames} names another.
     */
    private Response write(String id, String type, Function<List<DiscrepancyNote.Document>, PayloadRecord> payload,
                           Map<String, String> form, Map<String, String> errors, String formKey,
                           Map<String, String> fieldNames, Attached attached) {
        Viewer v = viewer.get();
        UUID uuid = UUID.fromString(id);
        if (visible(v, uuid).isEmpty()) {
            return notFound(v, id);
        }
        int status = 422;
        if (errors.isEmpty()) {
            try {
                List<DiscrepancyNote.Document> docs = attached == null ? null : attached.store(v, uuid);
                Receipt r = forms.write(v, type, payload.apply(docs));
                return Forms.done("/discrepancies/" + id, r);
            } catch (java.io.IOException | SQLException e) {
                status = 503;
                errors.put("document", Texts.of(FindingMessages.class).finding_document_not_stored());
            } catch (LedgerException e) {
                status = ProblemMappers.status(e.kind());
                Forms.errors(e, fieldNames, null).forEach((k, msg) -> errors.put(Forms.FORM.equals(k) ? formKey : k, msg));
            }
        }
        DetailModel m = model(v, visible(v, uuid).orElseThrow(), null);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(Templates.detail(v, m, form, errors))
                .build();
    }

    // ---- report ----------------------------------------------------------------------------------------------

    /** The printable report: the finding, its history, each entry with its leaf hash and inclusion proof. */
    @GET
    @Path("report")
    @Produces(MediaType.TEXT_HTML)
    public Response report(@PathParam("id") String id) {
        Viewer v = viewer.get();
        UUID uuid = UUID.fromString(id);
        Optional<ReportModel> m = visible(v, uuid).map(h -> reportModel(v, h));
        if (m.isEmpty()) {
            return notFound(v, id);
        }
        return Response.ok(Templates.report(v, m.get())).build();
    }

    private ReportModel reportModel(Viewer v, Findings.FindingHistory found) {
        DetailModel detail = model(v, found, null);
        DiscrepanciesResource.Report r = api.report(v.visibility(), found.finding().id()).orElseThrow();
        Map<Long, EntryLine> lines = new LinkedHashMap<>();
        for (EntryLine l : Pages.lines(pages.log.at(r.entries().stream().map(DiscrepanciesResource.ReportEntry::index)
                .toList()))) {
            lines.put(l.index(), l);
        }
        List<ReportItem> items = r.entries().stream().map(e -> new ReportItem(e, lines.get(e.index()))).toList();
        String[] cp = r.checkpoint().split("\n");
        return new ReportModel(detail.d(), detail.history(), r, items, Long.parseLong(cp[1]), cp[2]);
    }

    /** The same report as the API's JSON, to file with the printout. */
    @GET
    @Path("report.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response reportJson(@PathParam("id") String id) {
        Viewer v = viewer.get();
        UUID uuid = UUID.fromString(id);
        Optional<DiscrepanciesResource.Report> r = visible(v, uuid).isEmpty() ? Optional.empty()
                : api.report(v.visibility(), uuid);
        if (r.isEmpty()) {
            return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such finding").build();
        }
        return Response.ok(r.get(), MediaType.APPLICATION_JSON_TYPE).header("Content-Disposition",
                "attachment; filename=\"discrepancy-" + id + "-report.json\"").build();
    }
}
