package org.fabtrail.ledger;

import java.sql.Connection;
import java.util.function.Supplier;

/** The sequencing transaction as the domain sees it while applying entries. */
public interface BatchContext {

    /** The connection of the sequencing transaction; never commit, roll back or close it. */
    Connection connection();

    /** A per-batch object (for example a cache or a statement batch), created on first use. */
    <T> T attribute(Class<T> type, Supplier<T> create);

    /** A fresh context on the caller's transaction (for replaying the log outside the sequencer). */
    static BatchContext on(Connection connection) {
        java.util.Map<Class<?>, Object> attributes = new java.util.HashMap<>();
        return new BatchContext() {
            @Override
            public Connection connection() {
                return connection;
            }

            @Override
            public <T> T attribute(Class<T> type, Supplier<T> create) {
                return type.cast(attributes.computeIfAbsent(type, k -> create.get()));
            }
        };
    }
}
