package org.fabtrail.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads test resources (the vector copies under {@code vectors/}) from the classpath, byte-exact. */
public final class TestResources {

    private TestResources() {
    }

    /**
     * @param path a classpath path without a leading slash, such as {@code "vectors/rfc8785-jcs/input/weird.json"}
     * @return the bytes of the resource
     */
    public static byte[] bytes(String path) {
        try (InputStream in = TestResources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the resource decoded as UTF-8 */
    public static String utf8(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }
}
