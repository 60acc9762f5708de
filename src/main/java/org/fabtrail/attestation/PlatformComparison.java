package org.fabtrail.attestation;

import org.fabtrail.custody.UnitKey;
import java.time.Instant;
import java.util.List;

/**
 * A platform certificate's components compared with what custody says is assembled in the platform: the
 * expected-versus-found table of the unit page, the API and the discrepancy detectors. Rows come in a fixed order:
 * one per certified component in certificate order ({@code present}, {@code missing} or {@code not-comparable}),
 * then one per assembled unit the certificate does not account for ({@code unexpected}).
 *
 * @param platform    the server (or other parent unit) the certificate is about
 * @param certificate the certificate compared (the unit's current one, or the one an inspection carried)
 * @param index       the log index of the entry that carried it
 * @param caId        the registered device CA that verified it
 * @param rows        the table
 */
public record PlatformComparison(UnitKey platform, PlatformCertificates.Certificate certificate, long index,
                                 Instant at, String caId, List<Row> rows) {

    public static final String PRESENT = "present";
    public static final String MISSING = "missing";
    public static final String UNEXPECTED = "unexpected";
    public static final String NOT_COMPARABLE = "not-comparable";

    public PlatformComparison {
        rows = List.copyOf(rows);
    }

    /**
     * One row.
     *
     * @param status       {@link #PRESENT}, {@link #MISSING}, {@link #UNEXPECTED} or {@link #NOT_COMPARABLE}
     * @param certified    the certified component (null for {@code unexpected} rows)
     * @param unit         the custody unit found: the matching assembled unit, or the platform itself for the
     *                     certificate's entries that carry the platform's own serial (system, chassis); for
     *                     {@code unexpected} rows the assembled unit the certificate does not list; null otherwise
     * @param unitModel    that unit's model, or null
     * @param modelDiffers for {@code present}: the certificate's model and the unit's model differ
     */
    public record Row(String status, PlatformCertificates.CertifiedComponent certified, UnitKey unit,
                      String unitModel, boolean modelDiffers) {
    }

    public List<Row> present() {
        return with(PRESENT);
    }

    public List<Row> missing() {
        return with(MISSING);
    }

    public List<Row> unexpected() {
        return with(UNEXPECTED);
    }

    public List<Row> notComparable() {
        return with(NOT_COMPARABLE);
    }

    /** No component missing and none unexpected (components without a serial do not count). */
    public boolean consistent() {
        return missing().isEmpty() && unexpected().isEmpty();
    }

    private List<Row> with(String status) {
        return rows.stream().filter(r -> r.status().equals(status)).toList();
    }

    /** The counts recorded with entries. */
    public record Counts(int present, int missing, int unexpected, int notComparable) {
    }

    public Counts counts() {
        return new Counts(present().size(), missing().size(), unexpected().size(), notComparable().size());
    }
}
