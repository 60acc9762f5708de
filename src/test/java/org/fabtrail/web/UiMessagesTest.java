package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;
import org.fabtrail.attestation.AttestationReasons;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The German texts are complete (ADR 0023). Quarkus refuses to build when a template names a key a bundle lacks or a
 * German file names one its bundle lacks; a key missing from a German file, though, would silently show English: this
 * test catches that for the bundles that have German ({@link #GERMAN}: all of them now), and that a bundle
 * in English only ({@link #ENGLISH_ONLY}) has none. The refusals {@link Inspector} and {@link OperatorStaff} name are
 * texts of {@link FormMessages}.
 */
class UiMessagesTest {

    /** The bundles with a German file, each of which must have every key. */
    static final List<Class<?>> GERMAN = List.of(UiMessages.class, PageMessages.class, FindingMessages.class,
            LedgerMessages.class, AdminMessages.class, UploadMessages.class, LogCheckMessages.class, FormMessages.class,
            EntryMessages.class);
    /** The bundles that are in English only so far: a German file for one must join {@link #GERMAN}. */
    static final List<Class<?>> ENGLISH_ONLY = List.of();

    private static String file(Class<?> bundle) {
        return "/messages/" + bundle.getAnnotation(MessageBundle.class).value() + "_de.properties";
    }

    static Properties german(Class<?> bundle) throws IOException {
        Properties p = new Properties();
        try (InputStream in = UiMessagesTest.class.getResourceAsStream(file(bundle))) {
            assertNotNull(in, file(bundle));
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyKeyOfTheTranslatedBundlesHasAGermanText() throws IOException {
        for (Class<?> bundle : GERMAN) {
            Properties german = german(bundle);
            Set<String> missing = new TreeSet<>();
            Set<String> blank = new TreeSet<>();
            for (Method m : bundle.getDeclaredMethods()) {
                assertNotNull(m.getAnnotation(Message.class), m.getName() + " has its English text");
                String text = german.getProperty(m.getName());
                if (text == null) {
                    missing.add(m.getName());
                } else if (text.isBlank()) {
                    blank.add(m.getName());
                }
            }
            assertEquals(Set.of(), missing, bundle.getSimpleName() + ": keys without a German text");
            assertEquals(Set.of(), blank, bundle.getSimpleName() + ": keys with an empty German text");
        }
        assertEquals("de", german(UiMessages.class).getProperty("lang"), "<html lang> follows the language");
        for (Class<?> bundle : ENGLISH_ONLY) {
            assertNull(UiMessagesTest.class.getResource(file(bundle)),
                    bundle.getSimpleName() + " has German now: check it here, in GERMAN");
        }
    }

    @Test
    void everyRefusalAnAnnotationNamesIsAText() throws Exception {
        Path classes = Path.of("target/classes");
        List<String> named = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("org/fabtrail/web"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> page = Class.forName(name, false, getClass().getClassLoader());
                List<AnnotatedElement> marked = new ArrayList<>(List.of(page.getDeclaredMethods()));
                marked.add(page);
                for (AnnotatedElement e : marked) {
                    Inspector inspector = e.getAnnotation(Inspector.class);
                    OperatorStaff operator = e.getAnnotation(OperatorStaff.class);
                    for (String key : new String[] {inspector == null ? null : inspector.value(),
                            operator == null ? null : operator.value()}) {
                        if (key != null) {
                            named.add(key);
                            assertEquals(0, FormMessages.class.getMethod(key).getParameterCount(), key);
                        }
                    }
                }
            }
        }
        assertTrue(named.contains("refusal_inspect"), "found " + named);
    }

    @Test
    void everyDeviceCheckReasonHasAText() {
        for (String reason : AttestationReasons.ORDER) {
            String key = "reason_" + reason.replace('-', '_');
            assertDoesNotThrow(() -> FormMessages.class.getMethod(key), key);
        }
    }

    @Test
    void noBundleHoldsMoreThan300Messages() {
        // Quarkus 3.33 splits a bundle's resolver into chunks of 300 messages; the split code fails verification
        for (List<Class<?>> bundles : List.of(GERMAN, ENGLISH_ONLY)) {
            for (Class<?> bundle : bundles) {
                int messages = bundle.getDeclaredMethods().length;
                assertTrue(messages <= 300, bundle.getSimpleName() + " has " + messages
                        + " messages: start another bundle");
            }
        }
    }
}
