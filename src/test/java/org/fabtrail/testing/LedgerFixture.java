package org.fabtrail.testing;

import org.fabtrail.attestation.DeviceIdentity;
import org.fabtrail.attestation.StaleCrlPolicy;
import org.fabtrail.attestation.X509DeviceIdentity;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.CustodyPolicy;
import org.fabtrail.custody.EntryTypes;
import org.fabtrail.custody.KeyRegistry;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.custody.ProjectionRebuild;
import org.fabtrail.ledger.CheckpointKeeper;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.EntryPolicy;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.ledger.Sequencer;
import org.fabtrail.server.LedgerBeans;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A complete ledger on its own fresh database, without Quarkus: the real sequencer, store and custody rules.
 * Tests can build several sequencers on one database to play several application instances.
 */
public final class LedgerFixture implements AutoCloseable {

    public static final String ORIGIN = "test.fabtrail.local/log";

    public final TestDatabase.Database database;
    public final DataSource dataSource;
    public final SigningKey operatorKey;
    public final CheckpointSigner signer;
    public final EnvelopeParser parser = new EnvelopeParser(65536);
    public final Clock clock = Clock.systemUTC();
    public final OperatorEntries operator;
    public final LedgerStore store = new LedgerStore();
    public final DeviceIdentity devices = new X509DeviceIdentity();
    public final org.fabtrail.attestation.PlatformCertificates platforms =
            new org.fabtrail.attestation.X509PlatformCertificates();
    /** Every entry type, assembled as the application does. */
    public final EntryTypes types;
    public final CustodyPolicy policy;
    public final Sequencer sequencer;
    public final Ledger ledger;
    private final Map<String, SigningKey> orgKeys = new ConcurrentHashMap<>();

    public LedgerFixture(String name) {
        this(name, StaleCrlPolicy.FLAG);
    }

    /** A ledger whose attestation rules judge a stale CRL by {@code staleCrls}. */
    public LedgerFixture(String name, StaleCrlPolicy staleCrls) {
        this(TestDatabase.create(name).migrated(), SigningKey.generate(SignatureAlgorithm.ED25519), staleCrls);
    }

    public LedgerFixture(TestDatabase.Database database, SigningKey operatorKey) {
        this(database, operatorKey, StaleCrlPolicy.FLAG);
    }

    private LedgerFixture(TestDatabase.Database database, SigningKey operatorKey, StaleCrlPolicy staleCrls) {
        this.types = LedgerBeans.assemble(devices, platforms, staleCrls);
        this.database = database;
        this.dataSource = pooled(database);
        this.operatorKey = operatorKey;
        this.signer = new CheckpointSigner(ORIGIN, operatorKey);
        this.operator = new OperatorEntries(operatorKey, parser, clock);
        this.policy = new CustodyPolicy(new KeyRegistry(dataSource), operatorKey.keyId(), clock, types);
        this.sequencer = newSequencer(policy, Sequencer.Settings.defaults());
        this.ledger = new Ledger(dataSource, store, policy, sequencer);
    }

    /** Another sequencer on the same database, as a second application instance would have. */
    public Sequencer newSequencer(EntryPolicy policy, Sequencer.Settings settings) {
        return newSequencer(policy, settings, CheckpointKeeper.NONE);
    }

    /** Another sequencer that hands its committed checkpoints to {@code keeper} (rollback protection). */
    public Sequencer newSequencer(EntryPolicy policy, Sequencer.Settings settings, CheckpointKeeper keeper) {
        return new Sequencer(dataSource, store, signer, policy, settings, clock, keeper);
    }

    private static DataSource pooled(TestDatabase.Database db) {
        return db.dataSource();
    }

    public Receipt append(Envelope e) {
        return ledger.submitAndWait(e);
    }

    public Receipt genesis() {
        return append(operator.genesis());
    }

    /** A fixture on a new database {@code name}, its log begun with the operator's genesis entry. */
    public static LedgerFixture withGenesis(String name) {
        LedgerFixture f = new LedgerFixture(name);
        f.genesis();
        return f;
    }

    public Envelope orgRegister(String org) {
        return Appends.orgRegister(operator, org);
    }

    /**
     * Registers {@code org} with the one role {@code role} and adds a fresh Ed25519 key for it, which {@link #as}
     * signs with; returns the key.
     */
    public SigningKey onboard(String org, String name, String country, String role) {
        append(operator.sign("org.register", Map.of("org", org, "name", name, "country", country,
                "roles", List.of(role))));
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        append(keyAdd(org, key));
        orgKeys.put(org, key);
        return key;
    }

    /**
     * {@link #onboard Onboards} organisations of {@code country}, each named as its id, in the order given:
     * {@code orgsAndRoles} alternates an organisation and its one role.
     */
    public void onboardAll(String country, String... orgsAndRoles) {
        for (int i = 0; i < orgsAndRoles.length; i += 2) {
            onboard(orgsAndRoles[i], orgsAndRoles[i], country, orgsAndRoles[i + 1]);
        }
    }

    /** An entry of {@code org}, signed with the key {@link #onboard} gave it. */
    public Envelope as(String org, String type, Map<String, Object> fields) {
        return signed(orgKeys.get(org), org, type, fields);
    }

    /** A unit reference as entries carry it. */
    public static Map<String, Object> ref(String manufacturer, String serial) {
        return Map.of("manufacturer", manufacturer, "serial", serial);
    }

    public Envelope keyAdd(String org, SigningKey key) {
        return operator.sign("key.add", Map.of("org", org, "publicKey", key.verificationKey().toPem()));
    }

    /** An entry signed by {@code key} as {@code actor}. */
    public Envelope signed(SigningKey key, String actor, String type, Map<String, Object> fields) {
        return OperatorEntries.signAs(key, actor, UUID.randomUUID(), type, fields, parser, clock);
    }

    /**
     * Rebuilds every projection from the log with {@code types} in a transaction that it rolls back, asserting that
     * the rebuild reproduces them ({@code what} names the ledger in the message); the rebuild's result.
     */
    public ProjectionRebuild.Result assertRebuildIdentical(String what, EntryTypes types) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ProjectionRebuild.Result r = new ProjectionRebuild(types).rebuild(c, n -> { });
                assertTrue(r.identical(), what + ": differing " + r.differing() + " " + r);
                return r;
            } finally {
                c.rollback();
            }
        }
    }

    @Override
    public void close() {
        sequencer.close();
    }
}
