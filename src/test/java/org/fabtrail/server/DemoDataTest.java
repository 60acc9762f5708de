package org.fabtrail.server;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.KeyReplay;
import org.fabtrail.custody.ProjectionRebuild;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LogVerifier;
import org.fabtrail.web.DemoProfile;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FABTRAIL_DEMO=true seeds a custody story that the rules accept, the replay reproduces and the verifier passes. */
@QuarkusTest
@TestProfile(DemoDataTest.Demo.class)
class DemoDataTest {

    /** The application as the README's first command starts it: with demo data. */
    public static class Demo extends DemoProfile {
    }

    @Inject
    DataSource dataSource;
    @Inject
    Ledger ledger;
    @Inject
    FabtrailConfig config;
    @Inject
    DemoData demo;

    /** Rows of a query, each as its columns joined by "|". */
    private List<String> rows(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
                return out;
            }
        }
    }

    private String one(String sql, Object... params) throws SQLException {
        List<String> r = rows(sql, params);
        assertEquals(1, r.size(), sql + " gives one row: " + r);
        return r.get(0);
    }

    /** custodian|site|status|pending_transfer|parent_serial of an acme-fab unit. */
    private String unit(String serial) throws SQLException {
        return one("SELECT custodian, site, status, pending_transfer, parent_serial FROM units "
                + "WHERE manufacturer = 'acme-fab' AND serial = ?", serial);
    }

    @Test
    void organisationsKeysAndSites() throws Exception {
        assertEquals(List.of(
                        "acme-fab|TW|{manufacturer}",
                        "northwind|NL|{distributor,integrator}",
                        "helios-dc|US|{datacenter}",
                        "kestrel-dc|AE|{datacenter}",
                        "bis-inspect|US|{inspector}",
                        "eu-regulator|BE|{regulator}"),
                rows("SELECT id, country, roles FROM orgs ORDER BY registered_idx"));
        // acme-fab rotated: a second key, added by acme-fab itself, signs its later entries
        assertEquals(List.of("acme-fab|2|2", "bis-inspect|1|1", "eu-regulator|1|1", "helios-dc|1|1", "kestrel-dc|1|1",
                        "northwind|1|1"),
                rows("SELECT org_id, count(*), count(*) FILTER (WHERE revoked_idx IS NULL) FROM org_keys "
                        + "WHERE org_id <> 'operator' GROUP BY org_id ORDER BY org_id"));
        String rotation = one("SELECT e.actor, e.entry_type FROM log_entries e JOIN org_keys k ON k.added_idx = e.idx "
                + "WHERE k.org_id = 'acme-fab' ORDER BY e.idx DESC LIMIT 1");
        assertEquals("acme-fab|key.add", rotation);
        assertEquals("0", one("SELECT count(*) FROM log_entries e WHERE e.actor = 'acme-fab' AND e.entry_type = 'unit.register' "
                + "AND e.key_id <> (SELECT key_id FROM org_keys WHERE org_id = 'acme-fab' ORDER BY added_idx DESC LIMIT 1)"),
                "units are registered with the rotated key");

        assertEquals("0", one("SELECT count(*) FROM orgs o WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.org_id = o.id)"),
                "every organisation has a site");
        assertEquals(List.of("acme-fab|hsinchu-fab12|TW", "bis-inspect|washington-fo|US", "eu-regulator|brussels|BE",
                        "helios-dc|ashburn-dc2|US", "kestrel-dc|dubai-dc1|AE", "northwind|ams-schiphol|NL",
                        "northwind|venlo-integration|NL"),
                rows("SELECT org_id, id, country FROM sites ORDER BY org_id, id"));
        assertTrue(Integer.parseInt(one("SELECT count(*) FROM sites WHERE latitude IS NOT NULL")) >= 3,
                "some sites have coordinates");
        // every site.register was signed by the organisation it registers
        assertEquals("0", one("SELECT count(*) FROM sites s JOIN log_entries e ON e.idx = s.registered_idx "
                + "WHERE e.actor <> s.org_id OR e.entry_type <> 'site.register'"));
    }

    @Test
    void unitsAndAssembly() throws Exception {
        assertEquals(List.of("accelerator|H200-SXM|3A090.a|24", "board|HGX-H200-Baseboard|3A090.a|2",
                        "module|ConnectX-7-400G|5A992.c|2", "server|HGX-H200-8GPU|4A090.a|3"),
                rows("SELECT kind, model, eccn, count(*) FROM units WHERE manufacturer = 'acme-fab' "
                        + "GROUP BY kind, model, eccn ORDER BY kind"));
        assertEquals("31", one("SELECT count(*) FROM units"));
        assertEquals("24", one("SELECT count(*) FROM units WHERE kind = 'accelerator' AND serial ~ '^GH200-00[0-9]{2}$'"));
        assertEquals("0", one("SELECT count(*) FROM units u JOIN log_entries e ON e.idx = u.registered_idx "
                + "WHERE e.actor <> 'acme-fab' OR e.entry_type <> 'unit.register' OR u.registered_idx IS NULL"));
        assertEquals(List.of("HGX-0001|8", "HGX-0002|8"),
                rows("SELECT parent_serial, count(*) FROM units WHERE parent_serial IS NOT NULL AND kind = 'accelerator' "
                        + "GROUP BY parent_serial ORDER BY parent_serial"));
        assertEquals("0", one("SELECT count(*) FROM units WHERE parent_serial IS NOT NULL AND kind <> 'accelerator'"));
        // a component is always where its server is
        assertEquals("0", one("SELECT count(*) FROM units c JOIN units p ON p.manufacturer = c.parent_manufacturer "
                + "AND p.serial = c.parent_serial WHERE c.custodian <> p.custodian OR c.site <> p.site "
                + "OR c.pending_transfer IS DISTINCT FROM p.pending_transfer"));
    }

    @Test
    void theCustodyStory() throws Exception {
        Map<String, String> transfers = new TreeMap<>();
        for (String r : rows("SELECT sender || '->' || receiver || ' ' || sender_site || '->' || receiver_site, "
                + "state FROM transfers ORDER BY dispatch_idx")) {
            String[] p = r.split("\\|");
            transfers.merge(p[0], p[1], (a, b) -> a + "," + b);
        }
        assertEquals(Map.of(
                "acme-fab->northwind hsinchu-fab12->ams-schiphol", "received",
                "acme-fab->northwind hsinchu-fab12->venlo-integration", "rejected,pending",
                "northwind->helios-dc ams-schiphol->ashburn-dc2", "received,partial",
                "northwind->kestrel-dc ams-schiphol->dubai-dc1", "pending"), transfers);
        assertEquals("0", one("SELECT count(*) FROM transfers WHERE carrier IS NULL OR shipment_ref IS NULL "
                + "OR expected_arrival IS NULL"));
        assertNotNull(one("SELECT licence_ref FROM transfers WHERE receiver_site = 'ams-schiphol'"));

        // fab -> distributor -> Helios: a server with its 8 GPUs runs in Ashburn
        assertEquals("helios-dc|ashburn-dc2|active|null|null", unit("HGX-0001"));
        assertEquals("8", one("SELECT count(*) FROM units WHERE parent_serial = 'HGX-0001' AND custodian = 'helios-dc' "
                + "AND site = 'ashburn-dc2' AND pending_transfer IS NULL"));
        assertEquals("northwind|ams-schiphol|active|null|null", unit("CX7-0001"));

        // distributor -> Kestrel: still in transit, custody stays with the sender until receipt
        String pending = one("SELECT id FROM transfers WHERE state = 'pending' AND receiver = 'kestrel-dc'");
        assertEquals(List.of("GH200-0017|in_transit", "GH200-0018|in_transit", "HGX-0002|in_transit"),
                rows("SELECT serial, state FROM transfer_units WHERE transfer_id = ?::uuid ORDER BY serial", pending));
        assertEquals("kestrel-dc|dubai-dc1|BIS-D1187342",
                one("SELECT receiver, receiver_site, licence_ref FROM transfers WHERE id = ?::uuid", pending));
        assertEquals("11", one("SELECT count(*) FROM units WHERE pending_transfer = ?::uuid AND custodian = 'northwind' "
                + "AND site = 'ams-schiphol'", pending), "the server, its 8 GPUs and 2 loose GPUs");
        assertEquals("northwind|ams-schiphol|active|" + pending + "|null", unit("GH200-0017"));
        assertEquals("t", one("SELECT expected_arrival > now() FROM transfers WHERE id = ?::uuid", pending),
                "expected arrival lies ahead");

        // a partial receipt: two of three GPUs arrived, the third is still in transit on the dispatch
        String partial = one("SELECT id FROM transfers WHERE state = 'partial'");
        assertEquals(List.of("GH200-0019|received|ashburn-dc2", "GH200-0020|received|ashburn-dc2",
                        "GH200-0021|in_transit|null"),
                rows("SELECT serial, state, received_site FROM transfer_units WHERE transfer_id = ?::uuid ORDER BY serial",
                        partial));
        assertEquals("northwind|ams-schiphol|active|" + partial + "|null", unit("GH200-0021"));
        assertEquals("helios-dc|ashburn-dc2|active|null|null", unit("GH200-0019"));
        assertEquals("null", one("SELECT closed_idx FROM transfers WHERE id = ?::uuid", partial), "still open");

        // the rejected crate of baseboards is back with the fab
        String rejected = one("SELECT id FROM transfers WHERE state = 'rejected'");
        assertEquals(List.of("HGXBB-0001|returned", "HGXBB-0002|returned"),
                rows("SELECT serial, state FROM transfer_units WHERE transfer_id = ?::uuid ORDER BY serial", rejected));
        assertEquals("acme-fab|hsinchu-fab12|active|null|null", unit("HGXBB-0001"));

        // stolen from the distributor's warehouse; decommissioned at Helios
        assertEquals("northwind|ams-schiphol|stolen|null|null", unit("GH200-0022"));
        assertEquals("helios-dc|ashburn-dc2|decommissioned|null|null", unit("GH200-0020"));
        assertEquals(List.of("GH200-0020|decommissioned", "GH200-0022|stolen"),
                rows("SELECT serial, status FROM units WHERE status <> 'active' ORDER BY serial"));

        // still at the fab: the third server (no GPUs yet) and two spare GPUs
        assertEquals("acme-fab|hsinchu-fab12|active|null|null", unit("HGX-0003"));
        assertEquals("acme-fab|hsinchu-fab12|active|null|null", unit("GH200-0024"));
        // the GPU's parties: everyone who held or was sent it (its manufacturer sees it as the manufacturer)
        assertEquals("helios-dc,northwind", one("SELECT string_agg(org_id, ',' ORDER BY org_id) FROM unit_parties "
                + "WHERE manufacturer = 'acme-fab' AND serial = 'GH200-0003'"));
    }

    @Test
    void deviceIdentitiesAndTheCounterfeit() throws Exception {
        assertEquals(List.of("acme-fab|CN=Acme Device Root CA,O=Acme Semiconductor|null",
                        "acme-fab|CN=Acme Device Issuing CA 2026,O=Acme Semiconductor|null"),
                rows("SELECT org_id, subject, revoked_idx FROM device_cas ORDER BY added_idx"));
        assertEquals("23|3", one("SELECT count(*) FILTER (WHERE kind = 'accelerator'), count(*) FILTER (WHERE kind = "
                + "'server') FROM units WHERE device_certificate IS NOT NULL"));
        assertEquals("null", one("SELECT device_certificate FROM units WHERE serial = 'GH200-0024'"));
        assertEquals("26", one("SELECT count(*) FROM device_keys k JOIN units u ON u.manufacturer = k.manufacturer "
                + "AND u.serial = k.serial WHERE u.device_certificate IS NOT NULL"));
        assertEquals(List.of("unit.certify|3"), rows("SELECT entry_type, count(*) FROM log_entries "
                + "WHERE entry_type = 'unit.certify' GROUP BY entry_type"));
        assertEquals("HGX-0001|bis-inspect|consistent|pass|{}|{}", one("SELECT serial, inspector, result, attestation, "
                + "reasons, findings FROM unit_inspections WHERE attestation IS NOT NULL"));
        assertEquals("1", one("SELECT count(*) FROM attestation_challenges WHERE used_idx IS NOT NULL"));
        // HGX-0001's platform certificate: the system and GPUs 1-7 present, GH200-0099 missing, GH200-0008
        // unexpected, the CPU (no serial) not comparable
        assertEquals("acme-fab|HGX-0001|8|1|1|1", one("SELECT manufacturer || '|' || serial || '|' || present || '|' || "
                + "missing || '|' || unexpected || '|' || not_comparable FROM platform_certificates"));

        // the files the device simulator uses: keys owner-only, certificates that chain to the registered CAs
        Path dir = Path.of(config.dataDir(), "demo-devices");
        org.fabtrail.attestation.X509DeviceIdentity id = new org.fabtrail.attestation.X509DeviceIdentity();
        Map<String, byte[]> cas = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ca_id, der FROM device_cas"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                cas.put(rs.getString(1), rs.getBytes(2));
            }
        }
        org.fabtrail.attestation.DeviceIdentity.Trust trust = new org.fabtrail.attestation.DeviceIdentity.Trust(cas,
                java.util.Set.of(), Map.of());
        for (String serial : List.of("GH200-0001", "GH200-0002", "HGX-0001", "counterfeit/GH200-0024")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve(serial + ".key.pem"))), serial);
            SigningKey.fromPkcs8Pem(Files.readString(dir.resolve(serial + ".key.pem")));
            String[] pems = Files.readString(dir.resolve(serial + ".pem")).split("(?<=-----END CERTIFICATE-----\n)");
            assertEquals(2, pems.length, "the device certificate and its issuer");
            byte[] leaf = org.fabtrail.crypto.Pem.decode(pems[0], "CERTIFICATE");
            List<String> reasons = id.checkChain(leaf, List.of(org.fabtrail.crypto.Pem.decode(pems[1], "CERTIFICATE")),
                    Instant.now(), trust);
            assertEquals(serial.startsWith("counterfeit") ? List.of("unknown-issuer") : List.of(), reasons, serial);
        }
        for (String ca : List.of("acme-root", "acme-issuing")) {
            assertTrue(Files.isRegularFile(dir.resolve(ca).resolve("ca.pem")));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve(ca).resolve("ca.key.pem"))));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void payloadTimesLieWithinTheStoryAndNeverAheadOfTheLog() throws Exception {
        for (String row : rows("SELECT convert_from(leaf, 'UTF8') FROM log_entries ORDER BY idx")) {
            Map<String, Object> leaf = (Map<String, Object>) StrictJson.parse(row);
            Map<String, Object> payload = (Map<String, Object>) ((Map<String, Object>) leaf.get("envelope")).get("payload");
            Instant time = Instant.parse((String) payload.get("time"));
            Instant integrated = Instant.parse((String) leaf.get("integratedTime"));
            assertFalse(time.isAfter(integrated), "payload.time " + time + " of index " + leaf.get("index")
                    + " is after its integrated time " + integrated);
            // the story begins STORY_SPAN before seeding, which took less than an hour
            assertFalse(time.isBefore(integrated.minus(DemoData.STORY_SPAN).minusSeconds(3600)), "payload.time "
                    + time + " lies before the demo story began");
        }
    }

    @Test
    void demoKeysAreOwnerOnlyAndSignForTheirOrganisation() throws Exception {
        Path dir = Path.of(config.dataDir(), "demo-keys");
        Map<String, String> files = new LinkedHashMap<>();
        for (String org : List.of("acme-fab", "northwind", "helios-dc", "kestrel-dc", "bis-inspect", "eu-regulator")) {
            files.put(org + ".pem", org);
        }
        files.put("acme-fab-2.pem", "acme-fab");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            assertTrue(Files.isRegularFile(file), file + " exists");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            SigningKey key = SigningKey.fromPkcs8Pem(Files.readString(file));
            assertEquals(f.getValue() + "|t", one("SELECT org_id, revoked_idx IS NULL FROM org_keys WHERE key_id = ?",
                    key.keyId()), file + " is an active key of " + f.getValue());
        }
    }

    @Test
    void seedingRunsOnlyOnAnEmptyRegistry() throws Exception {
        long size = ledger.head().size();
        demo.seedIfEmpty();
        assertEquals(size, ledger.head().size());
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.flyway.username")
    String owner;
    @ConfigProperty(name = "quarkus.flyway.password")
    String ownerPassword;

    @Test
    void theReplayReproducesTheProjectionsAndTheLogVerifies() throws Exception {
        // rebuild empties the projections: the schema owner's job, as with the rebuild command
        try (Connection c = java.sql.DriverManager.getConnection(url, owner, ownerPassword)) {
            c.setAutoCommit(false);
            try {
                ProjectionRebuild.Result r = new ProjectionRebuild(org.fabtrail.server.LedgerBeans.assemble(new org.fabtrail.attestation.X509DeviceIdentity(), new org.fabtrail.attestation.X509PlatformCertificates())).rebuild(c, n -> { });
                assertTrue(r.identical(), "differing: " + r.differing() + " " + r);
                assertEquals(ledger.head().size(), r.entries());
            } finally {
                c.rollback();
            }
        }
        try (Connection c = dataSource.getConnection()) {
            LogVerifier.Result v = new LogVerifier(new EnvelopeParser(65536), KeyReplay::new, 2).verify(c, n -> { });
            assertTrue(v.ok(), v.describe());
            assertEquals(ledger.head().size(), v.entries());
        }
    }

    @Test
    void theStoryClaimsTheTimesItsEventsWouldHaveHad() throws Exception {
        // claimed times never run backwards in the story, span its weeks, and lie in the past
        List<String> times = rows("SELECT " + PAYLOAD + "->>'time' FROM log_entries WHERE idx > 0 AND entry_type NOT "
                + "LIKE 'discrepancy.%' ORDER BY idx");
        Instant first = Instant.parse(times.get(0));
        Instant previous = first;
        for (String t : times) {
            Instant at = Instant.parse(t);
            assertFalse(at.isBefore(previous), "claimed times run backwards at " + t);
            previous = at;
        }
        assertTrue(Duration.between(first, previous).compareTo(Duration.ofDays(14)) > 0, first + " .. " + previous);
        assertTrue(previous.isBefore(Instant.now()), "the story ends in the past: " + previous);
        // a receipt across continents claims a time days after its dispatch, not the same second
        assertEquals("2", one("WITH p AS (SELECT entry_type, actor, " + PAYLOAD + " AS p FROM log_entries) "
                + "SELECT extract(day FROM (r.p->>'time')::timestamptz - (d.p->>'time')::timestamptz)::int FROM p r "
                + "JOIN p d ON d.p->>'id' = r.p->>'transfer' WHERE r.entry_type = 'transfer.receive' "
                + "AND r.actor = 'northwind'"));
    }

    /** An entry's payload as jsonb, from its leaf. */
    private static final String PAYLOAD = "(convert_from(leaf, 'UTF8')::jsonb->'envelope'->'payload')";

    @Test
    void openFindingsOfSeveralKinds() throws Exception {
        // the story's events claim the days they would have taken (no impossible travel: the stolen GPU turns up in
        // Dubai twelve days after Schiphol); 3A090 from the Netherlands to the US needs no licence under the default
        // licence table
        assertEquals(List.of("activity-after-loss|high|investigating",
                        "inspection-other-custodian|high|open",
                        "inspection-other-site|high|open", "platform-mismatch|high|open", "platform-mismatch|high|open",
                        "short-receipt|medium|acknowledged",
                        "transfer-overdue|medium|open"),
                rows("SELECT rule, severity, state FROM discrepancies ORDER BY rule, opened_idx"));
        assertEquals("0", one("SELECT count(*) FROM discrepancies d JOIN log_entries e ON e.idx = d.opened_idx "
                + "WHERE e.actor <> 'operator' OR e.entry_type <> 'discrepancy.open'"), "opened by the operator");
        assertEquals("0", one("SELECT count(*) FROM discrepancy_outbox WHERE published_idx IS NULL"), "all published");
        assertEquals(List.of("helios-dc|note|open", "bis-inspect|note|acknowledged"), rows("SELECT e.actor, e.kind, "
                + "e.state FROM discrepancy_events e JOIN discrepancies d ON d.id = e.discrepancy_id "
                + "WHERE d.rule = 'short-receipt' AND e.kind = 'note' ORDER BY e.idx"));
        assertEquals("5", one("SELECT count(*) FROM restricted_parties"));
        // HGX-0001's platform certificate lists GH200-0099 (custody has no such GPU in it) and omits GH200-0008
        assertEquals(List.of("missing|GH200-0099", "unexpected|acme-fab/GH200-0008"), rows("SELECT details->>'status', "
                + "coalesce(details->>'unit', details->>'serial') FROM discrepancies WHERE rule = 'platform-mismatch' "
                + "ORDER BY 1"));
    }
}
