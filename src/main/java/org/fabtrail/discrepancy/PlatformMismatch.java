package org.fabtrail.discrepancy;

import org.fabtrail.attestation.PlatformComparison;
import org.fabtrail.attestation.PlatformFact;
import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A platform certificate that does not match the components custody records in the platform: one
 * {@code platform-mismatch} finding for every certified component that is missing and every assembled unit the
 * certificate does not list, whether the certificate came with the manufacturer's {@code unit.certify} or was read
 * by an inspector; and {@code platform-check-failed} when the certificate an inspector read fails a check
 * (unknown issuer, bad signature, expired, another serial, ...).
 */
final class PlatformMismatch extends FactDetector<PlatformFact> {

    static final String RULE = "platform-mismatch";
    static final String FAILED = "platform-check-failed";

    PlatformMismatch() {
        super(RULE, PlatformFact.class);
    }

    @Override
    List<Finding> find(PlatformFact p, Connection c, DiscrepancySettings settings) {
        List<Finding> out = new ArrayList<>();
        if (!"pass".equals(p.check()) || p.comparison() == null) {
            out.add(new Finding(FAILED, FAILED + ":" + p.unit() + ":" + p.check(), "critical",
                    "The platform certificate read from " + p.unit() + " failed its check: " + p.check(),
                    List.of(p.unit()), List.of(p.actor(), p.unit().manufacturer()), List.of(p.index()),
                    Map.of("check", String.valueOf(p.check()))));
            return out;
        }
        PlatformComparison cmp = p.comparison();
        String by = p.type().equals("unit.certify") ? "certified by " + p.actor() : "read by " + p.actor();
        for (PlatformComparison.Row r : cmp.missing()) {
            String what = describe(r);
            Map<String, Object> details = details(p, "missing", r);
            out.add(new Finding(RULE, RULE + ":" + p.unit() + ":" + cmp.certificate().sha256Fingerprint() + ":missing:" + r.certified().serial(), "high",
                    "The platform certificate of " + p.unit() + " (" + by + ") lists " + what
                            + ", which custody does not record in it",
                    List.of(p.unit()), List.of(p.actor(), p.unit().manufacturer()), List.of(p.index()), details));
        }
        for (PlatformComparison.Row r : cmp.unexpected()) {
            Map<String, Object> details = details(p, "unexpected", r);
            List<UnitKey> units = new ArrayList<>(List.of(p.unit()));
            if (r.unit() != null) {
                units.add(r.unit());
            }
            out.add(new Finding(RULE, RULE + ":" + p.unit() + ":" + cmp.certificate().sha256Fingerprint() + ":unexpected:" + r.unit(), "high",
                    r.unit() + " is assembled in " + p.unit() + " but its platform certificate (" + by
                            + ") does not list it", units, List.of(p.actor(), p.unit().manufacturer()),
                    List.of(p.index()), details));
        }
        return out;
    }

    private static String describe(PlatformComparison.Row r) {
        var c = r.certified();
        return String.join(" ", java.util.stream.Stream.of(c.componentClass(), c.manufacturer(), c.model())
                .filter(Objects::nonNull).toList()) + " serial " + c.serial();
    }

    private static Map<String, Object> details(PlatformFact p, String status, PlatformComparison.Row r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", status);
        d.put("certificate", p.comparison().certificate().sha256Fingerprint());
        if (r.certified() != null) {
            d.put("serial", r.certified().serial());
            if (r.certified().model() != null) {
                d.put("model", r.certified().model());
            }
            if (r.certified().manufacturer() != null) {
                d.put("manufacturer", r.certified().manufacturer());
            }
        }
        if (r.unit() != null) {
            d.put("unit", r.unit().toString());
        }
        return d;
    }
}
