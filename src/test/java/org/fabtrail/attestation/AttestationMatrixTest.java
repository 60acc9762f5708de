package org.fabtrail.attestation;

import org.fabtrail.attestation.DeviceCertificates.Issued;
import org.fabtrail.attestation.DeviceCertificates.Spec;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.ProjectionRebuild;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.fabtrail.attestation.AttestationShared.INSP;
import static org.fabtrail.attestation.AttestationShared.MFR;
import static org.fabtrail.attestation.AttestationShared.OTHER;
import static org.fabtrail.attestation.AttestationShared.outcome;
import static org.fabtrail.testing.LedgerFixture.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matrix of the device identity issue: certificates a manufacturer registers and responses devices give, each
 * generated here with Bouncy Castle (CAs, intermediates, devices, CRLs made on the fly), each with the one outcome it
 * must have: accepted, refused with its own problem code, or recorded with exactly its verdict. Everything goes
 * through the real sequencer and rules on a real PostgreSQL; at the end the replay must reproduce every projection.
 */
class AttestationMatrixTest {

    static LedgerFixture f;
    static Challenges challenges;
    static final AtomicInteger serials = new AtomicInteger();

    /** The manufacturer's PKI: a root it registers, an issuing CA under it (pathLen 0) it does not register. */
    static Issued root;
    static Issued issuing;
    static Issued tight;
    /** A CA of the other manufacturer, and one nobody registered. */
    static Issued otherRoot;
    static Issued stranger;

    @BeforeAll
    static void world() {
        f = LedgerFixture.withGenesis("attestation");
        f.onboardAll("TW", MFR, "manufacturer", OTHER, "manufacturer", INSP, "inspector", "insp2", "inspector",
                "dist", "distributor");
        for (String org : List.of(MFR, OTHER, "dist")) {
            f.append(f.as(org, "site.register", Map.of("site", "s1", "name", "Site", "country", "TW", "address", "1 Main St")));
        }
        root = DeviceCertificates.selfSigned(Spec.ca("CN=Mfr Device Root CA,O=Mfr"), key(SignatureAlgorithm.ES256));
        issuing = DeviceCertificates.issue(Spec.ca("CN=Mfr Device Issuing CA 1,O=Mfr").pathLen(0),
                key(SignatureAlgorithm.ED25519), root);
        tight = DeviceCertificates.issue(Spec.ca("CN=Mfr Tight CA,O=Mfr").pathLen(0), key(SignatureAlgorithm.ES256), root);
        otherRoot = DeviceCertificates.selfSigned(Spec.ca("CN=Other Device CA,O=Other"), key(SignatureAlgorithm.ED25519));
        stranger = DeviceCertificates.selfSigned(Spec.ca("CN=Mfr Device CA,O=Mfr"), key(SignatureAlgorithm.ED25519));
        f.append(f.as(MFR, "ca.add", Map.of("certificate", root.pem())));
        f.append(f.as(OTHER, "ca.add", Map.of("certificate", otherRoot.pem())));
        challenges = new Challenges(f.dataSource, Clock.systemUTC(), Duration.ofMinutes(10));
    }

    @AfterAll
    static void replayReproducesEverything() throws Exception {
        try {
            LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
            ProjectionRebuild.Result r = f.assertRebuildIdentical("attestation", f.types);
            assertTrue(r.after().get("unit_inspections").startsWith(inspectionsWritten + " rows"), r.toString());
        } finally {
            f.close();
        }
    }

    static int inspectionsWritten;

    // ------------------------------------------------------------------------------------------------ helpers

    static SigningKey key(SignatureAlgorithm alg) {
        return SigningKey.generate(alg);
    }

    static String serial() {
        return "SN-" + serials.incrementAndGet();
    }

    /** A device of {@code serial} with a key of {@code alg}, issued by {@code ca}. */
    static Issued device(Issued ca, String serial, SignatureAlgorithm alg) {
        return DeviceCertificates.issue(Spec.device("Mfr", serial), key(alg), ca);
    }

    static Map<String, Object> registration(String serial, Issued cert, Issued... chain) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("serial", serial, "kind", "accelerator", "model", "H200",
                "site", "s1"));
        if (cert != null) {
            m.put("deviceCertificate", cert.pem());
        }
        if (chain.length > 0) {
            m.put("deviceCertificateChain", Arrays.stream(chain).map(Issued::pem).toList());
        }
        return m;
    }

    /** Registers as MFR; answers the refusal's code, or "accepted". */
    static String register(String serial, Issued cert, Issued... chain) {
        return outcome(() -> f.append(f.as(MFR, "unit.register", registration(serial, cert, chain))));
    }

    /** A registered unit of MFR and the device that belongs to it. */
    record Unit(String serial, Issued device, List<Issued> chain) {
        UnitKey key() {
            return new UnitKey(MFR, serial);
        }

        List<String> pems() {
            List<String> out = new ArrayList<>(List.of(device.pem()));
            chain.forEach(c -> out.add(c.pem()));
            return out;
        }
    }

    static Unit certifiedUnit(SignatureAlgorithm alg) {
        String s = serial();
        Issued d = device(root, s, alg);
        assertEquals("accepted", register(s, d));
        return new Unit(s, d, List.of());
    }

    static Challenges.Challenge challenge(Unit u, String requester) {
        try {
            return challenges.issue(u.key(), requester);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(String sql, Object... params) {
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The attestation object: the device's response to the challenge, with its id. */
    static Map<String, Object> attestation(UUID challengeId, Map<String, Object> response) {
        Map<String, Object> a = new LinkedHashMap<>(response);
        a.put("challengeId", challengeId.toString());
        return a;
    }

    static Map<String, Object> inspection(Unit u, Map<String, Object> attestation, Map<String, Object> verdict) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", ref(MFR, u.serial()));
        m.put("result", "consistent");
        m.put("notes", "device checked on site");
        if (attestation != null) {
            m.put("attestation", attestation);
        }
        if (verdict != null) {
            m.put("verdict", verdict);
        }
        return m;
    }

    /** What the ledger computes for the evidence, as the verify call would give it now. */
    static Attestations.Verdict verdict(String actor, Unit u, Map<String, Object> attestation) {
        try (Connection c = f.dataSource.getConnection()) {
            return Attestations.verify(c, f.devices, u.key(), actor, attestation, Instant.now()).verdict();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records an inspection of {@code u} by {@code actor} with the verdict the ledger computes; asserts it was
     * accepted and that the stored inspection carries exactly {@code expected}. Answers the verdict's reasons.
     */
    static List<String> inspect(String actor, Unit u, Map<String, Object> attestation) {
        Attestations.Verdict v = verdict(actor, u, attestation);
        Receipt r = f.append(f.as(actor, "unit.inspect", inspection(u, attestation, v.toJson())));
        try {
            assertStored(r, "attestation, reasons", rs -> {
                assertEquals(v.result(), rs.getString(1));
                assertEquals(v.reasons(), List.of((String[]) rs.getArray(2).getArray()));
            });
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return v.reasons();
    }

    /** What a check asserts of a stored row. */
    interface RowCheck {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Counts the inspection {@code r} wrote, and hands its stored {@code columns} to {@code check}. */
    static void assertStored(Receipt r, String columns, RowCheck check) throws SQLException {
        inspectionsWritten++;
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + columns + " FROM unit_inspections WHERE idx = ?")) {
            ps.setLong(1, r.index());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                check.accept(rs);
            }
        }
    }

    static List<String> respondAndInspect(Unit u, SigningKey signer, List<String> chain, String requester) {
        Challenges.Challenge ch = challenge(u, requester);
        return inspect(INSP, u, attestation(ch.id(), DeviceSimulator.respond(signer, chain, MFR, u.serial(), ch.value())));
    }

    static List<String> honest(Unit u) {
        return respondAndInspect(u, u.device().key(), u.pems(), INSP);
    }

    // ------------------------------------------------------------------------------------------------ the matrix

    record Case(String name, String expected, Supplier<String> run) {
    }

    static Case registration(String name, String expected, Supplier<String> run) {
        return new Case("register: " + name, expected, run);
    }

    static Case response(String name, List<String> expected, Supplier<List<String>> run) {
        return new Case("respond: " + name, expected.isEmpty() ? "pass" : String.join(",", expected),
                () -> {
                    List<String> reasons = run.get();
                    return reasons.isEmpty() ? "pass" : String.join(",", reasons);
                });
    }

    static Stream<Arguments> matrix() {
        Instant now = Instant.now();
        List<Case> cases = List.of(
                // ---- registering a device certificate (unit.register, unit.certify) ----
                registration("an Ed25519 device issued by the registered root", "accepted", () -> {
                    String s = serial();
                    return register(s, device(root, s, SignatureAlgorithm.ED25519));
                }),
                registration("an ECDSA P-256 device through an intermediate it presents", "accepted", () -> {
                    String s = serial();
                    return register(s, device(issuing, s, SignatureAlgorithm.ES256), issuing);
                }),
                registration("expired", "certificate-expired", () -> {
                    String s = serial();
                    return register(s, DeviceCertificates.issue(Spec.device("Mfr", s).validity(now.minus(Duration.ofDays(400)),
                            now.minus(Duration.ofDays(30))), key(SignatureAlgorithm.ED25519), root));
                }),
                registration("not yet valid", "certificate-not-yet-valid", () -> {
                    String s = serial();
                    return register(s, DeviceCertificates.issue(Spec.device("Mfr", s).validity(now.plus(Duration.ofDays(2)),
                            now.plus(Duration.ofDays(400))), key(SignatureAlgorithm.ED25519), root));
                }),
                registration("an intermediate that is not presented (unknown issuer)", "unknown-issuer", () -> {
                    String s = serial();
                    return register(s, device(issuing, s, SignatureAlgorithm.ED25519));
                }),
                registration("a CA nobody registered", "unknown-issuer", () -> {
                    String s = serial();
                    return register(s, device(stranger, s, SignatureAlgorithm.ED25519));
                }),
                registration("a CA of another manufacturer", "unknown-issuer", () -> {
                    String s = serial();
                    return register(s, device(otherRoot, s, SignatureAlgorithm.ED25519));
                }),
                registration("a forged issuer of the registered root's name", "bad-certificate-signature", () -> {
                    String s = serial();
                    Issued forger = DeviceCertificates.selfSigned(Spec.ca(root.subject()), key(SignatureAlgorithm.ES256));
                    return register(s, device(forger, s, SignatureAlgorithm.ED25519));
                }),
                registration("an intermediate that is no CA", "not-a-ca", () -> {
                    String s = serial();
                    Issued notCa = DeviceCertificates.issue(Spec.ca("CN=Not a CA,O=Mfr").notCa(true)
                            .keyUsage(DeviceCertificates.KEY_CERT_SIGN), key(SignatureAlgorithm.ES256), root);
                    return register(s, device(notCa, s, SignatureAlgorithm.ED25519), notCa);
                }),
                registration("an intermediate without keyCertSign", "key-usage", () -> {
                    String s = serial();
                    Issued noSign = DeviceCertificates.issue(Spec.ca("CN=CRL only,O=Mfr")
                            .keyUsage(DeviceCertificates.CRL_SIGN), key(SignatureAlgorithm.ES256), root);
                    return register(s, device(noSign, s, SignatureAlgorithm.ED25519), noSign);
                }),
                registration("a device key without digitalSignature", "key-usage", () -> {
                    String s = serial();
                    return register(s, DeviceCertificates.issue(Spec.device("Mfr", s)
                            .keyUsage(DeviceCertificates.KEY_CERT_SIGN), key(SignatureAlgorithm.ED25519), root));
                }),
                registration("a path longer than the intermediate's pathLen 0 allows", "path-too-long", () -> {
                    String s = serial();
                    Issued below = DeviceCertificates.issue(Spec.ca("CN=Below Tight,O=Mfr"), key(SignatureAlgorithm.ES256), tight);
                    return register(s, device(below, s, SignatureAlgorithm.ED25519), below, tight);
                }),
                registration("an unknown critical extension (PKIX refuses)", "chain-invalid", () -> {
                    String s = serial();
                    return register(s, DeviceCertificates.issue(Spec.device("Mfr", s)
                            .unknownCriticalExtension("1.3.6.1.4.1.55555.1"), key(SignatureAlgorithm.ED25519), root));
                }),
                registration("on the root's registered CRL", "revoked", () -> {
                    String s = serial();
                    Issued d = device(root, s, SignatureAlgorithm.ED25519);
                    crl(root, List.of(X509DeviceIdentity.certificate(d.der()).getSerialNumber()));
                    return register(s, d);
                }),
                registration("under a CA its manufacturer revoked", "ca-revoked", () -> {
                    String s = serial();
                    Issued retired = DeviceCertificates.selfSigned(Spec.ca("CN=Retired CA,O=Mfr"), key(SignatureAlgorithm.ES256));
                    f.append(f.as(MFR, "ca.add", Map.of("certificate", retired.pem())));
                    f.append(f.as(MFR, "ca.revoke", Map.of("caId", X509DeviceIdentity.sha256Hex(retired.der()),
                            "reason", "HSM decommissioned")));
                    return register(s, device(retired, s, SignatureAlgorithm.ED25519));
                }),
                registration("the subject serialNumber of another serial", "serial-mismatch", () ->
                        register(serial(), device(root, "SOMETHING-ELSE", SignatureAlgorithm.ED25519))),
                registration("no subject serialNumber", "serial-mismatch", () -> {
                    String s = serial();
                    return register(s, DeviceCertificates.issue(Spec.ca("CN=" + s + ",O=Mfr").notCa(false)
                            .keyUsage(DeviceCertificates.DIGITAL_SIGNATURE), key(SignatureAlgorithm.ED25519), root));
                }),
                registration("one device key on two serials (a cloned identity)", "device-key-reused", () -> {
                    String a = serial();
                    String b = serial();
                    SigningKey shared = key(SignatureAlgorithm.ED25519);
                    assertEquals("accepted", register(a, DeviceCertificates.issue(Spec.device("Mfr", a), shared, root)));
                    return register(b, DeviceCertificates.issue(Spec.device("Mfr", b), shared, root));
                }),
                registration("a P-384 device key", "unsupported-device-key", () -> {
                    String s = serial();
                    return register(s, new Issued(DeviceCertificates.certificate(Spec.device("Mfr", s), p384Spki(),
                            root.subject(), root.key()), null, Spec.device("Mfr", s).subject));
                }),
                registration("text that is no certificate", "invalid-certificate", () -> outcome(() -> f.append(f.as(MFR,
                        "unit.register", Map.of("serial", serial(), "kind", "accelerator", "model", "H200", "site", "s1",
                                "deviceCertificate", org.fabtrail.crypto.Pem.encode("CERTIFICATE", new byte[]{1, 2, 3})))))),
                registration("unit.certify of a unit registered without one", "accepted", () -> {
                    String s = serial();
                    assertEquals("accepted", register(s, null));
                    return certify(MFR, s, device(root, s, SignatureAlgorithm.ES256));
                }),
                registration("unit.certify a second time", "unit-certified", () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    return certify(MFR, u.serial(), device(root, u.serial(), SignatureAlgorithm.ED25519));
                }),
                registration("unit.certify by another manufacturer", "not-manufacturer", () -> {
                    String s = serial();
                    assertEquals("accepted", register(s, null));
                    return certify(OTHER, s, device(otherRoot, s, SignatureAlgorithm.ED25519));
                }),
                registration("ca.add of a device certificate", "not-a-ca-certificate", () -> outcome(() -> f.append(f.as(MFR,
                        "ca.add", Map.of("certificate", device(root, "X", SignatureAlgorithm.ED25519).pem()))))),
                registration("ca.add twice", "ca-exists", () ->
                        outcome(() -> f.append(f.as(MFR, "ca.add", Map.of("certificate", root.pem()))))),
                registration("ca.add by a distributor", "role-required", () ->
                        outcome(() -> f.append(f.as("dist", "ca.add", Map.of("certificate", stranger.pem()))))),
                registration("ca.revoke of a CA it never registered", "ca-not-found", () -> outcome(() -> f.append(f.as(MFR,
                        "ca.revoke", Map.of("caId", X509DeviceIdentity.sha256Hex(otherRoot.der())))))),
                registration("ca.crl of an unregistered CA", "unknown-ca", () -> outcome(() -> f.append(f.as(MFR, "ca.crl",
                        Map.of("crl", crlPem(stranger, Instant.now(), BigInteger.ONE, List.of())))))),
                registration("ca.crl with a forged signature", "crl-signature-invalid", () -> {
                    Issued forger = DeviceCertificates.selfSigned(Spec.ca(root.subject()), key(SignatureAlgorithm.ES256));
                    return outcome(() -> f.append(f.as(MFR, "ca.crl", Map.of("crl", crlPem(forger, Instant.now(),
                            BigInteger.valueOf(1_000_000), List.of())))));
                }),
                registration("ca.crl older than the one registered", "crl-outdated", () -> {
                    crl(root, List.of());
                    return outcome(() -> f.append(f.as(MFR, "ca.crl", Map.of("crl", crlPem(root, Instant.now(),
                            BigInteger.ONE, List.of())))));
                }),

                // ---- a device answering a challenge (unit.inspect with attestation) ----
                response("an Ed25519 device answers its challenge", List.of(), () ->
                        honest(certifiedUnit(SignatureAlgorithm.ED25519))),
                response("an ECDSA P-256 device answers with its chain through an intermediate", List.of(), () -> {
                    String s = serial();
                    Issued d = device(issuing, s, SignatureAlgorithm.ES256);
                    assertEquals("accepted", register(s, d, issuing));
                    return honest(new Unit(s, d, List.of(issuing)));
                }),
                response("the intermediate is not presented", List.of("unknown-issuer"), () -> {
                    String s = serial();
                    Issued d = device(issuing, s, SignatureAlgorithm.ES256);
                    assertEquals("accepted", register(s, d, issuing));
                    return honest(new Unit(s, d, List.of()));
                }),
                response("a replayed challenge", List.of("challenge-used"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    Challenges.Challenge ch = challenge(u, INSP);
                    Map<String, Object> a = attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR,
                            u.serial(), ch.value()));
                    assertEquals(List.of(), inspect(INSP, u, a));
                    return inspect(INSP, u, a);
                }),
                response("an expired challenge", List.of("challenge-expired"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    Challenges.Challenge ch = challenge(u, INSP);
                    sql("UPDATE attestation_challenges SET expires_at = now() - interval '1 second' WHERE id = ?", ch.id());
                    return inspect(INSP, u, attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR,
                            u.serial(), ch.value())));
                }),
                response("the challenge of another unit", List.of("challenge-other-unit"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    Unit other = certifiedUnit(SignatureAlgorithm.ED25519);
                    Challenges.Challenge ch = challenge(other, INSP);
                    return inspect(INSP, u, attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR,
                            u.serial(), ch.value())));
                }),
                response("a challenge issued to another inspector", List.of("challenge-other-requester"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    return respondAndInspect(u, u.device().key(), u.pems(), "insp2");
                }),
                response("a challenge the ledger never issued", List.of("challenge-unknown"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    return inspect(INSP, u, attestation(UUID.randomUUID(), DeviceSimulator.respond(u.device().key(),
                            u.pems(), MFR, u.serial(), new byte[32])));
                }),
                response("a signature by another key", List.of("device-signature-invalid"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    return respondAndInspect(u, key(SignatureAlgorithm.ED25519), u.pems(), INSP);
                }),
                response("a signature over the wrong serial", List.of("device-signature-invalid"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ES256);
                    Challenges.Challenge ch = challenge(u, INSP);
                    return inspect(INSP, u, attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR,
                            u.serial() + "X", ch.value())));
                }),
                response("alg names the other algorithm", List.of("device-algorithm-mismatch"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    Challenges.Challenge ch = challenge(u, INSP);
                    Map<String, Object> r = new LinkedHashMap<>(DeviceSimulator.respond(u.device().key(), u.pems(), MFR,
                            u.serial(), ch.value()));
                    r.put("alg", "ES256");
                    return inspect(INSP, u, attestation(ch.id(), r));
                }),
                response("a valid certificate for the serial, but not the registered one", List.of("certificate-not-registered"),
                        () -> {
                            Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                            Issued twin = device(root, u.serial(), SignatureAlgorithm.ED25519);
                            return respondAndInspect(u, twin.key(), List.of(twin.pem()), INSP);
                        }),
                response("another unit's certificate and key (a swapped device)",
                        List.of("certificate-not-registered", "serial-mismatch"), () -> {
                            Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                            Unit other = certifiedUnit(SignatureAlgorithm.ED25519);
                            return respondAndInspect(u, other.device().key(), other.pems(), INSP);
                        }),
                response("a counterfeit: no registered certificate, a chain to an unregistered CA",
                        List.of("unit-has-no-certificate", "unknown-issuer"), () -> {
                            String s = serial();
                            assertEquals("accepted", register(s, null));
                            Issued fake = device(stranger, s, SignatureAlgorithm.ED25519);
                            return respondAndInspect(new Unit(s, fake, List.of(stranger)), fake.key(),
                                    List.of(fake.pem()), INSP);
                        }),
                response("a device certificate revoked by a CRL after it was certified", List.of("revoked"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ES256);
                    crl(root, List.of(X509DeviceIdentity.certificate(u.device().der()).getSerialNumber()));
                    return honest(u);
                }),
                response("a device under a CA revoked after it was certified", List.of("ca-revoked"), () -> {
                    Issued ca = DeviceCertificates.selfSigned(Spec.ca("CN=Line 7 CA,O=Mfr"), key(SignatureAlgorithm.ED25519));
                    f.append(f.as(MFR, "ca.add", Map.of("certificate", ca.pem())));
                    String s = serial();
                    Issued d = device(ca, s, SignatureAlgorithm.ED25519);
                    assertEquals("accepted", register(s, d));
                    f.append(f.as(MFR, "ca.revoke", Map.of("caId", X509DeviceIdentity.sha256Hex(ca.der()))));
                    return honest(new Unit(s, d, List.of()));
                }),
                response("a certificate expired when the challenge was issued", List.of("certificate-expired"), () -> {
                    Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                    Challenges.Challenge ch = challenge(u, INSP);
                    // the chain is checked at the challenge's time: as if it had been issued in six years
                    sql("UPDATE attestation_challenges SET created_at = now() + interval '6 years', "
                            + "expires_at = now() + interval '7 years' WHERE id = ?", ch.id());
                    return inspect(INSP, u, attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR,
                            u.serial(), ch.value())));
                }),
                response("a certificate not yet valid when the challenge was issued", List.of("certificate-not-yet-valid"),
                        () -> {
                            Unit u = certifiedUnit(SignatureAlgorithm.ES256);
                            Challenges.Challenge ch = challenge(u, INSP);
                            sql("UPDATE attestation_challenges SET created_at = now() - interval '30 days' WHERE id = ?",
                                    ch.id());
                            return inspect(INSP, u, attestation(ch.id(), DeviceSimulator.respond(u.device().key(),
                                    u.pems(), MFR, u.serial(), ch.value())));
                        }),
                response("everything wrong at once: replayed, other unit's key, forged chain",
                        List.of("challenge-used", "certificate-not-registered", "serial-mismatch", "unknown-issuer",
                                "device-signature-invalid"), () -> {
                            Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
                            Challenges.Challenge ch = challenge(u, INSP);
                            Map<String, Object> good = attestation(ch.id(), DeviceSimulator.respond(u.device().key(),
                                    u.pems(), MFR, u.serial(), ch.value()));
                            assertEquals(List.of(), inspect(INSP, u, good));
                            Issued fake = device(stranger, "FAKE-1", SignatureAlgorithm.ED25519);
                            Map<String, Object> bad = attestation(ch.id(), DeviceSimulator.respond(key(SignatureAlgorithm.ED25519),
                                    List.of(fake.pem()), MFR, u.serial(), ch.value()));
                            return inspect(INSP, u, bad);
                        }));
        return cases.stream().map(c -> Arguments.of(c.name(), c.expected(), c));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("matrix")
    void eachCaseHasItsOwnOutcome(String name, String expected, Case c) {
        assertEquals(expected, c.run().get(), name);
    }

    @Test
    void theMatrixIsLargeAndItsRefusalsAreDistinct() {
        List<Arguments> all = matrix().toList();
        assertTrue(all.size() >= 25, "at least 25 cases: " + all.size());
        Set<String> outcomes = new java.util.HashSet<>();
        all.forEach(a -> outcomes.add((String) a.get()[1]));
        assertTrue(outcomes.size() >= 25, "at least 25 distinct outcomes: " + outcomes);
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void aVerdictThatIsNotTheLedgersIsRefusedAndNothingIsWritten() {
        Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
        Challenges.Challenge ch = challenge(u, INSP);
        Map<String, Object> forged = attestation(ch.id(), DeviceSimulator.respond(key(SignatureAlgorithm.ED25519),
                u.pems(), MFR, u.serial(), ch.value()));
        long size = f.ledger.head().size();
        LedgerException x = assertThrows(LedgerException.class, () -> f.append(f.as(INSP, "unit.inspect",
                inspection(u, forged, Map.of("result", "pass", "reasons", List.of())))));
        assertEquals("attestation-verdict-mismatch", x.code());
        assertEquals(Map.of("result", "fail", "reasons", List.of("device-signature-invalid")), x.details().get("verdict"));
        assertEquals(size, f.ledger.head().size());
        // the challenge was not used up: the honest answer still passes
        assertEquals(List.of(), inspect(INSP, u, attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(),
                MFR, u.serial(), ch.value()))));
    }

    @Test
    void malformedEvidenceIsRefusedNamingTheMember() {
        Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
        Challenges.Challenge ch = challenge(u, INSP);
        Map<String, Object> good = attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR,
                u.serial(), ch.value()));
        Map<String, Object> verdict = Map.of("result", "pass", "reasons", List.of());
        Map<String, Object> badAlg = new LinkedHashMap<>(good);
        badAlg.put("alg", "RS256");
        LedgerException x = assertThrows(LedgerException.class, () -> f.append(f.as(INSP, "unit.inspect",
                inspection(u, badAlg, verdict))));
        assertEquals("invalid-attestation", x.code());
        assertEquals("payload.attestation.alg", x.details().get("field"));
        Map<String, Object> badChain = new LinkedHashMap<>(good);
        badChain.put("chain", List.of(u.device().pem(), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        x = assertThrows(LedgerException.class, () -> f.append(f.as(INSP, "unit.inspect", inspection(u, badChain, verdict))));
        assertEquals("payload.attestation.chain[1]", x.details().get("field"));
        x = assertThrows(LedgerException.class, () -> f.append(f.as(INSP, "unit.inspect", inspection(u, good, null))));
        assertEquals("missing-field", x.code());
        x = assertThrows(LedgerException.class, () -> f.append(f.as(INSP, "unit.inspect", inspection(u, null, verdict))));
        assertEquals("invalid-verdict", x.code());
        x = assertThrows(LedgerException.class, () -> f.append(f.as(INSP, "unit.inspect", inspection(u, good,
                Map.of("result", "pass", "reasons", List.of("revoked"))))));
        assertEquals("invalid-verdict", x.code());
    }

    @Test
    void theCustodianMayCheckItsOwnUnitButRecordsNothingWithoutAnAttestation() {
        Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
        Challenges.Challenge ch = challenge(u, MFR);
        Map<String, Object> a = attestation(ch.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR, u.serial(),
                ch.value()));
        assertEquals(List.of(), inspect(MFR, u, a));
        LedgerException x = assertThrows(LedgerException.class, () -> f.append(f.as(MFR, "unit.inspect",
                inspection(u, null, null))));
        assertEquals("role-required", x.code());
        Challenges.Challenge other = challenge(u, OTHER);
        x = assertThrows(LedgerException.class, () -> f.append(f.as(OTHER, "unit.inspect", inspection(u,
                attestation(other.id(), DeviceSimulator.respond(u.device().key(), u.pems(), MFR, u.serial(),
                        other.value())), Map.of("result", "pass", "reasons", List.of())))));
        assertEquals("role-required", x.code(), "only the custodian, not any organisation");
    }

    @Test
    void findingsAreRecordedWithTheInspection() throws Exception {
        Unit u = certifiedUnit(SignatureAlgorithm.ED25519);
        Map<String, Object> m = inspection(u, null, null);
        m.put("site", Map.of("org", "dist", "site", "s1"));
        m.put("custodian", "dist");
        m.put("result", "discrepancy");
        Receipt r = f.append(f.as(INSP, "unit.inspect", m));
        assertStored(r, "findings, recorded_custodian, recorded_site, attestation", rs -> {
            assertEquals(List.of("site-differs", "custodian-differs", "reported-discrepancy"),
                    List.of((String[]) rs.getArray(1).getArray()));
            assertEquals(MFR + "|s1|null", rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
        });
        List<String> failed = respondAndInspect(u, key(SignatureAlgorithm.ED25519), u.pems(), INSP);
        assertEquals(List.of("device-signature-invalid"), failed);
    }

    // ------------------------------------------------------------------------------------------------ more helpers

    static String certify(String org, String serial, Issued cert) {
        return outcome(() -> f.append(f.as(org, "unit.certify", Map.of("unit", ref(MFR, serial),
                "deviceCertificate", cert.pem()))));
    }

    static final AtomicInteger crlNumbers = new AtomicInteger(100);

    /** Registers a new CRL of {@code ca} (a registered CA of MFR) revoking the given serials. */
    static void crl(Issued ca, List<BigInteger> revoked) {
        f.append(f.as(MFR, "ca.crl", Map.of("crl", crlPem(ca, Instant.now(), BigInteger.valueOf(crlNumbers.incrementAndGet()),
                revoked))));
    }

    static String crlPem(Issued ca, Instant at, BigInteger number, List<BigInteger> revoked) {
        return org.fabtrail.crypto.Pem.encode("X509 CRL", DeviceCertificates.crl(ca, at.minusSeconds(5),
                at.plus(Duration.ofDays(7)), number, revoked));
    }

    static byte[] p384Spki() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"));
            return g.generateKeyPair().getPublic().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
