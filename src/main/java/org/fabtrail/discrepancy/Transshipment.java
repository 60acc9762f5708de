package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code transshipment}: a unit reached its holder through one or more hops (dispatches received) that needed no
 * licence or carried one, and within {@code transshipment-window} of the first of them is dispatched onward to (or
 * received in) a destination that would have needed a licence from the chain's origin ({@link LicenceTable}) and the
 * onward hop carries none, or that is restricted (a listed country or party). The evidence is the whole chain: each
 * hop's dispatch and receipt, and the onward entry. Units inside a server count: a GPU pulled out of a server after a
 * legal first hop and shipped on alone is followed through the server's hop.
 */
final class Transshipment implements Detector {

    static final String RULE = "transshipment";
    private static final int MAX_HOPS = 10;

    private final RestrictedList list;

    Transshipment(RestrictedList list) {
        this.list = list;
    }

    @Override
    public String rule() {
        return RULE;
    }

    /** A received dispatch the unit travelled on. */
    record Hop(UUID transfer, long dispatchIdx, String sender, String receiver, String licenceRef, Instant at,
               String fromCountry, String toCountry, Long receiptIdx) {
    }

    /** A unit of the onward movement and its ECCN. */
    record Moving(UnitKey unit, String eccn) {
    }

    @Override
    public List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) throws SQLException {
        return detect(fact, c, settings, new HashMap<>());
    }

    /** As {@link #detect}, with each receiver's name looked up once per batch rather than once per entry. */
    @Override
    public List<List<Finding>> detectAll(List<Fact> facts, Connection c, DiscrepancySettings settings)
            throws SQLException {
        Map<String, String> names = new HashMap<>();
        return DiscrepancyEngine.eachFact(this, facts, f -> detect(f, c, settings, names));
    }

    private List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings, Map<String, String> names)
            throws SQLException {
        if (fact instanceof Fact.Dispatch d && d.to() != null && d.from() != null) {
            if (d.to().country() == null || d.to().country().equals(d.from().country())) {
                return List.of(); // a hop inside the country it arrived in is no transshipment
            }
            List<Moving> units = d.units().stream().map(u -> new Moving(u.key(), u.eccn())).toList();
            return check(c, settings, d.index(), d.at(), d.transfer(), d.sender(), d.receiver(),
                    ScreeningDetector.orgName(c, d.receiver(), names), d.to(), d.licenceRef(), units, false);
        }
        if (fact instanceof Fact.Receipt r && r.actual() != null && r.actual().country() != null && r.named() != null
                && !r.actual().country().equals(r.named().country())) {
            // received in another country than the dispatch named: the chain includes this dispatch
            return check(c, settings, r.index(), r.at(), r.transfer(), r.receiver(), r.receiver(),
                    ScreeningDetector.orgName(c, r.receiver(), names), r.actual(), licenceOf(c, r.transfer()),
                    withComponents(c, r.received()), true);
        }
        return List.of();
    }

    private List<Finding> check(Connection c, DiscrepancySettings settings, long index, Instant at, UUID transfer,
                                String holder, String receiver, String receiverName, Fact.Place to, String licenceRef,
                                List<Moving> units, boolean receipt) throws SQLException {
        Instant since = at.minus(settings.transshipmentWindow());
        Map<UUID, Hop> chain = new LinkedHashMap<>();
        Set<UnitKey> affected = new LinkedHashSet<>();
        List<String> reasons = new ArrayList<>();
        boolean listedReceiver = list.party(receiver, receiverName, to) != null;
        boolean restricted = list.restrictedCountry(to.country()) || listedReceiver;
        String origin = null;
        for (Moving m : units) {
            if (!restricted && (licenceRef != null || !settings.licences().mayNeedLicence(m.eccn(), to.country()))) {
                continue; // nothing a chain could show: no need to read it
            }
            List<Hop> hops = chain(c, m.unit(), index, since, holder);
            if (receipt && !hops.isEmpty() && !hops.get(0).transfer().equals(transfer)) {
                continue;
            }
            List<Hop> prior = receipt ? hops.subList(Math.min(1, hops.size()), hops.size()) : hops;
            if (prior.isEmpty()) {
                continue;
            }
            String from = prior.get(prior.size() - 1).fromCountry();
            boolean needs = licenceRef == null && !from.equals(to.country())
                    && settings.licences().needsLicence(m.eccn(), from, to.country());
            if (needs || restricted) {
                hops.forEach(h -> chain.putIfAbsent(h.transfer(), h));
                affected.add(m.unit());
                origin = origin == null ? from : origin;
                if (reasons.size() < 5) {
                    reasons.add(needs ? m.unit() + " (" + m.eccn() + ") would have needed a licence from " + from
                            + " to " + to.country() : m.unit() + " goes on to a restricted "
                            + (list.restrictedCountry(to.country()) ? "destination (" + to.country() + ")"
                            : "party (" + receiver + ")"));
                }
            }
        }
        if (affected.isEmpty()) {
            return List.of();
        }
        Trail trail = trail(chain.values(), index);
        List<Long> evidence = trail.evidence();
        List<String> path = trail.path();
        Set<String> orgs = trail.orgs();
        evidence.add(index);
        orgs.add(holder);
        orgs.add(receiver);
        if (listedReceiver) {
            orgs.remove(receiver); // the listed party is not told (issue 11)
        }
        if (!receipt) {
            path.add(holder + " onward to " + receiver + " (" + to.country() + ")"
                    + (licenceRef == null ? "" : " under " + licenceRef));
        }
        Map<String, Object> details = details(transfer, origin, to, path, settings, listedReceiver ? receiver : null);
        return List.of(new Finding(RULE, RULE + ":" + transfer + (receipt ? ":receipt" : ""), "critical",
                "Transshipment: " + String.join("; ", reasons) + (affected.size() > reasons.size() ? " and "
                        + (affected.size() - reasons.size()) + " more" : "") + ", after " + String.join(", then ", path),
                List.copyOf(affected), List.copyOf(orgs), evidence, details));
    }

    /** The finding's details; {@code listed}: the receiver when it is a listed party (who is then not told). */
    private static Map<String, Object> details(UUID transfer, String origin, Fact.Place to, List<String> path,
                                               DiscrepancySettings settings, String listed) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transfer", transfer.toString());
        details.put("origin", origin);
        details.put("destination", to.country());
        details.put("chain", path);
        details.put("window", settings.transshipmentWindow().toString());
        if (listed != null) {
            details.put(Discrepancies.LISTED_ORG, listed);
        }
        return details;
    }

    /** The chain's evidence (dispatches, and receipts before the entry), its path in words and its organisations. */
    private record Trail(List<Long> evidence, List<String> path, Set<String> orgs) {
    }

    private static Trail trail(java.util.Collection<Hop> chain, long index) {
        List<Hop> hops = new ArrayList<>(chain);
        hops.sort(java.util.Comparator.comparingLong(Hop::dispatchIdx));
        Trail trail = new Trail(new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>());
        for (Hop h : hops) {
            trail.evidence().add(h.dispatchIdx());
            if (h.receiptIdx() != null && h.receiptIdx() < index) {
                trail.evidence().add(h.receiptIdx());
            }
            trail.path().add(h.sender() + " (" + h.fromCountry() + ") to " + h.receiver() + " (" + h.toCountry() + ")"
                    + (h.licenceRef() == null ? "" : " under " + h.licenceRef()));
            trail.orgs().add(h.sender());
            trail.orgs().add(h.receiver());
        }
        return trail;
    }

    /**
     * The received hops that brought the unit to {@code holder}, newest first, each ending where the next began,
     * dispatched since {@code since}.
     */
    private static List<Hop> chain(Connection c, UnitKey u, long before, Instant since, String holder)
            throws SQLException {
        List<Hop> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.dispatch_idx, t.sender, t.receiver, "
                + "t.licence_ref, t.dispatched_at, fs.country, rs.country, t.closed_idx, t.state "
                + "FROM unit_entries ue JOIN transfers t ON t.dispatch_idx = ue.idx "
                + "JOIN sites fs ON fs.org_id = t.sender AND fs.id = t.sender_site "
                + "JOIN sites rs ON rs.org_id = t.receiver AND rs.id = t.receiver_site "
                + "WHERE ue.manufacturer = ? AND ue.serial = ? AND ue.idx < ? AND t.dispatched_at >= ? "
                + "ORDER BY ue.idx DESC LIMIT " + (MAX_HOPS * 3))) {
            ps.setString(1, u.manufacturer());
            ps.setString(2, u.serial());
            ps.setLong(3, before);
            ps.setTimestamp(4, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("rejected".equals(rs.getString(10)) || "cancelled".equals(rs.getString(10))) {
                        continue;
                    }
                    all.add(new Hop(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8),
                            (Long) rs.getObject(9)));
                }
            }
        }
        List<Hop> chain = new ArrayList<>();
        String next = holder;
        for (Hop h : all) {
            if (chain.size() == MAX_HOPS) {
                break;
            }
            if (h.receiver().equals(next)) {
                chain.add(h);
                next = h.sender();
            }
        }
        return chain;
    }

    private static String licenceOf(Connection c, UUID transfer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT licence_ref FROM transfers WHERE id = ?")) {
            ps.setObject(1, transfer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The received units and the units assembled in them, with their ECCNs. */
    private static List<Moving> withComponents(Connection c, List<UnitKey> received) throws SQLException {
        List<Moving> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer, serial, eccn FROM units "
                + "WHERE (manufacturer = ? AND serial = ?) OR (parent_manufacturer = ? AND parent_serial = ?) "
                + "ORDER BY manufacturer, serial")) {
            for (UnitKey k : received) {
                ps.setString(1, k.manufacturer());
                ps.setString(2, k.serial());
                ps.setString(3, k.manufacturer());
                ps.setString(4, k.serial());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Moving(new UnitKey(rs.getString(1), rs.getString(2)), rs.getString(3)));
                    }
                }
            }
        }
        return out;
    }
}
