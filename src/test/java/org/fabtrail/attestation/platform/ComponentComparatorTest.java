package org.fabtrail.attestation.platform;

import static org.fabtrail.attestation.platform.TestPlatformCertificates.samplePem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.fabtrail.attestation.platform.ComponentComparison.Row;
import org.fabtrail.attestation.platform.ComponentComparison.Status;
import org.junit.jupiter.api.Test;

/**
 * Expected versus found: the paccor sample's components against constructed custody records.
 */
class ComponentComparatorTest {

    private static final List<Component> CERTIFIED = PlatformCertificate.parse(samplePem()).components();

    /** What custody would say for a platform built exactly as certified: every component with a serial. */
    private static List<InstalledComponent> custodyAsCertified() {
        List<InstalledComponent> out = new ArrayList<>();
        for (int i = 0; i < CERTIFIED.size(); i++) {
            Component c = CERTIFIED.get(i);
            if (c.hasComparableSerial()) {
                out.add(new InstalledComponent(c.manufacturer(), c.serial().get(), c.model(), "unit-" + i));
            }
        }
        return out;
    }

    private static List<String> serials(List<Row> rows) {
        return rows.stream().map(r -> r.certified().map(c -> c.serial().orElse("-"))
                .orElseGet(() -> r.installed().get().serial())).toList();
    }

    @Test
    void everythingPresent() {
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custodyAsCertified());
        assertTrue(result.consistent());
        assertEquals(12, result.present().size());
        assertEquals(List.of(), result.missing());
        assertEquals(List.of(), result.unexpected());
        // 20 without a serial, and the CPU whose serial is one space
        assertEquals(21, result.notComparable().size());
        assertTrue(result.notComparable().stream().allMatch(r -> r.certified().isPresent()));
        assertEquals(33, result.rows().size());
        // one row per certified component, in certificate order, each paired with its own unit
        for (int i = 0; i < CERTIFIED.size(); i++) {
            Row row = result.rows().get(i);
            assertEquals(CERTIFIED.get(i), row.certified().get());
            if (row.status() == Status.PRESENT_IN_BOTH) {
                assertEquals("unit-" + i, row.installed().get().reference());
                assertFalse(row.modelDiffers());
            }
        }
    }

    @Test
    void oneComponentSwapped() {
        List<InstalledComponent> custody = custodyAsCertified();
        int dimm = indexOfSerial(custody, "37CCD269");
        custody.set(dimm, new InstalledComponent("80CE000080CE", "37CCFFFF", "M471A1K43DB1-CWE", "replacement"));
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody);
        assertFalse(result.consistent());
        assertEquals(List.of("37CCD269"), serials(result.missing()));
        assertEquals(List.of("37CCFFFF"), serials(result.unexpected()));
        assertEquals("replacement", result.unexpected().get(0).installed().get().reference());
        assertEquals(11, result.present().size());
    }

    @Test
    void oneComponentRemoved() {
        List<InstalledComponent> custody = custodyAsCertified();
        InstalledComponent ssd = custody.remove(custody.size() - 1);
        assertTrue(ssd.serial().endsWith(":30OF304WF7SL"));
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody);
        assertEquals(1, result.missing().size());
        assertEquals(CERTIFIED.get(32), result.missing().get(0).certified().get());
        assertEquals(List.of(), result.unexpected());
        assertEquals(11, result.present().size());
    }

    @Test
    void oneComponentAdded() {
        List<InstalledComponent> custody = custodyAsCertified();
        custody.add(3, new InstalledComponent("NVIDIA Corporation", "1650123456789", "H100 SXM5", "gpu-1"));
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody);
        assertEquals(List.of(), result.missing());
        assertEquals(1, result.unexpected().size());
        assertEquals("gpu-1", result.unexpected().get(0).installed().get().reference());
        assertEquals(12, result.present().size());
        // unexpected rows come after the certified ones
        assertEquals(Status.UNEXPECTED, result.rows().get(33).status());
    }

    @Test
    void repeatedManufacturerAndSerialAreAMultiset() {
        // the certificate lists four identical PCIe bridges ("8086::", "15E7::", serial "D745A01289B30200:")
        List<InstalledComponent> custody = custodyAsCertified();
        int bridge = indexOfModel(custody, "15E7::");
        custody.remove(bridge);
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody);
        assertEquals(1, result.missing().size());
        assertEquals("15E7::", result.missing().get(0).certified().get().model());
        assertEquals(List.of(), result.unexpected());

        // and a fifth one installed is unexpected
        custody = custodyAsCertified();
        custody.add(new InstalledComponent("8086::", "D745A01289B30200:", "15E7::"));
        result = ComponentComparator.compare(CERTIFIED, custody);
        assertEquals(List.of(), result.missing());
        assertEquals(1, result.unexpected().size());
    }

    @Test
    void theModelBreaksTiesBetweenEntriesWithTheSameSerial() {
        // the platform ("Latitude 5510") and the chassis ("0A") are both Dell Inc., serial DQXH253
        List<InstalledComponent> custody = custodyAsCertified().stream()
                .filter(c -> !c.model().equals("Latitude 5510")).toList();
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody);
        assertEquals(1, result.missing().size());
        assertEquals("Latitude 5510", result.missing().get(0).certified().get().model());
        Row chassis = result.rows().get(3);
        assertEquals(Status.PRESENT_IN_BOTH, chassis.status());
        assertEquals("0A", chassis.installed().get().model());
    }

    @Test
    void aDifferentModelStillMatchesButIsFlagged() {
        List<InstalledComponent> custody = new ArrayList<>(custodyAsCertified());
        int ssd = custody.size() - 1;
        InstalledComponent old = custody.get(ssd);
        custody.set(ssd, new InstalledComponent(old.manufacturer(), old.serial(), "Some Other Model", old.reference()));
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody);
        assertTrue(result.consistent());
        Row row = result.rows().get(32);
        assertEquals(Status.PRESENT_IN_BOTH, row.status());
        assertTrue(row.modelDiffers());
        // models compare trimmed, white space collapsed, case ignored; an unknown model is not a difference
        custody.set(ssd, new InstalledComponent(old.manufacturer(), old.serial(), "  kxg6aznv512g nvme SED   KIOXIA 512GB "));
        assertFalse(ComponentComparator.compare(CERTIFIED, custody).rows().get(32).modelDiffers());
        custody.set(ssd, new InstalledComponent(old.manufacturer(), old.serial(), null));
        assertFalse(ComponentComparator.compare(CERTIFIED, custody).rows().get(32).modelDiffers());
    }

    @Test
    void manufacturerNamesCompareIgnoringCaseAndPunctuation() {
        UnaryOperator<String> n = ComponentComparator.CASE_AND_PUNCTUATION_INSENSITIVE;
        assertEquals(n.apply("Dell Inc."), n.apply("DELL INC"));
        assertEquals(n.apply("Dell Inc."), n.apply("dell, inc"));
        assertFalse(n.apply("Dell Inc.").equals(n.apply("Dell")));
        assertFalse(n.apply("Intel(R) Corporation").equals(n.apply("Intel Corporation")));
        assertEquals(n.apply("Intel® Corporation"), n.apply("INTEL CORPORATION"));

        List<InstalledComponent> custody = List.of(new InstalledComponent("DELL INC", "DQXH253", "0A"));
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody);
        assertEquals(1, result.present().size());
        assertEquals("0A", result.present().get(0).certified().get().model());

        // the same serial from another manufacturer is not the same component
        result = ComponentComparator.compare(CERTIFIED, List.of(new InstalledComponent("Lenovo", "DQXH253", "0A")));
        assertEquals(List.of(), result.present());
        assertEquals(1, result.unexpected().size());
    }

    @Test
    void aCallerSuppliedNormaliserMapsIdentifiersToNames() {
        Map<String, String> aliases = Map.of("80ce000080ce", "samsung", "samsungelectronics", "samsung");
        UnaryOperator<String> normaliser = name -> {
            String n = ComponentComparator.CASE_AND_PUNCTUATION_INSENSITIVE.apply(name);
            return aliases.getOrDefault(n, n);
        };
        List<InstalledComponent> custody = List.of(
                new InstalledComponent("Samsung Electronics", "37CCD269", "M471A1K43DB1-CWE"),
                new InstalledComponent("Samsung Electronics", "37CCD1F9", "M471A1K43DB1-CWE"));
        assertEquals(0, ComponentComparator.compare(CERTIFIED, custody).present().size());
        ComponentComparison result = ComponentComparator.compare(CERTIFIED, custody, normaliser);
        assertEquals(2, result.present().size());
        assertEquals(List.of(), result.unexpected());
        assertEquals(10, result.missing().size());
    }

    @Test
    void componentsWithoutSerialsAreNotComparable() {
        Component noSerial = component("Acme", "Widget", null);
        Component blankSerial = component("Acme", "Widget", "  ");
        Component withSerial = component("Acme", "Widget", "W1");
        Component punctuationOnly = component("---", "Widget", "W2");
        List<InstalledComponent> custody = List.of(
                new InstalledComponent("Acme", null, "Widget", "a"),
                new InstalledComponent("Acme", " ", "Widget", "b"),
                new InstalledComponent("ACME", " W1 ", "Widget", "c"));
        ComponentComparison result = ComponentComparator.compare(
                List.of(noSerial, blankSerial, withSerial, punctuationOnly), custody);
        assertEquals(List.of(Status.NOT_COMPARABLE, Status.NOT_COMPARABLE, Status.PRESENT_IN_BOTH, Status.NOT_COMPARABLE,
                Status.NOT_COMPARABLE, Status.NOT_COMPARABLE),
                result.rows().stream().map(Row::status).toList());
        assertEquals("c", result.present().get(0).installed().get().reference());
        assertTrue(result.consistent());
    }

    @Test
    void emptyListsAndBadNormalisers() {
        assertEquals(List.of(), ComponentComparator.compare(List.of(), List.of()).rows());
        assertEquals(12, ComponentComparator.compare(CERTIFIED, List.of()).missing().size());
        assertThrows(NullPointerException.class,
                () -> ComponentComparator.compare(CERTIFIED, custodyAsCertified(), name -> null));
        assertThrows(IllegalArgumentException.class,
                () -> new Row(Status.MISSING, Optional.empty(), Optional.empty(), false));
    }

    private static Component component(String manufacturer, String model, String serial) {
        return new Component(Optional.empty(), manufacturer, model, Optional.ofNullable(serial), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    private static int indexOfSerial(List<InstalledComponent> list, String serial) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).serial().equals(serial)) {
                return i;
            }
        }
        throw new AssertionError(serial);
    }

    private static int indexOfModel(List<InstalledComponent> list, String model) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).model().equals(model)) {
                return i;
            }
        }
        throw new AssertionError(model);
    }
}
