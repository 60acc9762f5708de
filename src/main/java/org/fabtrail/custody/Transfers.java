package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The two-party handoff. {@code transfer.dispatch} by the custodian names the units, the receiving organisation and
 * site; custody moves only when the named receiver confirms with {@code transfer.receive}, listing what arrived
 * (units it does not list stay in transit on the dispatch). {@code transfer.reject} (receiver) and
 * {@code transfer.cancel} (sender) end a dispatch; the units still in transit stay with the sender.
 * A dispatch is identified by its entry's {@code payload.id}.
 *
 * <p>What is assembled in a listed unit travels with it, and every rule for a listed unit holds for it too, at any
 * depth: a destroyed or decommissioned GPU inside a server refuses the server's dispatch and receipt
 * ({@code unit-retired}, naming the GPU), and the dispatch and receipt are custody activity on every unit that moves
 * (a lost or stolen GPU inside raises {@code activity-after-loss} naming the GPU).
 */
final class Transfers {

    static final String DISPATCH = "transfer.dispatch";
    static final String RECEIVE = "transfer.receive";
    static final String REJECT = "transfer.reject";
    static final String CANCEL = "transfer.cancel";
    static final int MAX_UNITS = 1000;

    static final String PENDING = "pending";
    static final String PARTIAL = "partial";
    static final String RECEIVED = "received";
    static final String IN_TRANSIT = "in_transit";

    private Transfers() {
    }

    static List<EntryType<?>> types() {
        return List.of(new Dispatch(), new Receive(), new End(true), new End(false));
    }

    static UUID transferId(Payload p) {
        return p.entryId("transfer", "invalid-transfer", "payload.transfer must be the payload.id (lowercase UUID) "
                + "of a transfer.dispatch entry");
    }

    /**
     * The open transfer. One the actor may not see (only its sender, its receiver, inspectors, regulators and the
     * operator see a transfer) is refused exactly as one that does not exist ({@code unknown-transfer}): a write
     * must not tell a stranger that a transfer exists, whom it goes to or what state it is in.
     */
    static CustodyState.Transfer open(BatchContext ctx, CustodyState s, UUID id, String actor) throws SQLException {
        CustodyState.Transfer t = s.transfer(id).orElse(null);
        if (t == null || !(t.sender.equals(actor) || t.receiver.equals(actor) || Rules.seesAll(ctx, actor))) {
            throw Payload.refusal(LedgerException.Kind.RULE, "unknown-transfer", "Unknown transfer", "transfer",
                    "No transfer.dispatch with id " + id);
        }
        if (!PENDING.equals(t.state) && !PARTIAL.equals(t.state)) {
            throw LedgerException.conflict("transfer-closed", "Transfer closed", "Dispatch " + id + " is already "
                    + t.state + "; nothing on it is in transit");
        }
        return t;
    }

    /** Closes the transfer when nothing on it is in transit any more. */
    static void settle(CustodyState.Transfer t, String endState, long index, Instant at) {
        boolean anyInTransit = t.units.containsValue(IN_TRANSIT);
        boolean anyReceived = t.units.containsValue(RECEIVED);
        if (anyInTransit) {
            t.state = anyReceived ? PARTIAL : PENDING;
        } else {
            t.state = endState != null ? endState : RECEIVED;
            t.closedIdx = index;
            t.closedAt = at;
        }
    }

    static final class Dispatch extends AbstractEntryType<DispatchPayload> {
        private static final Set<String> REQUIRED = Set.of("units", "to", "toSite");
        private static final Set<String> OPTIONAL = Set.of("carrier", "shipmentRef", "licenceRef", "expectedArrival",
                "licenceValidUntil", "licenceCountries");
        private static final java.util.regex.Pattern COUNTRY = java.util.regex.Pattern.compile("[A-Z]{2}");

        Dispatch() {
            super(DISPATCH, DispatchPayload.class, REQUIRED, OPTIONAL);
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("units", PayloadSchema.array(PayloadSchema.unit(), MAX_UNITS))
                    .field("to", PayloadSchema.slug("the receiving organisation"))
                    .field("toSite", PayloadSchema.slug("the receiver's site")).field("carrier", PayloadSchema.string(200))
                    .field("shipmentRef", PayloadSchema.string(200)).field("licenceRef", PayloadSchema.string(200))
                    .field("expectedArrival", PayloadSchema.time());
        }

        @Override
        protected DispatchPayload read(Envelope e, Payload p) {
            String licenceRef = p.optionalString("licenceRef", 200);
            List<String> countries = p.has("licenceCountries") ? p.strings("licenceCountries", 300) : null;
            if (countries != null) {
                for (String c : countries) {
                    if (!COUNTRY.matcher(c).matches()) {
                        throw Payload.invalid("invalid-field", "licenceCountries", "payload.licenceCountries holds "
                                + "ISO 3166-1 alpha-2 codes such as \"SG\"");
                    }
                }
            }
            Instant validUntil = p.optionalTime("licenceValidUntil");
            if (licenceRef == null && (countries != null || validUntil != null)) {
                throw Payload.invalid("invalid-field", countries != null ? "licenceCountries" : "licenceValidUntil",
                        "a licence's validity and destinations need the licence: payload.licenceRef is missing");
            }
            return new DispatchPayload(p.units("units", MAX_UNITS), p.slug("to"), p.slug("toSite"),
                    p.optionalString("carrier", 200), p.optionalString("shipmentRef", 200),
                    licenceRef, p.optionalTime("expectedArrival"), validUntil,
                    countries == null ? null : List.copyOf(countries));
        }

        @Override
        public void prefetch(Envelope e, DispatchPayload f, Wants wants) {
            f.units().forEach(wants::unit);
            wants.site(f.to(), f.toSite());
            wants.org(f.to());
        }

        @Override
        public void apply(Envelope e, DispatchPayload f, long index, Instant at, BatchContext ctx) throws SQLException {
            String to = f.to();
            String toSite = f.toSite();
            Rules.requireOrg(ctx, to);
            CustodyState s = CustodyState.of(ctx);
            Rules.ownSite(s, to, toSite, "toSite");
            List<CustodyState.Unit> listed = listed(ctx, s, f.units(), e.actor());
            String fromSite = listed.get(0).site;
            List<CustodyState.Unit> moving = moving(ctx, s, listed, e.actor());
            Facts facts = Facts.of(ctx);
            Screening screening = CustodyPolicy.screening(ctx);
            if (facts.on() || screening != Screening.NONE) {
                Fact.Dispatch fact = new Fact.Dispatch(index, at, e.id(), e.actor(), Facts.place(s, e.actor(), fromSite),
                        to, Rules.requireOrg(ctx, to).name(), Facts.place(s, to, toSite),
                        f.licenceRef(), f.expectedArrival(),
                        moving.stream().map(Facts::snapshot).toList(), e.time(), f.licenceValidUntil(),
                        f.licenceCountries());
                screening.screen(fact, ctx); // may refuse: nothing is written yet
                facts.add(fact);
                Facts.activity(ctx, index, at, DISPATCH, e.actor(), moving); // components too: a lost GPU in a server
                Facts.sighting(ctx, index, at, e, fact.from(), moving.stream().map(u -> u.key).toList());
            }
            CustodyState.Transfer t = transfer(e, f, index, at, fromSite, listed);
            for (CustodyState.Unit moved : moving) {
                moved.pendingTransfer = t.id;
                s.changed(moved, index, at);
                s.party(moved.key, to, index);
            }
            s.putTransfer(t);
        }

        /** The listed units, each the actor's to move, all at one site (the dispatch's). */
        private static List<CustodyState.Unit> listed(BatchContext ctx, CustodyState s, List<UnitKey> units,
                                                      String actor) throws SQLException {
            List<CustodyState.Unit> listed = new ArrayList<>();
            String fromSite = null;
            for (UnitKey k : units) {
                CustodyState.Unit u = Rules.existing(s, k);
                Rules.custodian(ctx, s, u, actor);
                Rules.notRetired(u);
                Rules.notInTransit(u);
                Rules.notAssembled(u);
                if (fromSite == null) {
                    fromSite = u.site;
                } else if (!fromSite.equals(u.site)) {
                    throw Rules.refuse(LedgerException.Kind.CONFLICT, "different-site", "Different site",
                            "One dispatch leaves one site: " + u.key + " is at \"" + u.site + "\", others at \""
                                    + fromSite + "\"", u.key);
                }
                listed.add(u);
            }
            return listed;
        }

        /** The listed units with what is assembled in them, at any depth: every rule for a unit holds for those. */
        private static List<CustodyState.Unit> moving(BatchContext ctx, CustodyState s, List<CustodyState.Unit> listed,
                                                      String actor) throws SQLException {
            List<CustodyState.Unit> moving = new ArrayList<>();
            for (CustodyState.Unit u : listed) {
                for (CustodyState.Unit inside : s.withComponents(u)) {
                    if (inside != u) {
                        Rules.custodian(ctx, s, inside, actor);
                        Rules.notRetired(inside);
                        Rules.notInTransit(inside);
                    }
                    moving.add(inside);
                }
            }
            return moving;
        }

        /** The new transfer, pending, with the listed units in transit. */
        private static CustodyState.Transfer transfer(Envelope e, DispatchPayload f, long index, Instant at,
                                                      String fromSite, List<CustodyState.Unit> listed) {
            CustodyState.Transfer t = new CustodyState.Transfer();
            t.id = e.id();
            t.dispatchIdx = index;
            t.sender = e.actor();
            t.senderSite = fromSite;
            t.receiver = f.to();
            t.receiverSite = f.toSite();
            t.carrier = f.carrier();
            t.shipmentRef = f.shipmentRef();
            t.licenceRef = f.licenceRef();
            t.expectedArrival = f.expectedArrival();
            t.state = PENDING;
            t.dispatchedAt = at;
            for (CustodyState.Unit u : listed) {
                t.units.put(u.key, IN_TRANSIT);
            }
            return t;
        }
    }

    static final class Receive extends AbstractEntryType<ReceivePayload> {
        private static final Set<String> FIELDS = Set.of("transfer", "site", "units");

        Receive() {
            super(RECEIVE, ReceivePayload.class, FIELDS, Set.of());
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("transfer", PayloadSchema.entryId("the transfer.dispatch"))
                    .field("site", PayloadSchema.slug("the receiver's site"))
                    .field("units", PayloadSchema.array(PayloadSchema.unit(), MAX_UNITS));
        }

        @Override
        protected ReceivePayload read(Envelope e, Payload p) {
            return new ReceivePayload(transferId(p), p.slug("site"), p.units("units", MAX_UNITS));
        }

        @Override
        public void prefetch(Envelope e, ReceivePayload f, Wants wants) {
            wants.transfer(f.transfer());
            wants.site(e.actor(), f.site());
        }

        @Override
        public void apply(Envelope e, ReceivePayload f, long index, Instant at, BatchContext ctx) throws SQLException {
            CustodyState s = CustodyState.of(ctx);
            CustodyState.Transfer t = open(ctx, s, f.transfer(), e.actor());
            if (!t.receiver.equals(e.actor())) {
                throw LedgerException.conflict("not-receiver", "Not the receiver", "Dispatch " + t.id + " goes to \""
                        + t.receiver + "\"; only it can receive the units");
            }
            String site = f.site();
            Rules.ownSite(s, e.actor(), site, "site");
            List<CustodyState.Unit> arrived = new ArrayList<>();
            List<CustodyState.Unit> moving = new ArrayList<>();
            for (UnitKey k : f.units()) {
                if (!IN_TRANSIT.equals(t.units.get(k))) {
                    throw Rules.refuse(LedgerException.Kind.RULE, "unit-not-on-transfer", "Not on this dispatch",
                            k + " is not in transit on dispatch " + t.id, k);
                }
                CustodyState.Unit u = Rules.existing(s, k);
                for (CustodyState.Unit inside : s.withComponents(u)) {
                    Rules.notRetired(inside); // the listed unit and everything inside it
                    moving.add(inside);
                }
                arrived.add(u);
            }
            Facts.activity(ctx, index, at, RECEIVE, e.actor(), moving);
            if (Facts.of(ctx).on()) {
                Facts.sighting(ctx, index, at, e, Facts.place(s, e.actor(), site), moving.stream().map(u -> u.key).toList());
            }
            for (CustodyState.Unit u : arrived) {
                t.units.put(u.key, RECEIVED);
                t.receivedIdx.put(u.key, index);
                t.receivedSite.put(u.key, site);
                for (CustodyState.Unit moved : s.withComponents(u)) {
                    moved.pendingTransfer = null;
                    moved.custodian = e.actor();
                    moved.site = site;
                    s.changed(moved, index, at);
                }
            }
            settle(t, null, index, at);
            s.putTransfer(t);
            Facts facts = Facts.of(ctx);
            if (facts.on()) {
                List<UnitKey> still = t.units.entrySet().stream().filter(x -> IN_TRANSIT.equals(x.getValue()))
                        .map(Map.Entry::getKey).toList();
                facts.add(new Fact.Receipt(index, at, t.id, t.dispatchIdx, t.sender, t.receiver,
                        Facts.place(s, t.receiver, t.receiverSite), Facts.place(s, e.actor(), site),
                        arrived.stream().map(u -> u.key).toList(), still));
            }
        }
    }

    /** transfer.reject (by the receiver) or transfer.cancel (by the sender). */
    static final class End extends AbstractEntryType<TransferEndPayload> {
        private static final Set<String> FIELDS = Set.of("transfer", "reason");
        private final boolean reject;

        End(boolean reject) {
            super(reject ? REJECT : CANCEL, TransferEndPayload.class, FIELDS, Set.of());
            this.reject = reject;
        }

        @Override
        public PayloadSchema schema() {
            return fields().field("transfer", PayloadSchema.entryId("the transfer.dispatch"))
                    .field("reason", PayloadSchema.string(1000));
        }

        @Override
        protected TransferEndPayload read(Envelope e, Payload p) {
            return new TransferEndPayload(transferId(p), p.string("reason", 1000));
        }

        @Override
        public void prefetch(Envelope e, TransferEndPayload f, Wants wants) {
            wants.transfer(f.transfer());
        }

        @Override
        public void apply(Envelope e, TransferEndPayload f, long index, Instant at, BatchContext ctx) throws SQLException {
            CustodyState s = CustodyState.of(ctx);
            CustodyState.Transfer t = open(ctx, s, f.transfer(), e.actor());
            String allowed = reject ? t.receiver : t.sender;
            if (!allowed.equals(e.actor())) {
                throw LedgerException.conflict(reject ? "not-receiver" : "not-sender",
                        reject ? "Not the receiver" : "Not the sender", "Only \"" + allowed + "\" can "
                                + (reject ? "reject" : "cancel") + " dispatch " + t.id);
            }
            for (Map.Entry<UnitKey, String> entry : t.units.entrySet()) {
                if (!IN_TRANSIT.equals(entry.getValue())) {
                    continue;
                }
                entry.setValue("returned");
                CustodyState.Unit u = Rules.existing(s, entry.getKey());
                for (CustodyState.Unit moved : s.withComponents(u)) {
                    moved.pendingTransfer = null;
                    s.changed(moved, index, at);
                }
            }
            settle(t, reject ? "rejected" : "cancelled", index, at);
            s.putTransfer(t);
        }
    }
}
