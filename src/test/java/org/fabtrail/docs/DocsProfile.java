package org.fabtrail.docs;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The documentation's examples run against a server that publishes findings in the background as a real one does
 * (the other tests publish by hand, to keep their entry counts exact).
 */
public class DocsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fabtrail.discrepancy.publish", "true", "fabtrail.discrepancy.publish-interval", "PT0.2S");
    }
}
