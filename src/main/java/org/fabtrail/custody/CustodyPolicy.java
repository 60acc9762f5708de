package org.fabtrail.custody;

import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.EntryPolicy;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules every entry must pass: a known type with valid fields, a payload time that is not in the future, and
 * a signature by an active key of the actor, checked against the registry as of the entry's index.
 */
public final class CustodyPolicy implements EntryPolicy {

    /** How far in the future a payload time may lie (clock skew between a partner and the log). */
    static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(10);

    private final KeyRegistry keys;
    private final Map<String, EntryType> types = new LinkedHashMap<>();
    private final java.time.Clock clock;
    private final List<CustodyObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Screening screening = Screening.NONE;

    /**
     * @param keys          the key registry admission reads (null when replaying: apply reads the projections)
     * @param operatorKeyId the key that signs checkpoints (it cannot be revoked)
     * @param devices       X.509 checks of device identities (org.fabtrail.attestation)
     * @param platforms     checks of TCG platform certificates (org.fabtrail.attestation)
     */
    public CustodyPolicy(KeyRegistry keys, String operatorKeyId, java.time.Clock clock, DeviceIdentity devices,
                         PlatformCertificates platforms) {
        this.keys = keys;
        this.clock = clock;
        List<EntryType> all = new java.util.ArrayList<>(List.of(new OrgRegister(), new KeyAdd(),
                new KeyRevoke(operatorKeyId), new SiteRegister(), new UnitRegister(devices), new UnitAssemble(true),
                new UnitAssemble(false), new UnitStatus(), new UnitInspect(devices, platforms), new UnitCertify(devices, platforms)));
        all.addAll(Transfers.types());
        all.addAll(DeviceCas.types(devices));
        all.addAll(Discrepancies.types());
        for (EntryType t : all) {
            types.put(t.name(), t);
        }
    }

    /** Adds an observer of every later batch's facts (the discrepancy detectors). */
    public void observe(CustodyObserver observer) {
        observers.add(observer);
    }

    /** Sets the export-control screening every later dispatch passes before it is written. */
    public void screening(Screening screening) {
        this.screening = screening == null ? Screening.NONE : screening;
    }

    static Screening screening(BatchContext ctx) {
        return ctx.attribute(ScreeningHolder.class, () -> new ScreeningHolder(Screening.NONE)).screening();
    }

    private record ScreeningHolder(Screening screening) {
    }

    /** Entry types this version accepts. */
    public List<String> types() {
        return List.copyOf(types.keySet());
    }

    static Registry registry(BatchContext ctx) {
        return ctx.attribute(Registry.class, () -> new Registry(ctx.connection()));
    }

    @Override
    public Envelope admit(Envelope e) {
        EntryType type = type(e);
        type.check(e);
        if (e.time().isAfter(clock.instant().plus(MAX_FUTURE_SKEW))) {
            throw new LedgerException(LedgerException.Kind.RULE, "time-in-future", "Time in the future",
                    "payload.time " + e.time() + " is more than " + MAX_FUTURE_SKEW.toMinutes()
                            + " minutes ahead of the log's clock", Map.of("field", "payload.time"), null);
        }
        Optional<KeyRegistry.RegisteredKey> key = keys.find(e.keyId());
        if (key.isEmpty()) {
            return e; // perhaps added earlier in the same batch: checked in apply()
        }
        verify(e, key.get().orgId(), key.get().key());
        return e.withSignatureVerified();
    }

    /** What a batch will read: collected from every entry before any rule runs, then read with a few queries. */
    public static final class Wants {
        private final java.util.Set<String> keyIds = new java.util.HashSet<>();
        private final java.util.Set<String> orgIds = new java.util.HashSet<>();
        private final java.util.Set<UnitKey> units = new java.util.HashSet<>();
        private final java.util.Set<CustodyState.SiteKey> sites = new java.util.HashSet<>();
        private final java.util.Set<java.util.UUID> transfers = new java.util.HashSet<>();
        private final java.util.Set<String> deviceCas = new java.util.HashSet<>();
        private final java.util.Set<String> deviceKeys = new java.util.HashSet<>();
        private final java.util.Set<java.util.UUID> challenges = new java.util.HashSet<>();

        void key(String keyId) {
            keyIds.add(keyId);
        }

        void org(String org) {
            orgIds.add(org);
        }

        void unit(UnitKey unit) {
            units.add(unit);
        }

        void site(String org, String site) {
            sites.add(new CustodyState.SiteKey(org, site));
        }

        void transfer(java.util.UUID id) {
            transfers.add(id);
        }

        /** The device CAs (and their CRLs) of a manufacturer. */
        void deviceCas(String org) {
            deviceCas.add(org);
        }

        void deviceKey(String keyId) {
            deviceKeys.add(keyId);
        }

        void challenge(java.util.UUID id) {
            challenges.add(id);
        }
    }

    @Override
    public void prepare(List<Envelope> batch, BatchContext ctx) throws SQLException {
        Facts.start(ctx, !observers.isEmpty());
        Screening current = screening;
        ctx.attribute(ScreeningHolder.class, () -> new ScreeningHolder(current));
        Wants wants = new Wants();
        for (Envelope e : batch) {
            wants.key(e.keyId());
            wants.org(e.actor());
            EntryType type = types.get(e.type());
            if (type != null) {
                try {
                    type.prefetch(e, wants);
                } catch (RuntimeException invalid) {
                    // apply() refuses it with the proper reason
                }
            }
        }
        registry(ctx).prefetch(wants.keyIds, wants.orgIds);
        Rules.state(ctx).prefetch(wants.units, wants.sites, wants.transfers);
        if (!wants.deviceCas.isEmpty() || !wants.deviceKeys.isEmpty() || !wants.challenges.isEmpty()) {
            AttestationState.of(ctx).prefetch(wants.deviceCas, wants.deviceKeys, wants.challenges);
        }
    }

    @Override
    public void complete(BatchContext ctx) throws SQLException {
        registry(ctx).flush();
        Rules.state(ctx).flush();
        AttestationState.of(ctx).flush();
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

    private static final System.Logger LOG = System.getLogger(CustodyPolicy.class.getName());

    /** The organisation, which must be registered. */
    static Registry.OrgRow requireOrg(BatchContext ctx, String org) throws SQLException {
        return registry(ctx).org(org).orElseThrow(() -> LedgerException.rule("unknown-org", "Unknown organisation",
                "Organisation \"" + org + "\" is not registered"));
    }

    /** The organisation, which must have the role. */
    static void requireRole(BatchContext ctx, String org, String role) throws SQLException {
        if (!requireOrg(ctx, org).roles().contains(role)) {
            throw new LedgerException(LedgerException.Kind.RULE, "role-required", "Role required",
                    "\"" + org + "\" is not registered as a " + role + "; this entry needs that role",
                    Map.of("role", role), null);
        }
    }

    @Override
    public void apply(Envelope e, long index, Instant at, BatchContext ctx) throws SQLException {
        EntryType type = type(e);
        Registry r = registry(ctx);
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
        type.apply(e, index, at, ctx);
    }

    /** The log's first entry: the operator adds its own key, signed by that key. */
    private static boolean isGenesis(Envelope e, Registry r) throws SQLException {
        return KeyAdd.TYPE.equals(e.type()) && Operator.ID.equals(e.actor()) && !r.operatorHasKeys()
                && Operator.ID.equals(e.payload().get("org"))
                && KeyAdd.addedKey(e).keyId().equals(e.keyId());
    }

    private EntryType type(Envelope e) {
        EntryType type = types.get(e.type());
        if (type == null) {
            throw new LedgerException(LedgerException.Kind.RULE, "unknown-type", "Unknown entry type",
                    "payload.type \"" + e.type() + "\" is not an entry type; known types are "
                            + String.join(", ", types.keySet()), Map.of("field", "payload.type"), null);
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
