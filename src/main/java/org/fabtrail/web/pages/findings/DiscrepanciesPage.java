package org.fabtrail.web.pages.findings;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.DiscrepanciesResource;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Visibility;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.DiscrepancyQueries;
import org.fabtrail.discrepancy.Finding;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.web.Cursors;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.FindingMessages;
import org.fabtrail.web.Forms;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.WebPage;
import org.fabtrail.web.drawing.DiscrepancyTrendSvg;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The discrepancy dashboard: filters (a GET form), counts of the filtered findings by rule, severity, state and
 * organisation (each a link that adds its filter), the trend of the last 30 days as a server-rendered SVG with a table,
 * the filtered list newest first with an "Older" cursor, and the same list as CSV. Everyone signed in sees it, with
 * the API's visibility: inspectors, regulators and the operator see every finding; an organisation those naming it.
 */
@SignedIn
@Path("/discrepancies")
public class DiscrepanciesPage extends WebPage {

    static final int PAGE = 50;
    static final int TREND_DAYS = 30;

    /** The filters as the form submits them (empty strings for "any"). */
    public record FilterForm(String rule, String severity, String state, String org, String unit, String from,
                             String to) {
        static FilterForm of(String rule, String severity, String state, String org, String unit, String from,
                             String to) {
            return new FilterForm(clean(rule), clean(severity), clean(state), clean(org), clean(unit), clean(from),
                    clean(to));
        }

        private static String clean(String s) {
            return s == null ? "" : s.trim();
        }

        Map<String, String> params() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("rule", rule);
            m.put("severity", severity);
            m.put("state", state);
            m.put("org", org);
            m.put("unit", unit);
            m.put("from", from);
            m.put("to", to);
            return m;
        }

        /** The query string of these filters with one changed (empty drops it), without a leading '?'. */
        String query(String key, String value) {
            Map<String, String> m = params();
            if (key != null) {
                m.put(key, value == null ? "" : value);
            }
            StringBuilder b = new StringBuilder();
            m.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    b.append(b.length() == 0 ? "" : "&").append(k).append('=')
                            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            });
            return b.toString();
        }

        public String query() {
            return query(null, null);
        }

        public boolean any() {
            return !query().isEmpty();
        }
    }

    /** One count of the dashboard: a value, how many filtered findings have it, and the link adding its filter. */
    public record Count(String value, long count, String href, boolean active) {
    }

    /** One group of counts (by rule, by severity, ...). */
    public record Counts(String title, String key, List<Count> counts) {
    }

    /** The dashboard. */
    public record Dashboard(FilterForm f, List<Counts> counts, long total, String trendSvg,
                            List<DiscrepancyQueries.Day> trend, List<DiscrepancyQueries.Discrepancy> items,
                            String older, String newest, String csv, Map<String, String> errors, List<String> rules,
                            List<String> severities, List<String> states) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(Viewer viewer, Dashboard m);
    }

    @Inject
    Clock clock;

    /** The filter the API would use, or the refusal (a field and its message). */
    static DiscrepancyQueries.Filter filter(FilterForm f) {
        String manufacturer = null;
        String serial = null;
        if (!f.unit().isEmpty()) {
            Optional<UnitKey> k = Forms.unitRef(f.unit());
            if (k.isEmpty()) {
                throw new LedgerException(LedgerException.Kind.MALFORMED, "invalid-parameter", "Invalid parameter",
                        "unit must be manufacturer/serial, such as acme-fab/GH200-0001", Map.of("parameter", "unit"),
                        null);
            }
            manufacturer = k.get().manufacturer();
            serial = k.get().serial();
        }
        return DiscrepanciesResource.filter(f.rule(), f.severity(), f.state(), f.org(), manufacturer, serial,
                f.from(), f.to());
    }

    static Map<String, String> filterError(LedgerException e) {
        Object p = e.details().get("parameter");
        String field = p instanceof String s ? ("serial".equals(s) ? "unit" : s) : Forms.FORM;
        return Map.of(field, Forms.shown(e));
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response dashboard(@QueryParam("rule") String rule,
                              @QueryParam("severity") String severity, @QueryParam("state") String state,
                              @QueryParam("org") String org, @QueryParam("unit") String unit,
                              @QueryParam("from") String from, @QueryParam("to") String to,
                              @QueryParam("before") String before) {
        FilterForm f = FilterForm.of(rule, severity, state, org, unit, from, to);
        return filtered(f,
                (v, filter) -> Response.ok(Templates.dashboard(v, dashboard(v, f, filter, Cursors.index(before))))
                        .build(),
                (v, e) -> Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                        .entity(Templates.dashboard(v, refused(f, e))).build());
    }

    /** The dashboard of a filter the API refuses: nothing listed, the refusal on its field. */
    private static Dashboard refused(FilterForm f, LedgerException e) {
        return new Dashboard(f, List.of(), 0, DiscrepancyTrendSvg.render(List.of()), List.of(), List.of(), null, null,
                null, filterError(e), DiscrepancyEngine.RULES, Finding.SEVERITIES, stateOptions());
    }

    /** The viewer and the filter the form asks for to {@code then}; a filter the API refuses to {@code refused}. */
    private Response filtered(FilterForm f, BiFunction<Viewer, DiscrepancyQueries.Filter, Response> then,
                              BiFunction<Viewer, LedgerException, Response> refused) {
        Viewer v = viewer.get();
        DiscrepancyQueries.Filter filter;
        try {
            filter = filter(f);
        } catch (LedgerException e) {
            return refused.apply(v, e);
        }
        return then.apply(v, filter);
    }

    private Dashboard dashboard(Viewer v, FilterForm f, DiscrepancyQueries.Filter filter, Long before) {
        Visibility seen = v.visibility();
        List<Counts> counts = new ArrayList<>();
        long total = 0;
        FindingMessages t = Texts.of(FindingMessages.class);
        for (String[] group : new String[][]{{"state", t.group_state()}, {"severity", t.group_severity()},
                {"rule", t.group_rule()}, {"org", t.group_org()}}) {
            Map<String, Long> by = pages.findings.countBy(seen, filter, group[0]);
            List<Count> list = new ArrayList<>();
            String current = f.params().get(group[0]);
            by.forEach((value, n) -> list.add(new Count(value, n, "/discrepancies?" + f.query(group[0], value),
                    value.equals(current))));
            if ("state".equals(group[0])) {
                total = by.values().stream().mapToLong(Long::longValue).sum();
            }
            counts.add(new Counts(group[1], group[0], list));
        }
        List<DiscrepancyQueries.Day> trend = pages.findings.trend(seen, filter, TREND_DAYS, clock.instant());
        List<DiscrepancyQueries.Discrepancy> rows = pages.findings.list(seen, filter, before, PAGE + 1);
        String base = "/discrepancies?" + f.query();
        String older = rows.size() > PAGE ? base + (f.any() ? "&" : "") + "before=" + rows.get(PAGE - 1).openedIdx()
                : null;
        String newest = before == null ? null : base;
        return new Dashboard(f, counts, total, DiscrepancyTrendSvg.render(trend), trend,
                rows.subList(0, Math.min(PAGE, rows.size())), older, newest,
                "/discrepancies/export.csv" + (f.any() ? "?" + f.query() : ""), Map.of(), DiscrepancyEngine.RULES,
                Finding.SEVERITIES, stateOptions());
    }

    static List<String> stateOptions() {
        List<String> out = new ArrayList<>(List.of("unresolved"));
        out.addAll(DiscrepancyQueries.STATES);
        return out;
    }

    /** The filtered list as CSV (the API's export format), up to the API's export limit. */
    @GET
    @Path("export.csv")
    @Produces({"text/csv", MediaType.TEXT_HTML})
    public Response export(@QueryParam("rule") String rule,
                           @QueryParam("severity") String severity, @QueryParam("state") String state,
                           @QueryParam("org") String org, @QueryParam("unit") String unit,
                           @QueryParam("from") String from, @QueryParam("to") String to) {
        return filtered(FilterForm.of(rule, severity, state, org, unit, from, to), (v, filter) -> {
            String csv = DiscrepanciesResource.csv(pages.findings.list(v.visibility(), filter, null,
                    DiscrepanciesResource.MAX_EXPORT));
            return Response.ok(csv, "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"discrepancies.csv\"").build();
        }, ErrorPage::of);
    }
}
