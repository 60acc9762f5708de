package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.Map;

/**
 * The application as the README's demo starts it: the demo organisations, sites, units and sign-ins (password
 * {@code fabtrail-demo}). Every web and browser test uses this one profile, so Quarkus starts once for all of them,
 * on a database of its own. Tests that change custody use units they register themselves, so that they do not
 * depend on one another's order.
 */
public class DemoProfile implements QuarkusTestProfile {

    public static final String PASSWORD = "fabtrail-demo";

    private final Map<String, String> overrides;

    public DemoProfile() {
        this(Map.of());
    }

    /** The demo with {@code more} settings (a subclass is a profile of its own: Quarkus starts it apart). */
    protected DemoProfile(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(Map.of("fabtrail.demo", "true"));
        all.putAll(more);
        overrides = Map.copyOf(all);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return overrides;
    }
}
