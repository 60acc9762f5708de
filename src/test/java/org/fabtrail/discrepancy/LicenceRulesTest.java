package org.fabtrail.discrepancy;

import org.fabtrail.ledger.LedgerException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.fabtrail.discrepancy.DiscrepancyFixture.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The licence table (which ECCN needs a licence for which destination) and a licence's stated terms (validity,
 * destination countries): export-without-licence and licence-outside-terms.
 */
class LicenceRulesTest {

    @RegisterExtension
    static final DiscrepancyFixture x = new DiscrepancyFixture("licences", DiscrepancySettings.DEFAULTS);

    @BeforeAll
    static void setUp() {
        x.party("cnb", "Pearl River Compute", "CN", "datacenter", "szx");
        x.onboard("sg", "Lion City Compute", "SG", "datacenter");
        x.site("sg", "sin", "SG", 1.35, 103.82);
    }

    @Test
    void theDefaultTableCoversThe3A090FamilyAndLetsEar99Through() {
        LicenceTable t = LicenceTable.DEFAULT;
        assertTrue(t.needsLicence("3A090.a", "TW", "CN"));
        assertTrue(t.needsLicence("4A090.a", "NL", "RU"));
        assertTrue(t.needsLicence("3A090", "US", "HK"), "Hong Kong is treated as China");
        assertTrue(t.needsLicence("3A090.b", "TW", "AE"), "D:4");
        assertFalse(t.needsLicence("3A090.a", "TW", "NL"));
        assertFalse(t.needsLicence("3A090.a", "TW", "US"));
        assertFalse(t.needsLicence("3A090.a", "CN", "CN"), "inside one country");
        assertFalse(t.needsLicence("EAR99", "TW", "CN"), "EAR99 needs no licence");
        assertFalse(t.needsLicence("ear99", "TW", "KP"));
        assertFalse(t.needsLicence(null, "TW", "KP"), "no ECCN");
        assertTrue(t.needsLicence("3A001.a", "TW", "NL"), "an ECCN the table does not name: every border");
        assertTrue(t.needsLicence("5A992.z", "TW", "CN"));
    }

    @Test
    void aTableIsReadStrictly() {
        LicenceTable t = LicenceTable.parse("""
                group EU = DE FR NL
                licence 3A090 = EU SG
                licence EAR99 = none
                default = none
                """);
        assertTrue(t.needsLicence("3A090.a", "US", "FR"));
        assertTrue(t.needsLicence("3A090.a", "US", "SG"));
        assertFalse(t.needsLicence("3A090.a", "US", "CN"));
        assertFalse(t.needsLicence("4A090.a", "US", "CN"), "default none");
        for (String bad : List.of("licence 3A090 = XX1\ndefault = all", "licence 3A090 = ASIA\ndefault = all",
                "group EU = DE\ngroup EU = FR\ndefault = all", "licence 3A090 = DE", "nonsense\ndefault = all",
                "default = maybe")) {
            assertThrows(IllegalArgumentException.class, () -> LicenceTable.parse(bad), bad);
        }
    }

    @Test
    void ear99AndUnlistedDestinationsAreNotFlaggedWhileA3A090ToChinaIs() throws Exception {
        String ear = x.unit("accelerator", "EAR99");
        String toSg = x.unit("accelerator", "3A090.a");
        String toCn = x.unit("accelerator", "3A090.a");
        long start = x.mark();
        x.dispatch("fab", List.of(ear), "cnb", "szx", Map.of());
        x.dispatch("fab", List.of(toSg), "sg", "sin", Map.of());
        assertEquals(List.of(), x.findings(start), "EAR99 to China and 3A090 to Singapore need no licence");
        long next = x.mark();
        UUID t = x.dispatch("fab", List.of(toCn), "cnb", "szx", Map.of());
        List<DiscrepancyFixture.Row> rows = x.findings(next);
        assertEquals(List.of("export-without-licence"), rules(rows));
        assertEquals("export-without-licence:" + t, rows.get(0).finding());
    }

    @Test
    void aDispatchOutsideTheLicencesValidityOrDestinationsIsFlagged() throws Exception {
        String expired = x.unit("server", "4A090.a");
        String elsewhere = x.unit("server", "4A090.a");
        String fine = x.unit("server", "4A090.a");
        long start = x.mark();
        UUID t1 = x.dispatch("fab", List.of(expired), "cnb", "szx", Map.of("licenceRef", "TW-CN-2024-1",
                "licenceValidUntil", x.claimed().minus(Duration.ofDays(30)).toString()));
        UUID t2 = x.dispatch("fab", List.of(elsewhere), "cnb", "szx", Map.of("licenceRef", "TW-VN-2026-2",
                "licenceCountries", List.of("VN", "TH")));
        x.dispatch("fab", List.of(fine), "cnb", "szx", Map.of("licenceRef", "TW-CN-2026-3",
                "licenceCountries", List.of("CN"), "licenceValidUntil", x.claimed().plus(Duration.ofDays(400)).toString()));
        List<DiscrepancyFixture.Row> rows = x.findings(start);
        assertEquals(List.of("licence-outside-terms", "licence-outside-terms"), rules(rows));
        assertEquals(List.of("licence-outside-terms:" + t1, "licence-outside-terms:" + t2),
                rows.stream().map(DiscrepancyFixture.Row::finding).toList());
        assertEquals("high", rows.get(0).severity());
    }

    @Test
    void licenceTermsWithoutALicenceOrWithBadCountriesAreRefused() {
        String u = x.unit("server", "4A090.a");
        LedgerException noRef = x.refused("fab", "transfer.dispatch", Map.of("units", List.of(DiscrepancyFixture.ref(
                "fab", u)), "to", "cnb", "toSite", "szx", "licenceCountries", List.of("CN")));
        assertEquals("invalid-field", noRef.code());
        LedgerException badCode = x.refused("fab", "transfer.dispatch", Map.of("units", List.of(DiscrepancyFixture.ref(
                "fab", u)), "to", "cnb", "toSite", "szx", "licenceRef", "L-1", "licenceCountries", List.of("China")));
        assertEquals("invalid-field", badCode.code());
    }
}
