package org.fabtrail.attestation.platform;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One component listed in a Platform Certificate's {@code tcg-at-platformConfiguration} attribute:
 * the TCG {@code ComponentIdentifier} (version 1, version 2, or the version 1.1 identifier carried
 * as a trait in the version 3 configuration).
 *
 * <p>Every string is exactly what the certificate carries, without trimming: paccor, for example,
 * writes a DIMM model as {@code "M471A1K43DB1-CWE    "} (with trailing spaces) and a CPU serial as
 * {@code " "} (one space). {@link ComponentComparator} decides what is comparable.
 *
 * <p>The manufacturer is free text chosen by whoever generated the certificate. It is usually a
 * name ({@code "Dell Inc."}, {@code "Intel(R) Corporation"}) but tools also write raw identifiers:
 * a JEDEC code for DIMMs ({@code "80CE000080CE"}), PCI vendor and subsystem ids for PCIe devices
 * ({@code "8086:1028:"}) or the TPM vendor id in hex ({@code "53544D20"}, "STM ").
 *
 * @param componentClass   the component class (registry and 4-byte value); absent only in version 1
 *                         configurations, whose identifiers have no class
 * @param manufacturer     {@code componentManufacturer}
 * @param model            {@code componentModel}
 * @param serial           {@code componentSerial}, when present
 * @param revision         {@code componentRevision}, when present
 * @param manufacturerId   {@code componentManufacturerId}, an IANA private enterprise number OID, when present
 * @param fieldReplaceable {@code fieldReplaceable}, when present
 * @param addresses        {@code componentAddresses} (MAC addresses), possibly empty
 * @param status           {@code status} (delta certificates only), when present
 */
public record Component(
        Optional<ComponentClass> componentClass,
        String manufacturer,
        String model,
        Optional<String> serial,
        Optional<String> revision,
        Optional<String> manufacturerId,
        Optional<Boolean> fieldReplaceable,
        List<Address> addresses,
        Optional<ChangeStatus> status) {

    /** Checks that no field is null and copies the address list. */
    public Component {
        Objects.requireNonNull(componentClass, "componentClass");
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(manufacturerId, "manufacturerId");
        Objects.requireNonNull(fieldReplaceable, "fieldReplaceable");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(status, "status");
    }

    /**
     * @return whether the component carries a serial that is not empty or only white space, the
     *         condition for {@link ComponentComparator} to compare it with custody
     */
    public boolean hasComparableSerial() {
        return serial.isPresent() && !serial.get().isBlank();
    }

    /** @return {@code manufacturer model serial} for messages */
    @Override
    public String toString() {
        return "Component[" + componentClass.map(ComponentClass::toString).orElse("no class") + ", manufacturer=\""
                + manufacturer + "\", model=\"" + model + "\", serial=" + serial.map(s -> "\"" + s + "\"").orElse("none")
                + revision.map(r -> ", revision=\"" + r + "\"").orElse("")
                + fieldReplaceable.map(f -> ", fieldReplaceable=" + f).orElse("")
                + (addresses.isEmpty() ? "" : ", addresses=" + addresses)
                + status.map(s -> ", status=" + s).orElse("") + "]";
    }

    /**
     * {@code ComponentClass ::= SEQUENCE { componentClassRegistry OBJECT IDENTIFIER, componentClassValue
     * OCTET STRING (SIZE(4)) }}.
     *
     * <p>Registries on the {@code 2.23.133.18.3} arc: {@code .1} TCG, {@code .2} IETF, {@code .3} DMTF
     * (SMBIOS types), {@code .4} PCIe (class codes), {@code .5} storage.
     *
     * @param registry the registry OID, dotted decimal
     * @param value    the 4-byte class value as 8 upper-case hex digits, such as {@code "00040003"}
     */
    public record ComponentClass(String registry, String value) {

        /** Checks the OID is dotted decimal and the value is 8 upper-case hex digits. */
        public ComponentClass {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(value, "value");
            if (!registry.matches("[0-9]+(\\.[0-9]+)+")) {
                throw new IllegalArgumentException("registry is not a dotted-decimal OID: " + registry);
            }
            if (!value.matches("[0-9A-F]{8}")) {
                throw new IllegalArgumentException("class value is not 8 upper-case hex digits: " + value);
            }
        }

        /** @return {@code registry/value} */
        @Override
        public String toString() {
            return registry + "/" + value;
        }
    }

    /**
     * {@code ComponentAddress ::= SEQUENCE { addressType OBJECT IDENTIFIER, addressValue UTF8String }}.
     *
     * @param type  the address type OID: {@code 2.23.133.17.1} Ethernet MAC, {@code .2} WLAN MAC,
     *              {@code .3} Bluetooth MAC
     * @param value the address as written in the certificate (paccor writes 12 hex digits, no separators)
     */
    public record Address(String type, String value) {

        /** Ethernet MAC address type. */
        public static final String ETHERNET_MAC = "2.23.133.17.1";
        /** WLAN MAC address type. */
        public static final String WLAN_MAC = "2.23.133.17.2";
        /** Bluetooth MAC address type. */
        public static final String BLUETOOTH_MAC = "2.23.133.17.3";

        /** Checks that neither field is null. */
        public Address {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code AttributeStatus ::= ENUMERATED { added (0), modified (1), removed (2) }}, used by delta certificates. */
    public enum ChangeStatus {
        /** The component or property was added since the base certificate. */
        ADDED,
        /** The component or property was modified. */
        MODIFIED,
        /** The component or property was removed. */
        REMOVED
    }
}
