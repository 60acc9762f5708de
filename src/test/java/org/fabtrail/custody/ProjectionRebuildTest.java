package org.fabtrail.custody;

import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replaying the log reproduces every projection exactly, and repairs one that was damaged. */
class ProjectionRebuildTest {

    private static LedgerFixture f;

    @BeforeAll
    static void buildLog() throws Exception {
        f = LedgerFixture.withGenesis("rebuild");
        SigningKey fab = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey dist = SigningKey.generate(SignatureAlgorithm.ES256);
        f.append(f.operator.sign("org.register", Map.of("org", "fab", "name", "Fab", "country", "TW", "roles", List.of("manufacturer"))));
        f.append(f.operator.sign("org.register", Map.of("org", "dist", "name", "Dist", "country", "SG", "roles", List.of("distributor"))));
        f.append(f.keyAdd("fab", fab));
        f.append(f.keyAdd("dist", dist));
        f.append(f.signed(fab, "fab", "site.register", Map.of("site", "f1", "name", "Fab 1", "country", "TW", "address", "x",
                "latitude", 24.8, "longitude", 121.0)));
        f.append(f.signed(dist, "dist", "site.register", Map.of("site", "sg1", "name", "SG", "country", "SG", "address", "y")));
        List<Object> units = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            f.append(f.signed(fab, "fab", "unit.register", Map.of("serial", "G" + i, "kind", "accelerator", "model", "B200",
                    "eccn", "3A090.a", "site", "f1")));
            units.add(Map.of("manufacturer", "fab", "serial", "G" + i));
        }
        f.append(f.signed(fab, "fab", "unit.register", Map.of("serial", "S1", "kind", "server", "model", "HGX", "site", "f1")));
        f.append(f.signed(fab, "fab", "unit.assemble", Map.of("parent", Map.of("manufacturer", "fab", "serial", "S1"),
                "components", units.subList(0, 8))));
        List<Object> shipment = new ArrayList<>(units.subList(8, 20));
        shipment.add(Map.of("manufacturer", "fab", "serial", "S1"));
        Receipt d = f.append(f.signed(fab, "fab", "transfer.dispatch", Map.of("units", shipment, "to", "dist", "toSite", "sg1")));
        String transfer = f.ledger.entry(d.index()).orElseThrow().entryId().toString();
        f.append(f.signed(dist, "dist", "transfer.receive", Map.of("transfer", transfer, "site", "sg1",
                "units", shipment.subList(0, 10))));
        f.append(f.signed(fab, "fab", "unit.status", Map.of("unit", units.get(30), "status", "stolen", "reason", "truck")));
        SigningKey insp = SigningKey.generate(SignatureAlgorithm.ED25519);
        f.append(f.operator.sign("org.register", Map.of("org", "insp", "name", "Insp", "country", "US", "roles", List.of("inspector"))));
        f.append(f.keyAdd("insp", insp));
        f.append(f.signed(insp, "insp", "unit.inspect", Map.of("unit", units.get(9), "site", Map.of("org", "dist", "site", "sg1"),
                "custodian", "dist", "result", "consistent", "notes", "found where the ledger says")));
        // an EPCIS capture: its events are replayed as the entries they were applied as
        String hourAgo = java.time.Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        f.append(f.signed(fab, "fab", "epcis.capture", Map.of("document", Map.of("type", "EPCISDocument",
                "schemaVersion", "2.0", "epcisBody", Map.of("eventList", List.of(
                        Map.of("type", "ObjectEvent", "action", "ADD", "bizStep", "commissioning", "eventTime", hourAgo,
                                "eventTimeZoneOffset", "+00:00", "epcList", List.of("urn:fabtrail:unit:fab:C1"),
                                "bizLocation", Map.of("id", "urn:fabtrail:site:fab:f1"),
                                "ilmd", Map.of("fabtrail:kind", "module", "fabtrail:model", "NVL")),
                        Map.of("type", "ObjectEvent", "action", "OBSERVE", "bizStep", "shipping", "eventTime", hourAgo,
                                "eventTimeZoneOffset", "+00:00", "epcList", List.of("urn:fabtrail:unit:fab:C1"),
                                "destinationList", List.of(
                                        Map.of("type", "owning_party", "destination", "urn:fabtrail:org:dist"),
                                        Map.of("type", "location", "destination", "urn:fabtrail:site:dist:sg1")))))))));
        f.append(f.signed(dist, "dist", "key.revoke", Map.of("org", "dist", "keyId", dist.keyId()))); // its last key
    }

    @AfterAll
    static void tearDown() {
        f.close();
    }

    private static ProjectionRebuild.Result rebuild(boolean commit) throws Exception {
        try (Connection c = f.dataSource.getConnection()) {
            c.setAutoCommit(false);
            ProjectionRebuild.Result r = new ProjectionRebuild(org.fabtrail.server.LedgerBeans.assemble(new org.fabtrail.attestation.X509DeviceIdentity(), new org.fabtrail.attestation.X509PlatformCertificates())).rebuild(c, n -> { });
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
            return r;
        }
    }

    @Test
    void aReplayReproducesEveryProjectionExactlyAndRepairsADamagedOne() throws Exception {
        ProjectionRebuild.Result first = rebuild(true);
        assertTrue(first.identical(), first.toString());
        assertEquals(f.ledger.head().size(), first.entries());
        assertTrue(first.after().get("units").startsWith("42 rows"), first.after().get("units"));

        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE units SET custodian = 'mallory' WHERE serial = 'G9'");
            st.execute("DELETE FROM unit_parties WHERE org_id = 'dist'");
        }
        ProjectionRebuild.Result check = rebuild(false);
        assertEquals(List.of("units", "unit_parties"), check.differing());
        ProjectionRebuild.Result repaired = rebuild(true);
        assertFalse(repaired.identical(), "the damaged tables were rebuilt");
        assertTrue(rebuild(false).identical(), "and now match the log again");
        assertEquals(first.after(), repaired.after(), "the repaired projections equal the originals");
    }
}
