package org.fabtrail.web;

import io.quarkus.qute.i18n.Message;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The German texts are complete for the pages an inspector sees (ADR 0023). Quarkus refuses to build when a template
 * names a key {@link UiMessages} lacks or the German file names one it lacks; a key missing from the German file,
 * though, would silently show English: this test catches that. Texts of pages not (yet) translated are in the other
 * bundle, {@link PageMessages}.
 */
class UiMessagesTest {

    static Properties german() throws IOException {
        Properties p = new Properties();
        try (InputStream in = UiMessagesTest.class.getResourceAsStream("/messages/msg_de.properties")) {
            assertNotNull(in, "messages/msg_de.properties");
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyKeyOfTheInspectorsPagesHasAGermanText() throws IOException {
        Properties german = german();
        Set<String> missing = new TreeSet<>();
        Set<String> blank = new TreeSet<>();
        for (Method m : UiMessages.class.getDeclaredMethods()) {
            assertNotNull(m.getAnnotation(Message.class), m.getName() + " has its English text");
            String key = m.getName();
            String text = german.getProperty(key);
            if (text == null) {
                missing.add(key);
            } else if (text.isBlank()) {
                blank.add(key);
            }
        }
        assertEquals(Set.of(), missing, "keys without a German text");
        assertEquals(Set.of(), blank, "keys with an empty German text");
        assertEquals("de", german.getProperty("lang"), "<html lang> follows the language");
        assertNull(UiMessagesTest.class.getResource("/messages/pages_de.properties"),
                "the English-only pages have no German yet: when they get it, test it here like UiMessages");
    }

    @Test
    void noBundleHoldsMoreThan300Messages() {
        // Quarkus 3.33 splits a bundle's resolver into chunks of 300 messages; the split code fails verification
        for (Class<?> bundle : new Class<?>[] {UiMessages.class, PageMessages.class, FindingMessages.class,
            LedgerMessages.class, AdminMessages.class}) {
            int messages = bundle.getDeclaredMethods().length;
            assertTrue(messages <= 300, bundle.getSimpleName() + " has " + messages + " messages: start another bundle");
        }
    }
}
