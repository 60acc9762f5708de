package org.fabtrail.testing;

import io.restassured.RestAssured;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Set-up that runs once per test class but inside a test ({@code @BeforeEach}): RestAssured knows the Quarkus test
 * port only there, so a class's shared world (partners, sites, units) cannot be made in {@code @BeforeAll}.
 */
public final class OncePerClass {

    /** What the set-up does; it may throw, failing the test that first asked. */
    @FunctionalInterface
    public interface SetUp {
        void run() throws Exception;
    }

    private static final Set<Class<?>> DONE = ConcurrentHashMap.newKeySet();

    private OncePerClass() {
    }

    /**
     * Runs {@code setUp} the first time a test of {@code testClass} asks (never again, even when it failed), with
     * RestAssured logging the requests and answers of failed validations.
     */
    public static void run(Class<?> testClass, SetUp setUp) throws Exception {
        if (!DONE.add(testClass)) {
            return;
        }
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        setUp.run();
    }
}
