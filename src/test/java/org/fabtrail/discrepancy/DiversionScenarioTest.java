package org.fabtrail.discrepancy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.ref;
import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two realistic diversions. The first: a server is made in Taiwan, dispatched with a licence to a data centre in the US and
 * received there, inspected there (all consistent); minutes later an inspector finds it in a German facility of
 * another organisation, with two of its four GPUs swapped for GPUs the ledger records in another server. The test
 * checks the exact set of findings: nothing for the legitimate steps, and for the diversion exactly these.
 *
 * <p>The second (issue 11), played as an evader would: a server with four GPUs is legally exported from Taiwan to a
 * distributor in Malaysia; there the GPUs are pulled out, two of them are reported lost, the server goes on under a
 * licence to a shell company in the Emirates (relabelled there) that is added to the restricted-party list while the
 * server is in transit, and all four GPUs are shipped on to a buyer in China without a licence. A parallel clean chain
 * (the same export and integration, the GPUs sent on to a US data centre) raises nothing.
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

    @Test
    void gpusPulledAtAThirdCountryDistributorAndShippedOnRaiseExactlyTheseFindings() throws Exception {
        try (DiscrepancyFixture x = new DiscrepancyFixture("diversion2", DiscrepancySettings.DEFAULTS)) {
            x.onboard("penang", "Penang Server Distribution Sdn. Bhd.", "MY", "distributor");
            x.site("penang", "bayan-lepas", "MY", 5.30, 100.27);
            x.onboard("crescent", "Crescent Horizon General Trading FZE", "AE", "distributor");
            x.site("crescent", "jafza", "AE", 25.01, 55.06);
            x.onboard("pearl", "Pearl River Compute Co., Ltd.", "CN", "datacenter");
            x.site("pearl", "szx", "CN", 22.54, 114.06);

            // the clean chain: exported under licence, GPUs pulled at the integrator and sent on to a US data centre
            long cleanStart = x.mark();
            Server clean = Server.assembled(x);
            UUID c1 = x.dispatch("fab", List.of(clean.serial()), "penang", "bayan-lepas",
                    Map.of("licenceRef", "TW-EXP-2026-000501"));
            x.receive("penang", c1, "bayan-lepas", List.of(clean.serial()));
            clean.disassemble(x, "penang");
            UUID c2 = x.dispatch("penang", clean.gpus(), "dc", "dc-west", Map.of());
            x.receive("dc", c2, "dc-west", clean.gpus());
            UUID c3 = x.dispatch("penang", List.of(clean.serial()), "dist", "ams", Map.of());
            x.receive("dist", c3, "ams", List.of(clean.serial()));
            assertEquals(List.of(), x.findings(cleanStart), "the clean chain raises nothing");

            // the diversion
            long start = x.mark();
            Server diverted = Server.assembled(x);
            String server = diverted.serial();
            List<String> gpus = diverted.gpus();
            UUID export = x.dispatch("fab", List.of(server), "penang", "bayan-lepas",
                    Map.of("licenceRef", "TW-EXP-2026-000502"));
            long exportIdx = x.f.ledger.head().size() - 1;
            long exportReceipt = x.receive("penang", export, "bayan-lepas", List.of(server)).index();
            diverted.disassemble(x, "penang");
            for (String lost : gpus.subList(2, 4)) {
                x.append("penang", "unit.status", Map.of("unit", ref("fab", lost), "status", "lost",
                        "reason", "Not found at cycle count"));
            }
            UUID toShell = x.dispatch("penang", List.of(server), "crescent", "jafza",
                    Map.of("licenceRef", "MY-STA-2026-0117", "licenceCountries", List.of("AE")));
            long toShellIdx = x.f.ledger.head().size() - 1;
            assertEquals(List.of(), x.findings(start), "a legal export, an integration and a licensed hop");

            // the shell company is listed while the server is on its way to it
            long listed = x.mark();
            x.restricted.importCsv("""
                    name,country,aliases,source_list,identifiers
                    "Crescent Horizon General Trading L.L.C.",AE,Crescent Horizon,Entity List,
                    """);
            x.receive("crescent", toShell, "jafza", List.of(server)); // relabelled there as another make
            UUID onward = x.dispatch("penang", gpus, "pearl", "szx", Map.of());
            long onwardIdx = x.f.ledger.head().size() - 1;
            x.receive("pearl", onward, "szx", gpus);
            List<DiscrepancyFixture.Row> found = x.findings(listed - 1);
            assertEquals(List.of("activity-after-loss", "activity-after-loss", "export-without-licence",
                    "restricted-party", "transshipment"), rules(found));
            for (DiscrepancyFixture.Row f : found) {
                assertEquals("operator", f.openedBy());
            }
            DiscrepancyFixture.Row party = found.stream().filter(f -> f.rule().equals("restricted-party")).findFirst()
                    .orElseThrow();
            assertEquals("restricted-party:" + toShell, party.finding());
            assertEquals(List.of("penang"), party.orgs(), "the sender is told, the listed shell is not");
            assertTrue(party.units().contains("\"serial\": \"" + server + "\""), party.units());
            assertTrue(party.evidence().contains(toShellIdx), party.evidence().toString());
            DiscrepancyFixture.Row chain = found.stream().filter(f -> f.rule().equals("transshipment")).findFirst()
                    .orElseThrow();
            assertEquals(List.of(exportIdx, exportReceipt, onwardIdx), chain.evidence(),
                    "the server's licensed export, its receipt and the GPUs' onward dispatch");
            for (String g : gpus) {
                assertTrue(chain.units().contains("\"serial\": \"" + g + "\""), g + " in " + chain.units());
            }
            assertEquals(List.of("fab", "penang", "pearl"), chain.orgs());
            assertEquals("critical", chain.severity());
            List<DiscrepancyFixture.Row> lost = found.stream().filter(f -> f.rule().equals("activity-after-loss"))
                    .toList();
            for (String g : gpus.subList(2, 4)) {
                assertEquals(1, lost.stream().filter(f -> f.units().contains("\"serial\": \"" + g + "\"")
                        && f.evidence().contains(onwardIdx)).count(), "the lost " + g + " shipped on");
            }
            DiscrepancyFixture.Row licence = found.stream().filter(f -> f.rule().equals("export-without-licence"))
                    .findFirst().orElseThrow();
            assertEquals("export-without-licence:" + onward, licence.finding());

            // nothing names a unit of the clean chain; publishing again finds nothing new; the log rebuilds
            for (DiscrepancyFixture.Row f : x.findings(0)) {
                for (String u : concat(clean.serial(), clean.gpus())) {
                    assertTrue(!f.units().contains("\"serial\": \"" + u + "\""), f.rule() + " names clean " + u);
                }
            }
            assertEquals(0, x.engine.publish());
            x.assertRebuildIdentical();
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        java.util.List<String> out = new java.util.ArrayList<>(rest);
        out.add(0, first);
        return out;
    }

    /** A server of fab with four GPUs of fab assembled into it. */
    record Server(String serial, List<String> gpus) {

        /** Registers a new server and four new GPUs, and assembles the GPUs into the server. */
        static Server assembled(DiscrepancyFixture x) throws Exception {
            String server = x.unit("server", "4A090.a");
            List<String> gpus = List.of(x.unit("accelerator", "3A090.a"), x.unit("accelerator", "3A090.a"),
                    x.unit("accelerator", "3A090.a"), x.unit("accelerator", "3A090.a"));
            Server s = new Server(server, gpus);
            x.append("fab", "unit.assemble", Map.of("parent", ref("fab", server), "components", s.components()));
            return s;
        }

        List<Map<String, Object>> components() {
            return gpus.stream().map(g -> ref("fab", g)).toList();
        }

        /** {@code org} takes the GPUs out of the server. */
        void disassemble(DiscrepancyFixture x, String org) throws Exception {
            x.append(org, "unit.disassemble", Map.of("parent", ref("fab", serial), "components", components()));
        }
    }
}
