package org.fabtrail.web;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A platform certificate's component class ({@code registry/value}, as {@code Component.ComponentClass} writes it) in
 * words, from the TCG Component Class Registry: the SMBIOS registry ({@code 2.23.133.18.3.3}), whose value's first two
 * bytes are the SMBIOS structure type, and the PCIe registry ({@code 2.23.133.18.3.4}), whose value's last three bytes
 * are the PCI class code (base class, subclass, programming interface). Classes not listed here have no words: the page
 * shows their raw value.
 */
final class ComponentClasses {

    static final String SMBIOS = "2.23.133.18.3.3";
    static final String PCIE = "2.23.133.18.3.4";

    /** SMBIOS structure types (SMBIOS 3.x, section 7). */
    private static final Map<Integer, String> SMBIOS_TYPES = Map.ofEntries(
            Map.entry(0x00, "Firmware (BIOS)"), Map.entry(0x01, "System"), Map.entry(0x02, "Baseboard"),
            Map.entry(0x03, "Chassis"), Map.entry(0x04, "CPU"), Map.entry(0x07, "Cache"),
            Map.entry(0x09, "System slot"), Map.entry(0x11, "Memory module"), Map.entry(0x16, "Battery"),
            Map.entry(0x27, "Power supply"), Map.entry(0x2B, "TPM"));

    /** PCI base class and subclass (PCI Code and ID Assignment Specification). */
    private static final Map<Integer, String> PCI_CLASSES = Map.ofEntries(
            Map.entry(0x0100, "SCSI storage controller"), Map.entry(0x0104, "RAID controller"),
            Map.entry(0x0106, "SATA controller"), Map.entry(0x0108, "NVMe storage controller"),
            Map.entry(0x0180, "Storage controller"), Map.entry(0x0200, "Ethernet controller"),
            Map.entry(0x0207, "InfiniBand controller"), Map.entry(0x0280, "Network controller"),
            Map.entry(0x0300, "Display controller (VGA)"), Map.entry(0x0302, "GPU"),
            Map.entry(0x0380, "Display controller"), Map.entry(0x0500, "Memory controller"),
            Map.entry(0x0600, "Host bridge"), Map.entry(0x0601, "ISA bridge"), Map.entry(0x0604, "PCI bridge"),
            Map.entry(0x0780, "Communication controller"), Map.entry(0x0880, "System peripheral"),
            Map.entry(0x0B40, "Co-processor"), Map.entry(0x0C03, "USB controller"), Map.entry(0x0C05, "SMBus controller"),
            Map.entry(0x0C80, "Serial bus controller"), Map.entry(0x1180, "Signal processing controller"),
            Map.entry(0x1200, "Processing accelerator"));

    /** A component class as a detector's summary writes it: registry OID, slash, eight hex digits. */
    private static final Pattern IN_TEXT = Pattern.compile("2\\.23\\.133\\.18\\.3\\.[34]/[0-9A-Fa-f]{8}");

    private ComponentClasses() {
    }

    /**
     * A text (a finding's summary, an entry's) with each component class this class knows replaced by its words; the
     * others stay as they are. For display only: the log and the finding keep the registry values.
     */
    static String inText(String text) {
        if (text == null || !text.contains(PCIE.substring(0, 12))) {
            return text;
        }
        return IN_TEXT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(words(m.group()).orElse(m.group())));
    }

    /** The class in words, or empty when this registry or value is not one listed here. */
    static Optional<String> words(String componentClass) {
        if (componentClass == null) {
            return Optional.empty();
        }
        int slash = componentClass.indexOf('/');
        if (slash < 0 || !componentClass.substring(slash + 1).matches("[0-9A-Fa-f]{8}")) {
            return Optional.empty();
        }
        String registry = componentClass.substring(0, slash);
        long value = Long.parseLong(componentClass.substring(slash + 1), 16);
        if (SMBIOS.equals(registry)) {
            return Optional.ofNullable(SMBIOS_TYPES.get((int) (value >>> 16)));
        }
        if (PCIE.equals(registry) && value >>> 24 == 0) {
            return Optional.ofNullable(PCI_CLASSES.get((int) (value >>> 8) & 0xFFFF));
        }
        return Optional.empty();
    }
}
