package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.custody.Csv;
import org.fabtrail.custody.UnitBundles;
import org.fabtrail.custody.LogEntries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Visibility;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.discrepancy.Findings;
import org.fabtrail.discrepancy.Documents;
import org.fabtrail.discrepancy.Finding;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.LedgerStore;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Findings (discrepancies): the filtered list with cursor pagination, one finding with its history, a CSV export,
 * and the report with the inclusion proofs of its evidence. The workflow itself (notes, state changes, resolution)
 * is entries: {@code discrepancy.note} and {@code discrepancy.resolve} through POST /api/v1/entries. Inspectors,
 * regulators and the operator see every finding; an organisation sees those that name it.
 */
@Path("/api/v1/discrepancies")
@Tag(name = "Discrepancies")
@Produces(MediaType.APPLICATION_JSON)
public class DiscrepanciesResource {

    public static final int MAX_PAGE = 500;
    public static final int MAX_EXPORT = 50_000;

    @Inject
    Authenticator auth;
    @Inject
    Ledger ledger;
    @Inject
    Findings findings;
    @Inject
    LogEntries log;

    @JsonPropertyOrder({"id", "rule", "severity", "state", "outcome", "summary", "finding", "units", "orgs",
            "evidence", "details", "openedIndex", "openedAt", "openedBy", "updatedIndex", "updatedAt", "history"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DiscrepancyView(String id, String rule, String severity, String state, String outcome, String summary,
                                  String finding, List<Map<String, String>> units, List<String> orgs,
                                  List<Long> evidence, Map<String, Object> details, long openedIndex, String openedAt,
                                  String openedBy, long updatedIndex, String updatedAt, List<EventView> history) {
        static DiscrepancyView from(DiscrepancyQueries.Discrepancy d, List<DiscrepancyQueries.Event> events) {
            return new DiscrepancyView(d.id().toString(), d.rule(), d.severity(), d.state(), d.outcome(), d.summary(),
                    d.finding(), d.units().stream().map(u -> Map.of("manufacturer", u.manufacturer(), "serial",
                    u.serial())).toList(), d.orgs(), d.evidence(), d.details().isEmpty() ? null : d.details(),
                    d.openedIdx(), d.openedAt().toString(), d.openedBy(), d.updatedIdx(), d.updatedAt().toString(),
                    events == null ? null : events.stream().map(EventView::from).toList());
        }
    }

    @JsonPropertyOrder({"index", "time", "actor", "kind", "state", "note", "outcome", "evidence", "documents"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(long index, String time, String actor, String kind, String state, String note,
                            String outcome, List<Long> evidence, List<Map<String, Object>> documents) {
        static EventView from(DiscrepancyQueries.Event e) {
            return new EventView(e.index(), e.at().toString(), e.actor(), e.kind(), e.state(), e.note(), e.outcome(),
                    e.evidence(), e.documents().isEmpty() ? null : e.documents());
        }
    }

    /** Parses the list filters, refusing bad values clearly (400). */
    public static DiscrepancyQueries.Filter filter(String rule, String severity, String state, String org,
                                                   String manufacturer, String serial, String from, String to) {
        if (notEmpty(rule) && !DiscrepancyEngine.RULES.contains(rule) && !EnvelopeParser.SLUG.matcher(rule).matches()) {
            throw bad("rule", "rule must be a rule id such as short-receipt");
        }
        if (notEmpty(severity) && !Finding.SEVERITIES.contains(severity)) {
            throw bad("severity", "severity must be one of " + String.join(", ", Finding.SEVERITIES));
        }
        if (notEmpty(state) && !DiscrepancyQueries.STATES.contains(state) && !"unresolved".equals(state)) {
            throw bad("state", "state must be one of " + String.join(", ", DiscrepancyQueries.STATES)
                    + " or unresolved");
        }
        if (notEmpty(org) && !EnvelopeParser.SLUG.matcher(org).matches()) {
            throw bad("org", "org must be an organisation id");
        }
        UnitKey unit = null;
        if (notEmpty(manufacturer) || notEmpty(serial)) {
            if (!notEmpty(manufacturer) || !notEmpty(serial) || !EnvelopeParser.SLUG.matcher(manufacturer).matches()
                    || !UnitKey.SERIAL.matcher(serial).matches()) {
                throw bad("serial", "filter by unit with both manufacturer and serial");
            }
            unit = new UnitKey(manufacturer, serial);
        }
        return new DiscrepancyQueries.Filter(emptyToNull(rule), emptyToNull(severity), emptyToNull(state),
                emptyToNull(org), unit, time(from, "from"), time(to, "to"));
    }

    private static Instant time(String s, String name) {
        if (!notEmpty(s)) {
            return null;
        }
        try {
            return s.length() == 10 ? java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw bad(name, name + " must be a date (2026-11-27) or an RFC 3339 UTC time, not \"" + s + "\"");
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String emptyToNull(String s) {
        return notEmpty(s) ? s : null;
    }

    static LedgerException bad(String parameter, String detail) {
        return new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter", detail,
                Map.of("parameter", parameter), null);
    }

    static UUID id(String id) {
        try {
            UUID u = UUID.fromString(id);
            if (u.toString().equals(id)) {
                return u;
            }
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw notFound(id);
    }

    static LedgerException notFound(String id) {
        return new LedgerException(LedgerException.Kind.NOT_FOUND, "discrepancy-not-found", "No such discrepancy",
                "No discrepancy " + id + " that you may see");
    }

    @GET
        @Operation(operationId = "listDiscrepancies", summary = "Findings you may see, newest first, filtered, with cursor pagination")
    public Views.Page<DiscrepancyView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                            @QueryParam("rule") String rule, @QueryParam("severity") String severity,
                                            @QueryParam("state") String state, @QueryParam("org") String org,
                                            @QueryParam("manufacturer") String manufacturer,
                                            @QueryParam("serial") String serial, @QueryParam("from") String from,
                                            @QueryParam("to") String to, @QueryParam("after") String after,
                                            @QueryParam("limit") String limit) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        DiscrepancyQueries.Filter f = filter(rule, severity, state, org, manufacturer, serial, from, to);
        int n = Paging.limit(limit, 100, MAX_PAGE);
        long cursor = Paging.indexCursor(after);
        List<DiscrepancyQueries.Discrepancy> rows = findings.list(caller.visibility(), f, cursor < 0 ? null : cursor,
                n + 1);
        List<DiscrepancyView> items = rows.subList(0, Math.min(n, rows.size())).stream()
                .map(d -> DiscrepancyView.from(d, null)).toList();
        String next = rows.size() > n ? Long.toString(rows.get(n - 1).openedIdx()) : null;
        return new Views.Page<>(items, next);
    }

    @GET
    @Path("export")
    @Produces("text/csv")
    @Operation(operationId = "exportDiscrepancies", summary = "The filtered findings as CSV (same filters as the list, up to 50,000 rows)")
    public Response export(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @QueryParam("rule") String rule, @QueryParam("severity") String severity,
                           @QueryParam("state") String state, @QueryParam("org") String org,
                           @QueryParam("manufacturer") String manufacturer, @QueryParam("serial") String serial,
                           @QueryParam("from") String from, @QueryParam("to") String to) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        DiscrepancyQueries.Filter f = filter(rule, severity, state, org, manufacturer, serial, from, to);
        String csv = csv(findings.list(caller.visibility(), f, null, MAX_EXPORT));
        return Response.ok(csv, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"discrepancies.csv\"").build();
    }

    public static final List<String> CSV_HEADER = List.of("id", "opened_at", "opened_index", "rule", "severity",
            "state", "outcome", "units", "orgs", "evidence", "summary");

    /** The CSV export (also the web UI's). */
    public static String csv(List<DiscrepancyQueries.Discrepancy> rows) {
        StringBuilder b = new StringBuilder(Csv.line(CSV_HEADER));
        for (DiscrepancyQueries.Discrepancy d : rows) {
            b.append(Csv.line(List.of(d.id().toString(), d.openedAt().toString(), Long.toString(d.openedIdx()),
                    d.rule(), d.severity(), d.state(), d.outcome() == null ? "" : d.outcome(),
                    String.join(" ", d.units().stream().map(UnitKey::toString).toList()), String.join(" ", d.orgs()),
                    String.join(" ", d.evidence().stream().map(String::valueOf).toList()), d.summary())));
        }
        return b.toString();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getDiscrepancy", summary = "One finding with its history (every open, note and resolve entry)")
    public DiscrepancyView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("id") String id) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        UUID u = id(id);
        Findings.FindingHistory h = findings.withHistory(caller.visibility(), u).orElseThrow(() -> notFound(id));
        return DiscrepancyView.from(h.finding(), h.events());
    }

    @Inject
    Documents documents;

    @jakarta.ws.rs.POST
    @Path("{id}/documents")
    @jakarta.ws.rs.Consumes(MediaType.WILDCARD)
    @Operation(operationId = "uploadDiscrepancyDocument", summary = "Store a document offered as evidence (at most 10 MiB); attach it with a discrepancy.note "
            + "whose documents item quotes the name, sha256 and size this answers")
    @APIResponse(responseCode = "201", description = "Stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Documents.Stored.class)))
    public Response upload(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
                           @QueryParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
                           byte[] body) {
        Caller caller = auth.caller(authorization).require(Caller.WRITE);
        UUID u = id(id);
        findings.get(caller.visibility(), u).orElseThrow(() -> notFound(id));
        if (name == null || name.isBlank()) {
            throw bad("name", "name the document: ?name=customs-release.pdf");
        }
        if (body == null || body.length == 0 || body.length > Documents.MAX_BYTES) {
            throw new LedgerException(LedgerException.Kind.RULE, "invalid-document", "Invalid document",
                    "A document has 1 byte to 10 MiB; this one has " + (body == null ? 0 : body.length) + " bytes",
                    Map.of(), null);
        }
        var stored = ledger.read(c -> documents.store(u, name, type, body,
                caller.isOperator() ? "operator" : caller.org()));
        return Response.status(201).entity(stored).build();
    }

    @GET
    @Path("{id}/documents/{sha256}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(operationId = "getDiscrepancyDocument", summary = "A document stored for the finding, by its SHA-256 (downloaded, never shown inline)")
    public Response download(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
                             @PathParam("sha256") String sha256) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        UUID u = id(id);
        findings.get(caller.visibility(), u).orElseThrow(() -> notFound(id));
        var content = findings.document(caller.visibility(), u, sha256).orElseThrow(() -> new LedgerException(LedgerException.Kind.NOT_FOUND, "document-not-found",
                "No such document", "No document " + sha256 + " stored for discrepancy " + id));
        return attachment(content);
    }

    /** A stored document as a download: never rendered by the browser (no sniffing, attachment). */
    public static Response attachment(Documents.Content content) {
        return Response.ok(content.bytes(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + content.document().name()
                        .replaceAll("[^A-Za-z0-9._ -]", "_") + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Fabtrail-Sha256", content.document().sha256()).build();
    }

    @JsonPropertyOrder({"discrepancy", "checkpoint", "logKey", "entries"})
    public record Report(DiscrepancyView discrepancy, String checkpoint, String logKey, List<ReportEntry> entries) {
    }

    /** An entry of the report: the evidence and the finding's own entries, each with its proof. */
    @JsonPropertyOrder({"index", "role", "leaf", "leafHash", "inclusionProof"})
    public record ReportEntry(long index, String role, String leaf, String leafHash, List<String> inclusionProof) {
    }

    @GET
    @Path("{id}/report")
    @Operation(operationId = "getDiscrepancyReport", summary = "The report a regulator files: the finding, its history, and the evidence and history "
            + "entries as leaf bytes with inclusion proofs against one checkpoint")
    public Report report(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        UUID u = id(id);
        return report(caller.visibility(), u).orElseThrow(() -> notFound(id));
    }

    @Inject
    CheckpointSigner signer;
    @Inject
    CosignedCheckpoints cosigned;

    /** The report (also the web UI's printable page). */
    public java.util.Optional<Report> report(Visibility v, UUID id) {
        var found = findings.withHistory(v, id);
        if (found.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<DiscrepancyQueries.Event> events = found.get().events();
        LedgerStore.StoredCheckpoint cp = log.latestCheckpoint();
        java.util.Map<Long, String> roles = new java.util.LinkedHashMap<>();
        for (long idx : found.get().finding().evidence()) {
            roles.putIfAbsent(idx, "evidence");
        }
        for (DiscrepancyQueries.Event e : events) {
            roles.putIfAbsent(e.index(), e.kind());
        }
        List<Long> indexes = roles.keySet().stream().filter(i -> i < cp.treeSize()).toList();
        // The newest checkpoint that meets the witness policy, with its cosignatures, when it covers all the entries.
        var witnessed = cosigned.newest().filter(w -> UnitBundles.covers(w, indexes,
                cp.treeSize()));
        String note = witnessed.map(w -> w.note()).orElse(cp.note());
        long size = witnessed.map(w -> w.treeSize()).orElse(cp.treeSize());
        List<ReportEntry> entries = new ArrayList<>();
        for (UnitBundles.Entry e : log.proven(indexes, size)) {
            entries.add(new ReportEntry(e.index(), roles.get(e.index()),
                    java.util.Base64.getEncoder().encodeToString(e.leaf()), HexFormat.of().formatHex(e.leafHash()),
                    e.inclusionProof().stream().map(HexFormat.of()::formatHex).toList()));
        }
        return java.util.Optional.of(new Report(DiscrepancyView.from(found.get().finding(), events), note, signer.vkey(),
                entries));
    }
}
