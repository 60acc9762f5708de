package org.fabtrail.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No method of the main code is longer than {@value #MAX_LINES} lines (issue 10): a longer one is split into named
 * steps. A method's length runs from the line of its opening brace to the line of its closing brace; comments and
 * string literals are blanked first, so braces in them do not count. Reads the sources with a brace counter, in the
 * style of {@link DependencyRulesTest}.
 *
 * <p>{@link #NOT_YET} would list a method allowed to stay longer, with the reason; it is empty, and may only shrink
 * (a method that got shorter must leave it, so it cannot grow back unnoticed).
 */
class MethodLengthTest {

    static final int MAX_LINES = 60;

    /** {@code path#method} → why it is still longer than the limit; empty since every method keeps to it. */
    private static final Map<String, String> NOT_YET = new TreeMap<>();

    private static final Path ROOT = Path.of("src/main/java/org/fabtrail");
    /** The head of a method or constructor body: a name, its parameters, perhaps a throws clause, then the brace. */
    private static final Pattern METHOD_HEAD = Pattern.compile(
            "(\\w+)\\s*\\((?:[^()]|\\([^()]*\\))*\\)\\s*(?:throws\\s+[\\w.,\\s<>]+)?$");
    private static final Pattern NOT_A_METHOD = Pattern.compile(
            "^(?:if|for|while|switch|catch|synchronized|try|return|new)$");

    @Test
    void noMethodIsLongerThanTheLimit() throws IOException {
        Map<String, Integer> longer = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = ROOT.relativize(p).toString().replace('\\', '/');
                longMethods(Files.readString(p)).forEach((method, lines) -> longer.merge(name + "#" + method, lines,
                        Math::max));
            }
        }
        List<String> tooLong = new ArrayList<>();
        longer.forEach((method, lines) -> {
            if (!NOT_YET.containsKey(method)) {
                tooLong.add(method + " has " + lines + " lines; split it into named steps");
            }
        });
        assertEquals(List.of(), tooLong, "methods over " + MAX_LINES + " lines");
        TreeSet<String> shorterNow = new TreeSet<>(NOT_YET.keySet());
        shorterNow.removeAll(longer.keySet());
        assertEquals(new TreeSet<String>(), shorterNow, "no longer over " + MAX_LINES + " lines: take them off NOT_YET");
    }

    @Test
    void theCounterSeesMethodsNotBlocks() {
        String code = "class A {\n  record R(int x) {\n  }\n  void m() throws java.io.IOException {\n"
                + "    if (x) {\n      s = \"}\";\n    }\n  }\n  A(int a) {\n  }\n}\n";
        assertEquals(Map.of("m", 5, "A", 2), longMethods(code, 0));
    }

    /** Methods longer than the limit, by name, with their lines. */
    static Map<String, Integer> longMethods(String source) {
        return longMethods(source, MAX_LINES);
    }

    static Map<String, Integer> longMethods(String source, int limit) {
        String code = blank(source);
        Map<String, Integer> out = new TreeMap<>();
        Deque<int[]> open = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        int headStart = 0;
        int line = 1;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '{') {
                open.push(new int[]{line});
                names.push(methodName(code.substring(headStart, i).strip()));
                headStart = i + 1;
            } else if (c == '}') {
                int from = open.pop()[0];
                String name = names.pop();
                if (!name.isEmpty() && line - from + 1 > limit) {
                    out.merge(name, line - from + 1, Math::max);
                }
                headStart = i + 1;
            } else if (c == ';') {
                headStart = i + 1;
            }
        }
        return out;
    }

    /** The method a block's head declares, or "" for a class, a record, a lambda or a statement's block. */
    private static String methodName(String head) {
        Matcher m = METHOD_HEAD.matcher(head);
        if (!m.find() || head.contains("->")) {
            return "";
        }
        String name = m.group(1);
        String before = head.substring(0, m.start());
        if (NOT_A_METHOD.matcher(name).matches() || before.matches("(?s).*\\b(record|class|enum|interface|new)\\s*$")) {
            return "";
        }
        return name;
    }

    /** The source with comments, strings, text blocks and character literals blanked (line breaks kept). */
    static String blank(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end = literalEnd(s, i);
            if (end > i) {
                for (int k = i; k < end; k++) {
                    out.append(s.charAt(k) == '\n' ? '\n' : ' ');
                }
                i = end;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Where a comment or literal starting at {@code i} ends, or {@code i} when none starts there. */
    private static int literalEnd(String s, int i) {
        if (s.startsWith("\"\"\"", i)) {
            int j = i + 3;
            while (!s.startsWith("\"\"\"", j) || s.charAt(j - 1) == '\\') {
                j++;
            }
            return j + 3;
        }
        if (s.startsWith("//", i)) {
            int j = s.indexOf('\n', i);
            return j < 0 ? s.length() : j;
        }
        if (s.startsWith("/*", i)) {
            return s.indexOf("*/", i + 2) + 2;
        }
        char c = s.charAt(i);
        if (c == '"' || c == '\'') {
            int j = i + 1;
            while (s.charAt(j) != c) {
                j += s.charAt(j) == '\\' ? 2 : 1;
            }
            return j + 1;
        }
        return i;
    }
}
