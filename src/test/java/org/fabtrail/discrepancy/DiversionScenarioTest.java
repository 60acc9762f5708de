package org.fabtrail.discrepancy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A realistic diversion: a server is made in Taiwan, dispatched with a licence to a data centre in the US and
 * received there, inspected there (all consistent); minutes later an inspector finds it in a German facility of
 * another organisation, with two of its four GPUs swapped for GPUs the ledger records in another server. The test
 * checks the exact set of findings: nothing for the legitimate steps, and for the diversion exactly these.
 */
class DiversionScenarioTest {

    @Test
    void aDivertedServerWithSwappedGpusRaisesExactlyTheseFindings() throws Exception {
        try (DiscrepancyFixture x = new DiscrepancyFixture("diversion", DiscrepancySettings.DEFAULTS)) {
            String server = x.unit("server", "4A090.a");
            String decoy = x.unit("server", "4A090.a");
            List<String> gpus = List.of(x.unit("accelerator", "3A090.a"), x.unit("accelerator", "3A090.a"),
                    x.unit("accelerator", "3A090.a"), x.unit("accelerator", "3A090.a"));
            List<String> others = List.of(x.unit("accelerator", "3A090.a"), x.unit("accelerator", "3A090.a"));
            x.append("fab", "unit.assemble", Map.of("parent", ref("fab", server), "components",
                    gpus.stream().map(g -> ref("fab", g)).toList()));
            x.append("fab", "unit.assemble", Map.of("parent", ref("fab", decoy), "components",
                    others.stream().map(g -> ref("fab", g)).toList()));
            long legitimate = x.mark();
            UUID t = x.dispatch("fab", List.of(server, decoy), "dc", "dc-east",
                    Map.of("licenceRef", "TW-EXP-2026-000418", "carrier", "China Airlines Cargo"));
            x.receive("dc", t, "dc-east", List.of(server, decoy));
            x.inspect(server, Map.of("site", Map.of("org", "dc", "site", "dc-east"), "custodian", "dc",
                    "components", gpus.stream().map(g -> ref("fab", g)).toList()));
            assertEquals(List.of(), x.findings(legitimate), "the legitimate journey raises nothing");

            long diversion = x.mark();
            long inspection = x.after(Duration.ofMinutes(30)).inspect(server, Map.of("site", Map.of("org", "dc2", "site", "fra"), "custodian", "dc2",
                    "result", "discrepancy", "notes", "serial plate matches; GPU serials in slots 3 and 4 do not",
                    "components", List.of(ref("fab", gpus.get(0)), ref("fab", gpus.get(1)), ref("fab", others.get(0)),
                            ref("fab", others.get(1))))).index();
            List<DiscrepancyFixture.Row> found = x.findings(diversion);
            assertEquals(List.of("component-elsewhere", "component-elsewhere", "component-missing", "impossible-travel",
                    "inspection-other-custodian", "inspection-other-site"), DiscrepancyFixture.rules(found));
            for (DiscrepancyFixture.Row f : found) {
                assertTrue(f.evidence().contains(inspection), f.rule() + " names the inspection as evidence");
                assertEquals("operator", f.openedBy());
                assertTrue(f.units().contains("\"serial\": \"" + server + "\""), f.rule() + " names the server");
            }
            assertEquals(List.of("high"), found.stream().map(DiscrepancyFixture.Row::severity).distinct().toList());
            DiscrepancyFixture.Row missing = found.stream().filter(f -> f.rule().equals("component-missing"))
                    .findFirst().orElseThrow();
            assertTrue(missing.units().contains("\"serial\": \"" + gpus.get(2) + "\"")
                    && missing.units().contains("\"serial\": \"" + gpus.get(3) + "\""), missing.units());
            assertEquals(2, found.stream().filter(f -> f.rule().equals("component-elsewhere")
                    && f.units().contains("\"serial\": \"" + decoy + "\"")).count(), "both swapped GPUs are the decoy's");
            DiscrepancyFixture.Row custodian = found.stream().filter(f -> f.rule().equals("inspection-other-custodian"))
                    .findFirst().orElseThrow();
            assertEquals(List.of("insp", "dc", "dc2"), custodian.orgs());

            // publishing again finds nothing new; the log verifies and the projections rebuild identically
            assertEquals(0, x.engine.publish());
            assertEquals(List.of(), x.findings(x.mark()));
            x.assertRebuildIdentical();
        }
    }
}
