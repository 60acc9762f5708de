package org.fabtrail.web;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Timeline sentences read as sentences: an inspection's notes end in a stop before the attestation verdict. */
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
}
