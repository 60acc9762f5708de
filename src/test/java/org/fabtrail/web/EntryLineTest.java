package org.fabtrail.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fabtrail.custody.UnitKey;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Timeline sentences read as sentences: an inspection's notes end in a stop before the attestation verdict; the units
 * a sentence names are links to their pages, and the rest of it is escaped text.
 */
class EntryLineTest {

    private static Map<String, Object> inspection(Object notes) {
        Map<String, Object> p = new HashMap<>();
        p.put("unit", Map.of("manufacturer", "acme-fab", "serial", "GH200-0001"));
        p.put("result", "ok");
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
    void notesThatEndInAStopOrAreEmptyAreNotDoubled() {
        assertEquals("Inspected acme-fab/GH200-0001: ok. Seals intact. Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection("Seals intact. ")));
        assertEquals("Inspected acme-fab/GH200-0001: ok. Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection("")));
        assertEquals("Inspected acme-fab/GH200-0001: ok. Device attestation: pass.",
                EntryLine.summary("unit.inspect", inspection(null)));
    }

    private static EntryLine line(String summary, UnitKey... units) {
        return new EntryLine(1, "id", "unit.assemble", "acme-fab", Instant.EPOCH, summary, "k", "h", null, List.of(units));
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
