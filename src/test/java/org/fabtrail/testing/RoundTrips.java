package org.fabtrail.testing;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the round trips to PostgreSQL that a data source's connections make: every statement executed (by its first
 * word: SELECT, INSERT, WITH, SET, ...), every COPY (pgjdbc's copy API, reached through {@code unwrap}), every commit
 * and rollback. A count, not a timing: what the sequencer pays per batch whatever the machine's load.
 */
public final class RoundTrips {

    private final Map<String, Integer> counts = new TreeMap<>();

    /** The data source, counting. */
    public DataSource wrap(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, m, args) -> {
                    Object r = call(target, m, args);
                    return r instanceof Connection c ? connection(c) : r;
                });
    }

    /** Counts so far, by kind, and forgets them. */
    public synchronized Map<String, Integer> take() {
        Map<String, Integer> out = new TreeMap<>(counts);
        counts.clear();
        return out;
    }

    private synchronized void count(String kind) {
        counts.merge(kind, 1, Integer::sum);
    }

    private Connection connection(Connection c) {
        InvocationHandler h = (proxy, m, args) -> {
            switch (m.getName()) {
                case "commit", "rollback" -> count(m.getName().toUpperCase());
                case "unwrap" -> {
                    if (((Class<?>) args[0]).getSimpleName().equals("PGConnection")) {
                        count("COPY");
                    }
                }
                default -> {
                }
            }
            Object r = call(c, m, args);
            if (r instanceof Statement s && !m.getName().equals("unwrap")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String q ? q : null;
                return statement(s, sql);
            }
            return r;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class}, h);
    }

    private Statement statement(Statement s, String prepared) {
        Class<?>[] types = s.getClass().getInterfaces().length == 0 ? new Class<?>[]{Statement.class}
                : allStatementInterfaces(s);
        InvocationHandler h = (proxy, m, args) -> {
            if (m.getName().startsWith("execute")) {
                String sql = prepared != null ? prepared : args != null && args.length > 0 ? (String) args[0] : "?";
                count(sql.strip().split("\\s+", 2)[0].toUpperCase());
            }
            return call(s, m, args);
        };
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), types, h);
    }

    private static Class<?>[] allStatementInterfaces(Statement s) {
        if (s instanceof java.sql.CallableStatement) {
            return new Class<?>[]{java.sql.CallableStatement.class};
        }
        if (s instanceof java.sql.PreparedStatement) {
            return new Class<?>[]{java.sql.PreparedStatement.class};
        }
        return new Class<?>[]{Statement.class};
    }

    private static Object call(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
