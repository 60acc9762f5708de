package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fabtrail.custody.UnitKey;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Timeline sentences read as sentences: an inspection's notes end in a stop before the attestation verdict; the units
 * a sentence names are links to their pages, and the rest of it is escaped text; in German too. The sentences are
 * message bundle texts ({@link EntryMessages}), so the test runs with Quarkus.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class EntryLineTest {

    private static Map<String, Object> inspection(Object notes) {
        return inspection(notes, "ok");
    }

    private static Map<String, Object> inspection(Object notes, String result) {
        Map<String, Object> p = new HashMap<>();
        p.put("unit", Map.of("manufacturer", "acme-fab", "serial", "GH200-0001"));
        p.put("result", result);
        p.put("notes", notes);
        p.put("verdict", Map.of("result", "pass"));
        return p;
    }

    @Test
    void notesWithoutAStopGetOneBeforeTheVerdict() {
        assertEquals("Inspected acme-fab/GH200-0001: ok. BMC answered with the registered identity."
                        + " Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection("BMC answered with the registered identity")));
    }

    @Test
    void theSentenceIsPlainTextThatLinkedEscapesOnce() {
        assertEquals("Inspected acme-fab/GH200-0001: ok. Seal <torn> & retaped. Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection("Seal <torn> & retaped")));
    }

    @Test
    void notesThatEndInAStopOrAreEmptyAreNotDoubled() {
        assertEquals("Inspected acme-fab/GH200-0001: ok. Seals intact. Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection("Seals intact. ")));
        assertEquals("Inspected acme-fab/GH200-0001: ok. Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection("")));
        assertEquals("Inspected acme-fab/GH200-0001: ok. Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection(null)));
    }

    @Test
    void inGermanTheSentenceIsGermanAndARegistrationsSerialIsStillALink() {
        assertEquals("acme-fab/GH200-0001 geprüft: stimmig. Siegel intakt. Gerätenachweis: bestanden.",
                EntryLine.summary("unit.inspect", inspection("Siegel intakt", "consistent"), Locale.GERMAN));
        Map<String, Object> register = Map.of("kind", "accelerator", "model", "H200", "serial", "X-1", "site", "fab");
        String german = EntryLine.summary("unit.register", register, Locale.GERMAN);
        assertEquals("accelerator H200 Seriennummer X-1 registriert bei fab", german);
        assertEquals("Registered accelerator H200 serial X-1 at fab", EntryLine.summary("unit.register", register));
        EntryLine line = new EntryLine(1, "id", "unit.register", "acme-fab", Instant.EPOCH,
                EntryLine.summary("unit.register", register), german, "k", "h", null,
                List.of(new UnitKey("acme-fab", "X-1")));
        assertEquals("accelerator H200 Seriennummer <a href=\"/units/acme-fab/X-1\" class=\"unitref\">"
                + "<span class=\"serial\">X-1</span></a> registriert bei fab", line.linked().getValue());
    }

    private static EntryLine line(String summary, UnitKey... units) {
        return new EntryLine(1, "id", "unit.assemble", "acme-fab", Instant.EPOCH, summary, summary, "k", "h", null,
                List.of(units));
    }

    @Test
    void unitsNamedInASummaryAreLinksAndTheRestIsEscaped() {
        assertEquals("Assembled <a href=\"/units/acme-fab/GH200-1\" class=\"unitref\">acme-fab/<wbr><span class=\"serial\">"
                        + "GH200-1</span></a>, <a href=\"/units/acme-fab/GH200-10\" class=\"unitref\">acme-fab/<wbr>"
                        + "<span class=\"serial\">GH200-10</span></a> into &lt;b&gt;",
                line("Assembled acme-fab/GH200-1, acme-fab/GH200-10 into <b>", new UnitKey("acme-fab", "GH200-10"),
                        new UnitKey("acme-fab", "GH200-1")).linked().getValue());
    }

    @Test
    void aRegistrationLinksItsSerialAndAnUnnamedUnitIsLeftAlone() {
        assertEquals("Registered accelerator H200 serial <a href=\"/units/acme-fab/X-1\" class=\"unitref\">"
                        + "<span class=\"serial\">X-1</span></a> at fab",
                line("Registered accelerator H200 serial X-1 at fab", new UnitKey("acme-fab", "X-1"),
                        new UnitKey("other", "Y")).linked().getValue());
    }

    @Test
    void theUnitsOfAPayloadAreReadFromEveryField() {
        Map<String, Object> p = Map.of("parent", Map.of("manufacturer", "acme-fab", "serial", "HGX-1"),
                "components", List.of(Map.of("manufacturer", "acme-fab", "serial", "G-1"), "junk"));
        assertEquals(List.of(new UnitKey("acme-fab", "HGX-1"), new UnitKey("acme-fab", "G-1")),
                EntryLine.units("unit.assemble", "acme-fab", p));
        assertEquals(List.of(new UnitKey("acme-fab", "NEW-1")),
                EntryLine.units("unit.register", "acme-fab", Map.of("serial", "NEW-1", "kind", "server")));
    }
}
