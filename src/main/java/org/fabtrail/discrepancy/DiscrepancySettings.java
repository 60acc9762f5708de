package org.fabtrail.discrepancy;

import java.time.Duration;
import java.util.Locale;

/**
 * How the detectors are tuned (docs/discrepancies.md): grace and default transit time for overdue dispatches, the
 * travel limits between two located events of one unit and the clock skew a claimed time may have, per screening
 * rule whether a match blocks the dispatch, the transshipment window, the fuzzy name-match threshold and the licence
 * table.
 */
public record DiscrepancySettings(Duration overdueGrace, Duration defaultTransit, double maxTravelKmh,
                                  Duration minCrossBorderTravel, Action restrictedParty, Action restrictedCountry,
                                  Action exportWithoutLicence, Duration clockSkew, Duration transshipmentWindow,
                                  double matchThreshold, LicenceTable licences) {

    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration TRANSSHIPMENT_WINDOW = Duration.ofDays(90);
    public static final double MATCH_THRESHOLD = 0.85;

    public enum Action {
        BLOCK, FLAG;

        public static Action parse(String s, String setting) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + " must be block or flag, not \"" + s + "\"");
            }
        }
    }

    /** The settings before issue 11's, with that defaults for the rest. */
    public DiscrepancySettings(Duration overdueGrace, Duration defaultTransit, double maxTravelKmh,
                               Duration minCrossBorderTravel, Action restrictedParty, Action restrictedCountry,
                               Action exportWithoutLicence) {
        this(overdueGrace, defaultTransit, maxTravelKmh, minCrossBorderTravel, restrictedParty, restrictedCountry,
                exportWithoutLicence, CLOCK_SKEW, TRANSSHIPMENT_WINDOW, MATCH_THRESHOLD, LicenceTable.DEFAULT);
    }

    public DiscrepancySettings {
        if (!(matchThreshold > 0 && matchThreshold <= 1)) {
            throw new IllegalArgumentException("fabtrail.discrepancy.match-threshold must be in (0, 1], not "
                    + matchThreshold);
        }
        if (clockSkew.isNegative() || transshipmentWindow.isNegative()) {
            throw new IllegalArgumentException("clock-skew and transshipment-window must not be negative");
        }
    }

    /** These settings with the restricted-party policy replaced. */
    public DiscrepancySettings withRestrictedParty(Action action) {
        return new DiscrepancySettings(overdueGrace, defaultTransit, maxTravelKmh, minCrossBorderTravel, action,
                restrictedCountry, exportWithoutLicence, clockSkew, transshipmentWindow, matchThreshold, licences);
    }

    /** These settings with the transshipment window replaced. */
    public DiscrepancySettings withTransshipmentWindow(Duration window) {
        return new DiscrepancySettings(overdueGrace, defaultTransit, maxTravelKmh, minCrossBorderTravel, restrictedParty,
                restrictedCountry, exportWithoutLicence, clockSkew, window, matchThreshold, licences);
    }

    /** These settings with the name-match threshold replaced. */
    public DiscrepancySettings withMatchThreshold(double threshold) {
        return new DiscrepancySettings(overdueGrace, defaultTransit, maxTravelKmh, minCrossBorderTravel, restrictedParty,
                restrictedCountry, exportWithoutLicence, clockSkew, transshipmentWindow, threshold, licences);
    }

    public static final DiscrepancySettings DEFAULTS = new DiscrepancySettings(Duration.ofHours(24), Duration.ofDays(14),
            900, Duration.ofHours(6), Action.BLOCK, Action.BLOCK, Action.FLAG);
}
