package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The application with the demo data and sign-ins (FABTRAIL_DEMO=true), shared by the web tests: one start for all. */
public class DemoProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fabtrail.demo", "true");
    }
}
