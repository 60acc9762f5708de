package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs the authorisation tests in their own application, and so on their own fresh database and log. They append
 * hundreds of entries (the feed test alone several hundred), which would break tests that count on a small shared
 * log: LogResourceTest expects the whole log in a single partial hash tile (fewer than 256 entries).
 */
public class SeparateLogProfile implements QuarkusTestProfile {
}
