package org.fabtrail.web;

import io.quarkus.qute.RawString;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log entry as a line a person can read: what happened, who did it, when, and where it is in the log.
 *
 * @param by    the user who acted through the UI, when the entry was made there
 * @param units the units the entry names (each unit, component and parent), in payload order
 */
public record EntryLine(long index, String id, String type, String actor, Instant integratedTime, String summary,
                        String keyId, String leafHash, String by, List<UnitKey> units) {

    public static EntryLine from(LedgerStore.StoredEntry e) {
        Map<String, Object> p = payload(e);
        Object by = p.get("by");
        return new EntryLine(e.index(), e.entryId().toString(), e.type(), e.actor(), e.integratedTime(),
                ComponentClasses.inText(summary(e.type(), p)), e.keyId(), HexFormat.of().formatHex(e.leafHash()),
                by instanceof String s ? s : null, units(e.type(), e.actor(), p));
    }

    /** The payload of a stored entry, as parsed JSON. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> payload(LedgerStore.StoredEntry e) {
        Map<String, Object> leaf = (Map<String, Object>) StrictJson.parse(e.leaf());
        Map<String, Object> envelope = (Map<String, Object>) leaf.get("envelope");
        return (Map<String, Object>) envelope.get("payload");
    }

    /** The units a payload names; a registration names its unit by serial, under the registering manufacturer. */
    static List<UnitKey> units(String type, String actor, Map<String, Object> p) {
        Set<UnitKey> out = new LinkedHashSet<>();
        if ("unit.register".equals(type) && p.get("serial") instanceof String serial) {
            key(actor, serial).ifPresent(out::add);
        }
        for (String field : List.of("unit", "parent", "units", "components")) {
            Object v = p.get(field);
            for (Object o : v instanceof List<?> l ? l : java.util.Collections.singletonList(v)) {
                if (o instanceof Map<?, ?> m && m.get("manufacturer") instanceof String man
                        && m.get("serial") instanceof String ser) {
                    key(man, ser).ifPresent(out::add);
                }
            }
        }
        return List.copyOf(out);
    }

    private static java.util.Optional<UnitKey> key(String manufacturer, String serial) {
        try {
            return java.util.Optional.of(new UnitKey(manufacturer, serial));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The summary as HTML in which every unit the entry names is a link to its page: {@code manufacturer/serial}
     * where the summary writes it so, and the serial after "serial " in a registration.
     */
    public RawString linked() {
        String html = Web.escape(summary);
        for (UnitKey u : units) {
            String ref = Web.escape(u.manufacturer() + "/" + u.serial());
            String link = "<a href=\"/units/" + Web.escape(u.manufacturer()) + "/" + Web.escape(u.serial())
                    + "\" class=\"unitref\">";
            Pattern whole = Pattern.compile("(?<![A-Za-z0-9._/-])" + Pattern.quote(ref) + "(?![A-Za-z0-9._-])");
            Matcher m = whole.matcher(html);
            if (m.find()) {
                html = html.substring(0, m.start()) + link + Web.escape(u.manufacturer()) + "/<wbr><span class=\"serial\">"
                        + Web.escape(u.serial()) + "</span></a>" + html.substring(m.end());
                continue;
            }
            Pattern bySerial = Pattern.compile("(?<=serial )" + Pattern.quote(Web.escape(u.serial())) + "(?![A-Za-z0-9._-])");
            m = bySerial.matcher(html);
            if (m.find()) {
                html = html.substring(0, m.start()) + link + "<span class=\"serial\">" + m.group() + "</span></a>"
                        + html.substring(m.end());
            }
        }
        return new RawString(html);
    }

    @SuppressWarnings("unchecked")
    static String summary(String type, Map<String, Object> p) {
        return switch (type) {
            case "org.register" -> "Registered organisation " + p.get("org") + " (" + p.get("name") + ", "
                    + p.get("country") + ") as " + String.join(", ", (List<String>) p.get("roles"));
            case "key.add" -> "Added a signing key for " + p.get("org");
            case "key.revoke" -> "Revoked key " + shortHex(p.get("keyId")) + " of " + p.get("org");
            case "site.register" -> "Registered site " + p.get("site") + " (" + p.get("name") + ", " + p.get("country") + ")";
            case "unit.register" -> "Registered " + p.get("kind") + " " + p.get("model") + " serial " + p.get("serial")
                    + " at " + p.get("site") + (p.get("eccn") != null ? " (ECCN " + p.get("eccn") + ")" : "")
                    + (p.get("deviceCertificate") != null ? " with a device identity certificate" : "");
            case "unit.assemble" -> "Assembled " + refs(p.get("components")) + " into " + ref(p.get("parent"));
            case "unit.disassemble" -> "Took " + refs(p.get("components")) + " out of " + ref(p.get("parent"));
            case "transfer.dispatch" -> "Dispatched " + refs(p.get("units")) + " to " + p.get("to") + " (" + p.get("toSite")
                    + ")" + (p.get("licenceRef") != null ? ", licence " + p.get("licenceRef") : "")
                    + (p.get("carrier") != null ? ", carrier " + p.get("carrier") : "");
            case "transfer.receive" -> "Received " + refs(p.get("units")) + " at " + p.get("site");
            case "transfer.reject" -> "Rejected the dispatch: " + p.get("reason");
            case "transfer.cancel" -> "Cancelled the dispatch: " + p.get("reason");
            case "unit.status" -> "Reported " + ref(p.get("unit")) + " " + p.get("status") + ": " + p.get("reason");
            case "unit.inspect" -> "Inspected " + ref(p.get("unit")) + ": " + p.get("result")
                    + (p.get("site") instanceof Map<?, ?> s ? ", found at " + s.get("org") + "/" + s.get("site") : "")
                    + (p.get("custodian") != null ? ", held by " + p.get("custodian") : "") + "." + sentence(p.get("notes"))
                    + (p.get("verdict") instanceof Map<?, ?> v ? attestation(v) : "");
            case "unit.certify" -> "Certified " + ref(p.get("unit")) + " with a device identity certificate";
            case "ca.add" -> "Registered a device CA certificate";
            case "ca.revoke" -> "Revoked device CA " + shortHex(p.get("caId"))
                    + (p.get("reason") != null ? ": " + p.get("reason") : "");
            case "ca.crl" -> "Registered a certificate revocation list for its device CA";
            case "discrepancy.open" -> "Opened a " + p.get("severity") + " finding (" + p.get("rule") + "): "
                    + p.get("summary");
            case "discrepancy.note" -> (p.get("state") != null ? "Moved the finding to " + p.get("state") + ": "
                    : "Noted on the finding: ") + p.get("note");
            case "discrepancy.resolve" -> "Resolved the finding as " + p.get("outcome") + ": " + p.get("reason");
            default -> type;
        };
    }

    /** Free text as a sentence after another: a leading space, and a full stop unless it already ends in one. */
    private static String sentence(Object text) {
        String t = text == null ? "" : String.valueOf(text).strip();
        if (t.isEmpty()) {
            return "";
        }
        char last = t.charAt(t.length() - 1);
        return " " + t + (last == '.' || last == '!' || last == '?' ? "" : ".");
    }

    private static String attestation(Map<?, ?> verdict) {
        Object reasons = verdict.get("reasons");
        return " Device attestation: " + verdict.get("result") + (reasons instanceof List<?> l && !l.isEmpty()
                ? " (" + String.join(", ", l.stream().map(String::valueOf).toList()) + ")" : "") + ".";
    }

    @SuppressWarnings("unchecked")
    private static String ref(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m.get("manufacturer") + "/" + m.get("serial");
        }
        return String.valueOf(o);
    }

    private static String refs(Object o) {
        if (o instanceof List<?> list) {
            if (list.size() > 4) {
                return list.size() + " units (" + ref(list.get(0)) + ", …)";
            }
            return String.join(", ", list.stream().map(EntryLine::ref).toList());
        }
        return String.valueOf(o);
    }

    private static String shortHex(Object o) {
        String s = String.valueOf(o);
        return s.length() > 12 ? s.substring(0, 12) + "…" : s;
    }
}
