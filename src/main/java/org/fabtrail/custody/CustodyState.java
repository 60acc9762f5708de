package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.ColumnArrays;
import org.fabtrail.ledger.PgCopy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Sites, units and transfers as the sequencing transaction sees them, with the same discipline as
 * {@link Registry}: reads come from a per-batch cache ({@link #prefetch} fills it for the whole batch with a few
 * queries), writes change the cache at once and are flushed with one statement per table in {@link #flush()}.
 * A unit is always loaded together with its components, so moving a server moves what is inside it.
 *
 * <p>Part of the public state API ({@link EntryType}): entry types of other packages read units and sites, add an
 * entry to a unit's history ({@link #changed}, {@link #touched}) and make an organisation a party ({@link #party});
 * what a unit is and where it is changes only through custody's own entry types.
 */
public final class CustodyState implements BatchState {

    /** The status of a unit in service. */
    public static final String ACTIVE = "active";

    /**
     * A unit's current state (mutable within the batch by custody's entry types; flushed as an upsert). Others read
     * it through the accessors.
     */
    public static final class Unit {
        final UnitKey key;
        String kind;
        String model;
        String eccn;
        String status;
        String custodian;
        String site;
        UnitKey parent;
        UUID pendingTransfer;
        byte[] deviceCertificate;
        long registeredIdx;
        Instant registeredAt;
        long lastIdx;
        Instant updatedAt;
        final Set<UnitKey> components = new LinkedHashSet<>();
        /** Registered in this batch: inserted, not updated. */
        boolean fresh;

        Unit(UnitKey key) {
            this.key = key;
        }

        public UnitKey key() {
            return key;
        }

        /** {@code accelerator}, {@code server}, {@code board} or {@code module}. */
        public String kind() {
            return kind;
        }

        public String model() {
            return model;
        }

        /** The Export Control Classification Number, or null. */
        public String eccn() {
            return eccn;
        }

        /** {@link #ACTIVE}, lost, stolen, destroyed or decommissioned. */
        public String status() {
            return status;
        }

        /** The organisation that holds it. */
        public String custodian() {
            return custodian;
        }

        /** The custodian's site where it is. */
        public String site() {
            return site;
        }

        /** The unit it is assembled into, or null. */
        public UnitKey parent() {
            return parent;
        }

        /** The dispatch it is in transit on, or null. */
        public UUID pendingTransfer() {
            return pendingTransfer;
        }

        /** The DER of its device identity certificate, or null. */
        public byte[] deviceCertificate() {
            return deviceCertificate;
        }

        /** The units assembled directly into it (read-only). */
        public Set<UnitKey> components() {
            return Collections.unmodifiableSet(components);
        }
    }

    /** A registered site of an organisation. */
    public record Site(String org, String id, String name, String country, String address, Double latitude,
                       Double longitude) {
    }

    /** A site reference: the organisation and its site id. */
    public record SiteKey(String org, String id) {
    }

    /** A dispatch (mutable within the batch). */
    static final class Transfer {
        UUID id;
        long dispatchIdx;
        String sender;
        String senderSite;
        String receiver;
        String receiverSite;
        String carrier;
        String shipmentRef;
        String licenceRef;
        Instant expectedArrival;
        String state;
        Instant dispatchedAt;
        Long closedIdx;
        Instant closedAt;
        /** Listed units and their state: in_transit | received | returned. */
        final Map<UnitKey, String> units = new LinkedHashMap<>();
        final Map<UnitKey, Long> receivedIdx = new HashMap<>();
        final Map<UnitKey, String> receivedSite = new HashMap<>();
    }

    private record NewSite(Site site, long index, Instant at) {
    }

    private record Party(UnitKey unit, String org, long index) {
    }

    private record Touch(UnitKey unit, long index) {
    }

    static final String UNITS_BY_KEY = "SELECT u.manufacturer, u.serial, kind, model, eccn, status, "
            + "custodian, site, parent_manufacturer, parent_serial, pending_transfer, device_certificate, "
            + "registered_idx, registered_at, last_idx, updated_at FROM units u "
            + "JOIN unnest(?::text[], ?::text[]) AS w(m, s) ON u.manufacturer = w.m AND u.serial = w.s";
    static final String UNITS_BY_PARENT = "SELECT u.manufacturer, u.serial, u.parent_manufacturer, "
            + "u.parent_serial FROM units u JOIN unnest(?::text[], ?::text[]) AS w(m, s) "
            + "ON u.parent_manufacturer = w.m AND u.parent_serial = w.s";
    static final String SITES_BY_KEY = "SELECT s.org_id, s.id, name, country, address, latitude, longitude "
            + "FROM sites s JOIN unnest(?::text[], ?::text[]) AS w(o, i) ON s.org_id = w.o AND s.id = w.i";
    static final String UPDATE_UNITS = "UPDATE units u SET status = w.status, custodian = w.custodian, "
            + "site = w.site, parent_manufacturer = w.pm, parent_serial = w.ps, pending_transfer = w.pending, "
            + "device_certificate = w.cert, last_idx = w.last_idx, updated_at = w.updated_at FROM unnest(?::text[], "
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::bytea[], ?::bigint[], "
            + "?::timestamptz[]) AS w(m, s, status, custodian, site, pm, ps, pending, cert, last_idx, updated_at) "
            + "WHERE u.manufacturer = w.m AND u.serial = w.s";

    private final Connection c;
    private final Map<UnitKey, Optional<Unit>> units = new HashMap<>();
    private final Map<SiteKey, Optional<Site>> sites = new HashMap<>();
    private final Map<UUID, Optional<Transfer>> transfers = new HashMap<>();
    private final Set<UnitKey> dirtyUnits = new LinkedHashSet<>();
    private final Set<UUID> dirtyTransfers = new LinkedHashSet<>();
    private final List<NewSite> newSites = new ArrayList<>();
    private final List<Party> parties = new ArrayList<>();
    private final List<Touch> touches = new ArrayList<>();
    private final Set<UnitKey> wantedUnits = new HashSet<>();
    private final Set<SiteKey> wantedSites = new HashSet<>();
    private final Set<UUID> wantedTransfers = new HashSet<>();

    private CustodyState(Connection c) {
        this.c = c;
    }

    /** Units, sites and transfers as the batch sees them. */
    public static CustodyState of(BatchContext ctx) {
        return BatchState.of(ctx, CustodyState.class, CustodyState::new);
    }

    // ---------------------------------------------------------------- reads

    void wantUnit(UnitKey unit) {
        wantedUnits.add(unit);
    }

    void wantSite(SiteKey site) {
        wantedSites.add(site);
    }

    void wantTransfer(UUID id) {
        wantedTransfers.add(id);
    }

    /** Loads the wanted transfers (with their units), units (with their components) and sites. */
    @Override
    public void prefetch() throws SQLException {
        load(wantedUnits, wantedSites, wantedTransfers);
        wantedUnits.clear();
        wantedSites.clear();
        wantedTransfers.clear();
    }

    private void load(Collection<UnitKey> unitKeys, Collection<SiteKey> siteKeys, Collection<UUID> transferIds)
            throws SQLException {
        loadTransfers(transferIds.stream().filter(t -> !transfers.containsKey(t)).distinct().toList());
        List<UnitKey> wanted = new ArrayList<>(unitKeys.stream().filter(u -> !units.containsKey(u)).distinct().toList());
        // units on the transfers just loaded are needed to receive, reject or cancel them
        for (UUID t : transferIds) {
            transfers.getOrDefault(t, Optional.empty()).ifPresent(tr -> tr.units.keySet().stream()
                    .filter(u -> !units.containsKey(u)).forEach(wanted::add));
        }
        loadUnits(wanted.stream().distinct().toList());
        loadSites(siteKeys.stream().filter(s -> !sites.containsKey(s)).distinct().toList());
    }

    /** The unit as of this point of the batch. */
    public Optional<Unit> unit(UnitKey key) throws SQLException {
        if (!units.containsKey(key)) {
            loadUnits(List.of(key));
        }
        return units.get(key);
    }

    /** The site as of this point of the batch. */
    public Optional<Site> site(String org, String id) throws SQLException {
        SiteKey k = new SiteKey(org, id);
        if (!sites.containsKey(k)) {
            loadSites(List.of(k));
        }
        return sites.get(k);
    }

    Optional<Transfer> transfer(UUID id) throws SQLException {
        if (!transfers.containsKey(id)) {
            loadTransfers(List.of(id));
        }
        return transfers.get(id);
    }

    /** The unit and everything assembled into it, recursively, parent first. */
    List<Unit> withComponents(Unit root) throws SQLException {
        List<Unit> out = new ArrayList<>();
        List<Unit> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Unit u = todo.remove(todo.size() - 1);
            out.add(u);
            for (UnitKey k : u.components) {
                todo.add(unit(k).orElseThrow(() -> new SQLException("component " + k + " of " + u.key + " is missing")));
            }
        }
        return out;
    }

    private void loadUnits(List<UnitKey> keys) throws SQLException {
        List<UnitKey> frontier = keys;
        // a unit comes with its components (and theirs): load level by level
        for (int depth = 0; !frontier.isEmpty() && depth < 8; depth++) {
            List<UnitKey> loaded = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(UNITS_BY_KEY)) {
                ColumnArrays.of(frontier).text(UnitKey::manufacturer).text(UnitKey::serial).bind(c, ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Unit u = unit(rs);
                        units.put(u.key, Optional.of(u));
                        loaded.add(u.key);
                    }
                }
            }
            for (UnitKey k : frontier) {
                units.putIfAbsent(k, Optional.empty());
            }
            if (loaded.isEmpty()) {
                break;
            }
            // components of the loaded units
            List<UnitKey> next = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(UNITS_BY_PARENT)) {
                ColumnArrays.of(loaded).text(UnitKey::manufacturer).text(UnitKey::serial).bind(c, ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UnitKey child = new UnitKey(rs.getString(1), rs.getString(2));
                        UnitKey parent = new UnitKey(rs.getString(3), rs.getString(4));
                        units.get(parent).ifPresent(p -> p.components.add(child));
                        if (!units.containsKey(child)) {
                            next.add(child);
                        }
                    }
                }
            }
            frontier = next;
        }
    }

    /** A unit as a row of {@link #UNITS_BY_KEY} holds it. */
    private static Unit unit(ResultSet rs) throws SQLException {
        Unit u = new Unit(new UnitKey(rs.getString(1), rs.getString(2)));
        u.kind = rs.getString(3);
        u.model = rs.getString(4);
        u.eccn = rs.getString(5);
        u.status = rs.getString(6);
        u.custodian = rs.getString(7);
        u.site = rs.getString(8);
        u.parent = rs.getString(9) == null ? null : new UnitKey(rs.getString(9), rs.getString(10));
        u.pendingTransfer = rs.getObject(11, UUID.class);
        u.deviceCertificate = rs.getBytes(12);
        u.registeredIdx = rs.getLong(13);
        u.registeredAt = rs.getTimestamp(14).toInstant();
        u.lastIdx = rs.getLong(15);
        u.updatedAt = rs.getTimestamp(16).toInstant();
        return u;
    }

    private void loadSites(List<SiteKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(SITES_BY_KEY)) {
            ColumnArrays.of(keys).text(SiteKey::org).text(SiteKey::id).bind(c, ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Site s = new Site(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            (Double) rs.getObject(6), (Double) rs.getObject(7));
                    sites.put(new SiteKey(s.org(), s.id()), Optional.of(s));
                }
            }
        }
        keys.forEach(k -> sites.putIfAbsent(k, Optional.empty()));
    }

    private void loadTransfers(List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, dispatch_idx, sender, sender_site, receiver, "
                + "receiver_site, carrier, shipment_ref, licence_ref, expected_arrival, state, dispatched_at, closed_idx, "
                + "closed_at FROM transfers WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Transfer t = new Transfer();
                    t.id = rs.getObject(1, UUID.class);
                    t.dispatchIdx = rs.getLong(2);
                    t.sender = rs.getString(3);
                    t.senderSite = rs.getString(4);
                    t.receiver = rs.getString(5);
                    t.receiverSite = rs.getString(6);
                    t.carrier = rs.getString(7);
                    t.shipmentRef = rs.getString(8);
                    t.licenceRef = rs.getString(9);
                    t.expectedArrival = rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant();
                    t.state = rs.getString(11);
                    t.dispatchedAt = rs.getTimestamp(12).toInstant();
                    t.closedIdx = (Long) rs.getObject(13);
                    t.closedAt = rs.getTimestamp(14) == null ? null : rs.getTimestamp(14).toInstant();
                    transfers.put(t.id, Optional.of(t));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT transfer_id, manufacturer, serial, state, received_idx, "
                + "received_site FROM transfer_units WHERE transfer_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Transfer t = transfers.get(rs.getObject(1, UUID.class)).orElseThrow();
                    UnitKey k = new UnitKey(rs.getString(2), rs.getString(3));
                    t.units.put(k, rs.getString(4));
                    if (rs.getObject(5) != null) {
                        t.receivedIdx.put(k, rs.getLong(5));
                        t.receivedSite.put(k, rs.getString(6));
                    }
                }
            }
        }
        ids.forEach(id -> transfers.putIfAbsent(id, Optional.empty()));
    }

    // ---------------------------------------------------------------- writes (buffered)

    void addSite(Site s, long index, Instant at) {
        sites.put(new SiteKey(s.org(), s.id()), Optional.of(s));
        newSites.add(new NewSite(s, index, at));
    }

    /** A unit registered in this batch. */
    void putUnit(Unit u) {
        u.fresh = true;
        units.put(u.key, Optional.of(u));
        dirtyUnits.add(u.key);
    }

    /**
     * The entry at {@code index} changed the unit: it is written at the end of the batch, and the entry joins the
     * unit's history.
     */
    public void changed(Unit u, long index, Instant at) {
        u.lastIdx = index;
        u.updatedAt = at;
        dirtyUnits.add(u.key);
        touches.add(new Touch(u.key, index));
    }

    /** An entry about the unit that changes nothing in it (an inspection): it joins the unit's history only. */
    public void touched(UnitKey unit, long index) {
        touches.add(new Touch(unit, index));
    }

    /**
     * Gives the unit its device identity certificate ({@code unit.certify}: the caller has checked that it has none,
     * since one is never replaced); {@link #changed} then writes it.
     */
    public void deviceCertificate(Unit u, byte[] der) {
        u.deviceCertificate = der;
    }

    void putTransfer(Transfer t) {
        transfers.put(t.id, Optional.of(t));
        dirtyTransfers.add(t.id);
    }

    /** The organisation may see the unit and every entry about it from now on. */
    public void party(UnitKey unit, String org, long index) {
        parties.add(new Party(unit, org, index));
    }

    /**
     * Whether the organisation is a party of the unit (held it, holds it, was sent it), as of now in the batch. Reads
     * the database when this batch has not made it one: for refusals only, which are rare.
     */
    boolean isParty(UnitKey unit, String org) throws SQLException {
        for (Party p : parties) {
            if (p.unit().equals(unit) && p.org().equals(org)) {
                return true;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM unit_parties WHERE manufacturer = ? "
                + "AND serial = ? AND org_id = ?")) {
            ps.setString(1, unit.manufacturer());
            ps.setString(2, unit.serial());
            ps.setString(3, org);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void flush() throws SQLException {
        flushSites();
        flushUnits();
        flushTransfers();
        flushTouches();
        flushParties();
    }

    private void flushSites() throws SQLException {
        if (newSites.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sites (org_id, id, name, country, address, latitude, "
                + "longitude, registered_idx, registered_at) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::float8[], ?::float8[], ?::bigint[], ?::timestamptz[])")) {
            ColumnArrays.of(newSites).text(s -> s.site().org()).text(s -> s.site().id()).text(s -> s.site().name())
                    .text(s -> s.site().country()).text(s -> s.site().address()).float8(s -> s.site().latitude())
                    .float8(s -> s.site().longitude()).bigint(NewSite::index).timestamptz(NewSite::at)
                    .executeUpdate(c, ps);
        }
        newSites.clear();
    }

    private void flushUnits() throws SQLException {
        if (dirtyUnits.isEmpty()) {
            return;
        }
        // New units go in with one binary COPY; changed ones with one upsert.
        PgCopy fresh = new PgCopy("units (manufacturer, serial, kind, model, "
                + "eccn, status, custodian, site, parent_manufacturer, parent_serial, pending_transfer, device_certificate, "
                + "registered_idx, registered_at, last_idx, updated_at)", 16);
        List<Unit> changed = new ArrayList<>();
        for (UnitKey k : dirtyUnits) {
            Unit u = units.get(k).orElseThrow();
            if (!u.fresh) {
                changed.add(u);
                continue;
            }
            fresh.row().text(k.manufacturer()).text(k.serial()).text(u.kind).text(u.model).text(u.eccn).text(u.status)
                    .text(u.custodian).text(u.site).text(u.parent == null ? null : u.parent.manufacturer())
                    .text(u.parent == null ? null : u.parent.serial()).uuid(u.pendingTransfer).bytea(u.deviceCertificate)
                    .bigint(u.registeredIdx).timestamptz(u.registeredAt).bigint(u.lastIdx).timestamptz(u.updatedAt);
            u.fresh = false;
        }
        fresh.copy(c);
        dirtyUnits.clear();
        if (!changed.isEmpty()) {
            updateUnits(changed);
        }
    }

    /** The changed units, in one upsert of arrays. */
    private void updateUnits(List<Unit> changed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_UNITS)) {
            int updated = ColumnArrays.of(changed).text(u -> u.key.manufacturer()).text(u -> u.key.serial())
                    .text(u -> u.status).text(u -> u.custodian).text(u -> u.site)
                    .text(u -> u.parent == null ? null : u.parent.manufacturer())
                    .text(u -> u.parent == null ? null : u.parent.serial()).uuid(u -> u.pendingTransfer)
                    .bytea(u -> u.deviceCertificate).bigint(u -> u.lastIdx).timestamptz(u -> u.updatedAt)
                    .executeUpdate(c, ps);
            int n = changed.size();
            if (updated != n) {
                throw new SQLException("expected to update " + n + " units, updated " + updated);
            }
        }
    }

    /** A listed unit of a changed transfer, as a row of {@code transfer_units}. */
    private record TransferUnit(Transfer transfer, UnitKey unit, String state) {
    }

    /** The changed transfers and their units, each in one upsert of arrays (one row per key, so no key twice). */
    private void flushTransfers() throws SQLException {
        if (dirtyTransfers.isEmpty()) {
            return;
        }
        List<Transfer> changed = new ArrayList<>();
        List<TransferUnit> units = new ArrayList<>();
        for (UUID id : dirtyTransfers) {
            Transfer tr = transfers.get(id).orElseThrow();
            changed.add(tr);
            tr.units.forEach((unit, state) -> units.add(new TransferUnit(tr, unit, state)));
        }
        try (PreparedStatement t = c.prepareStatement("INSERT INTO transfers (id, dispatch_idx, sender, sender_site, "
                + "receiver, receiver_site, carrier, shipment_ref, licence_ref, expected_arrival, state, dispatched_at, "
                + "closed_idx, closed_at) SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[], "
                + "?::bigint[], ?::timestamptz[]) ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, "
                + "closed_idx = EXCLUDED.closed_idx, closed_at = EXCLUDED.closed_at");
             PreparedStatement u = c.prepareStatement("INSERT INTO transfer_units (transfer_id, manufacturer, serial, "
                     + "state, received_idx, received_site) SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], "
                     + "?::text[], ?::bigint[], ?::text[]) ON CONFLICT (transfer_id, manufacturer, serial) DO UPDATE "
                     + "SET state = EXCLUDED.state, received_idx = EXCLUDED.received_idx, "
                     + "received_site = EXCLUDED.received_site")) {
            ColumnArrays.of(changed).uuid(tr -> tr.id).bigint(tr -> tr.dispatchIdx).text(tr -> tr.sender)
                    .text(tr -> tr.senderSite).text(tr -> tr.receiver).text(tr -> tr.receiverSite)
                    .text(tr -> tr.carrier).text(tr -> tr.shipmentRef).text(tr -> tr.licenceRef)
                    .timestamptz(tr -> tr.expectedArrival).text(tr -> tr.state).timestamptz(tr -> tr.dispatchedAt)
                    .bigint(tr -> tr.closedIdx).timestamptz(tr -> tr.closedAt).executeUpdate(c, t);
            if (!units.isEmpty()) {
                ColumnArrays.of(units).uuid(x -> x.transfer().id).text(x -> x.unit().manufacturer())
                        .text(x -> x.unit().serial()).text(TransferUnit::state)
                        .bigint(x -> x.transfer().receivedIdx.get(x.unit()))
                        .text(x -> x.transfer().receivedSite.get(x.unit())).executeUpdate(c, u);
            }
        }
        dirtyTransfers.clear();
    }

    private void flushTouches() throws SQLException {
        PgCopy copy = new PgCopy("unit_entries (manufacturer, serial, idx)", 3);
        Set<Touch> seen = new java.util.HashSet<>();
        for (Touch t : touches) {
            if (seen.add(t)) {
                copy.row().text(t.unit().manufacturer()).text(t.unit().serial()).bigint(t.index());
            }
        }
        copy.copy(c);
        touches.clear();
    }

    private void flushParties() throws SQLException {
        if (parties.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO unit_parties (manufacturer, serial, org_id, since_idx) "
                + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) ON CONFLICT DO NOTHING")) {
            ColumnArrays.of(parties).text(p -> p.unit().manufacturer()).text(p -> p.unit().serial()).text(Party::org)
                    .bigint(Party::index).executeUpdate(c, ps);
        }
        parties.clear();
    }
}
