package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * An application of its own for the tests of the limits against slow, many and guessing clients: they run with the
 * limits' defaults and fill them up on purpose, which must not spill into other tests' application.
 */
public class LimitsProfile implements QuarkusTestProfile {
}
