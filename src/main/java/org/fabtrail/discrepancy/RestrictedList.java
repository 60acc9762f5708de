package org.fabtrail.discrepancy;

import org.fabtrail.custody.Csv;
import org.fabtrail.custody.Fact;
import org.fabtrail.custody.Screening;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.SafeText;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.text.Normalizer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Export-control screening. The operator imports a restricted-party list from CSV in the shape of public
 * consolidated screening lists ({@code name,country,aliases,source_list,identifiers,addresses}; aliases and
 * addresses separated by {@code ;}; the {@code addresses} column may be left out); a row with a name restricts that party, a row with only a country restricts every destination in that
 * country. Names match after normalising case, accents, punctuation and legal-form words ("Acme Trading Co., Ltd."
 * = "ACME TRADING"). A dispatch is screened on three rules — {@code restricted-party} (the receiving organisation's
 * name or id), {@code restricted-destination} (the receiving site's country) and {@code export-without-licence}
 * (a unit with an ECCN crossing a border without a licence reference) — and per rule the settings decide whether a
 * match refuses the dispatch (422, nothing written) or lets it through to be flagged by {@link ScreeningDetector}.
 */
public final class RestrictedList implements Screening {

    public static final String PARTY = "restricted-party";
    public static final String DESTINATION = "restricted-destination";
    public static final String NO_LICENCE = "export-without-licence";
    public static final String OUTSIDE_TERMS = "licence-outside-terms";
    public static final List<String> HEADER = List.of("name", "country", "aliases", "source_list", "identifiers",
            "addresses");
    /** The header of lists written before addresses were screened: still accepted, every row without addresses. */
    static final List<String> HEADER_WITHOUT_ADDRESSES = HEADER.subList(0, 5);
    public static final int MAX_ROWS = 100_000;

    /** Legal-form and filler words dropped before names are compared. */
    static final Set<String> LEGAL_FORMS = Set.of("inc", "incorporated", "corp", "corporation", "co", "company",
            "ltd", "limited", "llc", "llp", "lp", "plc", "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv",
            "nv", "oy", "ab", "as", "asa", "aps", "pte", "pty", "kk", "jsc", "ojsc", "pjsc", "cjsc", "ooo", "zao",
            "oao", "fze", "fzco", "fzc", "sdn", "bhd", "the");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_ALNUM = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    /** One row of the list. */
    public record Party(long id, String name, String country, List<String> aliases, String sourceList,
                       String identifiers, List<String> addresses) {
    }

    /**
     * A screening hit: the rule, the row that matched (null for the licence rules) and, for the licence rules, the
     * units that need the licence (else null: all of them).
     */
    public record Match(String rule, Party party, String detail, List<UnitKey> units,
                        Double score, String matchedName, String address) {
        public Match(String rule, Party party, String detail) {
            this(rule, party, detail, null, null, null, null);
        }

        public Match(String rule, Party party, String detail, List<UnitKey> units) {
            this(rule, party, detail, units, null, null, null);
        }
    }

    /** A name or alias of a listed party, in words for the fuzzy matcher. */
    private record Named(Party party, String name, List<String> words) {
    }

    private record Snapshot(Map<String, Party> byKey, Map<String, Party> countries, int size,
                            Map<String, List<Named>> index) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final DiscrepancySettings settings;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), 0, Map.of());

    public RestrictedList(DataSource dataSource, Clock clock, DiscrepancySettings settings) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.settings = settings;
    }

    /** The normalised form names are compared in. */
    public static String normalise(String name) {
        if (name == null) {
            return "";
        }
        List<String> words = new ArrayList<>();
        for (String w : plainWords(name)) {
            if (!LEGAL_FORMS.contains(w)) {
                words.add(w);
            }
        }
        return String.join(" ", words);
    }

    /** The words of a text in lower case, accents and punctuation dropped ("Wan-Chai Rd." is wan, chai, rd). */
    private static List<String> plainWords(String text) {
        String s = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
        s = NON_ALNUM.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    /** Reads the list from the database (at start, and after an import). */
    public void reload() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, country, aliases, source_list, identifiers, "
                     + "addresses, match_keys FROM restricted_parties ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Party> byKey = new HashMap<>();
            Map<String, Party> countries = new HashMap<>();
            Map<String, List<Named>> index = new HashMap<>();
            int n = 0;
            while (rs.next()) {
                Party p = party(rs);
                n++;
                if (p.name().isEmpty()) {
                    countries.putIfAbsent(p.country(), p);
                }
                for (String k : (String[]) rs.getArray(8).getArray()) {
                    byKey.putIfAbsent(k, p);
                }
                if (!p.name().isEmpty()) {
                    List<String> names = new ArrayList<>(List.of(p.name()));
                    names.addAll(p.aliases());
                    for (String name : names) {
                        Named named = new Named(p, name, NameMatcher.words(name));
                        for (String key : indexKeys(named.words())) {
                            index.computeIfAbsent(key, x -> new ArrayList<>()).add(named);
                        }
                    }
                }
            }
            snapshot = new Snapshot(Map.copyOf(byKey), Map.copyOf(countries), n, index);
        }
    }

    public int size() {
        return snapshot.size();
    }

    /** A refused import: every problem with its row. Nothing was changed. */
    public static final class ImportProblem extends Exception {
        private final List<String> problems;

        ImportProblem(List<String> problems) {
            super(problems.size() + " problem(s): " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))),
                    null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** One row of an import, checked and with its match keys, ready to store. */
    record Row(String name, String country, List<String> aliases, String source, String ids, List<String> addresses,
               List<String> keys) {
    }

    /**
     * Replaces the whole list with the CSV's rows, in one transaction; a file with any bad row changes nothing.
     *
     * @return how many rows the list now holds
     */
    public int importCsv(String text) throws ImportProblem, SQLException {
        List<Row> rows = parse(text);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM restricted_parties");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO restricted_parties (name, country, aliases, "
                         + "source_list, identifiers, addresses, match_keys, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                del.executeUpdate();
                Timestamp now = Timestamp.from(clock.instant());
                for (Row r : rows) {
                    ins.setString(1, r.name());
                    ins.setString(2, r.country());
                    ins.setArray(3, c.createArrayOf("text", r.aliases().toArray()));
                    ins.setString(4, r.source());
                    ins.setString(5, r.ids());
                    ins.setArray(6, c.createArrayOf("text", r.addresses().toArray()));
                    ins.setArray(7, c.createArrayOf("text", r.keys().toArray()));
                    ins.setTimestamp(8, now);
                    ins.addBatch();
                }
                ins.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        Snapshot before = snapshot;
        reload();
        try {
            rescreen(before);
        } catch (SQLException | RuntimeException e) {
            // the list is in place; a failed re-screening must not undo it (the next import screens again)
            System.getLogger(RestrictedList.class.getName()).log(System.Logger.Level.ERROR,
                    "re-screening after the restricted-party import failed", e);
        }
        return rows.size();
    }

    /** What a re-screening found: findings queued for the organisations and transits the new list catches. */
    public record Rescreened(int parties, int findings) {
    }

    /**
     * Screens every organisation holding units or with units in transit to it against the list, and every transit
     * against its destination country, and queues a finding for each that matches now and did not match
     * {@code before} (the list before an import): {@code restricted-party} for the units an organisation holds
     * (key {@code restricted-party:listed:<org>}) and, for a transit still open, the dispatch's own
     * {@code restricted-party:<transfer>} or {@code restricted-destination:<transfer>} (so the receipt, when it comes,
     * is further evidence on it). Runs after each import, in its own transaction; the findings are published by the
     * engine's next round.
     */
    Rescreened rescreen(Snapshot before) throws SQLException {
        Snapshot now = snapshot;
        List<Finding> found = new ArrayList<>();
        Set<String> parties = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                record Org(String id, String name, String country, List<String> addresses) {
                }
                List<Org> orgs = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.name, o.country, ARRAY(SELECT s.address "
                        + "FROM sites s WHERE s.org_id = o.id ORDER BY s.id) FROM orgs o WHERE "
                        + "EXISTS (SELECT 1 FROM units u WHERE u.custodian = o.id AND u.status NOT IN "
                        + "('destroyed', 'decommissioned')) OR EXISTS (SELECT 1 FROM transfers t WHERE t.receiver = o.id "
                        + "AND t.state IN ('pending', 'partial')) ORDER BY o.id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        orgs.add(new Org(rs.getString(1), rs.getString(2), rs.getString(3),
                                List.of((String[]) rs.getArray(4).getArray())));
                    }
                }
                for (Org o : orgs) {
                    Match m = party(now, o.id(), o.name(), o.country(), o.addresses());
                    if (m == null || party(before, o.id(), o.name(), o.country(), o.addresses()) != null) {
                        continue;
                    }
                    parties.add(o.id());
                    held(c, o.id(), m, found);
                    inTransit(c, "t.receiver = ?", o.id(), m, found);
                }
                // transits to a country listed since they left
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT s.country FROM transfers t JOIN sites s "
                        + "ON s.org_id = t.receiver AND s.id = t.receiver_site WHERE t.state IN ('pending', 'partial')");
                     ResultSet rs = ps.executeQuery()) {
                    List<String> countries = new ArrayList<>();
                    while (rs.next()) {
                        countries.add(rs.getString(1));
                    }
                    for (String country : countries) {
                        if (now.countries().containsKey(country) && !before.countries().containsKey(country)) {
                            Party row = now.countries().get(country);
                            inTransit(c, "EXISTS (SELECT 1 FROM sites s WHERE s.org_id = t.receiver AND s.id = "
                                    + "t.receiver_site AND s.country = ?)", country, new Match(DESTINATION, row,
                                    "the destination is in " + country + ", restricted on " + row.sourceList()
                                            + " since the units left"), found);
                        }
                    }
                }
                if (!found.isEmpty()) {
                    DiscrepancyEngine.enqueue(c, found, clock.instant());
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Rescreened(parties.size(), found.size());
    }

    /** A finding for the units a newly listed organisation holds (up to the log's limits per finding). */
    private static void held(Connection c, String org, Match m, List<Finding> found) throws SQLException {
        List<UnitKey> units = new ArrayList<>();
        List<Long> evidence = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT manufacturer, serial, last_idx FROM units WHERE "
                + "custodian = ? AND status NOT IN ('destroyed', 'decommissioned') AND pending_transfer IS NULL "
                + "ORDER BY last_idx DESC LIMIT 1000")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    units.add(new UnitKey(rs.getString(1), rs.getString(2)));
                    if (evidence.size() < 200 && !evidence.contains(rs.getLong(3))) {
                        evidence.add(rs.getLong(3));
                    }
                }
            }
        }
        if (units.isEmpty()) {
            return;
        }
        Map<String, Object> details = ScreeningDetector.details(null, m, org);
        details.remove("transfer");
        details.put("at", "re-screening");
        java.util.Collections.sort(evidence);
        // named: the units' manufacturers (who made what the listed party holds), never the listed party itself
        List<String> orgs = units.stream().map(u -> u.manufacturer()).distinct().limit(50).toList();
        found.add(new Finding(PARTY, PARTY + ":listed:" + org, "critical", org + " holds " + units.size()
                + " unit(s) and is now on the restricted-party list: " + m.detail(), units, orgs, evidence,
                details));
    }

    /** A finding for each open transit matching {@code where} (with one parameter). */
    private static void inTransit(Connection c, String where, String param, Match m, List<Finding> found)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.dispatch_idx, t.sender, t.receiver, "
                + "array_agg(tu.manufacturer ORDER BY tu.manufacturer, tu.serial), "
                + "array_agg(tu.serial ORDER BY tu.manufacturer, tu.serial) FROM transfers t JOIN transfer_units tu "
                + "ON tu.transfer_id = t.id AND tu.state = 'in_transit' WHERE t.state IN ('pending', 'partial') AND "
                + where + " GROUP BY t.id, t.dispatch_idx, t.sender, t.receiver ORDER BY t.dispatch_idx")) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.util.UUID transfer = rs.getObject(1, java.util.UUID.class);
                    String[] ms = (String[]) rs.getArray(5).getArray();
                    String[] ss = (String[]) rs.getArray(6).getArray();
                    List<UnitKey> units = new ArrayList<>();
                    for (int i = 0; i < ms.length; i++) {
                        units.add(new UnitKey(ms[i], ss[i]));
                    }
                    Map<String, Object> details = ScreeningDetector.details(transfer.toString(), m, rs.getString(4));
                    details.put("at", "re-screening");
                    found.add(new Finding(m.rule(), m.rule() + ":" + transfer, "critical", rs.getString(3)
                            + "'s dispatch to " + rs.getString(4) + " is in transit: " + m.detail(), units,
                            ScreeningDetector.involved(m, rs.getString(3), rs.getString(4)), List.of(rs.getLong(2)),
                            details));
                }
            }
        }
    }

    /**
     * Reads and checks an import file without touching the database: every row of a list, or every problem with its
     * row. Pure, so that {@link #importCsv} and the tests share it.
     *
     * @throws ImportProblem the file's problems (the import is refused whole)
     */
    static List<Row> parse(String text) throws ImportProblem {
        List<Csv.Record> records;
        try {
            records = Csv.records(text);
        } catch (Csv.Unclosed e) {
            throw new ImportProblem(List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (records.isEmpty()) {
            throw new ImportProblem(List.of("The file is empty; the first row must be the header "
                    + String.join(",", HEADER)));
        }
        List<String> header = records.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        if (!header.equals(HEADER) && !header.equals(HEADER_WITHOUT_ADDRESSES)) {
            throw new ImportProblem(List.of("The header must be exactly " + String.join(",", HEADER) + " (or without "
                    + "addresses), not " + String.join(",", header)));
        }
        if (records.size() - 1 > MAX_ROWS) {
            throw new ImportProblem(List.of("The list has " + (records.size() - 1) + " rows; at most " + MAX_ROWS));
        }
        List<Row> rows = new ArrayList<>();
        for (Csv.Record r : records.subList(1, records.size())) {
            Row row = row(r, header, problems);
            if (row != null) {
                rows.add(row);
            }
        }
        if (!problems.isEmpty()) {
            throw new ImportProblem(problems);
        }
        return rows;
    }

    /** One row of the list, its problems added to {@code problems}; null when it has the wrong number of fields. */
    private static Row row(Csv.Record r, List<String> header, List<String> problems) {
        List<String> f = r.fields();
        if (f.size() != header.size()) {
            problems.add("row " + r.line() + ": " + f.size() + " fields, expected " + header.size());
            return null;
        }
        for (int c = 0; c < header.size(); c++) { // the database cannot store U+0000; pages show no controls
            int column = c;
            SafeText.multiLineFault(f.get(c)).ifPresent(fault -> problems.add("row " + r.line() + ": "
                    + HEADER.get(column) + " holds " + fault + ", which is not allowed in text"));
        }
        String name = f.get(0).trim();
        String country = f.get(1).trim().toUpperCase(Locale.ROOT);
        List<String> aliases = semicolonList(f.get(2));
        List<String> addresses = f.size() > 5 ? semicolonList(f.get(5)) : List.of();
        String source = f.get(3).trim();
        if (!country.isEmpty() && !COUNTRY.matcher(country).matches()) {
            problems.add("row " + r.line() + ": country \"" + f.get(1) + "\" is not an ISO 3166-1 alpha-2 code");
        }
        if (name.isEmpty() && country.isEmpty()) {
            problems.add("row " + r.line() + ": a row needs a name (a party) or a country (a destination)");
        }
        if (name.isEmpty() && !aliases.isEmpty()) {
            problems.add("row " + r.line() + ": aliases without a name");
        }
        if (name.isEmpty() && !addresses.isEmpty()) {
            problems.add("row " + r.line() + ": addresses without a name (a country row restricts the whole country)");
        }
        if (source.isEmpty()) {
            problems.add("row " + r.line() + ": source_list is empty (name the list the row comes from)");
        }
        Set<String> keys = new LinkedHashSet<>();
        if (!name.isEmpty()) {
            keys.add(normalise(name));
            aliases.forEach(a -> keys.add(normalise(a)));
            keys.remove("");
            if (keys.isEmpty()) {
                problems.add("row " + r.line() + ": the name \"" + name + "\" is only legal-form words");
            }
        }
        return new Row(name, country.isEmpty() ? null : country, aliases, source, f.get(4).trim(), addresses,
                List.copyOf(keys));
    }

    /** The whole list, for the operator's page and export. */
    public List<Party> all() throws SQLException {
        List<Party> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, country, aliases, source_list, identifiers, "
                     + "addresses FROM restricted_parties ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(party(rs));
            }
        }
        return out;
    }

    /** A row read from its first seven columns: id, name, country, aliases, source_list, identifiers, addresses. */
    private static Party party(ResultSet rs) throws SQLException {
        return new Party(rs.getLong(1), rs.getString(2), rs.getString(3), List.of((String[]) rs.getArray(4).getArray()),
                rs.getString(5), rs.getString(6), List.of((String[]) rs.getArray(7).getArray()));
    }

    /** A field holding a {@code ;}-separated list, each item trimmed, empty items dropped. */
    private static List<String> semicolonList(String field) {
        List<String> out = new ArrayList<>();
        for (String a : field.split(";")) {
            if (!a.isBlank()) {
                out.add(a.trim());
            }
        }
        return List.copyOf(out);
    }

    /** Every rule the dispatch hits. */
    public List<Match> matches(Fact.Dispatch d) {
        List<Match> out = new ArrayList<>();
        Match party = party(d.receiver(), d.receiverName(), d.to());
        if (party != null) {
            out.add(party);
        }
        Match destination = destination(d.to());
        if (destination != null) {
            out.add(destination);
        }
        Match licence = licence(d);
        if (licence != null) {
            out.add(licence);
        }
        return out;
    }

    /**
     * Where a listed name is found: the first three letters of each of its distinctive words (of every word when it
     * has none), and the initials of each run of two or three words (so "RLE" finds "Red Lantern Electronics").
     */
    private static Set<String> indexKeys(List<String> words) {
        Set<String> keys = new LinkedHashSet<>();
        boolean distinctive = words.stream().anyMatch(w -> NameMatcher.weight(w) == 1.0);
        for (String w : words) {
            if (!distinctive || NameMatcher.weight(w) == 1.0) {
                keys.add(w.length() <= 3 ? w : w.substring(0, 3));
            }
        }
        for (int len = 2; len <= 3; len++) {
            for (int i = 0; i + len <= words.size(); i++) {
                StringBuilder b = new StringBuilder();
                for (int k = 0; k < len; k++) {
                    b.append(words.get(i + k).charAt(0));
                }
                keys.add(b.toString());
            }
        }
        return keys;
    }

    private static Set<String> queryKeys(List<String> words) {
        Set<String> keys = new LinkedHashSet<>();
        for (String w : words) {
            keys.add(w.length() <= 3 ? w : w.substring(0, 3));
        }
        return keys;
    }

    /** The score from which a name matches a listed one. */
    public double threshold() {
        return settings.matchThreshold();
    }

    /**
     * The list row an organisation matches, or null: by its registered name or its id, exactly after normalising
     * (score 1), else by the best fuzzy score ({@link NameMatcher}) of its registered name against every listed name
     * and alias at or above the threshold. Country and addresses break ties: a row in {@code country} (where the units
     * go) gains {@link #COUNTRY_BONUS}, a row listing one of {@code addresses} (the receiving site's, or the
     * organisation's sites') gains {@link #ADDRESS_BONUS}, and among equal scores the row with the address, then the
     * row in the country, wins. A matching address is named in the match's detail and evidence.
     *
     * @param addresses the postal addresses of the party's sites that are known (none is fine)
     */
    public Match party(String org, String orgName, String country, Collection<String> addresses) {
        return party(snapshot, org, orgName, country, addresses);
    }

    /** {@link #party(String, String, String, Collection)} for the place the units go to (its country and address). */
    public Match party(String org, String orgName, Fact.Place to) {
        return party(org, orgName, to == null ? null : to.country(),
                to == null || to.address() == null ? List.of() : List.of(to.address()));
    }

    private Match party(Snapshot s, String org, String orgName, String country, Collection<String> addresses) {
        String matchedName = orgName;
        Party party = s.byKey().get(normalise(orgName));
        if (party == null) {
            party = s.byKey().get(normalise(org.replace('-', ' ')));
            matchedName = org;
        }
        double best = 1.0;
        String listedName = party == null ? null : party.name();
        String address = party == null ? null : listedAddress(party, addresses);
        if (party == null) {
            best = 0;
            int bestTie = -1;
            List<String> words = NameMatcher.words(orgName); // an id is a short slug: it matches exactly or not at all
            Set<Named> seen = new HashSet<>();
            for (String key : queryKeys(words)) {
                for (Named n : s.index().getOrDefault(key, List.of())) {
                    if (!seen.add(n)) {
                        continue;
                    }
                    double score = NameMatcher.score(words, n.words());
                    boolean home = country != null && country.equals(n.party().country());
                    String at = listedAddress(n.party(), addresses);
                    score = Math.min(1.0, score + (home ? COUNTRY_BONUS : 0) + (at != null ? ADDRESS_BONUS : 0));
                    int tie = (at != null ? 2 : 0) + (home ? 1 : 0);
                    if (score >= settings.matchThreshold() && (score > best || (score == best && tie > bestTie))) {
                        best = score;
                        bestTie = tie;
                        party = n.party();
                        listedName = n.name();
                        address = at;
                    }
                }
            }
        }
        if (party == null) {
            return null;
        }
        String how = best >= 1.0 ? "matches" : String.format(Locale.ROOT, "resembles (score %.2f)", best);
        return new Match(PARTY, party, "the receiver " + org + " (\"" + orgName + "\") " + how + " \"" + listedName
                + "\" on " + party.sourceList() + (address == null ? "" : ", at the listed address \"" + address + "\""),
                null, Math.round(best * 1000) / 1000.0, listedName, address);
    }

    /** What a listed row's country adds to a fuzzy score for a party in that country. */
    public static final double COUNTRY_BONUS = 0.03;

    /** What a listed row's address adds to a fuzzy score for a party with a site at that address. */
    public static final double ADDRESS_BONUS = 0.05;

    /** The first of the row's addresses that one of {@code addresses} is ({@link #sameAddress}), or null. */
    static String listedAddress(Party party, Collection<String> addresses) {
        for (String listed : party.addresses()) {
            for (String a : addresses) {
                if (sameAddress(a, listed)) {
                    return listed;
                }
            }
        }
        return null;
    }

    /**
     * Whether a site's address is a listed address: after normalising both ({@link #normalise}, street-type
     * abbreviations written out, transliteration folded as for names), every word and number of the listed address
     * appears in the site's (two adjacent words may be written as one: "Wan Chai", "Wanchai"); a listed address of six
     * words or more may miss one word, never a number. Extra words in the site's address (a unit, a floor, the city)
     * do not matter; another building number or street does.
     */
    static boolean sameAddress(String site, String listed) {
        if (site == null || listed == null) {
            return false;
        }
        List<String> siteWords = addressWords(site);
        Set<String> have = new HashSet<>(siteWords);
        for (int i = 0; i + 1 < siteWords.size(); i++) {
            have.add(siteWords.get(i) + siteWords.get(i + 1)); // "Wan Chai" is also "Wanchai"
        }
        List<String> want = addressWords(listed);
        if (want.size() < 2) {
            return false;
        }
        int missing = 0;
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            if (have.contains(w)) {
                continue;
            }
            if (i + 1 < want.size() && have.contains(w + want.get(i + 1))) {
                i++;
            } else if (w.chars().anyMatch(Character::isDigit)) {
                return false;
            } else {
                missing++;
            }
        }
        return missing <= (want.size() >= 6 ? 1 : 0);
    }

    private static List<String> addressWords(String address) {
        List<String> out = new ArrayList<>();
        for (String w : plainWords(address)) {
            out.add(NameMatcher.fold(ADDRESS_WORDS.getOrDefault(w, w)));
        }
        return out;
    }

    /** Street-type abbreviations written out before addresses are compared. */
    private static final Map<String, String> ADDRESS_WORDS = Map.ofEntries(Map.entry("rd", "road"),
            Map.entry("st", "street"), Map.entry("str", "strasse"), Map.entry("ave", "avenue"), Map.entry("av", "avenue"),
            Map.entry("blvd", "boulevard"), Map.entry("bldg", "building"), Map.entry("fl", "floor"),
            Map.entry("flr", "floor"), Map.entry("ste", "suite"), Map.entry("ind", "industrial"),
            Map.entry("no", "number"), Map.entry("nr", "number"), Map.entry("dist", "district"));

    /** The list row restricting the place's country, or null. */
    public Match destination(Fact.Place to) {
        Snapshot s = snapshot;
        if (to == null || to.country() == null || !s.countries().containsKey(to.country())) {
            return null;
        }
        Party c = s.countries().get(to.country());
        return new Match(DESTINATION, c, "the destination " + to.ref() + " is in " + to.country() + ", restricted on "
                + c.sourceList());
    }

    /** Whether a place's country is restricted. */
    public boolean restrictedCountry(String country) {
        return country != null && snapshot.countries().containsKey(country);
    }

    /**
     * The licence rules: a dispatch across a border carrying units whose ECCN needs a licence for the destination
     * ({@link LicenceTable}) without a {@code licenceRef} ({@code export-without-licence}), or under a licence whose
     * stated terms do not cover it: expired by the dispatch's time, or not naming the destination country
     * ({@code licence-outside-terms}).
     */
    Match licence(Fact.Dispatch d) {
        if (d.from() == null || d.to() == null || d.from().country() == null || d.to().country() == null
                || d.from().country().equals(d.to().country())) {
            return null;
        }
        List<Fact.UnitSnapshot> controlled = d.units().stream()
                .filter(u -> settings.licences().needsLicence(u.eccn(), d.from().country(), d.to().country())).toList();
        if (controlled.isEmpty()) {
            return null;
        }
        List<String> named = controlled.stream().map(u -> u.key() + " (" + u.eccn() + ")").toList();
        String carrying = "carrying " + String.join(", ", named.subList(0, Math.min(5, named.size())))
                + (named.size() > 5 ? " and " + (named.size() - 5) + " more" : "");
        List<UnitKey> units = controlled.stream().map(Fact.UnitSnapshot::key).toList();
        String route = d.from().country() + " to " + d.to().country();
        if (d.licenceRef() == null) {
            return new Match(NO_LICENCE, null, route + " without a licence reference, " + carrying, units);
        }
        if (d.licenceValidUntil() != null && d.claimedAt().isAfter(d.licenceValidUntil())) {
            return new Match(OUTSIDE_TERMS, null, route + " under licence " + d.licenceRef() + ", which expired at "
                    + d.licenceValidUntil() + ", " + carrying, units);
        }
        if (d.licenceCountries() != null && !d.licenceCountries().contains(d.to().country())) {
            return new Match(OUTSIDE_TERMS, null, route + " under licence " + d.licenceRef() + ", which covers "
                    + String.join(", ", d.licenceCountries()) + " only, " + carrying, units);
        }
        return null;
    }

    DiscrepancySettings.Action action(String rule) {
        return switch (rule) {
            case PARTY -> settings.restrictedParty();
            case DESTINATION -> settings.restrictedCountry();
            default -> settings.exportWithoutLicence();
        };
    }

    @Override
    public void screen(Fact.Dispatch dispatch, BatchContext context) {
        for (Match m : matches(dispatch)) {
            if (action(m.rule()) == DiscrepancySettings.Action.BLOCK) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("rule", m.rule());
                if (m.party() != null) {
                    details.put("sourceList", m.party().sourceList());
                    details.put("listed", m.party().name().isEmpty() ? m.party().country() : m.party().name());
                }
                throw new LedgerException(LedgerException.Kind.RULE, m.rule(), switch (m.rule()) {
                    case PARTY -> "Restricted party";
                    case DESTINATION -> "Restricted destination";
                    case OUTSIDE_TERMS -> "Outside the licence's terms";
                    default -> "Export licence required";
                }, "Export-control screening refuses this dispatch: " + m.detail(), details, null);
            }
        }
    }
}
