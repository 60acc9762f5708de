package org.fabtrail.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.fabtrail.crypto.StrictJson;

/** Helpers shared by the fuzz tests ({@link ParserFuzzTest}). */
public final class Fuzzing {

    private Fuzzing() {
    }

    /**
     * Every file directly in the given classpath directories, sorted by name: real vectors and samples used as seeds
     * (with {@code @MethodSource}) in addition to a fuzz test's own inputs directory.
     *
     * @param directories classpath directories without a leading slash, such as {@code "vectors/rfc8785-jcs/input"}
     */
    public static Stream<byte[]> files(String... directories) {
        List<byte[]> out = new ArrayList<>();
        for (String directory : directories) {
            URL url = Fuzzing.class.getClassLoader().getResource(directory);
            if (url == null) {
                throw new IllegalArgumentException("missing test resource directory " + directory);
            }
            try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.add(Files.readAllBytes(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.stream();
    }

    /**
     * The contract every parser fuzz test checks: the input either parses, and {@code accepted} then checks what it
     * parsed to, or is refused with a {@code refusal}, which {@code refused} then checks. Any other exception, and a
     * failed check, fails the test; an exception from {@code accepted} is not taken for a refusal.
     */
    public static <T, E extends RuntimeException> void parseOrRefuse(byte[] input, Function<byte[], T> parser,
            Class<E> refusal, Consumer<? super E> refused, Consumer<? super T> accepted) {
        T value;
        try {
            value = parser.apply(input);
        } catch (RuntimeException e) {
            if (!refusal.isInstance(e)) {
                throw e;
            }
            refused.accept(refusal.cast(e));
            return;
        }
        accepted.accept(value);
    }

    /**
     * Whether two parsed JSON values ({@link StrictJson}'s types) are the same JSON value: objects with the same
     * members in any order, arrays element by element, numbers by numeric value (so {@code -0} equals {@code 0}).
     */
    public static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !jsonEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!jsonEquals(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        return a == b || (a != null && a.equals(b));
    }
}
