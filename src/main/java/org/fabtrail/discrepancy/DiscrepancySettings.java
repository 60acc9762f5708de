package org.fabtrail.discrepancy;

import java.time.Duration;
import java.util.Locale;

/**
 * How the detectors are tuned (docs/discrepancies.md): grace and default transit time for overdue dispatches, the
 * travel limits for two inspections of one unit, and per screening rule whether a match blocks the dispatch.
 */
public record DiscrepancySettings(Duration overdueGrace, Duration defaultTransit, double maxTravelKmh,
                                  Duration minCrossBorderTravel, Action restrictedParty, Action restrictedCountry,
                                  Action exportWithoutLicence) {

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

    public static final DiscrepancySettings DEFAULTS = new DiscrepancySettings(Duration.ofHours(24), Duration.ofDays(14),
            900, Duration.ofHours(6), Action.BLOCK, Action.BLOCK, Action.FLAG);
}
