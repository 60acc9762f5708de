package org.fabtrail.attestation.platform;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.fabtrail.attestation.platform.ComponentComparison.Row;
import org.fabtrail.attestation.platform.ComponentComparison.Status;

/**
 * Compares the components a Platform Certificate lists with the components custody says are
 * installed. Pure: data in, data out.
 *
 * <h2>Matching</h2>
 * A certified and an installed component match when their manufacturers are equal after
 * normalisation and their serials are equal after removing leading and trailing white space (serials
 * are otherwise compared exactly, case included). Components are a multiset: a certificate may list
 * the same manufacturer and serial more than once (paccor's sample lists four PCIe bridges with the
 * same serial, and a laptop's platform and chassis both with the service tag), and each certified
 * entry needs its own installed entry. When several certified entries share a manufacturer and serial,
 * the model breaks the tie: pairs with equal models (trimmed, white space collapsed, case ignored) are
 * made first, the rest in list order. A pair whose models differ is still a match; its row says so.
 *
 * <p>A component whose serial is absent or blank (paccor writes a CPU serial as one space), or whose
 * manufacturer normalises to nothing, cannot be compared: it gets a {@link Status#NOT_COMPARABLE} row.
 *
 * <h2>Manufacturer names</h2>
 * The certificate's manufacturer is free text written by whoever generated the certificate, not a
 * ledger organisation id: the caller maps custody's manufacturing organisation to a name, and the
 * normaliser decides which names are equal. The default,
 * {@link #CASE_AND_PUNCTUATION_INSENSITIVE}, makes {@code "Dell Inc."} equal to {@code "DELL INC"} but
 * not to {@code "Dell"}, and {@code "Intel(R) Corporation"} not equal to {@code "Intel Corporation"}.
 * Tools also write identifiers instead of names ({@code "80CE000080CE"}, a JEDEC code, for Samsung
 * DIMMs; {@code "8086:1028:"}, PCI vendor and subsystem ids, for Intel devices in Dell systems): a
 * caller that needs those to match passes a normaliser that maps aliases to one canonical form.
 *
 * <h2>Delta certificates</h2>
 * A delta Platform Certificate lists changes, not an inventory; comparing its components with custody
 * as if they were the full list is meaningless. Callers compare the inventory that results from
 * applying deltas to their base certificate.
 */
public final class ComponentComparator {

    /**
     * The default manufacturer normaliser: Unicode NFKC, lower case, and only letters and digits kept
     * (spaces, punctuation and symbols such as ® dropped).
     */
    public static final UnaryOperator<String> CASE_AND_PUNCTUATION_INSENSITIVE = name -> {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(folded.length());
        folded.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString();
    };

    private ComponentComparator() {
    }

    /**
     * Compares with the default manufacturer normaliser, {@link #CASE_AND_PUNCTUATION_INSENSITIVE}.
     *
     * @param certified the certificate's components ({@link PlatformCertificate#components()})
     * @param installed the components custody says are installed
     * @return the expected-versus-found table
     */
    public static ComponentComparison compare(List<Component> certified, List<InstalledComponent> installed) {
        return compare(certified, installed, CASE_AND_PUNCTUATION_INSENSITIVE);
    }

    /**
     * Compares with a caller-supplied manufacturer normaliser.
     *
     * @param certified              the certificate's components
     * @param installed              the components custody says are installed
     * @param manufacturerNormaliser maps a manufacturer name to the form in which equal manufacturers
     *                               are equal strings; applied to both sides; must not return null
     * @return the expected-versus-found table
     */
    public static ComponentComparison compare(List<Component> certified, List<InstalledComponent> installed,
            UnaryOperator<String> manufacturerNormaliser) {
        Objects.requireNonNull(certified, "certified");
        Objects.requireNonNull(installed, "installed");
        Objects.requireNonNull(manufacturerNormaliser, "manufacturerNormaliser");

        Key[] certifiedKeys = new Key[certified.size()];
        for (int i = 0; i < certified.size(); i++) {
            Component c = Objects.requireNonNull(certified.get(i), "certified component");
            certifiedKeys[i] = key(c.manufacturer(), c.serial().orElse(null), manufacturerNormaliser);
        }
        Key[] installedKeys = new Key[installed.size()];
        Map<Key, List<Integer>> installedByKey = new LinkedHashMap<>();
        for (int j = 0; j < installed.size(); j++) {
            InstalledComponent c = Objects.requireNonNull(installed.get(j), "installed component");
            installedKeys[j] = key(c.manufacturer(), c.serial(), manufacturerNormaliser);
            if (installedKeys[j] != null) {
                installedByKey.computeIfAbsent(installedKeys[j], k -> new ArrayList<>()).add(j);
            }
        }

        boolean[] taken = new boolean[installed.size()];
        int[] partner = partners(certified, installed, certifiedKeys, installedByKey, taken);

        List<Row> rows = new ArrayList<>(certified.size() + installed.size());
        for (int i = 0; i < certified.size(); i++) {
            Optional<Component> c = Optional.of(certified.get(i));
            if (certifiedKeys[i] == null) {
                rows.add(new Row(Status.NOT_COMPARABLE, c, Optional.empty(), false));
            } else if (partner[i] < 0) {
                rows.add(new Row(Status.MISSING, c, Optional.empty(), false));
            } else {
                InstalledComponent found = installed.get(partner[i]);
                boolean modelDiffers = found.model() != null && !sameModel(certified.get(i).model(), found.model());
                rows.add(new Row(Status.PRESENT_IN_BOTH, c, Optional.of(found), modelDiffers));
            }
        }
        for (int j = 0; j < installed.size(); j++) {
            if (installedKeys[j] == null) {
                rows.add(new Row(Status.NOT_COMPARABLE, Optional.empty(), Optional.of(installed.get(j)), false));
            } else if (!taken[j]) {
                rows.add(new Row(Status.UNEXPECTED, Optional.empty(), Optional.of(installed.get(j)), false));
            }
        }
        return new ComponentComparison(rows);
    }

    /**
     * For each certified component, the index of the installed one it pairs with (-1 for none), marking it in
     * {@code taken}: first with the same key and model, then with the same key, models in list order.
     */
    private static int[] partners(List<Component> certified, List<InstalledComponent> installed, Key[] certifiedKeys,
                                  Map<Key, List<Integer>> installedByKey, boolean[] taken) {
        int[] partner = new int[certified.size()];
        Arrays.fill(partner, -1);
        for (boolean requireSameModel : new boolean[] {true, false}) {
            for (int i = 0; i < certified.size(); i++) {
                if (certifiedKeys[i] == null || partner[i] >= 0) {
                    continue;
                }
                for (int j : installedByKey.getOrDefault(certifiedKeys[i], List.of())) {
                    if (!taken[j] && (!requireSameModel || sameModel(certified.get(i).model(), installed.get(j).model()))) {
                        partner[i] = j;
                        taken[j] = true;
                        break;
                    }
                }
            }
        }
        return partner;
    }

    private record Key(String manufacturer, String serial) {
    }

    /** @return the matching key, or null if the component cannot be compared */
    private static Key key(String manufacturer, String serial, UnaryOperator<String> normaliser) {
        if (serial == null || serial.isBlank()) {
            return null;
        }
        String normalised = Objects.requireNonNull(normaliser.apply(manufacturer),
                "the manufacturer normaliser returned null for " + manufacturer);
        return normalised.isEmpty() ? null : new Key(normalised, serial.strip());
    }

    private static boolean sameModel(String a, String b) {
        return a != null && b != null && normaliseModel(a).equals(normaliseModel(b));
    }

    private static String normaliseModel(String model) {
        return model.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
