package org.fabtrail.attestation.platform;

import java.util.Objects;

/**
 * A component that custody records as installed in a platform, as the caller maps it from the
 * ledger's assembled units: one per unit fitted into the platform.
 *
 * <p>{@code manufacturer} must be a name comparable with the free-text manufacturer a Platform
 * Certificate carries (such as {@code "Dell Inc."}), not a ledger organisation id: the caller maps
 * the manufacturing organisation to its name (or to whatever its manufacturer normaliser expects; see
 * {@link ComponentComparator#compare(java.util.List, java.util.List, java.util.function.UnaryOperator)}).
 *
 * @param manufacturer the manufacturer's name, never null
 * @param serial       the unit serial, or null if custody has none (the row is then "not comparable")
 * @param model        the model, or null if unknown (only used to choose between certified components
 *                     that share manufacturer and serial)
 * @param reference    an opaque reference for the caller (a unit id, say) carried into the comparison
 *                     rows, or null
 */
public record InstalledComponent(String manufacturer, String serial, String model, String reference) {

    /** Checks that the manufacturer is not null. */
    public InstalledComponent {
        Objects.requireNonNull(manufacturer, "manufacturer");
    }

    /**
     * @param manufacturer the manufacturer's name
     * @param serial       the unit serial, or null
     * @param model        the model, or null
     */
    public InstalledComponent(String manufacturer, String serial, String model) {
        this(manufacturer, serial, model, null);
    }

    /** @return whether the serial is present and not only white space */
    public boolean hasComparableSerial() {
        return serial != null && !serial.isBlank();
    }
}
