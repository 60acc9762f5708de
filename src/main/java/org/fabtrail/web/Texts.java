package org.fabtrail.web;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * The texts a page's Java code words (form field errors, refusals, a device check's steps, status words), in the
 * language {@link WebRequestFilter} chose for this request (ADR 0023): {@code Texts.of(FormMessages.class).key()}.
 * Outside a request they are English. Templates use the same bundles directly ({@code {form:key}}).
 */
public final class Texts {

    private Texts() {
    }

    /** The bundle in this request's language. */
    public static <T> T of(Class<T> bundle) {
        Locale language = Languages.current();
        return language.equals(Languages.SPOKEN.get(0)) ? MessageBundles.get(bundle)
                : MessageBundles.get(bundle, Localized.Literal.of(language.getLanguage()));
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
