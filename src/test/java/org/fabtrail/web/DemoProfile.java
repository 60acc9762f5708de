package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The application as the README's demo starts it: the demo organisations, sites, units and sign-ins (password
 * {@code fabtrail-demo}). Every web and browser test uses this one profile, so Quarkus starts once for all of them,
 * on a database of its own. Tests that change custody use units they register themselves, so that they do not
 * depend on one another's order.
 */
public class DemoProfile implements QuarkusTestProfile {

    public static final String PASSWORD = "fabtrail-demo";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fabtrail.demo", "true");
    }
}
