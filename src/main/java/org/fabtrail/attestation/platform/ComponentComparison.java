package org.fabtrail.attestation.platform;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The expected-versus-found table {@link ComponentComparator} produces: one row per certified
 * component and one per installed component that no certified component accounts for.
 *
 * <p>Rows come in a fixed order: first one row per certified component, in certificate order
 * ({@link Status#PRESENT_IN_BOTH}, {@link Status#MISSING} or {@link Status#NOT_COMPARABLE}), then the
 * installed components left over, in the caller's order ({@link Status#UNEXPECTED} or
 * {@link Status#NOT_COMPARABLE}).
 *
 * @param rows the table
 */
public record ComponentComparison(List<Row> rows) {

    /** Copies the rows. */
    public ComponentComparison {
        rows = List.copyOf(rows);
    }

    /** @return the rows for components found in both the certificate and custody */
    public List<Row> present() {
        return withStatus(Status.PRESENT_IN_BOTH);
    }

    /** @return the rows for certified components custody does not have installed */
    public List<Row> missing() {
        return withStatus(Status.MISSING);
    }

    /** @return the rows for installed components the certificate does not list */
    public List<Row> unexpected() {
        return withStatus(Status.UNEXPECTED);
    }

    /** @return the rows for components, on either side, without a serial to compare */
    public List<Row> notComparable() {
        return withStatus(Status.NOT_COMPARABLE);
    }

    /**
     * @return whether no component is missing or unexpected (components without serials are not
     *         considered: whether they matter is the caller's policy)
     */
    public boolean consistent() {
        return missing().isEmpty() && unexpected().isEmpty();
    }

    private List<Row> withStatus(Status status) {
        return rows.stream().filter(r -> r.status() == status).toList();
    }

    /** What a row says. */
    public enum Status {
        /** Certified and installed: same manufacturer (after normalisation) and same serial. */
        PRESENT_IN_BOTH,
        /** Certified but not installed. */
        MISSING,
        /** Installed but not certified. */
        UNEXPECTED,
        /** No serial (absent or blank) on this side, so nothing to compare. */
        NOT_COMPARABLE
    }

    /**
     * One row of the table.
     *
     * @param status       what the row says
     * @param certified    the certified component (present for {@code PRESENT_IN_BOTH}, {@code MISSING}
     *                     and certified {@code NOT_COMPARABLE} rows)
     * @param installed    the installed component (present for {@code PRESENT_IN_BOTH}, {@code UNEXPECTED}
     *                     and installed {@code NOT_COMPARABLE} rows)
     * @param modelDiffers for {@code PRESENT_IN_BOTH}: both sides name a model and the models differ
     *                     (after trimming, collapsing white space and ignoring case); always false otherwise
     */
    public record Row(Status status, Optional<Component> certified, Optional<InstalledComponent> installed,
            boolean modelDiffers) {

        /** Checks that the row's sides fit its status. */
        public Row {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(certified, "certified");
            Objects.requireNonNull(installed, "installed");
            boolean ok = switch (status) {
                case PRESENT_IN_BOTH -> certified.isPresent() && installed.isPresent();
                case MISSING -> certified.isPresent() && installed.isEmpty();
                case UNEXPECTED -> certified.isEmpty() && installed.isPresent();
                case NOT_COMPARABLE -> certified.isPresent() != installed.isPresent();
            };
            if (!ok || (modelDiffers && status != Status.PRESENT_IN_BOTH)) {
                throw new IllegalArgumentException("a " + status + " row cannot have these sides");
            }
        }
    }
}
