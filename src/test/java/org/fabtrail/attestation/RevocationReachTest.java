package org.fabtrail.attestation;

import org.fabtrail.attestation.DeviceCertificates.Issued;
import org.fabtrail.attestation.DeviceCertificates.Spec;
import org.fabtrail.crypto.Pem;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.EntryTypes;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.DiscrepancySettings;
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.server.LedgerBeans;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.fabtrail.attestation.AttestationShared.INSP;
import static org.fabtrail.attestation.AttestationShared.MFR;
import static org.fabtrail.attestation.AttestationShared.OTHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Revocation reaches every chain it covers (issue 11): the manufacturer registers a root and the issuing CA under it
 * (the demo's shape), so a device's chain meets a registered CA (the issuing CA) before the root. Withdrawing the root,
 * or the root's CRL listing the issuing CA, must still stop new devices and fail inspections of existing ones; a
 * withdrawal binds the CA's key; an expired CA and a stale CRL are refused at registration; a CRL that went stale is
 * flagged, or, under the fail policy, fails the check. Each rule has its firing case and one that must not fire, on a
 * real PostgreSQL through the real sequencer; the replays at the end must reproduce every projection under either
 * stale-CRL policy.
 */
class RevocationReachTest {

    /** The flag policy (the default), with the discrepancy engine attached. */
    static World flag;
    /** The fail policy. */
    static World fail;

    @BeforeAll
    static void worlds() {
        flag = new World("revocation_flag", StaleCrlPolicy.FLAG);
        fail = new World("revocation_fail", StaleCrlPolicy.FAIL);
    }

    @AfterAll
    static void replaysReproduceEverythingUnderEitherPolicy() throws Exception {
        try {
            for (World w : List.of(flag, fail)) {
                LedgerAssertions.assertConsistent(w.f.dataSource, w.f.signer.verifier());
                for (StaleCrlPolicy p : StaleCrlPolicy.values()) {
                    assertRebuildIdentical(w, LedgerBeans.assemble(w.f.devices, w.f.platforms, p));
                }
            }
        } finally {
            flag.f.close();
            fail.f.close();
        }
    }

    static void assertRebuildIdentical(World w, EntryTypes types) throws SQLException {
        w.f.assertRebuildIdentical(w.name, types);
    }

    // ------------------------------------------------------------------------------------------------ the world

    /** One ledger with a manufacturer, another manufacturer and an inspector, and the helpers to use it. */
    static final class World {
        final String name;
        final LedgerFixture f;
        final StaleCrlPolicy policy;
        final DiscrepancyEngine engine;
        final Challenges challenges;
        final AtomicInteger serials = new AtomicInteger();
        final AtomicInteger crlNumbers = new AtomicInteger(100);

        World(String name, StaleCrlPolicy policy) {
            this.name = name;
            this.policy = policy;
            f = new LedgerFixture(name, policy);
            engine = new DiscrepancyEngine(f.dataSource, f.clock, DiscrepancySettings.DEFAULTS,
                    new RestrictedList(f.dataSource, f.clock, DiscrepancySettings.DEFAULTS));
            f.policy.observe(engine);
            engine.publishTo(f.ledger, f.operator);
            f.genesis();
            f.onboardAll("TW", MFR, "manufacturer", OTHER, "manufacturer", INSP, "inspector");
            append(MFR, "site.register", Map.of("site", "s1", "name", "Site", "country", "TW", "address", "1 Main St"));
            challenges = new Challenges(f.dataSource, Clock.systemUTC(), Duration.ofMinutes(10));
        }

        Receipt append(String org, String type, Map<String, Object> fields) {
            return f.append(f.as(org, type, fields));
        }

        /** The write's refusal code, or "accepted". */
        String outcome(String org, String type, Map<String, Object> fields) {
            return AttestationShared.outcome(() -> append(org, type, fields));
        }

        /** A root and an issuing CA under it, both registered by {@code org} (the demo's shape). */
        Pki pki(String org, String name) {
            Issued root = DeviceCertificates.selfSigned(Spec.ca("CN=" + name + " Root CA,O=" + org),
                    SigningKey.generate(SignatureAlgorithm.ES256));
            Issued issuing = DeviceCertificates.issue(Spec.ca("CN=" + name + " Issuing CA,O=" + org).pathLen(0),
                    SigningKey.generate(SignatureAlgorithm.ED25519), root);
            assertEquals("accepted", outcome(org, "ca.add", Map.of("certificate", root.pem())));
            assertEquals("accepted", outcome(org, "ca.add", Map.of("certificate", issuing.pem())));
            return new Pki(root, issuing);
        }

        /** Registers a new unit of MFR with a device certificate of {@code ca}; answers the outcome and the unit. */
        Device register(Issued ca) {
            String serial = "SN-" + serials.incrementAndGet();
            Issued d = DeviceCertificates.issue(Spec.device(MFR, serial), SigningKey.generate(SignatureAlgorithm.ED25519),
                    ca);
            String outcome = outcome(MFR, "unit.register", Map.of("serial", serial, "kind", "accelerator",
                    "model", "H200", "site", "s1", "deviceCertificate", d.pem()));
            return new Device(serial, d, List.of(ca), outcome);
        }

        Pair pair(String name, String controlName) {
            Pki p = pki(MFR, name);
            Pki control = pki(MFR, controlName);
            return new Pair(p, control, registered(p.issuing()), registered(control.issuing()));
        }

        Device registered(Issued ca) {
            Device d = register(ca);
            assertEquals("accepted", d.outcome(), "registering a device of " + ca.subject());
            return d;
        }

        /** Registers a server of MFR (without a device certificate); answers its serial. */
        String server() {
            String serial = "SRV-" + serials.incrementAndGet();
            append(MFR, "unit.register", Map.of("serial", serial, "kind", "server", "model", "HGX", "site", "s1"));
            return serial;
        }

        /** Certifies the server with a platform certificate that {@code ca} signed; answers the outcome. */
        String certifyPlatform(String serial, Issued ca) {
            byte[] platform = PlatformCertificateIssuer.issue(new PlatformCertificateIssuer.Spec("Platform Maker Inc.",
                    "HGX", serial), ca);
            return outcome(MFR, "unit.certify", Map.of("unit", Map.of("manufacturer", MFR, "serial", serial),
                    "platformCertificate", PlatformCertificateIssuer.pem(platform)));
        }

        void revoke(String org, Issued ca) {
            append(org, "ca.revoke", Map.of("caId", X509DeviceIdentity.sha256Hex(ca.der())));
        }

        /** Registers a CRL of {@code ca} revoking {@code revoked}, due again at {@code nextUpdate}. */
        String crl(Issued ca, Instant nextUpdate, List<BigInteger> revoked) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            return outcome(MFR, "ca.crl", Map.of("crl", Pem.encode("X509 CRL", DeviceCertificates.crl(ca,
                    now.minusSeconds(5), nextUpdate, BigInteger.valueOf(crlNumbers.incrementAndGet()), revoked))));
        }

        /** The verdict the verify call gives now, under this world's policy. */
        Attestations.Outcome verify(Device d, Map<String, Object> attestation) throws SQLException {
            try (Connection c = f.dataSource.getConnection()) {
                return Attestations.verify(c, f.devices, d.key(), INSP, attestation, Instant.now(), policy);
            }
        }

        /** A fresh challenge answered by the device. */
        Map<String, Object> answer(Device d) throws SQLException {
            Challenges.Challenge ch = challenges.issue(d.key(), INSP);
            List<String> pems = new ArrayList<>(List.of(d.certificate().pem()));
            d.chain().forEach(c -> pems.add(c.pem()));
            Map<String, Object> a = new LinkedHashMap<>(DeviceSimulator.respond(d.certificate().key(), pems, MFR,
                    d.serial(), ch.value()));
            a.put("challengeId", ch.id().toString());
            return a;
        }

        Map<String, Object> inspection(Device d, Map<String, Object> attestation, Map<String, Object> verdict) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", Map.of("manufacturer", MFR, "serial", d.serial()));
            m.put("result", "consistent");
            m.put("notes", "device checked on site");
            m.put("attestation", attestation);
            m.put("verdict", verdict);
            return m;
        }

        /** Inspects the device with the verdict the verify call gives; answers the recorded verdict's reasons. */
        List<String> inspect(Device d) throws SQLException {
            Map<String, Object> a = answer(d);
            Attestations.Verdict v = verify(d, a).verdict();
            append(INSP, "unit.inspect", inspection(d, a, v.toJson()));
            return v.reasons();
        }

        String one(String sql, Object... params) throws SQLException {
            try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }
    }

    record Pki(Issued root, Issued issuing) {
    }

    /** Two PKIs of MFR with a device registered under each issuing CA: the one a test acts on, and its control. */
    record Pair(Pki p, Pki control, Device before, Device controlled) {
        /** The control was not touched: a new device under it is accepted, the existing one inspects clean. */
        void assertControlUntouched(World w) throws SQLException {
            assertEquals("accepted", w.register(control.issuing()).outcome());
            assertEquals(List.of(), w.inspect(controlled));
        }
    }

    record Device(String serial, Issued certificate, List<Issued> chain, String outcome) {
        UnitKey key() {
            return new UnitKey(MFR, serial);
        }
    }

    static BigInteger serialOf(Issued c) {
        return X509DeviceIdentity.certificate(c.der()).getSerialNumber();
    }

    /** Lets {@code p}'s CRL go stale (due in two seconds, then waited out) while {@code control}'s stays current. */
    static void lapse(World w, Pki p, Pki control) throws InterruptedException {
        Instant due = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        assertEquals("accepted", w.crl(p.root(), due, List.of()));
        assertEquals("accepted", w.crl(control.root(), Instant.now().plus(Duration.ofDays(7)), List.of()));
        after(due);
    }

    /** Waits until {@code t} has passed (by a second: certificate times have whole seconds). */
    static void after(Instant t) throws InterruptedException {
        while (!Instant.now().isAfter(t.plusSeconds(1))) {
            Thread.sleep(100);
        }
    }

    // ------------------------------------------------------------------------------------------------ withdrawal

    @Test
    void withdrawingTheRootStopsDevicesUnderTheRegisteredIssuingCa() throws Exception {
        World w = flag;
        Pair t = w.pair("Withdrawn", "Kept");
        String server = w.server();
        String controlServer = w.server();
        w.revoke(MFR, t.p().root());

        assertEquals("ca-revoked", w.register(t.p().issuing()).outcome(), "a new device under the withdrawn root");
        assertEquals(List.of("ca-revoked"), w.inspect(t.before()), "an existing device under the withdrawn root");
        // a platform certificate signed by the issuing CA is refused too
        assertEquals("platform-ca-revoked", w.certifyPlatform(server, t.p().issuing()));
        // not firing: the other root was not withdrawn
        t.assertControlUntouched(w);
        assertEquals("accepted", w.certifyPlatform(controlServer, t.control().issuing()));
    }

    @Test
    void theRootsCrlListingTheIssuingCaReachesItsDevices() throws Exception {
        World w = flag;
        Pair t = w.pair("Listed", "Unlisted");
        Instant due = Instant.now().plus(Duration.ofDays(7));
        assertEquals("accepted", w.crl(t.p().root(), due, List.of(serialOf(t.p().issuing()))));
        assertEquals("accepted", w.crl(t.control().root(), due, List.of(BigInteger.valueOf(424242))));

        assertEquals("revoked", w.register(t.p().issuing()).outcome(), "a new device under the listed issuing CA");
        assertEquals(List.of("revoked"), w.inspect(t.before()), "an existing device under the listed issuing CA");
        // not firing: the other root's CRL lists somebody else
        t.assertControlUntouched(w);
    }

    @Test
    void aWithdrawalBindsTheKey() throws Exception {
        World w = flag;
        Pki p = w.pki(MFR, "Rekeyed");
        w.revoke(MFR, p.issuing());
        // a new certificate for the withdrawn key, from the same root: refused, by its manufacturer and by another
        Issued again = DeviceCertificates.issue(Spec.ca("CN=Rekeyed Issuing CA 2,O=" + MFR).pathLen(0),
                p.issuing().key(), p.root());
        assertEquals("ca-key-withdrawn", w.outcome(MFR, "ca.add", Map.of("certificate", again.pem())));
        Issued elsewhere = DeviceCertificates.selfSigned(Spec.ca("CN=Shell CA,O=" + OTHER), p.issuing().key());
        assertEquals("ca-key-withdrawn", w.outcome(OTHER, "ca.add", Map.of("certificate", elsewhere.pem())));
        // a device presenting that certificate as its intermediate is under a withdrawn key
        Device presented = w.register(again);
        assertEquals("unknown-issuer", presented.outcome(), "registered without presenting the intermediate");
        String serial = "SN-" + w.serials.incrementAndGet();
        Issued d = DeviceCertificates.issue(Spec.device(MFR, serial), SigningKey.generate(SignatureAlgorithm.ED25519),
                again);
        assertEquals("ca-revoked", w.outcome(MFR, "unit.register", Map.of("serial", serial, "kind", "accelerator",
                "model", "H200", "site", "s1", "deviceCertificate", d.pem(),
                "deviceCertificateChain", List.of(again.pem()))));

        // a second certificate of one key, registered before the withdrawal, is withdrawn with the first
        Pki q = w.pki(MFR, "Renewed");
        Issued renewed = DeviceCertificates.issue(Spec.ca("CN=Renewed Issuing CA,O=" + MFR).pathLen(0)
                .validity(Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS),
                        Instant.now().plus(Duration.ofDays(4000)).truncatedTo(ChronoUnit.SECONDS)),
                q.issuing().key(), q.root());
        assertEquals("accepted", w.outcome(MFR, "ca.add", Map.of("certificate", renewed.pem())));
        Device underRenewed = w.registered(renewed);
        w.revoke(MFR, q.issuing());
        assertEquals("ca-revoked", w.register(renewed).outcome(), "the renewed certificate shares the withdrawn key");
        assertEquals(List.of("ca-revoked"), w.inspect(underRenewed));
        assertEquals("unknown-ca", w.crl(renewed, Instant.now().plus(Duration.ofDays(7)), List.of()),
                "no CRL of a withdrawn key is accepted");

        // not firing: a CA with a fresh key, and devices under it
        Issued fresh = DeviceCertificates.issue(Spec.ca("CN=Fresh Issuing CA,O=" + MFR).pathLen(0),
                SigningKey.generate(SignatureAlgorithm.ED25519), p.root());
        assertEquals("accepted", w.outcome(MFR, "ca.add", Map.of("certificate", fresh.pem())));
        assertEquals(List.of(), w.inspect(w.registered(fresh)));
    }

    @Test
    void anExpiredCaIsRefused() {
        World w = flag;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Issued expired = DeviceCertificates.selfSigned(Spec.ca("CN=Expired Root,O=" + MFR)
                .validity(now.minus(Duration.ofDays(800)), now.minus(Duration.ofDays(1))),
                SigningKey.generate(SignatureAlgorithm.ES256));
        assertEquals("ca-expired", w.outcome(MFR, "ca.add", Map.of("certificate", expired.pem())));
        Issued valid = DeviceCertificates.selfSigned(Spec.ca("CN=Valid Root,O=" + MFR)
                .validity(now.minus(Duration.ofDays(800)), now.plus(Duration.ofDays(1))),
                SigningKey.generate(SignatureAlgorithm.ES256));
        assertEquals("accepted", w.outcome(MFR, "ca.add", Map.of("certificate", valid.pem())));
    }

    // ------------------------------------------------------------------------------------------------ stale CRLs

    @Test
    void aCrlPastItsNextUpdateIsRefusedAtCaCrl() {
        World w = flag;
        Pki p = w.pki(MFR, "Late");
        assertEquals("crl-stale", w.crl(p.root(), Instant.now().minus(Duration.ofHours(1)), List.of()));
        assertEquals("accepted", w.crl(p.root(), Instant.now().plus(Duration.ofDays(1)), List.of()));
    }

    @Test
    void aCrlThatWentStaleIsFlaggedByDefault() throws Exception {
        World w = flag;
        Pki p = w.pki(MFR, "Lapsed");
        Pki control = w.pki(MFR, "Current");
        Device before = w.registered(p.issuing());
        lapse(w, p, control);
        long mark = w.f.ledger.head().size();

        // a registration passes, flagged
        assertEquals("accepted", w.register(p.issuing()).outcome());
        // the verify call passes and flags the revocation check
        Attestations.Outcome o = w.verify(before, w.answer(before));
        assertEquals("pass", o.verdict().result());
        assertEquals(List.of("crl-stale"), o.flags());
        assertEquals("flagged", o.checks().stream().filter(c -> c.name().equals("revocation")).findFirst()
                .orElseThrow().status());
        // the inspection passes and records the finding
        assertEquals(List.of(), w.inspect(before));
        assertEquals("{crl-stale}", w.one("SELECT findings::text FROM unit_inspections WHERE serial = ? "
                + "ORDER BY idx DESC LIMIT 1", before.serial()));
        // one crl-stale finding for the stale CRL, however many checks met it, naming the ca.crl that registered it
        w.engine.publish();
        assertEquals("1", w.one("SELECT count(*) FROM discrepancies WHERE rule = 'crl-stale' AND opened_idx > ?", mark));
        String crlIdx = w.one("SELECT crl_idx FROM device_cas WHERE ca_id = ?", X509DeviceIdentity.sha256Hex(p.root().der()));
        assertEquals("{" + crlIdx + "}", w.one("SELECT evidence::text FROM discrepancies WHERE rule = 'crl-stale' "
                + "AND opened_idx > ?", mark));

        // not firing: devices under the current CRL, and under the lapsed one once a newer CRL is registered
        Device current = w.registered(control.issuing());
        assertEquals(List.of(), w.verify(current, w.answer(current)).flags());
        assertEquals(List.of(), w.inspect(current));
        assertEquals("{}", w.one("SELECT findings::text FROM unit_inspections WHERE serial = ? ORDER BY idx DESC "
                + "LIMIT 1", current.serial()));
        assertEquals("accepted", w.crl(p.root(), Instant.now().plus(Duration.ofDays(7)), List.of()));
        assertEquals(List.of(), w.verify(before, w.answer(before)).flags());
        w.engine.publish();
        assertEquals("1", w.one("SELECT count(*) FROM discrepancies WHERE rule = 'crl-stale' AND opened_idx > ?", mark));
    }

    @Test
    void underTheFailPolicyAStaleCrlFailsTheCheck() throws Exception {
        World w = fail;
        Pair t = w.pair("Lapsed", "Current");
        Device before = t.before();
        lapse(w, t.p(), t.control());

        assertEquals("crl-stale", w.register(t.p().issuing()).outcome());
        Map<String, Object> a = w.answer(before);
        Attestations.Outcome o = w.verify(before, a);
        assertEquals(List.of("crl-stale"), o.verdict().reasons());
        assertEquals(List.of(), o.flags());
        // a pass would be a false claim under this policy
        LedgerException x = assertThrows(LedgerException.class, () -> w.append(INSP, "unit.inspect",
                w.inspection(before, a, Map.of("result", "pass", "reasons", List.of()))));
        assertEquals("attestation-verdict-mismatch", x.code());
        w.append(INSP, "unit.inspect", w.inspection(before, a, o.verdict().toJson()));
        assertEquals("{attestation-failed,crl-stale}", w.one("SELECT findings::text FROM unit_inspections "
                + "WHERE serial = ? ORDER BY idx DESC LIMIT 1", before.serial()));
        // not firing: the current CRL
        t.assertControlUntouched(w);
    }
}
