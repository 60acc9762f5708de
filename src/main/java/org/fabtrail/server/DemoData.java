package org.fabtrail.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.Accounts;
import org.fabtrail.attestation.Attestations;
import org.fabtrail.attestation.CaAddition;
import org.fabtrail.attestation.Challenges;
import org.fabtrail.attestation.DeviceCertificates;
import org.fabtrail.attestation.DeviceSimulator;
import org.fabtrail.attestation.Inspection;
import org.fabtrail.attestation.PlatformCertificateIssuer;
import org.fabtrail.attestation.UnitCertification;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.AssemblyPayload;
import org.fabtrail.custody.CustodyState;
import org.fabtrail.custody.DispatchPayload;
import org.fabtrail.custody.KeyAddition;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.OrgRegistration;
import org.fabtrail.custody.PayloadRecord;
import org.fabtrail.custody.ReceivePayload;
import org.fabtrail.custody.SitePayload;
import org.fabtrail.custody.StatusPayload;
import org.fabtrail.custody.TransferEndPayload;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.UnitRegistration;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.DiscrepancyNote;
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Demo data for a first look (FABTRAIL_DEMO=true): a custody story through six organisations, seeded into an empty
 * registry. The operator onboards the organisations and their keys; each registers its own sites; the manufacturer
 * registers accelerators, servers, boards and modules, builds two 8-GPU servers, and ships them to a distributor,
 * who forwards them to two data centres. Along the way one shipment is rejected, one is received only in part, one
 * is still in transit, a GPU is stolen from a warehouse and another is decommissioned.
 *
 * <p>Device identities: the manufacturer registers its device root CA and issuing CA ({@code ca.add}); GPUs
 * GH200-0001 to GH200-0023 are registered with device certificates, the three servers are certified after assembly
 * ({@code unit.certify}, their BMC identities); GH200-0024 is registered without one. An inspector has checked
 * HGX-0001 in Ashburn with a passing attestation. HGX-0001 also carries a TCG platform certificate that lists a
 * GPU custody does not have and leaves out one custody has in it, so its page shows the expected-versus-found
 * mismatch. The devices' keys and certificates are written to
 * {@code <data dir>/demo-devices/} for the device simulator (docs/inspectors.md), together with a counterfeit
 * claiming to be GH200-0024 whose certificate chains to a CA nobody registered.
 *
 * <p>Every entry is signed by the organisation that makes it and goes through {@link Ledger#appendAll} and the
 * custody rules like any partner submission; a refusal fails startup, since it means the story or the rules are
 * wrong. The demo organisations' private keys are written to {@code <data dir>/demo-keys/<org>.pem} (owner-only)
 * so the examples in docs/api.md can sign entries with them.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    /** A demo organisation: id, name, country, roles, and the algorithm of its signing key. */
    record DemoOrg(String id, String name, String country, List<String> roles, SignatureAlgorithm alg) {
    }

    /** A site an organisation registers itself; latitude and longitude are both set or both null. */
    record DemoSite(String org, String id, String name, String country, String address, Double latitude,
                    Double longitude) {
    }

    static final String MANUFACTURER = "acme-fab";

    static final List<DemoOrg> ORGS = List.of(
            new DemoOrg("acme-fab", "Acme Semiconductor Fab 12", "TW", List.of("manufacturer"), SignatureAlgorithm.ED25519),
            new DemoOrg("northwind", "Northwind Logistics B.V.", "NL", List.of("distributor", "integrator"),
                    SignatureAlgorithm.ES256),
            new DemoOrg("helios-dc", "Helios Compute, Inc.", "US", List.of("datacenter"), SignatureAlgorithm.ED25519),
            new DemoOrg("kestrel-dc", "Kestrel Data Centres FZ-LLC", "AE", List.of("datacenter"), SignatureAlgorithm.ES256),
            new DemoOrg("bis-inspect", "BIS Office of Export Enforcement, Field Inspections", "US", List.of("inspector"),
                    SignatureAlgorithm.ED25519),
            new DemoOrg("eu-regulator", "EU Dual-Use Export Control Coordination Office", "BE", List.of("regulator"),
                    SignatureAlgorithm.ES256));

    static final List<DemoSite> SITES = List.of(
            new DemoSite("acme-fab", "hsinchu-fab12", "Acme Fab 12, Hsinchu Science Park", "TW",
                    "8 Li-Hsin Road 6, Hsinchu Science Park, Hsinchu 300096, Taiwan", 24.7736, 121.0129),
            new DemoSite("northwind", "ams-schiphol", "Northwind Schiphol Logistics Centre", "NL",
                    "Pudongweg 31, 1437 EM Rozenburg, Netherlands", 52.2891, 4.7460),
            new DemoSite("northwind", "venlo-integration", "Northwind Integration Centre Venlo", "NL",
                    "Celsiusweg 40, 5928 PR Venlo, Netherlands", null, null),
            new DemoSite("helios-dc", "ashburn-dc2", "Helios Ashburn DC2", "US",
                    "44274 Round Table Plaza, Ashburn, VA 20147, United States", 39.0168, -77.4576),
            new DemoSite("kestrel-dc", "dubai-dc1", "Kestrel DC1, Dubai Silicon Oasis", "AE",
                    "Building A3, Dubai Silicon Oasis, Dubai, United Arab Emirates", 25.1215, 55.3773),
            new DemoSite("bis-inspect", "washington-fo", "Washington Field Office", "US",
                    "1401 Constitution Avenue NW, Washington, DC 20230, United States", null, null),
            new DemoSite("eu-regulator", "brussels", "Dual-Use Coordination Office", "BE",
                    "Rue de la Loi 170, 1000 Brussels, Belgium", 50.8430, 4.3826));

    static final int GPUS = 24;
    /** GPUs registered with a device certificate; the last one, GH200-0024, has none. */
    static final int CERTIFIED_GPUS = 23;
    static final String COUNTERFEIT = "GH200-0024";
    static final String GPU_MODEL = "H200-SXM";
    static final String SERVER_MODEL = "HGX-H200-8GPU";

    @Inject
    Ledger ledger;
    @Inject
    OperatorEntries operator;
    @Inject
    EnvelopeParser parser;
    @Inject
    DataSource dataSource;
    @Inject
    FabtrailConfig config;
    @Inject
    Clock clock;
    @Inject
    Accounts accounts;
    @Inject
    Challenges challenges;
    @Inject
    DiscrepancyEngine discrepancies;
    @Inject
    RestrictedList restricted;

    public void seedIfEmpty() throws Exception {
        if (orgCount() > 0) {
            return;
        }
        long started = System.nanoTime();
        Path keyDir = Path.of(config.dataDir(), "demo-keys");
        // Whole milliseconds, as entries write times: a dispatch's expectedArrival is then the instant it always was.
        Story story = new Story(clock.instant().truncatedTo(ChronoUnit.MILLIS).minus(STORY_SPAN));

        Map<String, SigningKey> keys = story.keys;
        List<String> keyFiles = onboard(story, keyDir);
        Path deviceDir = Path.of(config.dataDir(), "demo-devices");
        DemoDevices pki = manufacture(story, deviceDir);
        ship(story, pki);

        if (story.at.isAfter(clock.instant())) {
            throw new IllegalStateException("The demo story runs past now: make STORY_SPAN longer");
        }
        story.submit();
        restricted.importCsv(new String(DemoData.class.getResourceAsStream("/demo/restricted-parties.csv")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        workFindings(keys);
        for (DemoUser u : USERS) {
            accounts.create(u.username(), u.name(), u.org(), u.role(), DEMO_PASSWORD);
        }
        LOG.infof("Seeded demo data in %d ms: %s. Private keys of the demo organisations (%s) are in %s; "
                        + "device keys and certificates for the device simulator in %s",
                (System.nanoTime() - started) / 1_000_000, summary(), String.join(", ", keyFiles),
                keyDir.toAbsolutePath(), deviceDir.toAbsolutePath());
    }

    /**
     * Onboarding: the operator registers each organisation and its first key; the manufacturer rotates its key; each
     * organisation registers its sites. The files the organisations' private keys were written to.
     */
    private List<String> onboard(Story story, Path keyDir) throws Exception {
        Map<String, SigningKey> keys = story.keys;
        List<String> keyFiles = new ArrayList<>();
        for (DemoOrg org : ORGS) {
            story.add(operator.sign("org.register", new OrgRegistration(org.id(), org.name(), org.country(),
                    org.roles()), story.clock()), "org.register " + org.id());
            SigningKey key = SigningKey.generate(org.alg());
            keyFiles.add(writeKey(keyDir, org.id() + ".pem", key));
            story.add(operator.sign("key.add", new KeyAddition(org.id(), key.verificationKey().toPem()),
                    story.clock()), "key.add " + org.id());
            keys.put(org.id(), key);
        }
        // The manufacturer rotates: it adds a second key itself, signing with its first, and signs with it from then on.
        SigningKey rotated = SigningKey.generate(SignatureAlgorithm.ED25519);
        keyFiles.add(writeKey(keyDir, MANUFACTURER + "-2.pem", rotated));
        story.signed(keys.get(MANUFACTURER), MANUFACTURER, "key.add",
                new KeyAddition(MANUFACTURER, rotated.verificationKey().toPem()));
        keys.put(MANUFACTURER, rotated);

        for (DemoSite s : SITES) {
            story.as(s.org(), "site.register", new SitePayload(s.id(), s.name(), s.country(), s.address(),
                    s.latitude(), s.longitude()));
        }
        return keyFiles;
    }

    /**
     * The manufacturer's device PKI (a root and an issuing CA, both registered; the devices' keys on disk), then
     * manufacturing at the fab: GPUs, servers, baseboards and network modules, two servers with 8 GPUs each,
     * certified with their BMC identities.
     */
    private DemoDevices manufacture(Story story, Path deviceDir) throws Exception {
        story.after(Duration.ofDays(1));
        DemoDevices pki = new DemoDevices(deviceDir);
        story.as(MANUFACTURER, "ca.add", new CaAddition(pki.root.pem()));
        story.as(MANUFACTURER, "ca.add", new CaAddition(pki.issuing.pem()));

        // Manufacturing at the fab: GPUs, servers, baseboards and network modules; two servers get 8 GPUs each.
        String fab = "hsinchu-fab12";
        for (int i = 1; i <= GPUS; i++) {
            String certificate = i > CERTIFIED_GPUS ? null : pki.device(gpu(i), i % 2 == 1 ? SignatureAlgorithm.ED25519
                    : SignatureAlgorithm.ES256).pem();
            story.as(MANUFACTURER, "unit.register", new UnitRegistration(gpu(i), "accelerator", GPU_MODEL, "3A090.a",
                    fab, certificate));
        }
        pki.counterfeit(COUNTERFEIT);
        for (int i = 1; i <= 3; i++) {
            story.register(server(i), "server", SERVER_MODEL, "4A090.a", fab);
        }
        story.register("HGXBB-0001", "board", "HGX-H200-Baseboard", "3A090.a", fab);
        story.register("HGXBB-0002", "board", "HGX-H200-Baseboard", "3A090.a", fab);
        story.register("CX7-0001", "module", "ConnectX-7-400G", "5A992.c", fab);
        story.register("CX7-0002", "module", "ConnectX-7-400G", "5A992.c", fab);
        story.as(MANUFACTURER, "unit.assemble", new AssemblyPayload(ref(server(1)), refs(gpu(1), gpu(2), gpu(3),
                gpu(4), gpu(5), gpu(6), gpu(7), gpu(8))));
        story.as(MANUFACTURER, "unit.assemble", new AssemblyPayload(ref(server(2)), refs(gpu(9), gpu(10), gpu(11),
                gpu(12), gpu(13), gpu(14), gpu(15), gpu(16))));
        // The servers' BMC identities are provisioned after assembly and certified then.
        // HGX-0001's certification also carries its TCG platform certificate, made by the issuing CA: it lists GPUs
        // 1 to 7 (not GPU 8, which custody has in the server) and a GPU custody never saw, so its page shows a mismatch.
        for (int i = 1; i <= 3; i++) {
            String device = pki.device(server(i), SignatureAlgorithm.ES256).pem();
            String platform = i != 1 ? null : PlatformCertificateIssuer.pem(PlatformCertificateIssuer.issue(
                    platformCertificate(server(1)), pki.issuing));
            story.as(MANUFACTURER, "unit.certify", new UnitCertification(ref(server(i)), device, null, platform));
        }
        return pki;
    }

    /** The shipments and receipts of the story, a rejection, an overdue dispatch, a short receipt, an inspection. */
    private void ship(Story story, DemoDevices pki) throws Exception {
        // Fab -> distributor by air freight, under an export licence: both servers, loose GPUs and NICs. Received.
        story.after(Duration.ofDays(2));
        UUID toNorthwind = story.dispatch(MANUFACTURER, "northwind", "ams-schiphol",
                refs(server(1), server(2), gpu(17), gpu(18), gpu(19), gpu(20), gpu(21), gpu(22), "CX7-0001", "CX7-0002"),
                "China Airlines Cargo", "AWB 297-48213375", "TW-EXP-2026-000418", Duration.ofDays(3));
        story.after(Duration.ofDays(2));
        story.receive("northwind", toNorthwind, "ams-schiphol",
                refs(server(1), server(2), gpu(17), gpu(18), gpu(19), gpu(20), gpu(21), gpu(22), "CX7-0001", "CX7-0002"));

        // Two spare baseboards: the distributor rejects the crate (shock indicator tripped); they stay with the fab.
        story.after(Duration.ofHours(6));
        UUID boards = story.dispatch(MANUFACTURER, "northwind", "venlo-integration", refs("HGXBB-0001", "HGXBB-0002"),
                "EVA Air Cargo", "AWB 695-20418862", "TW-EXP-2026-000419", Duration.ofDays(3));
        story.after(Duration.ofDays(1));
        story.as("northwind", "transfer.reject", new TransferEndPayload(boards,
                "Crate damaged on arrival, shock indicator tripped; returned to sender for inspection"));

        // A GPU held by the manufacturer for a later shipment leaves under licence but never arrives: overdue.
        story.after(Duration.ofHours(2));
        story.dispatch(MANUFACTURER, "northwind", "venlo-integration", refs(gpu(23)), "EVA Air Cargo",
                "AWB 695-20419977", "TW-EXP-2026-000427", Duration.ofDays(3));

        // Distributor -> Helios (US): one server by air freight. Received at Ashburn.
        story.after(Duration.ofDays(1));
        UUID toHelios = story.dispatch("northwind", "helios-dc", "ashburn-dc2", refs(server(1)),
                "Kuehne+Nagel", "KN-NL-2026-118830", null, Duration.ofDays(5));
        story.after(Duration.ofDays(4));
        story.receive("helios-dc", toHelios, "ashburn-dc2", refs(server(1)));

        // A field inspector checks the server in Ashburn: its BMC answers a challenge, and the check passes.
        story.after(Duration.ofDays(1));
        story.attestedInspection("bis-inspect", server(1), pki, new CustodyState.SiteKey("helios-dc", "ashburn-dc2"),
                "Rack B4 in hall 2; seals intact; BMC answered the challenge with the registered identity");

        // Distributor -> Helios: three loose GPUs; only two arrive, the third stays in transit on the dispatch.
        // (expected a week after dispatch, so the GPU still missing is not overdue yet)
        story.after(Duration.ofHours(2));
        UUID spares = story.dispatch("northwind", "helios-dc", "ashburn-dc2", refs(gpu(19), gpu(20), gpu(21)),
                "DHL Express", "DHL 4820 1172 93", null, Duration.ofDays(7));
        story.after(Duration.ofDays(2));
        story.receive("helios-dc", spares, "ashburn-dc2", refs(gpu(19), gpu(20)));

        divert(story);
    }

    /** A shipment to the UAE, a GPU stolen and one retired, and the stolen one found in Dubai. */
    private void divert(Story story) throws Exception {
        // Distributor -> Kestrel (UAE): the other server and two GPUs, under a licence; still in transit.
        story.after(Duration.ofDays(1));
        story.dispatch("northwind", "kestrel-dc", "dubai-dc1", refs(server(2), gpu(17), gpu(18)),
                "Emirates SkyCargo", "AWB 176-55120934", "BIS-D1187342", Duration.ofDays(5));

        // A GPU disappears from the distributor's warehouse; Helios retires a spare that failed burn-in.
        story.after(Duration.ofHours(6));
        story.as("northwind", "unit.status", new StatusPayload(ref(gpu(22)), "stolen",
                "Missing at cycle count in bonded area B; police report AMS-2026-044871 filed"));
        story.as("helios-dc", "unit.status", new StatusPayload(ref(gpu(20)), "decommissioned",
                "Failed HBM burn-in test; retired and sent for certified destruction"));

        // The stolen GPU turns up: an inspector finds it in Kestrel's Dubai data centre, in Kestrel's hands.
        story.after(Duration.ofDays(1));
        story.as("bis-inspect", "unit.inspect", new Inspection(ref(gpu(22)),
                new CustodyState.SiteKey("kestrel-dc", "dubai-dc1"), "kestrel-dc", "discrepancy",
                "Serial label matches GH200-0022, reported stolen in Amsterdam; found in a spare-parts cage, no paperwork",
                null, null, null, null));
    }

    /**
     * Publishes what the detectors found in the story (and the overdue dispatch), then works two findings as an
     * inspector and a partner would: the short receipt is acknowledged with a note from the receiver, the stolen
     * GPU's reappearance is under investigation.
     */
    private void workFindings(Map<String, SigningKey> keys) throws Exception {
        discrepancies.scanOverdue();
        discrepancies.publish();
        Story work = new Story(null);
        work.keys.putAll(keys);
        UUID shortReceipt = finding("short-receipt");
        if (shortReceipt != null) {
            work.as("helios-dc", "discrepancy.note", new DiscrepancyNote(shortReceipt,
                    "Third GPU not in the DHL consignment; carrier trace requested (case DHL-77120)", null, null, null));
            work.as("bis-inspect", "discrepancy.note", new DiscrepancyNote(shortReceipt,
                    "Acknowledged; waiting for the carrier trace", "acknowledged", null, null));
        }
        UUID stolen = finding("activity-after-loss");
        if (stolen != null) {
            work.as("bis-inspect", "discrepancy.note", new DiscrepancyNote(stolen,
                    "Unit seized; Kestrel asked for purchase records", "investigating", null, null));
        }
        work.submit();
    }

    private UUID finding(String rule) throws SQLException {
        try (Connection c = dataSource.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT id FROM discrepancies WHERE rule = ? "
                     + "ORDER BY opened_idx LIMIT 1")) {
            ps.setString(1, rule);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** A demo sign-in for the web UI. */
    record DemoUser(String username, String name, String org, String role) {
    }

    /** Every demo user's password (printed at start and in README.md; demo only). */
    static final String DEMO_PASSWORD = "fabtrail-demo";

    static final List<DemoUser> USERS = List.of(
            new DemoUser("operator", "Olivia Operator", null, Account.OPERATOR),
            new DemoUser("acme.admin", "Chen Wei-Lun (Acme admin)", "acme-fab", Account.ORG_ADMIN),
            new DemoUser("acme.clerk", "Lin Mei (Acme shipping)", "acme-fab", Account.MEMBER),
            new DemoUser("northwind.admin", "Sanne de Vries (Northwind)", "northwind", Account.ORG_ADMIN),
            new DemoUser("helios.admin", "Marcus Reed (Helios DC)", "helios-dc", Account.ORG_ADMIN),
            new DemoUser("kestrel.admin", "Aisha Al Mansouri (Kestrel DC)", "kestrel-dc", Account.ORG_ADMIN),
            new DemoUser("inspector", "Dana Brooks (BIS inspector)", "bis-inspect", Account.ORG_ADMIN),
            new DemoUser("regulator", "Luc Peeters (EU regulator)", "eu-regulator", Account.ORG_ADMIN));

    /** Prints the demo sign-ins (also when the data was seeded by an earlier run). */
    public void printSignIns() {
        StringBuilder s = new StringBuilder("Demo sign-ins for the web UI (password \"" + DEMO_PASSWORD + "\" for all):");
        for (DemoUser u : USERS) {
            s.append("\n  ").append(String.format("%-16s %-12s %s", u.username(), u.org() == null ? "operator" : u.org(),
                    u.role()));
        }
        LOG.info(s);
    }

    /** A GPU serial that no demo unit has: the platform certificate lists it, custody does not. */
    static final String UNKNOWN_GPU = "GH200-0099";

    /** HGX-0001's platform certificate: the system, GPUs 1 to 7 and {@link #UNKNOWN_GPU}; GPU 8 left out. */
    static PlatformCertificateIssuer.Spec platformCertificate(String serial) {
        String maker = ORGS.get(0).name();
        PlatformCertificateIssuer.Spec spec = new PlatformCertificateIssuer.Spec(maker, SERVER_MODEL, serial)
                .component(PlatformCertificateIssuer.SMBIOS, "00010000", maker, SERVER_MODEL, serial);
        for (int g = 1; g <= 7; g++) {
            spec.component(PlatformCertificateIssuer.PCIE, "00030200", DemoDevices.ORG, GPU_MODEL, gpu(g));
        }
        spec.component(PlatformCertificateIssuer.PCIE, "00030200", DemoDevices.ORG, GPU_MODEL, UNKNOWN_GPU);
        spec.component(PlatformCertificateIssuer.SMBIOS, "00040003", "Acme CPU Co.", "Grace-72", null);
        return spec;
    }

    static String gpu(int i) {
        return String.format("GH200-%04d", i);
    }

    static String server(int i) {
        return String.format("HGX-%04d", i);
    }

    private static UnitKey ref(String serial) {
        return new UnitKey(MANUFACTURER, serial);
    }

    private static List<UnitKey> refs(String... serials) {
        List<UnitKey> out = new ArrayList<>(serials.length);
        for (String s : serials) {
            out.add(ref(s));
        }
        return out;
    }

    /**
     * How long before now the demo story begins. Its entries claim the times the events would have had (shipments take
     * days, an inspection follows a receipt by a day), so the detectors see a plausible history: no impossible travel,
     * one shipment overdue.
     */
    static final Duration STORY_SPAN = Duration.ofDays(18);

    /** The demo's entries in order, each signed by its actor, submitted as one run. */
    private final class Story {
        /**
         * The claimed time of the next entry: a minute after the one before, or later after {@link #after}; null for a
         * story told now (each entry claims the time it is signed).
         */
        Instant at;

        Story(Instant start) {
            this.at = start;
        }

        /** Time passes in the story before the next event. */
        void after(Duration d) {
            at = at.plus(d);
        }

        /** A clock reading the next entry's claimed time, which then moves on by a minute. */
        Clock clock() {
            if (at == null) {
                return clock;
            }
            Clock c = Clock.fixed(at, ZoneOffset.UTC);
            at = at.plusSeconds(60);
            return c;
        }

        /** The key each organisation currently signs with. */
        final Map<String, SigningKey> keys = new LinkedHashMap<>();
        final List<Envelope> entries = new ArrayList<>();
        final List<String> labels = new ArrayList<>();

        void add(Envelope e, String label) {
            entries.add(e);
            labels.add(label);
        }

        UUID signed(SigningKey key, String actor, String type, PayloadRecord payload) {
            UUID id = UUID.randomUUID();
            add(OperatorEntries.signAs(key, actor, id, type, payload, parser, clock()), type + " by " + actor);
            return id;
        }

        UUID as(String org, String type, PayloadRecord payload) {
            return signed(keys.get(org), org, type, payload);
        }

        void register(String serial, String kind, String model, String eccn, String site) {
            as(MANUFACTURER, "unit.register", new UnitRegistration(serial, kind, model, eccn, site, null));
        }

        UUID dispatch(String from, String to, String toSite, List<UnitKey> units, String carrier, String shipmentRef,
                      String licenceRef, Duration transit) {
            return as(from, "transfer.dispatch", new DispatchPayload(units, to, toSite, carrier, shipmentRef,
                    licenceRef, at.plus(transit), null, null));
        }

        /**
         * An inspection with a device attestation: the inspector asks for a challenge now, the device answers it
         * (its key is at hand in the demo), and the inspection carries the verdict the ledger will compute: pass.
         */
        void attestedInspection(String inspector, String serial, DemoDevices pki, CustodyState.SiteKey where,
                                String notes) throws SQLException {
            Challenges.Challenge ch = challenges.issue(new UnitKey(MANUFACTURER, serial), inspector);
            Map<String, Object> attestation = new LinkedHashMap<>(DeviceSimulator.respond(pki.key(serial),
                    pki.chain(serial), MANUFACTURER, serial, ch.value()));
            attestation.put("challengeId", ch.id().toString());
            as(inspector, "unit.inspect", new Inspection(ref(serial), where, where.org(), "consistent", notes, null,
                    null, attestation, new Attestations.Verdict(Attestations.PASS, List.of()).toJson()));
        }

        void receive(String org, UUID transfer, String site, List<UnitKey> units) {
            as(org, "transfer.receive", new ReceivePayload(transfer, site, units));
        }

        /** Appends the whole story in order and waits for every receipt; any refusal fails startup. */
        void submit() {
            List<Ledger.Outcome> results = ledger.submitAllAndWait(entries);
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                LedgerException refusal = results.get(i).refusal();
                if (refusal != null) {
                    refused.add("#" + i + " " + labels.get(i) + " (" + refusal.code() + ": " + refusal.getMessage()
                            + ")");
                }
            }
            if (!refused.isEmpty()) {
                throw new IllegalStateException("Demo data was refused by the ledger, which is a bug in DemoData or "
                        + "in the custody rules: " + refused.size() + " of " + entries.size() + " entries refused; "
                        + "first " + refused.get(0) + (refused.size() > 1 ? "; all: " + refused : ""));
            }
        }
    }

    /**
     * The manufacturer's demo device PKI, written under {@code <data dir>/demo-devices/} as the device command reads
     * it: {@code acme-root/} and {@code acme-issuing/} (ca.pem, ca.key.pem; the issuing CA's intermediates.pem),
     * {@code <serial>.pem} (the device certificate, then the issuing CA) and {@code <serial>.key.pem} per device, and
     * {@code counterfeit/<serial>.pem} and {@code .key.pem}: a device claiming a serial with a certificate from a CA
     * nobody registered. Private keys are owner-only.
     */
    static final class DemoDevices {
        static final String ORG = "Acme Semiconductor";
        final Path dir;
        final DeviceCertificates.Issued root;
        final DeviceCertificates.Issued issuing;
        private final Map<String, DeviceCertificates.Issued> devices = new LinkedHashMap<>();

        DemoDevices(Path dir) throws IOException {
            this.dir = dir;
            root = DeviceCertificates.selfSigned(DeviceCertificates.Spec.ca("CN=Acme Device Root CA,O=" + ORG)
                    .pathLen(1), SigningKey.generate(SignatureAlgorithm.ES256));
            issuing = DeviceCertificates.issue(DeviceCertificates.Spec.ca("CN=Acme Device Issuing CA 2026,O=" + ORG)
                    .pathLen(0), SigningKey.generate(SignatureAlgorithm.ED25519), root);
            writeCa(dir.resolve("acme-root"), root, null);
            writeCa(dir.resolve("acme-issuing"), issuing, issuing.pem());
        }

        /** A device of the issuing CA, written to disk. */
        DeviceCertificates.Issued device(String serial, SignatureAlgorithm alg) throws IOException {
            DeviceCertificates.Issued d = DeviceCertificates.issue(DeviceCertificates.Spec.device(ORG, serial),
                    SigningKey.generate(alg), issuing);
            devices.put(serial, d);
            Files.writeString(dir.resolve(serial + ".pem"), d.pem() + issuing.pem(), StandardCharsets.US_ASCII);
            writeKey(dir, serial + ".key.pem", d.key());
            return d;
        }

        /** A counterfeit device claiming {@code serial}: a lookalike CA nobody registered issued its certificate. */
        void counterfeit(String serial) throws IOException {
            DeviceCertificates.Issued fake = DeviceCertificates.selfSigned(DeviceCertificates.Spec.ca(
                    "CN=Acme Device CA,O=" + ORG), SigningKey.generate(SignatureAlgorithm.ES256));
            DeviceCertificates.Issued d = DeviceCertificates.issue(DeviceCertificates.Spec.device(ORG, serial),
                    SigningKey.generate(SignatureAlgorithm.ED25519), fake);
            Path c = dir.resolve("counterfeit");
            Files.createDirectories(c);
            Files.writeString(c.resolve(serial + ".pem"), d.pem() + fake.pem(), StandardCharsets.US_ASCII);
            writeKey(c, serial + ".key.pem", d.key());
        }

        SigningKey key(String serial) {
            return devices.get(serial).key();
        }

        List<String> chain(String serial) {
            return List.of(devices.get(serial).pem(), issuing.pem());
        }

        private static void writeCa(Path caDir, DeviceCertificates.Issued ca, String intermediates) throws IOException {
            Files.createDirectories(caDir);
            Files.writeString(caDir.resolve("ca.pem"), ca.pem(), StandardCharsets.US_ASCII);
            writeKey(caDir, "ca.key.pem", ca.key());
            if (intermediates != null) {
                Files.writeString(caDir.resolve("intermediates.pem"), intermediates, StandardCharsets.US_ASCII);
            }
        }
    }

    /** What the projections now hold, in one line. */
    private String summary() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            String orgs = one(st, "SELECT count(*) || ' organisations (' || string_agg(id, ', ' ORDER BY registered_idx) "
                    + "|| ')' FROM orgs");
            String sites = one(st, "SELECT count(*) || ' sites' FROM sites");
            String units = one(st, "SELECT sum(n) || ' units (' || string_agg(n || ' ' || kind, ', ' ORDER BY n DESC, kind) "
                    + "|| ')' FROM (SELECT kind, count(*) n FROM units GROUP BY kind) k");
            String transfers = one(st, "SELECT sum(n) || ' transfers (' || string_agg(n || ' ' || state, ', ' ORDER BY state) "
                    + "|| ')' FROM (SELECT state, count(*) n FROM transfers GROUP BY state) t");
            String statuses = one(st, "SELECT coalesce(string_agg(serial || ' ' || status, ', ' ORDER BY serial), 'none') "
                    + "FROM units WHERE status <> 'active'");
            String open = one(st, "SELECT coalesce(string_agg(t.id || ' ' || t.sender || '->' || t.receiver || ' (' "
                    + "|| n || CASE WHEN n = 1 THEN ' unit)' ELSE ' units)' END, ', ' ORDER BY t.dispatch_idx), 'none') "
                    + "FROM transfers t JOIN (SELECT transfer_id, "
                    + "count(*) n FROM transfer_units WHERE state = 'in_transit' GROUP BY transfer_id) u "
                    + "ON u.transfer_id = t.id");
            String findings = one(st, "SELECT coalesce(sum(n), 0) || ' open findings (' || coalesce(string_agg(rule || ' ' || n, "
                    + "', ' ORDER BY rule), 'none') || ')' FROM (SELECT rule, count(*) n FROM discrepancies "
                    + "WHERE state <> 'resolved' GROUP BY rule) d");
            return orgs + ", " + sites + ", " + units + ", " + transfers + "; reported: " + statuses
                    + "; in transit on dispatch " + open + "; " + findings;
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Writes the private key, readable by the owner only; answers the file name. */
    private static String writeKey(Path dir, String name, SigningKey key) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(dir);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key.toPkcs8Pem(), StandardCharsets.US_ASCII);
        return name;
    }

    private long orgCount() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM orgs")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
