package org.fabtrail.server;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.List;

import static org.fabtrail.server.EmbeddedDatabaseTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The application under test runs as the runtime role, as in production (PostgresTestResource), so every test of
 * the suite proves the role's grants are enough; this one proves they are no more than that, and that no table is
 * left out of db/migration/R__runtime_role_grants.sql.
 */
@QuarkusTest
class RuntimeRoleTest {

    @Inject
    DataSource dataSource;

    @Test
    void theApplicationRunsAsTheRuntimeRoleWhichCannotSwitchTheLedgerOff() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertEquals(List.of("fabtrail_app|false"), column(c, "SELECT current_user || '|' || rolsuper FROM pg_roles "
                    + "WHERE rolname = current_user"), "on an external test server the test user must be able to "
                    + "create the roles (CREATEDB, CREATEROLE; see README)");
            assertEquals(List.of(), EmbeddedDatabaseTest.notRefused(c, EmbeddedDatabaseTest.REFUSED_TO_THE_APPLICATION));
            assertEquals(List.of(), column(c, "SELECT relname FROM pg_class WHERE relowner = current_user::regrole"),
                    "owns nothing");
        }
    }

    @Test
    void everyTableIsGrantedAndTheLedgerOnlyForAppending() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertEquals(List.of(), column(c, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    + "AND relkind IN ('r', 'p') AND NOT has_table_privilege(current_user, oid, 'SELECT')"),
                    "tables the runtime role cannot read: add them to R__runtime_role_grants.sql");
            assertEquals(List.of(), column(c, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    + "AND relkind = 'S' AND NOT has_sequence_privilege(current_user, oid, 'USAGE')"),
                    "sequences the runtime role cannot use");
            assertEquals(List.of("checkpoint_cosignatures|true|true|false|false", "checkpoints|true|true|false|false",
                            "flyway_schema_history|true|false|false|false",
                            "log_entries|true|true|false|false", "tree_head|true|false|true|false",
                            "tree_nodes|true|true|false|false"),
                    column(c, "SELECT relname || '|' || has_table_privilege(current_user, oid, 'SELECT')"
                            + " || '|' || has_table_privilege(current_user, oid, 'INSERT')"
                            + " || '|' || has_table_privilege(current_user, oid, 'UPDATE')"
                            + " || '|' || has_table_privilege(current_user, oid, 'DELETE')"
                            + " FROM pg_class WHERE relname IN ('log_entries', 'tree_nodes', 'checkpoints', 'tree_head', "
                            + "'flyway_schema_history', 'checkpoint_cosignatures') ORDER BY relname"));
            assertEquals(List.of(), column(c, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    + "AND relkind IN ('r', 'p') AND (has_table_privilege(current_user, oid, 'TRUNCATE') "
                    + "OR has_table_privilege(current_user, oid, 'TRIGGER') "
                    + "OR has_table_privilege(current_user, oid, 'REFERENCES'))"), "no TRUNCATE, TRIGGER, REFERENCES");
        }
    }
}
