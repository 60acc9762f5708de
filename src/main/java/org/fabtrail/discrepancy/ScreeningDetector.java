package org.fabtrail.discrepancy;

import org.fabtrail.custody.Fact;
import org.fabtrail.custody.UnitKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flags what export-control screening ({@link RestrictedList}) finds on a dispatch it let through (rules set to
 * {@code flag}; a rule set to {@code block} refuses the dispatch before it is written, so it never reaches a
 * detector), and screens every receipt: a receiving organisation listed since the dispatch, or a receipt at a site in
 * a restricted country, is flagged (a receipt is a fact from the field: never refused). A receipt's finding has the
 * dispatch's key, so one already flagged at dispatch gets the receipt as new evidence.
 */
final class ScreeningDetector implements Detector {

    private final RestrictedList list;

    ScreeningDetector(RestrictedList list) {
        this.list = list;
    }

    @Override
    public String rule() {
        return RestrictedList.PARTY;
    }

    @Override
    public List<Finding> detect(Fact fact, Connection c, DiscrepancySettings settings) throws SQLException {
        return detect(fact, c, new HashMap<>());
    }

    /** As {@link #detect}, with each receiver's name looked up once per batch rather than once per receipt. */
    @Override
    public List<List<Finding>> detectAll(List<Fact> facts, Connection c, DiscrepancySettings settings)
            throws SQLException {
        Map<String, String> names = new HashMap<>();
        return DiscrepancyEngine.eachFact(this, facts, f -> detect(f, c, names));
    }

    private List<Finding> detect(Fact fact, Connection c, Map<String, String> names) throws SQLException {
        if (fact instanceof Fact.Receipt r) {
            return receipt(r, orgName(c, r.receiver(), names));
        }
        if (!(fact instanceof Fact.Dispatch d)) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (RestrictedList.Match m : list.matches(d)) {
            List<UnitKey> units = m.units() != null ? m.units()
                    : d.units().stream().map(Fact.UnitSnapshot::key).toList();
            boolean licence = RestrictedList.NO_LICENCE.equals(m.rule()) || RestrictedList.OUTSIDE_TERMS.equals(m.rule());
            Map<String, Object> details = details(d.transfer().toString(), m, d.receiver());
            out.add(new Finding(m.rule(), m.rule() + ":" + d.transfer(),
                    licence ? "high" : "critical",
                    d.sender() + " dispatched " + d.units().size() + " unit(s) to " + d.receiver() + ": " + m.detail(),
                    units, involved(m, d.sender(), d.receiver()), List.of(d.index()), details));
        }
        return out;
    }

    private List<Finding> receipt(Fact.Receipt r, String receiverName) {
        List<RestrictedList.Match> matches = new ArrayList<>();
        RestrictedList.Match party = list.party(r.receiver(), receiverName, r.actual());
        if (party != null) {
            matches.add(party);
        }
        RestrictedList.Match destination = list.destination(r.actual());
        if (destination != null) {
            matches.add(destination);
        }
        List<Finding> out = new ArrayList<>();
        for (RestrictedList.Match m : matches) {
            Map<String, Object> details = details(r.transfer().toString(), m, r.receiver());
            details.put("at", "receipt");
            out.add(new Finding(m.rule(), m.rule() + ":" + r.transfer(), "critical",
                    r.receiver() + " received " + r.received().size() + " unit(s) from " + r.sender() + ": "
                            + m.detail(), r.received(), involved(m, r.sender(), r.receiver()),
                    List.of(r.dispatchIdx(), r.index()), details));
        }
        return out;
    }

    /**
     * The organisations a screening finding names: the sender and the receiver, except a receiver that is the listed
     * party itself, which is not told (it is named in the details as {@code listedOrg} instead).
     */
    static List<String> involved(RestrictedList.Match m, String sender, String receiver) {
        return RestrictedList.PARTY.equals(m.rule()) ? List.of(sender) : List.of(sender, receiver);
    }

    /** The finding's details for a screening match; a matched party is named as {@code listedOrg}. */
    static Map<String, Object> details(String transfer, RestrictedList.Match m, String receiver) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transfer", transfer);
        if (m.party() != null) {
            details.put("sourceList", m.party().sourceList());
            details.put("listed", m.party().name().isEmpty() ? m.party().country() : m.party().name());
            if (m.party().identifiers() != null && !m.party().identifiers().isEmpty()) {
                details.put("identifiers", m.party().identifiers());
            }
        }
        if (RestrictedList.PARTY.equals(m.rule())) {
            details.put(Discrepancies.LISTED_ORG, receiver);
            details.put("score", m.score());
            details.put("matchedName", m.matchedName());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", m.party().id());
            row.put("name", m.party().name());
            if (m.party().country() != null) {
                row.put("country", m.party().country());
            }
            row.put("aliases", m.party().aliases());
            row.put("sourceList", m.party().sourceList());
            if (m.party().identifiers() != null) {
                row.put("identifiers", m.party().identifiers());
            }
            if (!m.party().addresses().isEmpty()) {
                row.put("addresses", m.party().addresses());
            }
            details.put("listRow", row);
            if (m.address() != null) {
                details.put("matchedAddress", m.address());
            }
        }
        return details;
    }

    /** An organisation's name, from {@code names} when this batch has looked it up already. */
    static String orgName(Connection c, String org, Map<String, String> names) throws SQLException {
        String name = names.get(org);
        if (name == null) {
            name = orgName(c, org);
            names.put(org, name);
        }
        return name;
    }

    static String orgName(Connection c, String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM orgs WHERE id = ?")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : org;
            }
        }
    }
}
