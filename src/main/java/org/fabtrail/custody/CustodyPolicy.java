package org.fabtrail.custody;

import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EntryPolicy;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The dispatcher of entries to their {@link EntryType}s, and the rules every entry must pass whatever its type: a
 * known type whose fields read ({@link EntryType#read}) and pass its admission checks, a payload time that is not in
 * the future, and a signature by an active key of the actor, checked against the registry as of the entry's index.
 * Everything else is the type's: this class knows no type by name but the log's first entry (the operator's key.add).
 */
public final class CustodyPolicy implements EntryPolicy {

    /** How far in the future a payload time may lie (clock skew between a partner and the log). */
    static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(10);

    private static final System.Logger LOG = System.getLogger(CustodyPolicy.class.getName());

    private final KeyRegistry keys;
    private final String operatorKeyId;
    private final EntryTypes types;
    private final Clock clock;
    private final List<CustodyObserver> observers = new CopyOnWriteArrayList<>();
    private volatile Screening screening = Screening.NONE;

    /**
     * @param keys          the key registry admission reads (null when replaying: apply reads the projections)
     * @param operatorKeyId the key that signs checkpoints, which cannot be revoked (null when replaying)
     * @param types         the entry types this ledger accepts
     */
    public CustodyPolicy(KeyRegistry keys, String operatorKeyId, Clock clock, EntryTypes types) {
        this.keys = keys;
        this.operatorKeyId = operatorKeyId;
        this.clock = clock;
        this.types = types;
    }

    /** Adds an observer of every later batch's facts (the discrepancy detectors). */
    public void observe(CustodyObserver observer) {
        observers.add(observer);
    }

    /** Sets the export-control screening every later dispatch passes before it is written. */
    public void screening(Screening screening) {
        this.screening = screening == null ? Screening.NONE : screening;
    }

    /** Entry types this version accepts. */
    public List<String> types() {
        return types.names();
    }

    /** What a batch runs with, fixed when it starts (a BatchContext attribute). */
    private record Settings(Screening screening, String operatorKeyId, boolean replay) {
        static final Settings REPLAY = new Settings(Screening.NONE, null, true);
    }

    private static Settings settings(BatchContext ctx) {
        return ctx.attribute(Settings.class, () -> Settings.REPLAY);
    }

    /** The screening this batch runs (none when replaying). */
    static Screening screening(BatchContext ctx) {
        return settings(ctx).screening();
    }

    /** Whether the batch replays entries already in the log (a rebuild): {@link Rules#replaying}. */
    static boolean replaying(BatchContext ctx) {
        return settings(ctx).replay();
    }

    /** The key that signs checkpoints while this batch runs (null when replaying). */
    static String operatorKeyId(BatchContext ctx) {
        return settings(ctx).operatorKeyId();
    }

    @Override
    public Envelope admit(Envelope e) {
        Object record = admitted(type(e), e);
        if (e.time().isAfter(clock.instant().plus(MAX_FUTURE_SKEW))) {
            throw Payload.refusal(LedgerException.Kind.RULE, "time-in-future", "Time in the future", "time",
                    "payload.time " + e.time() + " is more than " + MAX_FUTURE_SKEW.toMinutes()
                            + " minutes ahead of the log's clock");
        }
        Envelope typed = e.withPayloadRecord(record);
        Optional<KeyRegistry.RegisteredKey> key = keys.find(e.keyId());
        if (key.isEmpty()) {
            return typed; // perhaps added earlier in the same batch: checked in apply()
        }
        verify(e, key.get().orgId(), key.get().key());
        return typed.withSignatureVerified();
    }

    private static <P> P admitted(EntryType<P> type, Envelope e) {
        P payload = type.read(e);
        type.admit(e, payload);
        return payload;
    }

    /**
     * The envelope carrying its payload record, read without the admission checks: for a replay, whose entries come
     * from the log. Returned as it is when its type is unknown or its fields are refused: {@link #apply} then refuses
     * it, in log order.
     */
    public Envelope withPayloadRecord(Envelope e) {
        EntryType<?> type = types.get(e.type());
        if (type == null) {
            return e;
        }
        try {
            return e.withPayloadRecord(type.read(e));
        } catch (LedgerException refused) {
            return e;
        }
    }

    /** The payload record the envelope carries, or the one read now (a replay, or an entry queued directly). */
    private static <P> P record(EntryType<P> type, Envelope e) {
        P payload = e.payloadRecord(type.payloadType());
        return payload != null ? payload : type.read(e);
    }

    @Override
    public void prepare(List<Envelope> batch, BatchContext ctx) throws SQLException {
        Facts.start(ctx, !observers.isEmpty());
        Settings current = new Settings(screening, operatorKeyId, keys == null);
        ctx.attribute(Settings.class, () -> current);
        Wants wants = new Wants(ctx); // custody's states first: they are prefetched and flushed first
        for (Envelope e : batch) {
            wants.key(e.keyId());
            wants.org(e.actor());
            EntryType<?> type = types.get(e.type());
            if (type != null) {
                try {
                    prefetch(type, e, wants);
                } catch (RuntimeException invalid) {
                    // apply() refuses it with the proper reason
                }
            }
        }
        for (BatchState state : BatchState.all(ctx)) {
            state.prefetch();
        }
    }

    private static <P> void prefetch(EntryType<P> type, Envelope e, Wants wants) {
        type.prefetch(e, record(type, e), wants);
    }

    @Override
    public void complete(BatchContext ctx) throws SQLException {
        for (BatchState state : BatchState.all(ctx)) {
            state.flush();
        }
        Facts facts = Facts.of(ctx);
        if (facts.on() && !facts.all().isEmpty()) {
            for (CustodyObserver o : observers) {
                try {
                    o.observe(List.copyOf(facts.all()), ctx);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "observer " + o.getClass().getSimpleName()
                            + " failed on a batch; its findings for it are lost", e);
                }
            }
        }
    }

    @Override
    public void apply(Envelope e, long index, Instant at, BatchContext ctx) throws SQLException {
        EntryType<?> type = type(e);
        Registry r = Registry.of(ctx);
        Optional<Registry.KeyRow> key = r.key(e.keyId());
        if (key.isEmpty()) {
            if (isGenesis(e, r)) {
                verify(e, Operator.ID, KeyAdd.addedKey(e));
            } else {
                throw signature("unknown-key", "Unknown key", "signature.keyId " + e.keyId()
                        + " is not a registered key; register it with key.add first");
            }
        } else {
            Registry.KeyRow k = key.get();
            if (!k.active()) {
                throw signature("key-revoked", "Key revoked", "Key " + e.keyId() + " of \"" + k.orgId()
                        + "\" is revoked; sign with an active key");
            }
            if (!e.signatureVerified()) {
                verify(e, k.orgId(), VerificationKey.fromSpki(k.spki()));
            } else if (!k.orgId().equals(e.actor())) {
                throw keyNotActor(e, k.orgId());
            }
        }
        apply(type, e, index, at, ctx);
    }

    private static <P> void apply(EntryType<P> type, Envelope e, long index, Instant at, BatchContext ctx)
            throws SQLException {
        type.apply(e, record(type, e), index, at, ctx);
    }

    /** The log's first entry: the operator adds its own key, signed by that key. */
    private static boolean isGenesis(Envelope e, Registry r) throws SQLException {
        return KeyAdd.TYPE.equals(e.type()) && Operator.ID.equals(e.actor()) && !r.operatorHasKeys()
                && Operator.ID.equals(e.payload().get("org"))
                && KeyAdd.addedKey(e).keyId().equals(e.keyId());
    }

    private EntryType<?> type(Envelope e) {
        EntryType<?> type = types.get(e.type());
        if (type == null) {
            throw Payload.refusal(LedgerException.Kind.RULE, "unknown-type", "Unknown entry type", "type",
                    "payload.type \"" + e.type() + "\" is not an entry type; known types are "
                            + String.join(", ", types.names()));
        }
        return type;
    }

    private static void verify(Envelope e, String keyOrg, VerificationKey key) {
        if (!keyOrg.equals(e.actor())) {
            throw keyNotActor(e, keyOrg);
        }
        if (key.algorithm() != e.algorithm()) {
            throw signature("algorithm-mismatch", "Wrong algorithm", "signature.alg is "
                    + e.algorithm().wireName() + " but key " + e.keyId() + " is an " + key.algorithm().wireName()
                    + " key");
        }
        if (!key.verify(e.canonicalPayload(), e.signature())) {
            throw signature("signature-invalid", "Invalid signature", "The signature does not verify with key "
                    + e.keyId() + " over the RFC 8785 canonical form of the payload");
        }
    }

    private static LedgerException keyNotActor(Envelope e, String keyOrg) {
        return signature("key-not-actor", "Key of another organisation", "Key " + e.keyId() + " belongs to \""
                + keyOrg + "\", not to payload.actor \"" + e.actor() + "\"");
    }

    private static LedgerException signature(String code, String title, String detail) {
        return new LedgerException(LedgerException.Kind.RULE, code, title, detail, Map.of("field", "signature"), null);
    }
}
