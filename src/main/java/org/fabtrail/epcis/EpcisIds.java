package org.fabtrail.epcis;

import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.EnvelopeParser;

import java.util.Optional;

/**
 * Fabtrail's identifiers as EPCIS URIs, for partners without GS1 keys (docs/api.md, "EPCIS 2.0"):
 * {@code urn:fabtrail:unit:<manufacturer>:<serial>} for a unit, {@code urn:fabtrail:site:<org>:<site>} for a site
 * (read point and business location) and {@code urn:fabtrail:org:<org>} for an organisation (owning party). Every
 * part already matches a pattern that needs no escaping in a URN (organisation and site ids are slugs, serials
 * {@code [A-Za-z0-9._-]}), so the mapping is one-to-one and a URI that does not have exactly this form names
 * nothing Fabtrail knows. Units and sites declare no GS1 keys today, so SGTIN, SGLN and GS1 Digital Link are not
 * produced or accepted.
 */
public final class EpcisIds {

    public static final String UNIT = "urn:fabtrail:unit:";
    public static final String SITE = "urn:fabtrail:site:";
    public static final String ORG = "urn:fabtrail:org:";

    /** A site as its organisation and id. */
    public record SiteRef(String org, String site) {
    }

    private EpcisIds() {
    }

    public static String unit(UnitKey k) {
        return UNIT + k.manufacturer() + ":" + k.serial();
    }

    public static String site(String org, String site) {
        return SITE + org + ":" + site;
    }

    public static String org(String org) {
        return ORG + org;
    }

    /** The unit a URI names, or empty when it is not exactly a Fabtrail unit URN. */
    public static Optional<UnitKey> parseUnit(String uri) {
        String[] p = parts(uri, UNIT);
        return p != null && UnitKey.SERIAL.matcher(p[1]).matches() ? Optional.of(new UnitKey(p[0], p[1]))
                : Optional.empty();
    }

    /** The site a URI names, or empty when it is not exactly a Fabtrail site URN. */
    public static Optional<SiteRef> parseSite(String uri) {
        String[] p = parts(uri, SITE);
        return p != null && EnvelopeParser.SLUG.matcher(p[1]).matches() ? Optional.of(new SiteRef(p[0], p[1]))
                : Optional.empty();
    }

    /** The organisation a URI names, or empty when it is not exactly a Fabtrail organisation URN. */
    public static Optional<String> parseOrg(String uri) {
        if (uri == null || !uri.startsWith(ORG)) {
            return Optional.empty();
        }
        String org = uri.substring(ORG.length());
        return EnvelopeParser.SLUG.matcher(org).matches() ? Optional.of(org) : Optional.empty();
    }

    /** {@code prefix<slug>:<rest>} split into slug and rest (rest unchecked), or null. */
    private static String[] parts(String uri, String prefix) {
        if (uri == null || !uri.startsWith(prefix)) {
            return null;
        }
        String rest = uri.substring(prefix.length());
        int colon = rest.indexOf(':');
        if (colon < 0 || !EnvelopeParser.SLUG.matcher(rest.substring(0, colon)).matches()) {
            return null;
        }
        return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
    }
}
