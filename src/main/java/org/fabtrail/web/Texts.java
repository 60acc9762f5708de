package org.fabtrail.web;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Optional;

/**
 * The texts a page's Java code words (form field errors, refusals, a device check's steps, status words), in the
 * language {@link WebRequestFilter} chose for this request (ADR 0023): {@code Texts.of(FormMessages.class).key()}.
 * Outside a request they are English. Templates use the same bundles directly ({@code {form:key}}).
 */
public final class Texts {

    private Texts() {
    }

    /** Whether this request's language is English, the language of the bundles' own texts. */
    public static boolean inEnglish() {
        return Languages.current().equals(Languages.SPOKEN.get(0));
    }

    /** The bundle in this request's language. */
    public static <T> T of(Class<T> bundle) {
        return of(bundle, Languages.current());
    }

    /** The bundle in this language (one the UI speaks). */
    static <T> T of(Class<T> bundle, Locale language) {
        return language.equals(Languages.SPOKEN.get(0)) ? MessageBundles.get(bundle)
                : MessageBundles.get(bundle, Localized.Literal.of(language.getLanguage()));
    }

    /**
     * A status, state, severity or role as a badge shows it (the {@code word_} texts of {@link FormMessages}), in
     * this language; a value without a text as it is.
     */
    static String word(String value, Locale language) {
        return optional(FormMessages.class, "word_" + value.replace('-', '_'), language).orElse(value);
    }

    /** A status, state, severity or role in this request's language, as a badge shows it. */
    public static String word(String value) {
        return word(value, Languages.current());
    }

    /**
     * The {@code prefix} text for a code ({@code reason_} and {@code challenge-used} is {@code reason_challenge_used})
     * in this request's language, if the bundle has one.
     */
    public static Optional<String> forCode(Class<?> bundle, String prefix, String code) {
        return optional(bundle, prefix + code.replace('-', '_').replace('.', '_'), Languages.current());
    }

    private static Optional<String> optional(Class<?> bundle, String key, Locale language) {
        Method text;
        try {
            text = bundle.getMethod(key);
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
        try {
            return Optional.of((String) text.invoke(of(bundle, language)));
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The text of the bundle's message without parameters named {@code key}, in this request's language: for a text
     * named in an annotation ({@link Inspector}, {@link OperatorStaff}).
     *
     * @throws IllegalArgumentException if the bundle has no such message
     */
    public static String byKey(Class<?> bundle, String key) {
        try {
            return (String) bundle.getMethod(key).invoke(of(bundle));
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException(bundle.getSimpleName() + " has no text " + key, e);
        }
    }
}
