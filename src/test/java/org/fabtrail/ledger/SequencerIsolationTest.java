package org.fabtrail.ledger;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Isolation below admission (issue 9): whatever goes wrong with one entry inside the sequencing transaction, an
 * unforeseen exception in its rules or a value PostgreSQL refuses, fails that entry alone; the rest of its batch is
 * written, in order, under one checkpoint, and a retried attempt starts from clean state.
 */
class SequencerIsolationTest {

    private LedgerFixture f;
    private Bug bug;
    private Sequencer bugSequencer;
    /** A ledger on the same database whose rules have a bug: see {@link Bug}. */
    private Ledger buggy;

    /**
     * The real custody rules, except that entries with a poisoned payload.id meet a bug (an IllegalStateException)
     * right after their rules ran, so the batch's state already holds their effects when the exception is thrown.
     */
    static final class Bug implements EntryPolicy {
        final EntryPolicy rules;
        final Set<UUID> poisoned = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Bug(EntryPolicy rules) {
            this.rules = rules;
        }

        @Override
        public Envelope admit(Envelope envelope) {
            return rules.admit(envelope);
        }

        @Override
        public void prepare(List<Envelope> batch, BatchContext context) throws SQLException {
            rules.prepare(batch, context);
        }

        @Override
        public void apply(Envelope e, long index, Instant at, BatchContext context) throws SQLException {
            rules.apply(e, index, at, context);
            if (poisoned.contains(e.id())) {
                throw new IllegalStateException("a bug in the rules of " + e.type());
            }
        }

        @Override
        public void complete(BatchContext context) throws SQLException {
            rules.complete(context);
        }

        Envelope poison(Envelope e) {
            poisoned.add(e.id());
            return e;
        }
    }

    @BeforeEach
    void setUp() {
        f = LedgerFixture.withGenesis("isolation");
        bug = new Bug(f.policy);
        bugSequencer = f.newSequencer(bug, Sequencer.Settings.defaults());
        buggy = new Ledger(f.dataSource, f.store, bug, bugSequencer);
    }

    @AfterEach
    void tearDown() {
        bugSequencer.close();
        f.close();
    }

    /**
     * A validly signed org.register whose name holds U+0000, built without the parser (which refuses it) so that
     * it reaches PostgreSQL, which refuses it too.
     */
    private Envelope unstorable(String org) {
        return aroundAdmission(org, "Shell\u0000Company");
    }

    /** A validly signed org.register with this name, built without the parser, which refuses the name. */
    private Envelope aroundAdmission(String org, String name) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString();
        String time = Receipts.formatTime(f.clock.instant());
        payload.put("id", id);
        payload.put("type", "org.register");
        payload.put("actor", "operator");
        payload.put("time", time);
        payload.put("org", org);
        payload.put("name", name);
        payload.put("country", "DE");
        payload.put("roles", List.of("distributor"));
        byte[] canonical = Jcs.canonicalize(payload);
        byte[] signature = f.operatorKey.sign(canonical);
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("keyId", f.operatorKey.keyId());
        sig.put("alg", f.operatorKey.algorithm().wireName());
        sig.put("value", Base64.getEncoder().encodeToString(signature));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("payload", payload);
        env.put("signature", sig);
        LedgerException admission = assertThrows(LedgerException.class, () -> f.parser.fromJson(env));
        assertEquals("invalid-text", admission.code(), "admission refuses it; this test goes around admission");
        return new Envelope(env, payload, UUID.fromString(id), "org.register", "operator", Instant.parse(time),
                f.operatorKey.keyId(), f.operatorKey.algorithm(), signature, canonical, EnvelopeParser.sha256(canonical),
                Jcs.canonicalize(env), false);
    }

    private static Receipt ok(CompletableFuture<Receipt> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    private static LedgerException refused(CompletableFuture<Receipt> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
        return (LedgerException) e.getCause();
    }

    private Set<String> orgs() throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = f.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM orgs");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The written entries of one batch: consecutive indexes from the first, one checkpoint covering exactly them. */
    private void assertWrittenTogether(List<Receipt> written) throws Exception {
        long first = written.get(0).index();
        for (int i = 0; i < written.size(); i++) {
            Receipt r = written.get(i);
            assertEquals(first + i, r.index(), "written in batch order, no index for a failed entry");
            assertEquals(written.get(0).checkpoint(), r.checkpoint(), "one transaction, one checkpoint");
            SequencerTest.assertReceiptProves(r, f);
        }
        long size = first + written.size();
        assertEquals(size, f.ledger.head().size(), "the tree holds exactly the written entries");
        assertEquals(size, written.get(0).inclusionProof().treeSize(), "the checkpoint covers exactly them");
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
        try (Connection c = f.dataSource.getConnection()) {
            LogVerifier.Result result = new LogVerifier(f.parser, org.fabtrail.custody.KeyReplay::new, 2)
                    .verify(c, n -> { });
            assertTrue(result.ok(), result.describe());
        }
    }

    @Test
    void aBugInOneEntrysRulesFailsThatEntryAloneAndTheRestOfItsBatchIsWritten() throws Exception {
        Envelope boom = bug.poison(f.orgRegister("boom"));
        List<CompletableFuture<Receipt>> out = buggy.appendAll(List.of(f.orgRegister("iso-a"), boom,
                f.orgRegister("iso-b")));
        Receipt a = ok(out.get(0));
        LedgerException failed = refused(out.get(1));
        Receipt b = ok(out.get(2));
        assertEquals("FAULT", failed.kind().name(), "a server fault (500) of this entry alone");
        assertEquals("entry-failed", failed.code());
        assertTrue(failed.detail().contains(boom.id().toString()), "names the entry the log line is about");
        assertFalse(failed.detail().contains("IllegalStateException"), "the fault itself is logged, not echoed");
        assertWrittenTogether(List.of(a, b));
        assertEquals(Set.of("iso-a", "iso-b"), orgs());
        assertFalse(f.ledger.receipt(boom.id()).isPresent());
    }

    @Test
    void postgresRefusingOneEntrysValueFailsThatEntryAlone() throws Exception {
        Envelope nul = unstorable("shell");
        List<CompletableFuture<Receipt>> out = f.ledger.appendAll(List.of(f.orgRegister("iso-c"), nul,
                f.orgRegister("iso-d")));
        Receipt c = ok(out.get(0));
        LedgerException failed = refused(out.get(1));
        Receipt d = ok(out.get(2));
        assertEquals(LedgerException.Kind.MALFORMED, failed.kind(), failed.detail());
        assertEquals("entry-not-storable", failed.code());
        assertWrittenTogether(List.of(c, d));
        assertEquals(Set.of("iso-c", "iso-d"), orgs());
        assertFalse(f.ledger.receipt(nul.id()).isPresent());
    }

    @Test
    void aRolledBackAttemptLeavesNothingBehindForTheNext() throws Exception {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        // The poisoned entries' rules ran before the bug struck: the batch's cached state held "ghost" and the key.
        Envelope ghost = bug.poison(f.orgRegister("ghost"));
        Envelope ghostAgain = f.orgRegister("ghost");
        Envelope keyAdd = bug.poison(f.keyAdd("iso-k", key));
        Envelope signedWithIt = f.signed(key, "iso-k", "key.add", Map.of("org", "iso-k",
                "publicKey", SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem()));
        List<CompletableFuture<Receipt>> out = buggy.appendAll(List.of(ghost, ghostAgain, f.orgRegister("iso-k"),
                keyAdd, signedWithIt));
        assertEquals("entry-failed", refused(out.get(0)).code());
        Receipt second = ok(out.get(1));
        Receipt org = ok(out.get(2));
        assertEquals("entry-failed", refused(out.get(3)).code());
        assertEquals("unknown-key", refused(out.get(4)).code(), "the key was never added");
        assertWrittenTogether(List.of(second, org));
        try (Connection c = f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT registered_idx FROM orgs WHERE id = 'ghost'");
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(second.index(), rs.getLong(1), "the second registration is the one written");
        }
        try (Connection c = f.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM org_keys WHERE org_id = 'iso-k'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }

    @Test
    void entriesWrittenBeforeTheTextRuleStayVerifiableAndReplayable() throws Exception {
        // PostgreSQL stores U+0007; until issue 9 admission let it through, so logs hold such entries.
        Receipt old = f.append(aroundAdmission("bell", "Bell\u0007Company"));
        assertWrittenTogether(List.of(old)); // verifies the whole log, re-reading every envelope
        try (Connection c = f.dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                var rebuilt = new org.fabtrail.custody.ProjectionRebuild(f.types).rebuild(c, x -> { });
                assertTrue(rebuilt.identical(), "rebuild differs in " + rebuilt.differing());
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void failingEntriesAnywhereInALargeBatchAreFoundAndTheOthersKeepTheirOrder() throws Exception {
        int n = 60;
        Set<Integer> buggyAt = Set.of(0, 31);
        Set<Integer> unstorableAt = Set.of(17, 18, 59);
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (buggyAt.contains(i)) {
                batch.add(bug.poison(f.orgRegister("boom-" + i)));
            } else if (unstorableAt.contains(i)) {
                batch.add(unstorable("nul-" + i));
            } else {
                batch.add(f.orgRegister("many-" + i));
            }
        }
        List<CompletableFuture<Receipt>> out = buggy.appendAll(batch);
        List<Receipt> written = new ArrayList<>();
        Set<String> expectedOrgs = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (buggyAt.contains(i)) {
                assertEquals("entry-failed", refused(out.get(i)).code(), "entry " + i);
            } else if (unstorableAt.contains(i)) {
                assertEquals("entry-not-storable", refused(out.get(i)).code(), "entry " + i);
            } else {
                written.add(ok(out.get(i)));
                expectedOrgs.add("many-" + i);
            }
        }
        assertEquals(n - 5, written.size());
        assertWrittenTogether(written);
        assertEquals(expectedOrgs, orgs());
    }
}
