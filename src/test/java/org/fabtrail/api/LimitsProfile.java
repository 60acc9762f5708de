package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * An application of its own for the tests of the limits against slow, many and guessing clients: they run with the
 * limits' defaults and fill them up on purpose, which must not spill into other tests' application.
 */
public class LimitsProfile implements QuarkusTestProfile {

    /** The defaults of production (the shared test application raises the per-address connection cap). */
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fabtrail.http.max-connections-per-address", "256");
    }
}
