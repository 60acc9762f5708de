package org.fabtrail.web;

import io.quarkus.arc.Arc;
import io.quarkus.qute.EngineBuilder;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Cookie;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The language of the pages (ADR 0023): the one the person chose with the page's language switch (cookie
 * {@value #COOKIE}), else the first of the browser's {@code Accept-Language} that the UI speaks, else English. Chosen
 * once for every page by {@link WebRequestFilter}; each template made in the request speaks it ({@link Initializer}).
 * The texts are the {@link UiMessages} bundle and its German file {@code messages/msg_de.properties}.
 */
final class Languages {

    /** The language of this request's page, chosen by {@link WebRequestFilter} before the page handler runs. */
    @RequestScoped
    static class Current {
        private Locale locale = SPOKEN.get(0);

        void set(Locale locale) {
            this.locale = locale;
        }

        Locale get() {
            return locale;
        }
    }

    /** Every template made while a request is active speaks that request's language. */
    @Singleton
    static class Initializer {
        void register(@Observes EngineBuilder engine, Current current) {
            engine.addTemplateInstanceInitializer(page -> {
                if (Arc.container().requestContext().isActive()) {
                    page.setLocale(current.get());
                }
            });
        }
    }

    /** The cookie the language switch sets: a language tag of {@link #SPOKEN}. */
    static final String COOKIE = "ft_lang";
    /** The languages the UI speaks, the default first. */
    static final List<Locale> SPOKEN = List.of(Locale.ENGLISH, Locale.GERMAN);

    private Languages() {
    }

    /** This request's language (English outside a request, or before {@link WebRequestFilter} chose one). */
    static Locale current() {
        if (Arc.container() == null || !Arc.container().requestContext().isActive()) {
            return SPOKEN.get(0);
        }
        return Arc.container().instance(Current.class).get().get();
    }

    /** The spoken language with this tag ({@code en}, {@code de}), if the UI speaks it. */
    static Optional<Locale> spoken(String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        return SPOKEN.stream().filter(l -> l.getLanguage().equalsIgnoreCase(tag.trim())).findFirst();
    }

    /**
     * The page's language.
     *
     * @param chosen the language switch's cookie, or null
     * @param accept the browser's {@code Accept-Language} header, or null
     */
    static Locale choose(Cookie chosen, String accept) {
        Optional<Locale> own = spoken(chosen == null ? null : chosen.getValue());
        if (own.isPresent()) {
            return own.get();
        }
        List<Locale.LanguageRange> wanted;
        try {
            wanted = accept == null || accept.isBlank() ? List.of() : Locale.LanguageRange.parse(accept);
        } catch (IllegalArgumentException e) {
            wanted = List.of();
        }
        for (Locale.LanguageRange range : wanted) { // most wanted first
            if (range.getWeight() == 0 || "*".equals(range.getRange())) {
                continue;
            }
            String language = range.getRange();
            int dash = language.indexOf('-');
            Optional<Locale> spoken = spoken(dash < 0 ? language : language.substring(0, dash));
            if (spoken.isPresent()) {
                return spoken.get();
            }
        }
        return SPOKEN.get(0);
    }
}
