package org.fabtrail.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The parameters of a statement that writes many rows in one round trip from one array per column, such as
 * {@code INSERT ... SELECT * FROM unnest(?::text[], ?::bigint[], ...)}: each column's array holds one value of every
 * row, in row order, and the arrays are bound to the parameters 1, 2, ... in the order the columns are named. Used where
 * {@link PgCopy} cannot serve: upserts, updates, and inserts that may conflict.
 */
public final class ColumnArrays<T> {

    private record Column(String type, Object[] values) {
    }

    private final List<T> rows;
    private final List<Column> columns = new ArrayList<>();

    private ColumnArrays(List<T> rows) {
        this.rows = rows;
    }

    public static <T> ColumnArrays<T> of(List<T> rows) {
        return new ColumnArrays<>(rows);
    }

    public ColumnArrays<T> text(Function<T, String> value) {
        return column("text", new String[rows.size()], value);
    }

    public ColumnArrays<T> bigint(Function<T, Long> value) {
        return column("bigint", new Long[rows.size()], value);
    }

    public ColumnArrays<T> float8(Function<T, Double> value) {
        return column("float8", new Double[rows.size()], value);
    }

    public ColumnArrays<T> uuid(Function<T, UUID> value) {
        return column("uuid", new UUID[rows.size()], value);
    }

    public ColumnArrays<T> bytea(Function<T, byte[]> value) {
        return column("bytea", new byte[rows.size()][], value);
    }

    public ColumnArrays<T> timestamptz(Function<T, Instant> value) {
        return column("timestamptz", new Timestamp[rows.size()], row -> {
            Instant at = value.apply(row);
            return at == null ? null : Timestamp.from(at);
        });
    }

    private <V> ColumnArrays<T> column(String type, V[] values, Function<T, ? extends V> value) {
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(rows.get(i));
        }
        columns.add(new Column(type, values));
        return this;
    }

    /** Binds the arrays to the parameters 1, 2, ... of {@code ps}, made on {@code c}. */
    public void bind(Connection c, PreparedStatement ps) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            ps.setArray(i + 1, c.createArrayOf(columns.get(i).type(), columns.get(i).values()));
        }
    }

    /** Binds the arrays ({@link #bind}) and runs {@code ps}: the number of rows it changed. */
    public int executeUpdate(Connection c, PreparedStatement ps) throws SQLException {
        bind(c, ps);
        return ps.executeUpdate();
    }
}
