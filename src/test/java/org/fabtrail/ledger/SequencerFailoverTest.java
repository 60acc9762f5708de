package org.fabtrail.ledger;

import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.fabtrail.testing.TcpProxy;
import org.fabtrail.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the sequencer does when the database goes away under it, as in a failover (issue 15): the sequencer's
 * connection runs through a {@link TcpProxy} that the test cuts at a chosen moment, found in pg_stat_activity.
 * <ul>
 *   <li>lost before the commit: nothing was written, so the batch is sequenced once more on another connection and
 *       the client gets its receipt instead of a 503;</li>
 *   <li>lost during the commit: nobody can know whether it was written, so the client gets
 *       {@code 503 commit-outcome-unknown}, and its resubmission returns the original receipt if it was;</li>
 *   <li>a database with another tree of the same size under a running sequencer (another instance wrote on a
 *       promoted standby that lacked this instance's last batch): the sequencer reloads the tree, not only when the
 *       size moved.</li>
 * </ul>
 */
class SequencerFailoverTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    /** A data source for {@code db} whose connections run through {@code proxy}. */
    private static DataSource through(TcpProxy proxy, TestDatabase.Database db) {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getPath());
        ds.setUser(db.user());
        if (db.password() != null) {
            ds.setPassword(db.password());
        }
        return ds;
    }

    private static TcpProxy proxyFor(TestDatabase.Database db) throws Exception {
        URI uri = URI.create(db.url().substring("jdbc:".length()));
        return new TcpProxy(uri.getHost(), uri.getPort());
    }

    private static void sql(LedgerFixture f, String sql) throws SQLException {
        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Waits until a backend of the test database sleeps in pg_sleep while running a statement matching {@code like}. */
    private static void awaitSleepingIn(LedgerFixture f, String like) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         + "AND wait_event = 'PgSleep' AND pid <> pg_backend_pid() AND query ILIKE '" + like + "'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no backend ever slept in a statement like " + like);
    }

    private static LedgerException failure(CompletableFuture<Receipt> r) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(60, TimeUnit.SECONDS));
        return assertInstanceOf(LedgerException.class, e.getCause());
    }

    /** A submission through a proxy whose connection was cut while the database worked on it. */
    record Cut(Sequencer sequencer, long size, Envelope e, CompletableFuture<Receipt> answer) {
    }

    /**
     * Submits an org.register of {@code org} to a sequencer of {@code f} that reaches the database through a proxy,
     * and cuts the connection once the database sleeps in a statement like {@code sleepingIn}: the database is gone
     * for this connection; a new one works (a failover done).
     */
    private Cut submitAndCut(LedgerFixture f, String org, String sleepingIn) throws Exception {
        TcpProxy proxy = closeLater(proxyFor(f.database));
        Sequencer sequencer = closeLater(new Sequencer(through(proxy, f.database), f.store, f.signer, f.policy,
                Sequencer.Settings.defaults(), f.clock));
        long size = f.ledger.head().size();
        Envelope e = f.orgRegister(org);
        CompletableFuture<Receipt> answer = sequencer.submit(e);
        awaitSleepingIn(f, sleepingIn);
        proxy.dropConnections();
        return new Cut(sequencer, size, e, answer);
    }

    @Test
    void aBatchWhoseConnectionDiedBeforeItsCommitIsSequencedOnceMoreAndAnswered() throws Exception {
        LedgerFixture f = closeLater(new LedgerFixture("seqretry"));
        f.genesis();
        // Appending the marked entry's row takes a second: time for the test to kill the connection mid-transaction.
        sql(f, "CREATE FUNCTION test_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); "
                + "RETURN NULL; END $$; CREATE TRIGGER slow AFTER INSERT ON log_entries FOR EACH ROW "
                + "WHEN (position('slow-insert'::bytea in NEW.leaf) > 0) EXECUTE FUNCTION test_slow()");
        Cut cut = submitAndCut(f, "slow-insert-1", "%log_entries%");
        long size = cut.size();
        Envelope e = cut.e();

        Receipt r = cut.answer().get(60, TimeUnit.SECONDS);
        assertFalse(r.duplicate());
        assertEquals(size, r.index(), "written once, at the next index");
        assertTrue(f.ledger.receipt(e.id()).isPresent());
        assertOneEntryMoreProvenBy(f, size, r);
    }

    /** The log of {@code f} holds one entry more than {@code size}, and {@code r} proves it; the log is consistent. */
    private static void assertOneEntryMoreProvenBy(LedgerFixture f, long size, Receipt r) throws Exception {
        assertEquals(size + 1, f.ledger.head().size());
        SequencerTest.assertReceiptProves(r, f);
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
    }

    @Test
    void aBatchWhoseConnectionDiedDuringItsCommitIsAnsweredCommitOutcomeUnknownAndIsSafeToResubmit() throws Exception {
        LedgerFixture f = closeLater(new LedgerFixture("sequnknown"));
        f.genesis();
        // The marked entry's COMMIT takes two seconds (a deferred trigger runs at commit): the test kills the
        // connection meanwhile. PostgreSQL does not notice and commits; the sequencer cannot know that.
        sql(f, "CREATE FUNCTION test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); "
                + "RETURN NULL; END $$; CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON log_entries "
                + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                + "WHEN (position('slow-commit'::bytea in NEW.leaf) > 0) EXECUTE FUNCTION test_slow_commit()");
        Cut cut = submitAndCut(f, "slow-commit-1", "commit");
        long size = cut.size();
        Envelope e = cut.e();

        LedgerException unknown = failure(cut.answer());
        assertEquals("commit-outcome-unknown", unknown.code());
        assertEquals(LedgerException.Kind.UNAVAILABLE, unknown.kind(), "503: retry");
        // It was in fact written (the server finished the commit on its own)...
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (f.ledger.receipt(e.id()).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        Receipt stored = f.ledger.receipt(e.id()).orElseThrow(() -> new AssertionError("the commit went through"));
        assertEquals(size, stored.index());
        // ... so resubmitting the same envelope returns its original receipt, and writes nothing twice.
        Receipt again = cut.sequencer().submit(f.parser.fromJson(e.json())).get(60, TimeUnit.SECONDS);
        assertTrue(again.duplicate());
        assertEquals(size, again.index());
        assertArrayEquals(stored.leafHash(), again.leafHash());
        assertOneEntryMoreProvenBy(f, size, again);
    }

    @Test
    void aFailoverToAnotherTreeOfTheSameSizeMakesTheSequencerReloadIt() throws Exception {
        LedgerFixture x = closeLater(new LedgerFixture("seqtreex"));
        x.genesis();
        // y: the same log up to here (a standby), which then goes its own way
        TestDatabase.Database yDb = TestDatabase.copyOf(x.database, "seqtreey");
        LedgerFixture y = closeLater(new LedgerFixture(yDb, x.operatorKey));
        Switchable database = new Switchable(x.dataSource);
        Sequencer sequencer = closeLater(new Sequencer(database, x.store, x.signer, x.policy,
                Sequencer.Settings.defaults(), x.clock));

        Receipt onX = sequencer.submit(x.orgRegister("on-x")).get(60, TimeUnit.SECONDS);
        Receipt onY = y.append(y.orgRegister("on-y")); // another instance, on y
        assertEquals(onX.index(), onY.index(), "the two trees have the same size");
        assertFalse(java.util.Arrays.equals(onX.leafHash(), onY.leafHash()));

        database.target = y.dataSource; // failover: this sequencer now writes to y
        Receipt next = sequencer.submit(x.orgRegister("after-failover")).get(60, TimeUnit.SECONDS);

        assertEquals(onY.index() + 1, next.index());
        LedgerAssertions.assertConsistent(y.dataSource, y.signer.verifier());
        SequencerTest.assertReceiptProves(next, y);
    }

    /** A data source whose connections go to whichever database it points at now. */
    private static final class Switchable implements DataSource {
        volatile DataSource target;

        Switchable(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return target.getConnection(user, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
