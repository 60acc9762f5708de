package org.fabtrail.web;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Component classes in words, for the classes the demo's and paccor's test platform certificates
 * (src/test/resources/vectors/tcg-platform-certificate) carry; unknown registries and values have none.
 */
class ComponentClassesTest {

    private static void words(String expected, String componentClass) {
        assertEquals(Optional.ofNullable(expected), ComponentClasses.words(componentClass), componentClass);
    }

    @Test
    void smbiosClassesAreNamedByTheirStructureType() {
        words("System", "2.23.133.18.3.3/00010000");
        words("Baseboard", "2.23.133.18.3.3/0002000A");
        words("Chassis", "2.23.133.18.3.3/0003000A");
        words("CPU", "2.23.133.18.3.3/00040003");
        words("Memory module", "2.23.133.18.3.3/0011001A");
        words("TPM", "2.23.133.18.3.3/002B0000");
        words("Firmware (BIOS)", "2.23.133.18.3.3/0000830F");
    }

    @Test
    void pcieClassesAreNamedByTheirClassCode() {
        words("GPU", "2.23.133.18.3.4/00030200");
        words("Display controller (VGA)", "2.23.133.18.3.4/00030000");
        words("Ethernet controller", "2.23.133.18.3.4/00020000");
        words("NVMe storage controller", "2.23.133.18.3.4/00010802");
        words("PCI bridge", "2.23.133.18.3.4/00060400");
        words("USB controller", "2.23.133.18.3.4/000C0330");
        words("Signal processing controller", "2.23.133.18.3.4/00118000");
    }

    @Test
    void unknownRegistriesValuesAndShapesHaveNoWords() {
        words(null, "2.23.133.18.3.5/02010802"); // the storage registry: not listed
        words(null, "2.23.133.18.3.4/01030200"); // a PCIe value's first byte is zero
        words(null, "2.23.133.18.3.3/00FF0000");
        words(null, "2.23.133.18.3.4/0003020");
        words(null, "2.23.133.18.3.4");
        words(null, "2.23.133.18.3.4/zz030200");
        words(null, null);
    }

    @Test
    void aTextNamesTheClassesItKnowsInWordsAndLeavesTheRest() {
        assertEquals("GPU NVIDIA H100 serial 1652 is missing; so is CPU Intel Xeon serial 7",
                ComponentClasses.inText("2.23.133.18.3.4/00030200 NVIDIA H100 serial 1652 is missing; "
                        + "so is 2.23.133.18.3.3/00040003 Intel Xeon serial 7"));
        assertEquals("2.23.133.18.3.5/02010802 Samsung serial 9 and 2.23.133.18.3.4/01030200",
                ComponentClasses.inText("2.23.133.18.3.5/02010802 Samsung serial 9 and 2.23.133.18.3.4/01030200"),
                "classes without words stay as they are");
        assertEquals("Seals broken $1 \\ on arrival", ComponentClasses.inText("Seals broken $1 \\ on arrival"));
        assertEquals(null, ComponentClasses.inText(null));
    }
}
