package org.fabtrail.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/**
 * A test profile whose one test resource, of the test's own, provides the database ({@link PostgresTestResource}
 * then stays out of the way).
 */
public abstract class OwnDatabaseProfile implements QuarkusTestProfile, PostgresTestResource.OwnDatabase {

    private final Class<? extends QuarkusTestResourceLifecycleManager> resource;

    protected OwnDatabaseProfile(Class<? extends QuarkusTestResourceLifecycleManager> resource) {
        this.resource = resource;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(resource));
    }
}
