package org.fabtrail.discrepancy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which ECCNs need an export licence for which destination countries: the {@code export-without-licence} rule's
 * table (docs/discrepancies.md, "Licences"). A text file of country groups and per-ECCN destination lists; the
 * shipped default ({@code licence-table.txt} next to this class) covers the 3A090 / 4A090 family and says EAR99 never
 * needs one. Pure: parsing and lookups only.
 */
public final class LicenceTable {

    private static final Pattern CODE = Pattern.compile("[A-Z]{2}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,31}");

    /** The shipped default table. */
    public static final LicenceTable DEFAULT = loadDefault();

    private final Map<String, Set<String>> byEccn; // ECCN (upper case) -> destinations needing a licence
    private final boolean unlistedNeedsLicence;

    private LicenceTable(Map<String, Set<String>> byEccn, boolean unlistedNeedsLicence) {
        this.byEccn = byEccn;
        this.unlistedNeedsLicence = unlistedNeedsLicence;
    }

    /** Reads a table (the format is described in the default file's comments). */
    public static LicenceTable parse(String text) {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        Map<String, Set<String>> byEccn = new LinkedHashMap<>();
        Boolean unlisted = null;
        int n = 0;
        for (String raw : text.split("\n", -1)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("licence table line " + n + ": expected \"... = ...\"");
            }
            String[] head = line.substring(0, eq).strip().split("\\s+");
            List<String> values = List.of(line.substring(eq + 1).strip().split("\\s+"));
            if (head.length == 1 && head[0].equals("default")) {
                if (values.equals(List.of("all")) || values.equals(List.of("none"))) {
                    unlisted = values.get(0).equals("all");
                    continue;
                }
                throw new IllegalArgumentException("licence table line " + n + ": default is all or none");
            }
            if (head.length != 2 || !NAME.matcher(head[1]).matches()
                    || !(head[0].equals("group") || head[0].equals("licence"))) {
                throw new IllegalArgumentException("licence table line " + n
                        + ": expected \"group NAME = ...\", \"licence ECCN = ...\" or \"default = all|none\"");
            }
            String name = head[1].toUpperCase(Locale.ROOT);
            Set<String> countries = new TreeSet<>();
            if (!(head[0].equals("licence") && values.equals(List.of("none")))) {
                for (String v : values) {
                    if (groups.containsKey(v)) {
                        countries.addAll(groups.get(v));
                    } else if (CODE.matcher(v).matches()) {
                        countries.add(v);
                    } else {
                        throw new IllegalArgumentException("licence table line " + n + ": \"" + v
                                + "\" is neither an ISO 3166-1 alpha-2 code nor a group defined above");
                    }
                }
            }
            if ((head[0].equals("group") ? groups : byEccn).put(head[0].equals("group") ? head[1] : name,
                    Set.copyOf(countries)) != null) {
                throw new IllegalArgumentException("licence table line " + n + ": " + head[1] + " defined twice");
            }
        }
        if (unlisted == null) {
            throw new IllegalArgumentException("licence table: no \"default = all|none\" line");
        }
        return new LicenceTable(Map.copyOf(byEccn), unlisted);
    }

    /** Reads the table from a file (the setting {@code fabtrail.discrepancy.licence-table}). */
    public static LicenceTable read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("fabtrail.discrepancy.licence-table: cannot read " + file + ": " + e);
        }
    }

    private static LicenceTable loadDefault() {
        try (InputStream in = LicenceTable.class.getResourceAsStream("licence-table.txt")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a unit with this ECCN needs a licence to go from one country to another: never without an ECCN or
     * inside one country (or when a country is unknown); per the table's most specific entry for the ECCN (an entry
     * covers its sub-paragraphs: {@code 3A090} covers {@code 3A090.a}); for an ECCN the table does not name, per its
     * default.
     */
    public boolean needsLicence(String eccn, String fromCountry, String toCountry) {
        if (eccn == null || fromCountry == null || toCountry == null || fromCountry.equals(toCountry)) {
            return false;
        }
        Set<String> destinations = entry(eccn);
        return destinations == null ? unlistedNeedsLicence : destinations.contains(toCountry);
    }

    /** Whether a unit with this ECCN needs a licence to go to this country from at least one other country. */
    public boolean mayNeedLicence(String eccn, String toCountry) {
        if (eccn == null || toCountry == null) {
            return false;
        }
        Set<String> destinations = entry(eccn);
        return destinations == null ? unlistedNeedsLicence : destinations.contains(toCountry);
    }

    /** The destinations of the most specific entry covering the ECCN, or null when none does. */
    private Set<String> entry(String eccn) {
        String e = eccn.toUpperCase(Locale.ROOT);
        while (true) {
            Set<String> d = byEccn.get(e);
            if (d != null) {
                return d;
            }
            int dot = e.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            e = e.substring(0, dot);
        }
    }

    /** The ECCNs the table names (for the docs' test). */
    public Set<String> eccns() {
        return new LinkedHashSet<>(new ArrayList<>(byEccn.keySet()));
    }
}
