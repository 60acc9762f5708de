package org.fabtrail.bench;

import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipts;
import org.fabtrail.server.DatabasePasswords;
import org.fabtrail.server.EmbeddedDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The plans of the hot read queries, as the application runs them, on a log a running server holds
 * (deploy/bench/run.sh, growth.sh; docs/benchmarks.md). It calls the application's own query methods (explorer and
 * feed pages of a busy and a sparse organisation, unit lookup and history, transfer lists, an inclusion proof, the
 * sequencer's idempotency lookup) on a connection that records each statement with its arguments, then runs every
 * one again under {@code EXPLAIN (ANALYZE, BUFFERS)} and writes the plans to a file. Also switches V15's two indexes
 * off and on, to measure what they cost on the write path.
 *
 * <pre>
 *   QueryPlans DATA_DIR --plans FILE [--seed N]
 *   QueryPlans DATA_DIR --v15-indexes off|on
 * </pre>
 */
public final class QueryPlans {

    private record Call(String sql, List<Object[]> setters) {
    }

    private final List<Call> calls = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String url = EmbeddedDatabase.attach(data).orElseThrow(() ->
                new IllegalStateException("no running server on " + data));
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(EmbeddedDatabase.OWNER);
        ds.setPassword(DatabasePasswords.load(data.resolve(DatabasePasswords.FILE)).owner());
        try (Connection c = ds.getConnection()) {
            if (args[1].equals("--v15-indexes")) {
                v15Indexes(c, args[2].equals("on"));
                return;
            }
            long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
            try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(args[2])), true, "UTF-8")) {
                new QueryPlans().run(c, new Random(seed), out);
            }
        }
    }

    /** Drops or recreates V15's indexes (units by serial, transfer_units by received_idx), as V15 defines them. */
    static void v15Indexes(Connection c, boolean on) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (on) {
                st.execute("CREATE INDEX IF NOT EXISTS units_serial_c_idx ON units (serial COLLATE \"C\", "
                        + "manufacturer COLLATE \"C\")");
                st.execute("CREATE INDEX IF NOT EXISTS transfer_units_received_idx ON transfer_units (received_idx) "
                        + "WHERE received_idx IS NOT NULL");
            } else {
                st.execute("DROP INDEX IF EXISTS units_serial_c_idx");
                st.execute("DROP INDEX IF EXISTS transfer_units_received_idx");
            }
        }
        System.out.println("V15 indexes " + (on ? "present" : "dropped"));
    }

    private void run(Connection real, Random random, PrintStream out) throws Exception {
        Connection c = recording(real);
        CustodyQueries q = new CustodyQueries();
        long size = single(real, "SELECT tree_size FROM tree_head WHERE id = 1");
        long units = single(real, "SELECT count(*) FROM units");
        out.printf("# Query plans at %,d entries, %,d units (EXPLAIN (ANALYZE, BUFFERS), one run each)%n%n", size, units);
        Map<String, String> orgs = orgsByRole(real);
        UnitKey unit = randomUnit(real, random, units);
        String holder = single(real, "SELECT custodian FROM units WHERE manufacturer = '" + unit.manufacturer()
                + "' AND serial = '" + unit.serial().replace("'", "''") + "'", String.class);
        section(out, "inclusion proof of a random entry", real,
                () -> new Receipts(new LedgerStore()).inclusion(c, (long) (random.nextDouble() * size), size));
        section(out, "unit lookup " + unit, real, () -> q.unit(c, unit));
        section(out, "unit visibility for its holder " + holder, real, () -> q.canSee(c, holder, unit));
        section(out, "unit history " + unit, real, () -> q.entryIndexes(c, unit));
        section(out, "unit inspections " + unit, real, () -> q.inspections(c, unit, 20));
        for (Map.Entry<String, String> o : orgs.entrySet()) {
            String org = o.getValue();
            section(out, "explorer page, " + o.getKey() + " " + org, real, () -> q.visibleEntries(c, org, null, 51));
            section(out, "explorer page deep in the log, " + o.getKey() + " " + org, real,
                    () -> q.visibleEntries(c, org, size / 10, 51));
            section(out, "feed page from a random place, " + o.getKey() + " " + org, real,
                    () -> q.feed(c, org, (long) (random.nextDouble() * size), 100));
            section(out, "transfers page, " + o.getKey() + " " + org, real, () -> q.transfers(c,
                    new CustodyQueries.TransferFilter(org, null, null, null, null, null, null), 50));
            section(out, "units page, " + o.getKey() + " " + org, real, () -> q.units(c,
                    new CustodyQueries.UnitFilter(null, null, null, null, null, null), org, null, 50));
        }
        section(out, "feed page from a random place, operator", real,
                () -> q.feed(c, null, (long) (random.nextDouble() * size), 100));
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID());
        section(out, "sequencer: idempotency lookup of a batch's ids", real, () -> new LedgerStore().findByEntryIds(c, ids));
    }

    private interface Work {
        Object run() throws Exception;
    }

    /** Runs the work, then each statement it made under EXPLAIN (ANALYZE, BUFFERS). */
    private void section(PrintStream out, String title, Connection real, Work work) throws Exception {
        calls.clear();
        work.run();
        out.println("## " + title);
        out.println();
        for (Call call : new ArrayList<>(calls)) {
            String first = call.sql().strip().split("\\s+", 2)[0].toUpperCase();
            if (!first.equals("SELECT") && !first.equals("WITH")) {
                continue;
            }
            out.println("```");
            out.println(call.sql().strip());
            try (PreparedStatement ps = real.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + call.sql())) {
                for (Object[] s : call.setters()) {
                    Method m = (Method) s[0];
                    m.invoke(ps, (Object[]) s[1]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.println(rs.getString(1));
                    }
                }
            }
            out.println("```");
            out.println();
        }
    }

    /** The connection, recording every prepared statement it runs with the values bound to it. */
    private Connection recording(Connection real) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, m, args) -> {
                    Object r = invoke(real, m, args);
                    if (m.getName().equals("prepareStatement") && r instanceof PreparedStatement ps) {
                        return recording(ps, (String) args[0]);
                    }
                    return r;
                });
    }

    private PreparedStatement recording(PreparedStatement ps, String sql) {
        List<Object[]> setters = new ArrayList<>();
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, (proxy, m, args) -> {
                    if (m.getName().startsWith("set") && args != null && args.length >= 2) {
                        setters.add(new Object[]{m, args});
                    } else if (m.getName().startsWith("execute")) {
                        calls.add(new Call(sql, new ArrayList<>(setters)));
                    }
                    return invoke(ps, m, args);
                });
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The first organisation (by id) of each set of roles: a manufacturer, a distributor, a data centre, ... */
    private static Map<String, String> orgsByRole(Connection c) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT array_to_string(roles, '+'), min(id) FROM orgs GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static UnitKey randomUnit(Connection c, Random random, long units) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer, serial FROM units ORDER BY manufacturer, "
                + "serial OFFSET ? LIMIT 1")) {
            ps.setLong(1, (long) (random.nextDouble() * Math.max(1, units)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new UnitKey(rs.getString(1), rs.getString(2));
            }
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        return single(c, sql, Long.class);
    }

    private static <T> T single(Connection c, String sql, Class<T> type) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, type);
        }
    }

    private QueryPlans() {
    }
}
