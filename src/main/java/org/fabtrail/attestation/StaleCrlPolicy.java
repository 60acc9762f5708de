package org.fabtrail.attestation;

import java.util.Locale;

/**
 * What a stale CRL does to a device identity check: a registered CRL of a CA on the chain whose {@code nextUpdate}
 * had passed at the time of the check, with no newer one registered (the {@code crl-stale} reason). Setting
 * {@code fabtrail.attestation.stale-crl}.
 *
 * <p>Only new entries are judged by the setting. A replay of the log accepts what either policy accepted (a
 * registration {@link #FLAG} let through, an inspection whose verdict {@link #FAIL} failed), so the operator may change
 * the setting without making the log unreplayable.
 */
public enum StaleCrlPolicy {

    /**
     * The default: the check passes, {@code crl-stale} is reported next to the verdict, recorded with the inspection
     * and raised as a {@code crl-stale} finding.
     */
    FLAG,
    /** The check fails with {@code crl-stale}: a registration or certification is refused, an attestation fails. */
    FAIL;

    /** @throws IllegalArgumentException naming the setting, for anything but flag or fail */
    public static StaleCrlPolicy parse(String text, String setting) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(setting + " must be flag or fail, not \"" + text + "\"");
        }
    }
}
