package org.fabtrail.web;

import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting for templates (never in entity getters). */
@TemplateExtension
public class TemplateExtensions {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The first 12 hex digits of a hash, for display (the full value goes in a title). */
    static String hexShort(String hex) {
        return hex == null ? "" : hex.length() <= 12 ? hex : hex.substring(0, 12) + "…";
    }

    /** A platform certificate's component class in words (GPU, Baseboard, CPU, ...), or null when it has none. */
    static String inWords(String componentClass) {
        return ComponentClasses.words(componentClass).orElse(null);
    }

    /** A summary for people: component classes in words (GPU, not {@code 2.23.133.18.3.4/00030200}). */
    static String readable(String summary) {
        return ComponentClasses.inText(summary);
    }

    /** A status, state, severity or role in the page's language, as a badge shows it (ADR 0023). */
    static String word(Object value, @TemplateExtension.TemplateAttribute("locale") Object locale) {
        return Texts.word(String.valueOf(value), locale instanceof Locale l && Languages.spoken(l.getLanguage()).isPresent() ? l
                : Languages.SPOKEN.get(0));
    }

    public static String isoTime(Instant t) {
        return t == null ? "" : TIME.format(t);
    }
}
