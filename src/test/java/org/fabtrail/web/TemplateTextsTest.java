package org.fabtrail.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every text of every template is a message bundle entry (ADR 0023): this test finds any word written in a template
 * outside an expression, a comment, code, a sample file ({@code <pre class="sample">}), a path or a tag, and any
 * label-like attribute ({@code aria-label}, {@code placeholder}, {@code title}, {@code alt}) that is not an
 * expression. A new template is checked as soon as it exists.
 */
class TemplateTextsTest {

    /** Words that are the same in every language: names, abbreviations, the language switch's own names. */
    static final Set<String> SAME_IN_EVERY_LANGUAGE = Set.of("Fabtrail", "ECCN", "SHA", "HTTP", "English", "Deutsch", "UTF");

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");
    private static final Pattern LABEL_ATTRIBUTE = Pattern.compile(
            "\\s(?:aria-label|placeholder|title|alt)=\"([^\"]*)\"");
    private static final Pattern WORD = Pattern.compile("\\p{L}{2,}");

    /** The words a template shows that are not expressions. */
    static List<String> literalWords(String template) {
        List<String> found = new ArrayList<>();
        String t = template.replaceAll("(?s)\\{!.*?!}", " ");
        Matcher a = LABEL_ATTRIBUTE.matcher(t);
        while (a.find()) {
            String value = a.group(1).replaceAll("\\{[^{}]*}", " ").trim();
            if (!value.isEmpty()) {
                found.add("attribute \"" + a.group(1) + "\"");
            }
        }
        t = t.replaceAll("(?s)<code[^>]*>.*?</code>", " ")
                .replaceAll("(?s)<script[^>]*>.*?</script>", " ")
                .replaceAll("(?s)<pre class=\"sample\">.*?</pre>", " ") // a sample file: data, the same in every language
                .replaceAll("(?s)<[^>]*>", " ")
                .replaceAll("\\{[^{}]*}", " ")
                .replaceAll("(?<![\\p{L}/])/[a-z0-9/._-]+", " "); // a path shown as a link's text: /api/v1/log/key
        Matcher w = WORD.matcher(t);
        while (w.find()) {
            if (!SAME_IN_EVERY_LANGUAGE.contains(w.group())) {
                found.add(w.group());
            }
        }
        return found;
    }

    @Test
    void noTemplateWritesTextOfItsOwn() throws IOException {
        List<String> literal = new ArrayList<>();
        List<Path> templates;
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            templates = files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
        }
        assertTrue(templates.size() > 50, "templates found: " + templates.size());
        for (Path file : templates) {
            String name = TEMPLATES.relativize(file).toString();
            String template = Files.readString(file, StandardCharsets.UTF_8);
            for (String word : literalWords(template)) {
                literal.add(name + ": " + word);
            }
        }
        assertEquals(List.of(), literal, "texts not in the message bundle");
    }

    @Test
    void theCheckFindsTextsAndLabels() {
        assertEquals(List.of("attribute \"Find a unit\"", "Sign", "out"), literalWords(
                "{! a comment !}<input aria-label=\"Find a unit\" placeholder=\"{msg:x}\"><button>Sign out</button>"
                        + "<code>manufacturer/serial</code> {msg:nav_units} {#if a}{/if}"));
    }
}
