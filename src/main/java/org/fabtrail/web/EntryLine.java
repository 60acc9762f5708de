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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log entry as a line a person can read: what happened, who did it, when, and where it is in the log.
 *
 * @param summary what happened, in English (the data form: the custody chain reads sites from it)
 * @param shown   what happened, in the language of the page that shows it ({@link EntryMessages})
 * @param by      the user who acted through the UI, when the entry was made there
 * @param units   the units the entry names (each unit, component and parent), in payload order
 */
public record EntryLine(long index, String id, String type, String actor, Instant integratedTime, String summary,
                        String shown, String keyId, String leafHash, String by, List<UnitKey> units) {

    /** The entry, its sentence in this request's language. */
    public static EntryLine from(LedgerStore.StoredEntry e) {
        Map<String, Object> p = payload(e);
        Object by = p.get("by");
        String summary = ComponentClasses.inText(summary(e.type(), p));
        Locale language = Languages.current();
        String shown = language.equals(Languages.SPOKEN.get(0)) ? summary
                : ComponentClasses.inText(summary(e.type(), p, language));
        return new EntryLine(e.index(), e.entryId().toString(), e.type(), e.actor(), e.integratedTime(), summary,
                shown, e.keyId(), HexFormat.of().formatHex(e.leafHash()), by instanceof String s ? s : null,
                units(e.type(), e.actor(), p));
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
     * where the summary writes it so, and the serial after "serial " (German "Seriennummer ") in a registration.
     */
    public RawString linked() {
        String html = Web.escape(shown);
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
            Pattern bySerial = Pattern.compile("(?<=serial |Seriennummer )" + Pattern.quote(Web.escape(u.serial()))
                    + "(?![A-Za-z0-9._-])");
            m = bySerial.matcher(html);
            if (m.find()) {
                html = html.substring(0, m.start()) + link + "<span class=\"serial\">" + m.group() + "</span></a>"
                        + html.substring(m.end());
            }
        }
        return new RawString(html);
    }

    /** The entry in English: the data form, which the custody chain reads its sites from. */
    static String summary(String type, Map<String, Object> p) {
        return summary(type, p, Languages.SPOKEN.get(0));
    }

    /** The entry as a sentence in this language ({@link EntryMessages}). */
    @SuppressWarnings("unchecked")
    static String summary(String type, Map<String, Object> p, Locale language) {
        EntryMessages t = Texts.of(EntryMessages.class, language);
        return switch (type) {
            case "org.register" -> t.entry_org_register(text(p, "org"), text(p, "name"), text(p, "country"),
                    String.join(", ", (List<String>) p.get("roles")));
            case "key.add" -> t.entry_key_add(text(p, "org"));
            case "key.revoke" -> t.entry_key_revoke(shortHex(p.get("keyId")), text(p, "org"));
            case "site.register" -> t.entry_site_register(text(p, "site"), text(p, "name"), text(p, "country"));
            case "unit.register" -> t.entry_unit_register(text(p, "kind"), text(p, "model"), text(p, "serial"),
                    text(p, "site"), optional(p, "eccn"), p.get("deviceCertificate") != null);
            case "unit.assemble" -> t.entry_unit_assemble(refs(p.get("components"), t), ref(p.get("parent")));
            case "unit.disassemble" -> t.entry_unit_disassemble(refs(p.get("components"), t), ref(p.get("parent")));
            case "transfer.dispatch" -> t.entry_transfer_dispatch(refs(p.get("units"), t), text(p, "to"),
                    text(p, "toSite"), optional(p, "licenceRef"), optional(p, "carrier"));
            case "transfer.receive" -> t.entry_transfer_receive(refs(p.get("units"), t), text(p, "site"));
            case "transfer.reject" -> t.entry_transfer_reject(text(p, "reason"));
            case "transfer.cancel" -> t.entry_transfer_cancel(text(p, "reason"));
            case "unit.status" -> t.entry_unit_status(ref(p.get("unit")), Texts.word(text(p, "status"), language),
                    text(p, "reason"));
            case "unit.inspect" -> t.entry_unit_inspect(ref(p.get("unit")), Texts.word(text(p, "result"), language),
                    p.get("site") instanceof Map<?, ?> s ? s.get("org") + "/" + s.get("site") : null,
                    optional(p, "custodian"), sentence(p.get("notes")),
                    p.get("verdict") instanceof Map<?, ?> v ? attestation(v, t, language) : "");
            case "unit.certify" -> t.entry_unit_certify(ref(p.get("unit")));
            case "ca.add" -> t.entry_ca_add();
            case "ca.revoke" -> t.entry_ca_revoke(shortHex(p.get("caId")), optional(p, "reason"));
            case "ca.crl" -> t.entry_ca_crl();
            case "discrepancy.open" -> t.entry_discrepancy_open(Texts.word(text(p, "severity"), language),
                    text(p, "rule"), text(p, "summary"));
            case "discrepancy.note" -> t.entry_discrepancy_note(
                    p.get("state") == null ? null : Texts.word(text(p, "state"), language), text(p, "note"));
            case "discrepancy.resolve" -> t.entry_discrepancy_resolve(Texts.word(text(p, "outcome"), language),
                    text(p, "reason"));
            default -> type;
        };
    }

    /** A payload field as text ("null" when absent, as the summaries always wrote it). */
    private static String text(Map<String, Object> p, String field) {
        return String.valueOf(p.get(field));
    }

    private static String optional(Map<String, Object> p, String field) {
        return p.get(field) == null ? null : String.valueOf(p.get(field));
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

    private static String attestation(Map<?, ?> verdict, EntryMessages t, Locale language) {
        Object reasons = verdict.get("reasons");
        return " " + t.entry_attestation(Texts.word(String.valueOf(verdict.get("result")), language),
                reasons instanceof List<?> l && !l.isEmpty()
                        ? String.join(", ", l.stream().map(String::valueOf).toList()) : null);
    }

    @SuppressWarnings("unchecked")
    private static String ref(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m.get("manufacturer") + "/" + m.get("serial");
        }
        return String.valueOf(o);
    }

    private static String refs(Object o, EntryMessages t) {
        if (o instanceof List<?> list) {
            if (list.size() > 4) {
                return t.entry_units(list.size(), ref(list.get(0)));
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
