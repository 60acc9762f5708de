package org.fabtrail.attestation;

import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.Fact;
import org.fabtrail.custody.Facts;
import org.fabtrail.custody.Operator;
import org.fabtrail.custody.Payload;
import org.fabtrail.custody.PayloadSchema;
import org.fabtrail.custody.Roles;
import org.fabtrail.custody.Rules;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Wants;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code unit.inspect}: what an inspector found on site. Fields: {@code unit}; optional {@code site} (a site reference
 * {@code {"org", "site"}}: where the unit was found) and {@code custodian} (the organisation found holding it);
 * {@code result} ({@code consistent} or {@code discrepancy}); {@code notes}. Only an organisation with the role
 * {@code inspector} or {@code regulator} (or the operator) may submit it.
 *
 * <p>An inspection changes nothing about the unit: it joins the unit's history ({@code unit_entries}) and makes the
 * inspecting organisation a party. It records a finding even when it contradicts the ledger, and on retired or
 * in-transit units: contradictions are for the discrepancy detectors, not refusals.
 *
 * <p>Optionally the inspection carries the device's answer to a challenge ({@code attestation}) and the verdict on it
 * ({@code verdict}, required with it). The rule recomputes the verdict ({@link Attestations#verify}) and refuses the
 * entry unless the submitted one is exactly that, so the log never holds a false claim; the challenge is then used.
 * The unit's custodian may record an inspection of its own unit when it carries an attestation (a self-check).
 * Every inspection is projected into {@code unit_inspections} with its findings: a failed attestation, a site or
 * custodian other than the recorded one, a reported discrepancy.
 *
 * <p>Optionally it carries the platform certificate the inspector read from the server ({@code platformCertificate},
 * PEM {@code ATTRIBUTE CERTIFICATE}). It must parse (else the entry is refused); its checks are those of
 * {@code unit.certify} ({@link PlatformCertification}), but a failure is recorded, not refused (a fact from the field):
 * the inspection keeps the certificate's fingerprint, {@code pass} or the failed check's code, and the comparison's
 * counts, with the findings {@code platform-check-failed} or {@code platform-components-differ}.
 */
final class UnitInspect extends CertificateCheckingType<UnitInspect.Fields> {

    static final String TYPE = "unit.inspect";
    static final String CONSISTENT = "consistent";
    static final String DISCREPANCY = "discrepancy";
    static final List<String> RESULTS = List.of(CONSISTENT, DISCREPANCY);
    static final int MAX_NOTES = 2000;
    /** Finding: the platform certificate the inspector read failed a check (its code is the inspection's check). */
    static final String PLATFORM_CHECK_FAILED = "platform-check-failed";
    /** Finding: the platform certificate's components and the units assembled in the server differ. */
    static final String PLATFORM_COMPONENTS_DIFFER = "platform-components-differ";
    static final Set<String> REQUIRED = Set.of("unit", "result", "notes");
    static final Set<String> OPTIONAL = Set.of("site", "custodian", "attestation", "verdict", "components",
            PlatformCertification.FIELD);
    static final int MAX_COMPONENTS = 64;

    UnitInspect(DeviceIdentity identity, PlatformCertificates platforms, StaleCrlPolicy staleCrls) {
        super(TYPE, UnitInspect.Fields.class, REQUIRED, OPTIONAL, identity, platforms, staleCrls);
    }

    /** The payload record; the optional fields may be null. */
    record Fields(UnitKey unit, CustodyState.SiteKey site, String custodian, String result, String notes,
                  Attestations.Evidence attestation, Attestations.Verdict verdict, List<UnitKey> components,
                  PlatformCertification.Field platform) {
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("unit", PayloadSchema.unit())
                .field("result", PayloadSchema.oneOf(RESULTS)).field("notes", PayloadSchema.string(MAX_NOTES));
    }

    @Override
    protected Fields read(Envelope e, Payload p) {
        UnitKey unit = p.unit("unit");
        CustodyState.SiteKey site = p.has("site") ? p.site("site") : null;
        String custodian = p.has("custodian") ? p.slug("custodian") : null;
        String result = p.oneOf("result", RESULTS);
        String notes = p.string("notes", MAX_NOTES);
        Attestations.Evidence evidence = null;
        Attestations.Verdict verdict = null;
        if (p.has("attestation")) {
            evidence = Attestations.evidence(e.payload().get("attestation"), "payload.attestation", identity);
            if (!p.has("verdict")) {
                throw Payload.invalid("missing-field", "verdict", "payload.verdict is required with payload.attestation: "
                        + "the verdict POST /api/v1/attestations/verify gives for it");
            }
            verdict = Attestations.Verdict.parse(e.payload().get("verdict"), "payload.verdict");
        } else if (p.has("verdict")) {
            throw Payload.invalid("invalid-verdict", "verdict", "payload.verdict is given only with payload.attestation");
        }
        List<UnitKey> components = null;
        if (p.has("components")) {
            Object v = p.raw("components");
            components = v instanceof List<?> l && l.isEmpty() ? List.of() : p.units("components", MAX_COMPONENTS);
            if (components.contains(unit)) {
                throw Payload.invalid("invalid-field", "components", "payload.components lists the inspected unit itself");
            }
        }
        PlatformCertification.Field platform = PlatformCertification.field(p, platforms);
        return new Fields(unit, site, custodian, result, notes, evidence, verdict, components, platform);
    }

    @Override
    public void prefetch(Envelope e, Fields f, Wants wants) {
        wants.unit(f.unit());
        if (f.site() != null) {
            wants.site(f.site().org(), f.site().id());
        }
        if (f.custodian() != null) {
            wants.org(f.custodian());
        }
        if (f.components() != null) {
            f.components().forEach(wants::unit);
        }
        if (f.attestation() != null) {
            AttestationState state = AttestationState.of(wants.context());
            state.wantCas(f.unit().manufacturer());
            state.wantChallenge(f.attestation().challengeId());
        }
        if (f.platform() != null) {
            AttestationState.of(wants.context()).wantCas(f.unit().manufacturer());
        }
    }

    @Override
    public void apply(Envelope e, Fields f, long index, Instant at, BatchContext ctx) throws SQLException {
        CustodyState s = CustodyState.of(ctx);
        boolean operator = Operator.ID.equals(e.actor());
        if (!operator) {
            requireInspector(ctx, s, e.actor(), f);
        }
        CustodyState.Unit u = Rules.existing(s, f.unit());
        if (f.site() != null) {
            Rules.ownSite(s, f.site().org(), f.site().id(), "site");
        }
        if (f.custodian() != null) {
            Rules.requireOrg(ctx, f.custodian());
        }
        AttestationState a = AttestationState.of(ctx);
        Attestations.Findings examined = f.attestation() == null ? null : examine(ctx, a, e.actor(), u, f, index, at);
        Attestations.Verdict verdict = examined == null ? null : f.verdict();
        List<String> findings = findings(f, u, verdict, examined);
        Platform platform = f.platform() == null ? null : platform(ctx, u, f, index, at, findings);
        AttestationState.PlatformCheck check = platform == null ? null : platform.check();
        a.inspected(new AttestationState.Inspection(index, u.key(), e.actor(), at, f.result(), f.site(), f.custodian(),
                u.custodian(), u.site(), verdict == null ? null : verdict.result(),
                verdict == null ? List.of() : verdict.reasons(), findings, check));
        Facts facts = Facts.of(ctx);
        if (facts.on()) {
            addFacts(ctx, s, a, facts, e, f, u, index, at, verdict, examined, platform);
        }
        s.touched(u.key(), index);
        if (!operator) {
            s.party(u.key(), e.actor(), index);
        }
    }

    /** Inspectors and regulators record inspections; a custodian only of its own unit, with an attestation. */
    private static void requireInspector(BatchContext ctx, CustodyState s, String actor, Fields f)
            throws SQLException {
        List<String> roles = Rules.requireOrg(ctx, actor).roles();
        boolean selfCheck = f.attestation() != null
                && s.unit(f.unit()).map(u -> u.custodian().equals(actor)).orElse(false);
        if (!roles.contains(Roles.INSPECTOR) && !roles.contains(Roles.REGULATOR) && !selfCheck) {
            throw new LedgerException(LedgerException.Kind.RULE, "role-required", "Role required",
                    "\"" + actor + "\" is not registered as an inspector or regulator; only they record "
                            + "inspections (a custodian only of its own unit, with an attestation)",
                    Map.of("role", Roles.INSPECTOR), null);
        }
    }

    /**
     * The device's attestation, examined as of this entry: the entry's verdict must be the ledger's (a new entry is
     * judged by the stale-CRL policy; a replay accepts what either policy gave); the challenge is used up.
     */
    private Attestations.Findings examine(BatchContext ctx, AttestationState a, String actor, CustodyState.Unit u,
                                          Fields f, long index, Instant at) throws SQLException {
        Attestations.Findings examined = Attestations.examine(a, identity, u, actor, f.attestation(), at, index);
        boolean replay = Rules.replaying(ctx);
        Attestations.Verdict expected = examined.outcome(replay ? StaleCrlPolicy.FLAG : staleCrls).verdict();
        if (!expected.equals(f.verdict())
                && !(replay && examined.outcome(StaleCrlPolicy.FAIL).verdict().equals(f.verdict()))) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", "payload.verdict");
            details.put("verdict", expected.toJson());
            throw new LedgerException(LedgerException.Kind.RULE, "attestation-verdict-mismatch",
                    "Verdict mismatch", "payload.verdict says " + describe(f.verdict()) + " but the ledger finds "
                    + describe(expected) + "; submit the verdict POST /api/v1/attestations/verify gives",
                    details, null);
        }
        AttestationState.Challenge ch = a.challenge(f.attestation().challengeId()).orElse(null);
        if (ch != null && ch.unit.equals(u.key()) && ch.requester.equals(actor) && !ch.usedBefore(index)) {
            a.use(ch, index);
        }
        return examined;
    }

    /** What the inspection found that differs from the ledger (before the platform certificate's check). */
    private static List<String> findings(Fields f, CustodyState.Unit u, Attestations.Verdict verdict,
                                         Attestations.Findings examined) {
        List<String> findings = new ArrayList<>();
        if (verdict != null && !verdict.passed()) {
            findings.add("attestation-failed");
        }
        if (examined != null && examined.reasons().contains(AttestationReasons.CRL_STALE)) {
            findings.add(AttestationReasons.CRL_STALE);
        }
        if (f.site() != null && !(f.site().org().equals(u.custodian()) && f.site().id().equals(u.site()))) {
            findings.add("site-differs");
        }
        if (f.custodian() != null && !f.custodian().equals(u.custodian())) {
            findings.add("custodian-differs");
        }
        if (f.components() != null && !new java.util.HashSet<>(f.components()).equals(u.components())) {
            findings.add("components-differ");
        }
        if (DISCREPANCY.equals(f.result())) {
            findings.add("reported-discrepancy");
        }
        return findings;
    }

    /** The platform certificate's check as the inspection keeps it, and its comparison (null when it failed). */
    private record Platform(AttestationState.PlatformCheck check, PlatformComparison comparison) {
    }

    /** Checks the platform certificate the inspector read; a failure is recorded (a finding), not refused. */
    private Platform platform(BatchContext ctx, CustodyState.Unit u, Fields f, long index, Instant at,
                              List<String> findings) throws SQLException {
        String fingerprint = f.platform().certificate().sha256Fingerprint();
        try {
            if (!PlatformCertification.isPlatform(u)) {
                throw new PlatformCertificates.Refused(PlatformReasons.NOT_A_PLATFORM, u.key() + " is no platform");
            }
            PlatformComparison comparison = PlatformCertification.check(ctx, platforms, u, f.platform(), index, at);
            if (!comparison.consistent()) {
                findings.add(PLATFORM_COMPONENTS_DIFFER);
            }
            return new Platform(new AttestationState.PlatformCheck(fingerprint, "pass", comparison.counts()), comparison);
        } catch (PlatformCertificates.Refused r) {
            findings.add(PLATFORM_CHECK_FAILED);
            return new Platform(new AttestationState.PlatformCheck(fingerprint, r.code(), null), null);
        }
    }

    /** What the detectors see of the inspection: activity, a sighting, the inspection, its platform and stale CRLs. */
    private void addFacts(BatchContext ctx, CustodyState s, AttestationState a, Facts facts, Envelope e, Fields f,
                          CustodyState.Unit u, long index, Instant at, Attestations.Verdict verdict,
                          Attestations.Findings examined, Platform platform) throws SQLException {
        Facts.activity(ctx, index, at, TYPE, e.actor(), List.of(u));
        if (f.site() != null) {
            Facts.sighting(ctx, index, at, e, Facts.place(s, f.site().org(), f.site().id()), List.of(u.key()));
        }
        facts.add(new Fact.Inspection(index, at, e.actor(), u.key(),
                f.site() == null ? null : Facts.place(s, f.site().org(), f.site().id()), f.custodian(),
                u.custodian(), Facts.place(s, u.custodian(), u.site()), f.result(),
                verdict == null ? null : verdict.result(), verdict == null ? List.of() : verdict.reasons(),
                f.notes(), identityOf(a, f.attestation(), u.key()), List.copyOf(u.components()),
                found(s, f.components())));
        if (platform != null) {
            facts.add(new PlatformFact(index, at, TYPE, e.actor(), u.key(), platform.check().check(),
                    platform.comparison()));
        }
        if (examined != null && !verdict.reasons().contains(AttestationReasons.CRL_STALE)) {
            // a stale CRL the verdict did not fail on (the flag policy): flagged
            for (StaleCrlFact stale : a.staleCrlFacts(examined.staleCrls(), index, at, TYPE, e.actor(), u.key())) {
                facts.add(stale);
            }
        }
    }

    private static List<Fact.FoundComponent> found(CustodyState s, List<UnitKey> components) throws SQLException {
        if (components == null) {
            return null;
        }
        List<Fact.FoundComponent> out = new ArrayList<>();
        for (UnitKey k : components) {
            CustodyState.Unit c = s.unit(k).orElse(null);
            out.add(new Fact.FoundComponent(k, c != null, c == null ? null : c.parent()));
        }
        return out;
    }

    /** The other unit the presented leaf certificate's key is bound to, if any. */
    private UnitKey identityOf(AttestationState a, Attestations.Evidence evidence, UnitKey unit) throws SQLException {
        if (evidence == null || evidence.chain().isEmpty()) {
            return null;
        }
        String keyId;
        try {
            keyId = identity.parseDevice(evidence.chain().get(0)).keyId();
        } catch (RuntimeException notADeviceCertificate) {
            return null;
        }
        UnitKey bound = a.deviceKey(keyId).orElse(null);
        return bound == null || bound.equals(unit) ? null : bound;
    }

    private static String describe(Attestations.Verdict v) {
        return v.passed() ? "pass" : "fail (" + String.join(", ", v.reasons()) + ")";
    }
}
