package org.fabtrail.web.pages.units;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.fabtrail.api.ProblemMappers;
import org.fabtrail.attestation.AttestationReasons;
import org.fabtrail.attestation.Attestations;
import org.fabtrail.attestation.Challenges;
import org.fabtrail.attestation.DeviceIdentity;
import org.fabtrail.attestation.Inspection;
import org.fabtrail.attestation.Verdicts;
import org.fabtrail.crypto.JsonFormatException;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.Operator;
import org.fabtrail.custody.Units;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.EntryLine;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.Inspector;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.WebPage;
import org.fabtrail.web.drawing.QrSvg;
import org.fabtrail.web.pages.orgs.OrgPage;
import org.fabtrail.web.pages.transfers.DispatchPage;
import org.fabtrail.web.signing.UiSubmit;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inspector's view, sized for a phone: look a unit up by serial (or manufacturer/serial, or a scanned QR code),
 * see where the ledger says it should be and who should hold it, and record what was found as a {@code unit.inspect}
 * entry signed as the inspector's organisation. Only inspector and regulator organisations (and the operator's
 * staff) may use it.
 *
 * <p>Checking the device: the inspector asks the ledger for a challenge (bound to the unit and the inspector's
 * organisation), has the device sign it (its vendor tool, or the device simulator in a demo), pastes the answer,
 * sees each check pass or fail ({@link Attestations#verify}, nothing written yet), and records the inspection with
 * the attestation and the verdict in it.
 */
@Inspector("refusal_inspect")
@Path("/inspect")
@Produces(MediaType.TEXT_HTML)
public class InspectPage extends WebPage {

    private static final Pattern REF = Pattern.compile("([a-z0-9][a-z0-9-]{0,62})/([A-Za-z0-9._-]{1,64})\\s*$");
    static final int MAX_NOTES = 2000;
    static final int RECENT_INSPECTIONS = 5;

    /** Where the ledger says the unit is, and what the form shows. */
    public record InspectModel(CustodyQueries.UnitRecord unit, CustodyQueries.OrgRecord custodian,
                               CustodyQueries.SiteRecord site, CustodyQueries.TransferRecord pending,
                               CustodyQueries.SiteRecord pendingSite, List<UnitKey> components,
                               List<EntryLine> inspections, Long recorded, Map<String, String> form,
                               Map<String, String> errors, String error, DeviceIdentity.Description certificate,
                               Device device, UnitAlert alert, Places places) {
    }

    /**
     * What the found-at and held-by fields offer: every organisation's sites (null when there are too many to list, and
     * the ids are typed) and the organisations, with the ledger's expected values marked.
     *
     * @param custodian    the organisation the ledger says holds the unit
     * @param site         the site the ledger says it is at
     * @param goingTo      the organisation it is in transit to, if any
     * @param goingToSite  that organisation's site
     */
    public record Places(List<DispatchPage.Destination> sites, List<CustodyQueries.OrgRecord> orgs, String custodian,
                         String site, String goingTo, String goingToSite) {
        public boolean typed() {
            return sites == null;
        }

        /** Whether org/site is where the ledger says the unit is, or where it is being sent. */
        public String expectation(String org, String id) {
            if (org.equals(custodian) && id.equals(site)) {
                return "expected: the ledger's site";
            }
            return org.equals(goingTo) && id.equals(goingToSite) ? "expected: in transit to it" : null;
        }
    }

    /**
     * The device check under way: the challenge, the answer pasted (its text, kept in the form), and the outcome.
     *
     * @param command the device simulator's command line for this challenge, shown by a demo only (null otherwise)
     */
    public record Device(Challenges.Challenge challenge, String challenge64, String command,
                         String response, String responseError, Attestations.Outcome outcome, List<CheckLine> checks) {
        public boolean passed() {
            return outcome != null && outcome.verdict().passed();
        }

        public boolean expired(Instant now) {
            return now.isAfter(challenge.expiresAt());
        }

        /** The challenge as a QR code (SVG): it carries exactly the text of the page's challenge, base64. */
        public String challengeQr() {
            return QrSvg.svg(challenge64, Texts.of(FormMessages.class).device_qr_label(challenge64), "challenge-qr");
        }
    }

    /** One check as the result page lists it, with what each failure means. */
    public record CheckLine(String name, String title, String status, List<String> reasons) {
        public boolean ok() {
            return "pass".equals(status);
        }

        public boolean skipped() {
            return "skipped".equals(status);
        }

        /** Passes, but reports something (a stale CRL under the flag policy). */
        public boolean flagged() {
            return Attestations.FLAGGED.equals(status);
        }

        public String explained() {
            return String.join("; ", reasons.stream().map(r -> r + ": " + Texts.forCode(FormMessages.class, "reason_", r)
                    .orElseGet(() -> AttestationReasons.describe(r))).toList());
        }
    }

    /** What a device check's step checks ({@link AttestationReasons#CHECKS}), in the viewer's language. */
    private static String checkTitle(String check) {
        FormMessages t = Texts.of(FormMessages.class);
        return switch (check) {
            case "challenge" -> t.check_challenge();
            case "certificate" -> t.check_certificate();
            case "chain" -> t.check_chain();
            case "revocation" -> t.check_revocation();
            case "signature" -> t.check_signature();
            default -> check;
        };
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(Viewer viewer, String q, List<UnitKey> matches, boolean searched);

        static native TemplateInstance unit(Viewer viewer, InspectModel m);

        static native TemplateInstance device(Viewer viewer, InspectModel m, Device d, boolean expired);
    }

    @Inject
    UiSubmit submit;
    @Inject
    DeviceIdentity devices;
    @Inject
    Verdicts verdicts;
    @Inject
    Challenges challenges;
    @Inject
    Clock clock;
    /** A demo shows the device simulator's command line next to the challenge; inspectors elsewhere never see it. */
    @ConfigProperty(name = "fabtrail.demo", defaultValue = "false")
    boolean demo;

    @GET
    public Response search(@QueryParam("q") String q) {
        Viewer v = viewer.get();
        String query = q == null ? "" : q.trim();
        if (query.isEmpty()) {
            return Response.ok(Templates.search(v, "", List.of(), false)).build();
        }
        Matcher m = REF.matcher(query);
        if (m.find()) {
            return Web.redirect("/inspect/" + m.group(1) + "/" + m.group(2));
        }
        List<UnitKey> matches = UnitKey.SERIAL.matcher(query).matches()
                ? pages.units.bySerial(v.visibility(), query) : List.of();
        if (matches.size() == 1) {
            return Web.redirect("/inspect/" + matches.get(0).manufacturer() + "/" + matches.get(0).serial());
        }
        return Response.status(matches.isEmpty() ? 404 : 200).entity(Templates.search(v, query, matches, true)).build();
    }

    @GET
    @Path("{manufacturer}/{serial}")
    public Response unit(@PathParam("manufacturer") String manufacturer,
                         @PathParam("serial") String serial, @QueryParam("recorded") String recorded) {
        Viewer v = viewer.get();
        long index = OrgPage.parseIndex(recorded);
        Optional<InspectModel> m = model(v, manufacturer, serial, index < 0 ? null : index, null, Map.of(), null, null);
        if (m.isEmpty()) {
            return ErrorPage.notFound(v, Texts.of(FormMessages.class).no_unit(manufacturer + "/" + serial));
        }
        return Response.ok(Templates.unit(v, m.get())).build();
    }

    @POST
    @Path("{manufacturer}/{serial}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response record(@PathParam("manufacturer") String manufacturer,
                           @PathParam("serial") String serial, @FormParam("result") String result, @FormParam("siteOrg") String siteOrg,
                           @FormParam("site") String site, @FormParam("custodian") String custodian,
                           @FormParam("notes") String notes, @FormParam("challengeId") String challengeId,
                           @FormParam("response") String response, @FormParam("components") String components,
                           @FormParam("platformCertificate") String platformCertificate,
                           @FormParam("foundAt") String foundAt) {
        String here = "/inspect/" + manufacturer + "/" + serial;
        Viewer v = viewer.get();
        if (foundAt != null) {
            int slash = foundAt.indexOf('/');
            siteOrg = slash < 0 ? foundAt : foundAt.substring(0, slash);
            site = slash < 0 ? "" : foundAt.substring(slash + 1);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("result", blankToEmpty(result));
        form.put("siteOrg", blankToEmpty(siteOrg));
        form.put("site", blankToEmpty(site));
        form.put("custodian", blankToEmpty(custodian));
        form.put("notes", notes == null ? "" : notes);
        form.put("components", components == null ? "" : components);
        form.put("platformCertificate", platformCertificate == null ? "" : platformCertificate);
        Map<String, String> errors = new LinkedHashMap<>(check(form));
        List<UnitKey> found = components(manufacturer, form.get("components"), errors);
        String error = null;
        Device device = null;
        if (challengeId != null && !challengeId.isBlank()) {
            Optional<Challenges.Challenge> ch = ownChallenge(v, manufacturer, serial, challengeId);
            if (ch.isEmpty()) {
                return ErrorPage.notFound(v, Texts.of(FormMessages.class).no_challenge(manufacturer + "/" + serial));
            }
            device = check(v, ch.get(), response);
            if (device.outcome() == null) {
                errors = new LinkedHashMap<>(errors);
                errors.put("response", device.responseError());
            }
        }
        if (errors.isEmpty()) {
            try {
                Receipt r = submit.submit(v, "unit.inspect", inspection(manufacturer, serial, form, found, device));
                return Web.redirect(here + "?recorded=" + r.index());
            } catch (LedgerException e) {
                String field = UiSubmit.field(e);
                if (field != null && form.containsKey(field)) {
                    errors = Map.of(field, e.detail());
                } else {
                    error = e.detail();
                }
                return again(v, manufacturer, serial, form, errors, error, device, ProblemMappers.status(e.kind()));
            }
        }
        return again(v, manufacturer, serial, form, errors, null, device, 422);
    }

    /** The unit.inspect payload of a form that passed its checks. */
    private static Inspection inspection(String manufacturer, String serial, Map<String, String> form,
                                         List<UnitKey> found, Device device) {
        String pem = form.get("platformCertificate");
        return new Inspection(new UnitKey(manufacturer, serial),
                form.get("site").isEmpty() ? null : new CustodyState.SiteKey(form.get("siteOrg"), form.get("site")),
                form.get("custodian").isEmpty() ? null : form.get("custodian"), form.get("result"),
                form.get("notes").strip(), found, pem.isBlank() ? null : pem.strip().replace("\r\n", "\n") + "\n",
                device == null ? null : attestation(device.challenge(), device.response()),
                device == null ? null : device.outcome().verdict().toJson());
    }

    /** The form again, with what was wrong: the unit's page, or the device check's when a challenge was answered. */
    private Response again(Viewer v, String manufacturer, String serial, Map<String, String> form, Map<String, String> errors,
                           String error, Device device, int status) {
        Optional<InspectModel> m = model(v, manufacturer, serial, null, form, errors, error, device);
        if (m.isEmpty()) {
            return ErrorPage.notFound(v, Texts.of(FormMessages.class).no_unit(manufacturer + "/" + serial));
        }
        return Response.status(status).entity(device == null ? Templates.unit(v, m.get())
                : Templates.device(v, m.get(), device, device.expired(clock.instant()))).type(MediaType.TEXT_HTML).build();
    }

    @POST
    @Path("{manufacturer}/{serial}/challenge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response challenge(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial) {
        String here = "/inspect/" + manufacturer + "/" + serial;
        Viewer v = viewer.get();
        if (!EnvelopeParser.SLUG.matcher(manufacturer).matches() || !UnitKey.SERIAL.matcher(serial).matches()
                || !pages.units.canSee(v.visibility(), new UnitKey(manufacturer, serial))) {
            return ErrorPage.notFound(v, Texts.of(FormMessages.class).no_unit(manufacturer + "/" + serial));
        }
        try {
            Challenges.Challenge ch = challenges.issue(new UnitKey(manufacturer, serial), requester(v));
            return Web.redirect(here + "/device/" + ch.id());
        } catch (SQLException e) {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "database-unavailable", "Database unavailable",
                    "Could not store the challenge; try again shortly", Map.of(), e);
        }
    }

    @GET
    @Path("{manufacturer}/{serial}/device/{challenge}")
    public Response device(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial,
                           @PathParam("challenge") String challengeId) {
        return devicePage(manufacturer, serial, challengeId, null);
    }

    @POST
    @Path("{manufacturer}/{serial}/device/{challenge}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response answer(@PathParam("manufacturer") String manufacturer, @PathParam("serial") String serial,
                           @PathParam("challenge") String challengeId, @FormParam("response") String response) {
        return devicePage(manufacturer, serial, challengeId, response == null ? "" : response);
    }

    /** The challenge and, once an answer is pasted, each check and the form that records the inspection. */
    private Response devicePage(String manufacturer, String serial, String challengeId, String response) {
        String here = "/inspect/" + manufacturer + "/" + serial;
        Viewer v = viewer.get();
        Optional<Challenges.Challenge> ch = ownChallenge(v, manufacturer, serial, challengeId);
        if (ch.isEmpty()) {
            return ErrorPage.notFound(v, Texts.of(FormMessages.class).no_challenge(manufacturer + "/" + serial));
        }
        Device d = response == null ? pending(ch.get()) : check(v, ch.get(), response);
        Optional<InspectModel> m = model(v, manufacturer, serial, null, null, d.responseError() == null ? Map.of()
                : Map.of("response", d.responseError()), null, d);
        if (m.isEmpty()) {
            return ErrorPage.notFound(v, Texts.of(FormMessages.class).no_unit(manufacturer + "/" + serial));
        }
        int status = d.responseError() != null ? 422 : 200;
        return Response.status(status).entity(Templates.device(v, m.get(), d, d.expired(clock.instant())))
                .type(MediaType.TEXT_HTML).build();
    }

    /** The challenge, if it is the viewer's organisation's and for this unit. */
    private Optional<Challenges.Challenge> ownChallenge(Viewer v, String manufacturer, String serial, String id) {
        Optional<UUID> uuid = Web.uuid(id);
        if (uuid.isEmpty()) {
            return Optional.empty();
        }
        try {
            return challenges.find(uuid.get()).filter(c -> c.requester().equals(requester(v))
                    && c.unit().equals(new UnitKey(manufacturer, serial)));
        } catch (SQLException e) {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "database-unavailable", "Database unavailable",
                    "Could not read the challenge; try again shortly", Map.of(), e);
        }
    }

    /** The organisation a challenge is issued to: the viewer's, or the operator's. */
    static String requester(Viewer v) {
        return v.org() == null ? Operator.ID : v.org();
    }

    private Device pending(Challenges.Challenge ch) {
        String c64 = Base64.getEncoder().encodeToString(ch.value());
        String command = !demo ? null : "java -jar quarkus-run.jar device <device key> <device certificate> "
                + ch.unit().manufacturer() + " " + ch.unit().serial() + " " + c64;
        return new Device(ch, c64, command, "", null, null, List.of());
    }

    /** Verifies the pasted answer (nothing is written); the outcome is null when the answer cannot be read. */
    private Device check(Viewer v, Challenges.Challenge ch, String response) {
        Device d = pending(ch);
        String text = response == null ? "" : response.strip();
        String problem;
        Attestations.Outcome outcome = null;
        try {
            Map<String, Object> attestation = attestation(ch, text);
            outcome = verdicts.verify(ch.unit(), requester(v), attestation, clock.instant());
            problem = null;
        } catch (LedgerException e) {
            problem = e.detail();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        List<CheckLine> lines = new ArrayList<>();
        if (outcome != null) {
            for (Attestations.Check c : outcome.checks()) {
                lines.add(new CheckLine(c.name(), checkTitle(c.name()), c.status(), c.reasons()));
            }
        }
        return new Device(ch, d.challenge64(), d.command(), text, problem, outcome, lines);
    }

    /**
     * The attestation object from the device's answer as pasted: {@code {"alg", "chain", "signature"}} as the device
     * simulator prints it (a {@code challengeId} in it must be this challenge's).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> attestation(Challenges.Challenge ch, String response) {
        if (response == null || response.isBlank()) {
            throw new IllegalArgumentException(Texts.of(FormMessages.class).device_paste());
        }
        Object parsed;
        try {
            parsed = StrictJson.parse(response.strip());
        } catch (JsonFormatException e) {
            throw new IllegalArgumentException(Texts.of(FormMessages.class).device_not_json(e.getMessage()));
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(Texts.of(FormMessages.class).device_not_object());
        }
        Map<String, Object> a = new LinkedHashMap<>((Map<String, Object>) m);
        Object id = a.remove("challengeId");
        if (id != null && !ch.id().toString().equals(id)) {
            throw new IllegalArgumentException(Texts.of(FormMessages.class).device_other_challenge(String.valueOf(id)));
        }
        a.put("challengeId", ch.id().toString());
        return a;
    }

    /** Messages for the fields the form got wrong, before anything is signed. */
    /**
     * The components the inspector listed, one per line ({@code serial} of the unit's manufacturer, or
     * {@code manufacturer/serial}); null when none were listed. Bad lines become an error on the field.
     */
    static List<UnitKey> components(String manufacturer, String text, Map<String, String> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<UnitKey> out = new java.util.ArrayList<>();
        java.util.Set<UnitKey> seen = new java.util.HashSet<>();
        List<String> bad = new java.util.ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int slash = line.indexOf('/');
            String man = slash < 0 ? manufacturer : line.substring(0, slash).strip();
            String ser = slash < 0 ? line : line.substring(slash + 1).strip();
            if (!EnvelopeParser.SLUG.matcher(man).matches() || !UnitKey.SERIAL.matcher(ser).matches()) {
                bad.add(line);
            } else if (seen.add(new UnitKey(man, ser))) {
                out.add(new UnitKey(man, ser));
            }
        }
        if (!bad.isEmpty()) {
            errors.put("components", Texts.of(FormMessages.class).inspect_bad_components(String.join(", ", bad)));
        } else if (out.size() > 64) {
            errors.put("components", Texts.of(FormMessages.class).inspect_too_many_components(out.size()));
        }
        return out;
    }

    static Map<String, String> check(Map<String, String> form) {
        FormMessages t = Texts.of(FormMessages.class);
        Map<String, String> errors = new LinkedHashMap<>();
        if (!List.of("consistent", "discrepancy").contains(form.get("result"))) {
            errors.put("result", t.inspect_result());
        }
        String siteOrg = form.get("siteOrg");
        String site = form.get("site");
        if (siteOrg.isEmpty() != site.isEmpty()) {
            errors.put("site", t.inspect_site_both());
        } else if (!site.isEmpty() && (!EnvelopeParser.SLUG.matcher(siteOrg).matches()
                || !EnvelopeParser.SLUG.matcher(site).matches())) {
            errors.put("site", t.inspect_site_ids());
        }
        String custodian = form.get("custodian");
        if (!custodian.isEmpty() && !EnvelopeParser.SLUG.matcher(custodian).matches()) {
            errors.put("custodian", t.inspect_custodian_id());
        }
        String notes = form.get("notes");
        if (notes.isBlank()) {
            errors.put("notes", t.inspect_notes());
        } else if (notes.strip().length() > MAX_NOTES) {
            errors.put("notes", t.inspect_notes_long(MAX_NOTES, notes.strip().length()));
        }
        return errors;
    }

    private Optional<InspectModel> model(Viewer v, String manufacturer, String serial, Long recorded,
                                         Map<String, String> form, Map<String, String> errors, String error,
                                         Device device) {
        if (!EnvelopeParser.SLUG.matcher(manufacturer).matches() || !UnitKey.SERIAL.matcher(serial).matches()) {
            return Optional.empty();
        }
        UnitKey key = new UnitKey(manufacturer, serial);
        Optional<Units.UnitDetail> detail = pages.units.detail(v.visibility(), key);
        if (detail.isEmpty()) {
            return Optional.empty();
        }
        CustodyQueries.UnitRecord u = detail.get().unit();
        CustodyQueries.TransferRecord pending = detail.get().pending();
        List<EntryLine> timeline = new ArrayList<>(pages.units.history(v.visibility(), key).orElseThrow().stream()
                .map(EntryLine::from).toList());
        List<EntryLine> inspections = new ArrayList<>(timeline.stream()
                .filter(line -> "unit.inspect".equals(line.type())).toList());
        Collections.reverse(inspections);
        Map<String, String> values = form != null ? form : Map.of("result", device == null || device.outcome() == null
                        ? "" : device.passed() ? "consistent" : "discrepancy", "siteOrg", u.custodian(),
                "site", u.site(), "custodian", u.custodian(), "notes", "", "components", "",
                "platformCertificate", "");
        DeviceIdentity.Description certificate = u.deviceCertificate() == null ? null
                : devices.describe(u.deviceCertificate()).orElse(null);
        List<CustodyQueries.OrgRecord> orgs = DispatchPage.organisations(pages.registry);
        Places places = new Places(DispatchPage.destinations(pages.registry, orgs, null), orgs, u.custodian(),
                u.site(), pending == null ? null : pending.receiver(), pending == null ? null : pending.receiverSite());
        return Optional.of(new InspectModel(u, pages.registry.org(u.custodian()).orElse(null),
                pages.registry.site(u.custodian(), u.site()).orElse(null), pending, pending == null ? null
                : pages.registry.site(pending.receiver(), pending.receiverSite()).orElse(null), detail.get().components(),
                inspections.subList(0, Math.min(RECENT_INSPECTIONS, inspections.size())), recorded, values,
                errors, error, certificate, device, UnitAlert.of(pages.log, pages.findings, v, u, timeline), places));
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.trim();
    }
}
