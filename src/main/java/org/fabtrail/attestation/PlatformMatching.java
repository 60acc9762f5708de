package org.fabtrail.attestation;

import org.fabtrail.custody.UnitKey;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the ledger matches a platform certificate's components with custody's units (docs/adr/0005, "Platform
 * certificates"):
 *
 * <ol>
 *   <li>A certificate's manufacturer is free text ({@code "Dell Inc."}, a JEDEC code, PCI ids). It <em>names</em> an
 *       organisation when, compared without case, spaces or punctuation, it equals that organisation's id or its
 *       registered name. Only the organisations in play are considered: the platform's manufacturer and the
 *       manufacturers of the units assembled in it.</li>
 *   <li>A certified component carrying the platform's own serial (a system or chassis entry) whose manufacturer names
 *       the platform's manufacturer or no organisation in play is the platform itself: present, found as the
 *       platform.</li>
 *   <li>Any other certified component matches an assembled unit with the same serial (trimmed; otherwise exact) whose
 *       manufacturer it names; a manufacturer that names no organisation in play (a raw vendor code) does not stand in
 *       the way: the serial decides. A manufacturer that names another organisation in play never matches.</li>
 *   <li>Components are a multiset, models break ties (the comparator's rules); a component without a serial is
 *       not comparable; an assembled unit no component accounts for is unexpected.</li>
 * </ol>
 */
public final class PlatformMatching {

    /** A unit assembled in the platform, with its model. */
    public record Assembled(UnitKey key, String model) {
    }

    private PlatformMatching() {
    }

    /**
     * The table for {@code certificate} on {@code platform} with {@code assembled} inside it.
     *
     * @param orgNames the registered names of the organisations in play (the platform's manufacturer and the
     *                 manufacturers of {@code assembled}); missing ones are matched by id only
     */
    public static PlatformComparison compare(PlatformCertificates impl, UnitKey platform, String platformModel,
                                             PlatformCertificates.Certificate certificate, long index, Instant at,
                                             String caId, List<Assembled> assembled, Map<String, String> orgNames) {
        Map<String, String> named = named(platform, assembled, orgNames);
        String platformSerial = platform.serial();
        List<PlatformCertificates.CertifiedComponent> certified = certificate.components();
        List<PlatformCertificates.CertifiedComponent> tokens = new ArrayList<>(certified.size());
        int self = 0;
        for (PlatformCertificates.CertifiedComponent c : certified) {
            String token = token(c, named, platform, assembled);
            if ("self".equals(token)) {
                self++;
            }
            tokens.add(new PlatformCertificates.CertifiedComponent(c.componentClass(), token, c.model(), c.serial(),
                    c.revision()));
        }
        List<PlatformCertificates.Installed> installed = new ArrayList<>();
        for (Assembled a : assembled) {
            installed.add(new PlatformCertificates.Installed("org:" + a.key().manufacturer(), a.key().serial(),
                    a.model()));
        }
        for (int i = 0; i < self; i++) {
            installed.add(new PlatformCertificates.Installed("self", platformSerial, null));
        }
        List<PlatformComparison.Row> rows = new ArrayList<>();
        for (PlatformCertificates.Row r : impl.compare(tokens, installed)) {
            PlatformCertificates.CertifiedComponent c = r.certifiedIndex() < 0 ? null : certified.get(r.certifiedIndex());
            UnitKey unit = null;
            String model = null;
            if (r.installedIndex() >= 0 && r.installedIndex() < assembled.size()) {
                unit = assembled.get(r.installedIndex()).key();
                model = assembled.get(r.installedIndex()).model();
            } else if (r.installedIndex() >= assembled.size()) {
                unit = platform;
                model = platformModel;
            }
            rows.add(new PlatformComparison.Row(r.status(), c, unit, model, r.modelDiffers()));
        }
        return new PlatformComparison(platform, certificate, index, at, caId, rows);
    }

    /** The organisations in play (the platform's manufacturer, its components'), by their normalised id and name. */
    private static Map<String, String> named(UnitKey platform, List<Assembled> assembled, Map<String, String> orgNames) {
        Map<String, String> named = new HashMap<>();
        List<String> orgs = new ArrayList<>();
        orgs.add(platform.manufacturer());
        assembled.forEach(a -> orgs.add(a.key().manufacturer()));
        for (String org : orgs) {
            named.putIfAbsent(normalise(org), org);
            String name = orgNames.get(org);
            if (name != null && !normalise(name).isEmpty()) {
                named.putIfAbsent(normalise(name), org);
            }
        }
        return named;
    }

    /**
     * Who a certified component is for the comparison: {@code self} (the platform itself), {@code org:<id>} (the
     * organisation its manufacturer names, or, naming none in play, the one whose component has its serial), or
     * {@code unnamed}.
     */
    private static String token(PlatformCertificates.CertifiedComponent c, Map<String, String> named, UnitKey platform,
                                List<Assembled> assembled) {
        String org = named.get(normalise(c.manufacturer()));
        String serial = c.serial() == null ? null : c.serial().strip();
        if (serial != null && serial.equals(platform.serial())
                && (org == null || org.equals(platform.manufacturer()))) {
            return "self";
        }
        if (org != null) {
            return "org:" + org;
        }
        for (Assembled a : assembled) {
            if (a.key().serial().equals(serial)) {
                return "org:" + a.key().manufacturer();
            }
        }
        return "unnamed";
    }

    /** Case, spaces and punctuation ignored (Unicode NFKC, lower case, letters and digits only). */
    static String normalise(String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(folded.length());
        folded.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString();
    }
}
