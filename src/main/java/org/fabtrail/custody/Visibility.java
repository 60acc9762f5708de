package org.fabtrail.custody;

/**
 * What a caller may see of the custody record (ADR 0003, ADR 0024): everything (the operator, its staff, inspector and
 * regulator organisations) or one organisation's share (its own entries, the public registry entries, and the units
 * it makes, holds, held or was sent). The read services take it with every question, so a unit, transfer, entry or
 * finding the caller may not see is answered as if it did not exist: empty, by construction.
 *
 * @param org the organisation whose share is visible; null sees everything
 */
public record Visibility(String org) {

    /** Sees everything. */
    public static final Visibility ALL = new Visibility(null);

    /** Everything when {@code seesAll}, else what {@code org} may see (an org-less caller that does not see all: everything, as before). */
    public static Visibility of(boolean seesAll, String org) {
        return seesAll || org == null ? ALL : new Visibility(org);
    }

    public boolean seesAll() {
        return org == null;
    }

    /** The visibility argument of the custody queries: null sees everything. */
    public String visibleTo() {
        return org;
    }
}
