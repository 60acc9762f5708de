package org.fabtrail.web.pages.transfers;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.ProblemMappers;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.DispatchPayload;
import org.fabtrail.custody.Organisations;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.Cursors;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.FormPage;
import org.fabtrail.web.Forms;
import org.fabtrail.web.InOrg;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dispatch: the custodian sends units it holds at one of its sites to another organisation's site. The units are
 * ticked from the list of what may move from that site (a page at a time) or typed, one reference per line. The
 * receiver is chosen once, as one organisation's site ({@code receiver=org/site}); only when there are too many sites
 * to list is the organisation chosen from a list and the site typed ({@code to}, {@code toSite}). A GET step chooses
 * the site the units leave from. The licence's terms (valid until, destinations) are stated with its reference.
 */
@InOrg
@Path("/dispatch")
@Produces(MediaType.TEXT_HTML)
public class DispatchPage extends FormPage {

    static final int PAGE = 100;
    /** Beyond this many sites in all, the receiver site is typed unless an organisation is chosen first. */
    static final int MAX_SITE_CHOICES = 500;

    /** What the form holds: the sender's site, the receiver, the shipment details, and the units chosen. */
    public record DispatchForm(String site, String to, String toSite, String licenceRef, String carrier,
                               String shipmentRef, String expectedArrival, Set<String> ticked, String typed,
                               String licenceValidUntil, String licenceCountries) {
        public String units() {
            StringBuilder q = new StringBuilder();
            for (String t : ticked) {
                q.append("&unit=").append(URLEncoder.encode(t, StandardCharsets.UTF_8));
            }
            return q.toString();
        }
    }

    /** A receiving organisation and the sites it may receive at. */
    public record Destination(String org, String name, List<CustodyQueries.SiteRecord> sites) {
    }

    /** Everything the page lists: the viewer's sites, what may move from the chosen one, and the destinations. */
    public record Choices(List<CustodyQueries.SiteRecord> ownSites, List<CustodyQueries.UnitRecord> movable,
                          String next, boolean firstPage, List<CustodyQueries.OrgRecord> orgs,
                          List<Destination> destinations, boolean typeSite) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dispatch(Viewer viewer, DispatchForm form, Choices choices,
                                                Map<String, String> errors);
    }

    @GET
    public Response form(@QueryParam("site") String site,
                         @QueryParam("to") String to, @QueryParam("after") String after,
                         @QueryParam("unit") List<String> units) {
        Viewer v = viewer.get();
        DispatchForm form = new DispatchForm(Forms.orEmpty(site), Forms.orEmpty(to), "", "", "", "", "",
                new LinkedHashSet<>(units == null ? List.of() : units), "", "", "");
        Choices choices = choices(v, form, Cursors.unit(after).orElse(null));
        if (form.site().isEmpty() && !choices.ownSites().isEmpty()) {
            form = new DispatchForm(defaultSite(v, choices), form.to(), "", "", "", "", "", form.ticked(), "", "", "");
            choices = choices(v, form, null);
        }
        return Response.ok(Templates.dispatch(v, form, choices, Map.of())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response dispatch(@FormParam("site") String site, @FormParam("unit") List<String> units,
                             @FormParam("serials") String typed, @FormParam("to") String to,
                             @FormParam("toSite") String toSite, @FormParam("licenceRef") String licenceRef,
                             @FormParam("carrier") String carrier, @FormParam("shipmentRef") String shipmentRef,
                             @FormParam("expectedArrival") String expectedArrival, @FormParam("receiver") String receiver,
                             @FormParam("licenceValidUntil") String licenceValidUntil,
                             @FormParam("licenceCountries") String licenceCountries) {
        Viewer v = viewer.get();
        Map<String, String> errors = new LinkedHashMap<>();
        if (receiver != null && !receiver.isBlank()) {
            int slash = receiver.indexOf('/');
            if (slash < 0) {
                errors.put("toSite", Texts.of(FormMessages.class).dispatch_choose_site_from_list());
            } else {
                to = receiver.substring(0, slash);
                toSite = receiver.substring(slash + 1);
            }
        }
        DispatchForm form = new DispatchForm(Forms.orEmpty(site), Forms.orEmpty(to), Forms.orEmpty(toSite).trim(),
                Forms.orEmpty(licenceRef).trim(), Forms.orEmpty(carrier).trim(), Forms.orEmpty(shipmentRef).trim(),
                Forms.orEmpty(expectedArrival).trim(), new LinkedHashSet<>(units == null ? List.of() : units),
                Forms.orEmpty(typed), Forms.orEmpty(licenceValidUntil).trim(), Forms.orEmpty(licenceCountries).trim());
        List<UnitKey> keys = units(v, form, errors);
        DispatchPayload payload = payload(form, keys, errors);
        int status = 422;
        if (errors.isEmpty()) {
            try {
                Envelope e = forms.sign(v, "transfer.dispatch", payload);
                Receipt r = forms.write(e);
                return Forms.done("/transfers/" + e.id(), r);
            } catch (LedgerException e) {
                status = ProblemMappers.status(e.kind());
                errors = "unknown-org".equals(e.code()) ? Map.of("to", Forms.shown(e)) : Forms.errors(e, Map.of(), "units");
            }
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.dispatch(v, form, choices(v, form, null), errors)).build();
    }

    /** The entry the form asks for, its own checks' errors in {@code errors} (then what it returns is not written). */
    private static DispatchPayload payload(DispatchForm form, List<UnitKey> keys, Map<String, String> errors) {
        FormMessages t = Texts.of(FormMessages.class);
        if (keys.isEmpty() && errors.isEmpty()) {
            errors.put("units", t.dispatch_no_units());
        }
        if (form.to().isEmpty()) {
            errors.put("to", t.dispatch_choose_receiver());
        }
        if (form.toSite().isEmpty()) {
            errors.putIfAbsent("toSite", t.dispatch_choose_site());
        }
        String arrival = null;
        if (!form.expectedArrival().isEmpty()) {
            arrival = utc(form.expectedArrival());
            if (arrival == null) {
                errors.put("expectedArrival", t.dispatch_bad_arrival());
            }
        }
        String validUntil = null;
        if (!form.licenceValidUntil().isEmpty()) {
            validUntil = form.licenceValidUntil().matches("\\d{4}-\\d{2}-\\d{2}")
                    ? utc(form.licenceValidUntil() + "T23:59:59") : utc(form.licenceValidUntil());
            if (validUntil == null) {
                errors.put("licenceValidUntil", t.dispatch_bad_licence_date());
            }
        }
        List<String> countries = countries(form.licenceCountries());
        if (countries == null) {
            errors.put("licenceCountries", t.dispatch_bad_countries());
        }
        return new DispatchPayload(keys, form.to(), form.toSite(), Forms.value(form.carrier()),
                Forms.value(form.shipmentRef()), Forms.value(form.licenceRef()), instant(arrival), instant(validUntil),
                countries == null || countries.isEmpty() ? null : countries);
    }

    /** The ticked and typed units; a typed serial without a manufacturer must name one unit the viewer may move. */
    private List<UnitKey> units(Viewer v, DispatchForm form, Map<String, String> errors) {
        Set<UnitKey> out = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (String t : form.ticked()) {
            Forms.unitRef(t).ifPresentOrElse(out::add, () -> bad.add(t));
        }
        for (String line : form.typed().split("[\\r\\n,;]+")) {
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.contains("/")) {
                Forms.unitRef(t).ifPresentOrElse(out::add, () -> bad.add(t));
                continue;
            }
            if (!UnitKey.SERIAL.matcher(t).matches()) {
                bad.add(t);
                continue;
            }
            List<UnitKey> held = pages.units.heldWithSerial(v.org(), t);
            if (held.size() == 1) {
                out.add(held.get(0));
            } else {
                errors.put("units", held.isEmpty() ? Texts.of(FormMessages.class).dispatch_no_such_serial(v.org(), t)
                        : Texts.of(FormMessages.class).dispatch_several_serials(t, v.org()));
            }
        }
        if (!bad.isEmpty()) {
            errors.put("units", Texts.of(FormMessages.class).dispatch_not_refs(String.join(", ", bad)));
        }
        return new ArrayList<>(out);
    }

    /** Country codes separated by spaces, commas or semicolons, upper-cased; null when one is not two letters. */
    static List<String> countries(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : text.split("[\\s,;]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!part.matches("[A-Za-z]{2}")) {
                return null;
            }
            out.add(part.toUpperCase(java.util.Locale.ROOT));
        }
        return out.size() > 300 ? null : List.copyOf(out);
    }

    private static Instant instant(String utc) {
        return utc == null ? null : Instant.parse(utc);
    }

    /** A date, a date and time (UTC, as a datetime-local input sends it), or RFC 3339 UTC, as RFC 3339 UTC. */
    static String utc(String text) {
        try {
            if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
            }
            if (text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?")) {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toString();
            }
            if (text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z")) {
                return java.time.Instant.parse(text).toString();
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }

    private String defaultSite(Viewer v, Choices choices) {
        for (CustodyQueries.SiteRecord s : choices.ownSites()) {
            if (!pages.units.movable(v.org(), s.id(), null, 1).isEmpty()) {
                return s.id();
            }
        }
        return choices.ownSites().get(0).id();
    }

    Choices choices(Viewer v, DispatchForm form, UnitKey after) {
        List<CustodyQueries.SiteRecord> own = pages.registry.sites(v.org());
        List<CustodyQueries.UnitRecord> movable = List.of();
        String next = null;
        if (!form.site().isEmpty()) {
            List<CustodyQueries.UnitRecord> rows = pages.units.movable(v.org(), form.site(), after, PAGE + 1);
            movable = rows.subList(0, Math.min(PAGE, rows.size()));
            next = rows.size() > PAGE ? Cursors.unit(movable.get(PAGE - 1).key()) : null;
        }
        List<CustodyQueries.OrgRecord> orgs = organisations(pages.registry);
        List<Destination> destinations = destinations(pages.registry, orgs, form.to());
        return new Choices(own, movable, next, after == null, orgs,
                destinations == null ? List.of() : destinations, destinations == null);
    }

    /** The registered organisations that hold and receive units (all but the log operator), in id order. */
    public static List<CustodyQueries.OrgRecord> organisations(Organisations registry) {
        return registry.all().stream().filter(o -> !"operator".equals(o.id())).toList();
    }

    /**
     * The organisations' sites to choose from (only {@code only}'s, unless it is empty); null when there are more
     * than {@link #MAX_SITE_CHOICES}, so that the form asks for a typed site id instead of a list too long to use.
     */
    public static List<Destination> destinations(Organisations registry, List<CustodyQueries.OrgRecord> orgs,
                                          String only) {
        List<Destination> destinations = new ArrayList<>();
        int siteCount = 0;
        for (CustodyQueries.OrgRecord o : orgs) {
            if (only != null && !only.isEmpty() && !only.equals(o.id())) {
                continue;
            }
            List<CustodyQueries.SiteRecord> sites = registry.sites(o.id());
            siteCount += sites.size();
            if (siteCount > MAX_SITE_CHOICES) {
                return null;
            }
            destinations.add(new Destination(o.id(), o.name(), sites));
        }
        return destinations;
    }
}
