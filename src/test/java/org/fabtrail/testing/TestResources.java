package org.fabtrail.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the database for every @QuarkusTest in the run. */
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
public final class TestResources {
}
