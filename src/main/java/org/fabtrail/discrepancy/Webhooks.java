package org.fabtrail.discrepancy;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SecretBox;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.ledger.LedgerException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Partner webhooks: an organisation registers URLs and receives every event (open, note, resolve) of the findings
 * that name it, as JSON POSTs signed with HMAC-SHA256 under a secret shown once at registration
 * ({@code Fabtrail-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>">}). A delivery that does not get a 2xx
 * answer is retried with exponential backoff (30 s doubling, at most an hour apart) up to {@link #MAX_ATTEMPTS}
 * times; every attempt is in the delivery log. Stopping a webhook marks its pending deliveries {@code stopped}.
 */
public final class Webhooks {

    public static final int MAX_ATTEMPTS = 10;
    static final String CURSOR = "webhooks";
    private static final System.Logger LOG = System.getLogger(Webhooks.class.getName());

    /** A registered webhook and the kinds of events it gets (the secret is never shown again). */
    public record Hook(UUID id, String org, String url, Instant createdAt, String createdBy, boolean active,
                       List<String> events) {
    }

    /** Event kind: every event of the findings that name the organisation. */
    public static final String DISCREPANCY = "discrepancy";
    /** Event kind: the custody events that concern the organisation. */
    public static final String CUSTODY = "custody";
    /** The kinds of events a webhook may choose. */
    public static final List<String> EVENT_KINDS = List.of(DISCREPANCY, CUSTODY);

    /** A new webhook and its secret (hex), shown once. */
    public record Registered(Hook hook, String secret) {
    }

    /** One delivery, its last attempt's outcome and every attempt, oldest first. */
    public record Delivery(long id, UUID webhook, String event, UUID discrepancy, long entryIdx, String state,
                           int attempts, Instant nextAttempt, Integer lastStatus, String lastError,
                           Instant deliveredAt, List<Attempt> history) {
    }

    /** One attempt of a delivery: when, the address connected to (null: refused before connecting), the answer. */
    public record Attempt(int attempt, Instant at, String address, Integer status, String error) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Supplier<SecretBox> box;
    private final Resolver resolver;
    private final Supplier<SSLContext> tls;
    private final EntryVisibility visibility;
    private final AppliedTypes applied;
    private final SecureRandom random = new SecureRandom();

    private final boolean allowPrivate;

    /**
     * Whether an organisation may see the log entry at an index: the rule of its feed, which the composition root
     * gives (it belongs to custody's read side), so a webhook never tells an organisation what it may not read.
     */
    @FunctionalInterface
    public interface EntryVisibility {
        boolean visible(Connection c, String org, long idx) throws SQLException;
    }

    /**
     * The custody entry types an entry of a composite type applied (an {@code epcis.capture}: the operation each of
     * its events stood for), read from its logged envelope; the composition root gives it (it belongs to the package
     * that owns the type). Empty for any other entry.
     */
    @FunctionalInterface
    public interface AppliedTypes {
        List<String> of(String entryType, Map<String, Object> envelope);
    }

    /** The composite entry type whose events are custody events too: their concerned organisations get one each. */
    static final String CAPTURE = "epcis.capture";

    /** The custody event of a capture that applied at least one custody event type. */
    static final String CAPTURE_EVENT = "custody.capture";

    /**
     * @param box          the sealer of webhook secrets (their own key: webhooks need no master key)
     * @param allowPrivate allow http and loopback or private addresses (development, tests and the demo only;
     *                     {@code FABTRAIL_WEBHOOKS_ALLOW_PRIVATE})
     * @param visibility   which log entries an organisation may see (custody events go only to those)
     * @param applied      what a composite entry (an EPCIS capture) applied, so its custody events are delivered too
     */
    public Webhooks(DataSource dataSource, Clock clock, Supplier<SecretBox> box, boolean allowPrivate,
                    EntryVisibility visibility, AppliedTypes applied) {
        this(dataSource, clock, box, allowPrivate, visibility, applied, InetAddress::getAllByName,
                Webhooks::defaultTls);
    }

    /** For tests of the URL checks and a single delivery, which touch neither the database nor custody. */
    Webhooks(DataSource dataSource, Clock clock, Supplier<SecretBox> box, boolean allowPrivate) {
        this(dataSource, clock, box, allowPrivate, null, null, InetAddress::getAllByName, Webhooks::defaultTls);
    }

    Webhooks(DataSource dataSource, Clock clock, Supplier<SecretBox> box, boolean allowPrivate, Resolver resolver,
             Supplier<SSLContext> tls) {
        this(dataSource, clock, box, allowPrivate, null, null, resolver, tls);
    }

    private Webhooks(DataSource dataSource, Clock clock, Supplier<SecretBox> box, boolean allowPrivate,
                     EntryVisibility visibility, AppliedTypes applied, Resolver resolver, Supplier<SSLContext> tls) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.box = box;
        this.allowPrivate = allowPrivate;
        this.visibility = visibility;
        this.applied = applied;
        this.resolver = resolver;
        this.tls = tls;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resolves a host name to its addresses (the system resolver; tests give their own). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A checked webhook URL and the one address it was checked at, which a delivery then connects to. */
    record Target(URI uri, InetAddress address) {
    }

    /**
     * Checks a webhook URL: absolute https (http too when private addresses are allowed) with a host, no credentials
     * or fragment, and — unless private addresses are allowed — a host that resolves only to public addresses, so a
     * partner cannot make the server call into its own network (loopback, private, link-local such as cloud metadata,
     * unique-local, multicast).
     *
     * @throws IllegalArgumentException with the reason, for people
     */
    public URI checkUrl(String url) {
        return target(url).uri();
    }

    /**
     * {@link #checkUrl} resolving the host once: the answer carries the checked address, so a delivery connects to
     * exactly that address and a name that resolves differently the next time (DNS rebinding) cannot redirect it.
     */
    Target target(String url) {
        URI u;
        try {
            u = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
            throw new IllegalArgumentException("the URL must start with https://");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("the URL has no host");
        }
        if (u.getUserInfo() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("the URL must not carry credentials or a #fragment");
        }
        if (url.length() > 2000) {
            throw new IllegalArgumentException("the URL is longer than 2000 characters");
        }
        String host = hostName(u);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            addresses = new InetAddress[0];
        }
        if (addresses == null || addresses.length == 0) {
            throw new IllegalArgumentException("the host " + host + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw new IllegalArgumentException("the host " + host + " resolves to " + a.getHostAddress()
                            + ", a loopback, private or link-local address; webhooks go to public addresses only");
                }
            }
        }
        return new Target(u, addresses[0]);
    }

    /** The URL's host without the brackets of an IPv6 literal. */
    private static String hostName(URI u) {
        String h = u.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 16 && (b[0] & 0xfe) == 0xfc) {
            return false; // IPv6 unique local fc00::/7
        }
        if (nat64(b, 1)) {
            return false; // local-use NAT64 64:ff9b:1::/48 (RFC 8215): never routed publicly, IPv4 anywhere in it
        }
        byte[] embedded = embeddedIpv4(b);
        if (embedded != null) {
            try {
                return isPublic(InetAddress.getByAddress(embedded));
            } catch (UnknownHostException e) {
                return false; // four bytes are always an address
            }
        }
        if (b.length == 4 && ((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64)) {
            return false; // carrier-grade NAT 100.64.0.0/10
        }
        return !(b.length == 4 && (b[0] & 0xff) == 0);
    }

    /**
     * The IPv4 address an IPv6 address carries for a translator or tunnel to reach (so 64:ff9b::a9fe:a9fe is
     * 169.254.169.254 to a NAT64 gateway): IPv4-compatible ::/96 and NAT64 64:ff9b::/96 (the last four bytes; so
     * for any address of 64:ff9b::/48), 6to4 2002::/16 (bytes 2 to 5); null for any other address.
     */
    private static byte[] embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return null;
        }
        boolean zeros = IntStream.range(0, 12).allMatch(i -> b[i] == 0);
        if (zeros || nat64(b, 0)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        return b[0] == 0x20 && b[1] == 0x02 ? Arrays.copyOfRange(b, 2, 6) : null;
    }

    /** True for an IPv6 address in 64:ff9b:{@code sixth}::/48: well-known NAT64 (0) or local-use NAT64 (1). */
    private static boolean nat64(byte[] b, int sixth) {
        return b.length == 16 && b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && b[4] == 0 && b[5] == sixth;
    }

    /**
     * Registers a webhook for the given kinds of events ({@link #EVENT_KINDS}; each once, in that order).
     *
     * @throws IllegalArgumentException for a URL that fails {@link #checkUrl} or an unknown or missing event kind
     */
    public Registered register(String org, String url, String createdBy, List<String> events) throws SQLException {
        URI u = checkUrl(url);
        List<String> kinds = eventKinds(events);
        SecretBox sealer = box.get();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String hex = HexFormat.of().formatHex(secret);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks (id, org, url, secret, created_at, "
                     + "created_by, active, events) VALUES (?, ?, ?, ?, ?, ?, true, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, org);
            ps.setString(3, u.toString());
            ps.setBytes(4, sealer.seal(hex.getBytes(StandardCharsets.US_ASCII), context(id)));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, createdBy);
            ps.setArray(7, c.createArrayOf("text", kinds.toArray()));
            ps.executeUpdate();
        }
        return new Registered(new Hook(id, org, u.toString(), now, createdBy, true, kinds), hex);
    }

    /**
     * The event kinds as stored: each known one once, in {@link #EVENT_KINDS} order.
     *
     * @throws IllegalArgumentException for none, or one that is not a known kind
     */
    public static List<String> eventKinds(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("choose at least one kind of events: " + String.join(", ", EVENT_KINDS));
        }
        for (String e : events) {
            if (e == null || !EVENT_KINDS.contains(e)) {
                throw new IllegalArgumentException("events may hold only " + String.join(", ", EVENT_KINDS));
            }
        }
        return EVENT_KINDS.stream().filter(events::contains).toList();
    }

    private static String context(UUID id) {
        return "webhook-secret:" + id;
    }

    /** Stops a webhook: nothing more is queued for it, and its pending deliveries become {@code stopped} (logged). */
    public boolean deactivate(String org, UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhooks SET active = false WHERE id = ? AND org = ? "
                    + "AND active");
                 PreparedStatement stop = c.prepareStatement("UPDATE webhook_deliveries SET state = 'stopped', "
                         + "last_error = coalesce(last_error || '; ', '') || 'webhook stopped' WHERE webhook_id = ? "
                         + "AND state = 'pending'")) {
                ps.setObject(1, id);
                ps.setString(2, org);
                boolean done = ps.executeUpdate() == 1;
                if (done) {
                    stop.setObject(1, id);
                    stop.executeUpdate();
                }
                c.commit();
                return done;
            }
        }
    }

    public List<Hook> hooks(String org) throws SQLException {
        List<Hook> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, org, url, created_at, created_by, active, events FROM webhooks "
                     + "WHERE org = ? ORDER BY created_at, id")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Hook(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getBoolean(6),
                            List.of((String[]) rs.getArray(7).getArray())));
                }
            }
        }
        return out;
    }

    public List<Delivery> deliveries(String org, int limit) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT d.id, d.webhook_id, d.event, d.discrepancy_id, d.entry_idx, "
                     + "d.state, d.attempts, d.next_attempt, d.last_status, d.last_error, d.delivered_at "
                     + "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.org = ? "
                     + "ORDER BY d.id DESC LIMIT ?");
             PreparedStatement attempts = c.prepareStatement("SELECT delivery_id, attempt, at, address, status, error "
                     + "FROM webhook_attempts WHERE delivery_id = ANY (?) ORDER BY delivery_id, attempt")) {
            ps.setString(1, org);
            ps.setInt(2, limit);
            Map<Long, List<Attempt>> history = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp delivered = rs.getTimestamp(11);
                    List<Attempt> h = new ArrayList<>();
                    history.put(rs.getLong(1), h);
                    out.add(new Delivery(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, UUID.class), rs.getLong(5), rs.getString(6), rs.getInt(7),
                            rs.getTimestamp(8).toInstant(), (Integer) rs.getObject(9), rs.getString(10),
                            delivered == null ? null : delivered.toInstant(), h));
                }
            }
            attempts.setArray(1, c.createArrayOf("bigint", history.keySet().toArray()));
            try (ResultSet rs = attempts.executeQuery()) {
                while (rs.next()) {
                    history.get(rs.getLong(1)).add(new Attempt(rs.getInt(2), rs.getTimestamp(3).toInstant(),
                            rs.getString(4), (Integer) rs.getObject(5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /** Queues deliveries for new finding and custody events, then attempts every due delivery. */
    public int deliverDue() throws SQLException {
        enqueue();
        enqueueCustody();
        return attemptDue(clock.instant());
    }

    /** Queues a delivery per event of a finding and active findings webhook of an organisation it names. */
    int enqueue() throws SQLException {
        return underCursor(CURSOR, (c, from) -> {
            long last = from;
            int queued = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT e.idx, e.kind, e.state, e.at, e.actor, e.note, "
                    + "e.outcome, e.evidence, d.id, d.rule, d.severity, d.summary, d.units::text, d.orgs, d.opened_idx "
                    + "FROM discrepancy_events e JOIN discrepancies d ON d.id = e.discrepancy_id "
                    + "WHERE e.idx > ? ORDER BY e.idx LIMIT 1000");
                 PreparedStatement hooks = c.prepareStatement("SELECT id FROM webhooks WHERE active AND org = ANY (?) "
                         + "AND ? = ANY (events)")) {
                ps.setLong(1, from);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long idx = rs.getLong(1);
                        last = idx;
                        UUID id = rs.getObject(9, UUID.class);
                        Map<String, Object> d = new LinkedHashMap<>();
                        d.put("id", id.toString());
                        d.put("rule", rs.getString(10));
                        d.put("severity", rs.getString(11));
                        d.put("state", rs.getString(3));
                        d.put("summary", rs.getString(12));
                        d.put("units", StrictJson.parse(rs.getString(13)));
                        d.put("orgs", List.of((String[]) rs.getArray(14).getArray()));
                        d.put("openedIndex", rs.getLong(15));
                        Map<String, Object> body = new LinkedHashMap<>();
                        String event = "discrepancy." + rs.getString(2);
                        body.put("event", event);
                        body.put("index", idx);
                        body.put("time", rs.getTimestamp(4).toInstant().toString());
                        body.put("actor", rs.getString(5));
                        if (rs.getString(6) != null) {
                            body.put("note", rs.getString(6));
                        }
                        if (rs.getString(7) != null) {
                            body.put("outcome", rs.getString(7));
                        }
                        body.put("evidence", List.of((Long[]) rs.getArray(8).getArray()));
                        body.put("discrepancy", d);
                        String json = Jcs.canonicalString(body);
                        hooks.setArray(1, c.createArrayOf("text", (String[]) rs.getArray(14).getArray()));
                        hooks.setString(2, DISCREPANCY);
                        try (ResultSet h = hooks.executeQuery()) {
                            while (h.next()) {
                                queued += queue(c, h.getObject(1, UUID.class), event, id, idx, json);
                            }
                        }
                    }
                }
            }
            return new Progress(last, queued);
        });
    }

    /**
     * Custody entries that are webhook events, by entry type: a dispatch (to the receiver), a receipt or rejection
     * (to the sender), a status change or an inspection (to the unit's manufacturer, its custodian at the entry, and
 * its custodian now if that one may see the entry).
     */
    static final Map<String, String> CUSTODY_EVENTS = Map.of("transfer.dispatch", "custody.dispatch",
            "transfer.receive", "custody.receive", "transfer.reject", "custody.reject",
            "unit.status", "custody.status", "unit.inspect", "custody.inspect");
    static final String CUSTODY_CURSOR = "custody-webhooks";

    /** How far a queuing round read (the cursor's new index) and how many deliveries it queued. */
    private record Progress(long last, int queued) {
    }

    @FunctionalInterface
    private interface CursorRound {
        Progress run(Connection c, long from) throws SQLException;
    }

    /**
     * Runs a queuing round in one transaction, from the named cursor (created at -1, locked so two instances never
     * queue the same events), and moves the cursor to where the round got.
     */
    private int underCursor(String name, CursorRound round) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_cursors (name, idx) VALUES (?, -1) "
                    + "ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            long from;
            try (PreparedStatement ps = c.prepareStatement("SELECT idx FROM discrepancy_cursors WHERE name = ? "
                    + "FOR UPDATE")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    from = rs.getLong(1);
                }
            }
            Progress p = round.run(c, from);
            try (PreparedStatement ps = c.prepareStatement("UPDATE discrepancy_cursors SET idx = ? WHERE name = ?")) {
                ps.setLong(1, p.last());
                ps.setString(2, name);
                ps.executeUpdate();
            }
            c.commit();
            return p.queued();
        }
    }

    /**
     * The organisations a custody entry concerns, not its actor (parameters: type, index, type, index, index, type,
     * index, type, index, actor): a dispatch's receiver; a receipt's or rejection's sender; a unit's manufacturer,
     * custodian and custodian then (the receiver of its last receipt before the entry) for a status or inspection.
     */
    private static final String CONCERNED = "SELECT org FROM ("
            + "SELECT t.receiver AS org FROM transfers t WHERE ? = 'transfer.dispatch' "
            + "AND t.dispatch_idx = ? "
            + "UNION SELECT t.sender FROM transfers t WHERE ? IN ('transfer.receive', 'transfer.reject') "
            + "AND (t.closed_idx = ? OR EXISTS (SELECT 1 FROM transfer_units tu "
            + "WHERE tu.transfer_id = t.id AND tu.received_idx = ?)) "
            + "UNION SELECT v.org FROM unit_entries ue JOIN units u ON u.manufacturer = ue.manufacturer "
            + "AND u.serial = ue.serial CROSS JOIN LATERAL (VALUES (u.manufacturer), (u.custodian)) "
            + "v (org) WHERE ? IN ('unit.status', 'unit.inspect') AND ue.idx = ? "
            // the custodian then: the receiver of the unit's last receipt before the entry
            + "UNION SELECT (SELECT t.receiver FROM transfer_units tu JOIN transfers t "
            + "ON t.id = tu.transfer_id WHERE tu.manufacturer = ue.manufacturer "
            + "AND tu.serial = ue.serial AND tu.received_idx < ue.idx ORDER BY tu.received_idx DESC "
            + "LIMIT 1) FROM unit_entries ue WHERE ? IN ('unit.status', 'unit.inspect') AND ue.idx = ?"
            + ") x WHERE org <> ? ORDER BY org";

    /**
     * Queues a delivery per custody event and active custody webhook of each organisation it concerns (not the
     * actor's own) that may see the entry: the visibility rule of the organisation's feed, so no webhook tells an
     * organisation about what it may not see (a custodian who got the unit after the event, say).
     */
    int enqueueCustody() throws SQLException {
        return underCursor(CUSTODY_CURSOR, (c, from) -> {
            long last = from;
            int queued = 0;
            if (!custodySubscribed(c)) {
                // no custody webhook: nothing to queue, and a webhook registered later starts from now
                last = Math.max(from, lastIndex(c));
            } else {
                try (PreparedStatement ps = c.prepareStatement("SELECT idx, entry_type, actor, integrated_time, leaf, "
                        + "leaf_hash FROM log_entries WHERE idx > ? AND entry_type = ANY (?) ORDER BY idx LIMIT 1000");
                     PreparedStatement concerned = c.prepareStatement(CONCERNED);
                     PreparedStatement hooks = c.prepareStatement("SELECT id FROM webhooks WHERE active AND org = ? "
                             + "AND ? = ANY (events)")) {
                    ps.setLong(1, from);
                    List<String> types = new ArrayList<>(CUSTODY_EVENTS.keySet());
                    types.add(CAPTURE);
                    ps.setArray(2, c.createArrayOf("text", types.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long idx = rs.getLong(1);
                            last = idx;
                            String type = rs.getString(2);
                            String actor = rs.getString(3);
                            // the leaf is read only when needed: a capture's to know what it applied, any other's
                            // only when someone is to be told of it
                            Map<String, Object> envelope = CAPTURE.equals(type) ? envelope(rs.getBytes(5)) : null;
                            // a capture concerns whoever each custody operation its events applied concerns
                            List<String> kinds = CAPTURE.equals(type) ? applied.of(type, envelope).stream()
                                    .filter(CUSTODY_EVENTS::containsKey).distinct().toList() : List.of(type);
                            Set<String> orgs = new TreeSet<>();
                            for (String kind : kinds) {
                                orgs.addAll(concerned(concerned, kind, idx, actor));
                            }
                            String event = CAPTURE.equals(type) ? CAPTURE_EVENT : CUSTODY_EVENTS.get(type);
                            String json = null;
                            for (String org : orgs) {
                                if (!visibility.visible(c, org, idx)) {
                                    continue;
                                }
                                if (json == null) {
                                    json = custodyBody(rs, event, kinds, envelope);
                                }
                                hooks.setString(1, org);
                                hooks.setString(2, CUSTODY);
                                try (ResultSet h = hooks.executeQuery()) {
                                    while (h.next()) {
                                        queued += queue(c, h.getObject(1, UUID.class), event, null, idx, json);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new Progress(last, queued);
        });
    }

    private static boolean custodySubscribed(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM webhooks WHERE active "
                + "AND ? = ANY (events))")) {
            ps.setString(1, CUSTODY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long lastIndex(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(idx), -1) FROM log_entries");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The delivery's body for the log entry at {@code rs} (idx, type, actor, time, leaf, leaf hash). */
    private static String custodyBody(ResultSet rs, String event, List<String> kinds, Map<String, Object> envelope)
            throws SQLException {
        String type = rs.getString(2);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("index", rs.getLong(1));
        body.put("time", rs.getTimestamp(4).toInstant().toString());
        body.put("actor", rs.getString(3));
        body.put("type", type);
        if (CAPTURE.equals(type)) {
            body.put("applied", kinds);
        }
        body.put("leafHash", HexFormat.of().formatHex(rs.getBytes(6)));
        body.put("envelope", envelope != null ? envelope : envelope(rs.getBytes(5)));
        return Jcs.canonicalString(body);
    }

    /** The signed envelope in a log entry's leaf. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> envelope(byte[] leaf) {
        return (Map<String, Object>) ((Map<String, Object>) StrictJson.parse(leaf)).get("envelope");
    }

    /** The organisations a custody entry of {@code type} at {@code idx} concerns, its actor left out. */
    private static List<String> concerned(PreparedStatement concerned, String type, long idx, String actor)
            throws SQLException {
        concerned.setString(1, type);
        concerned.setLong(2, idx);
        concerned.setString(3, type);
        concerned.setLong(4, idx);
        concerned.setLong(5, idx);
        concerned.setString(6, type);
        concerned.setLong(7, idx);
        concerned.setString(8, type);
        concerned.setLong(9, idx);
        concerned.setString(10, actor);
        List<String> orgs = new ArrayList<>();
        try (ResultSet o = concerned.executeQuery()) {
            while (o.next()) {
                orgs.add(o.getString(1));
            }
        }
        return orgs;
    }

    /** Queues one delivery (once per webhook and log index). */
    private int queue(Connection c, UUID webhook, String event, UUID discrepancy, long idx, String body)
            throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, event, "
                + "discrepancy_id, entry_idx, body, state, next_attempt) VALUES (?, ?, ?, ?, ?, 'pending', ?) "
                + "ON CONFLICT (webhook_id, entry_idx) DO NOTHING")) {
            ins.setObject(1, webhook);
            ins.setString(2, event);
            if (discrepancy == null) {
                ins.setNull(3, Types.OTHER);
            } else {
                ins.setObject(3, discrepancy);
            }
            ins.setLong(4, idx);
            ins.setString(5, body);
            ins.setTimestamp(6, Timestamp.from(clock.instant()));
            return ins.executeUpdate();
        }
    }

    private record Due(long id, UUID webhook, String url, byte[] sealed, String body, int attempts) {
    }

    /** Attempts every delivery due at {@code now}; returns how many were delivered. */
    public int attemptDue(Instant now) throws SQLException {
        List<Due> due = due(now);
        int delivered = 0;
        for (Due d : due) {
            Outcome o;
            try {
                String secret = new String(box.get().open(d.sealed(), context(d.webhook())), StandardCharsets.US_ASCII);
                o = send(d.url(), secret, d.id(), d.body(), now);
            } catch (RuntimeException e) {
                o = new Outcome(null, null, describe(e));
            }
            if (Thread.currentThread().isInterrupted()) {
                return delivered;
            }
            int attempts = d.attempts() + 1;
            boolean ok = o.error() == null;
            String error = o.error() == null ? null : o.error().substring(0, Math.min(500, o.error().length()));
            record(d, o, attempts, error, now);
            if (ok) {
                delivered++;
            } else {
                LOG.log(System.Logger.Level.INFO, "webhook delivery " + d.id() + " attempt " + attempts
                        + " failed: " + error);
            }
        }
        return delivered;
    }

    /** The pending deliveries due by {@code now}, oldest first, at most 200. */
    private List<Due> due(Instant now) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT d.id, w.id, w.url, w.secret, d.body, d.attempts "
                     + "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                     + "WHERE d.state = 'pending' AND w.active AND d.next_attempt <= ? ORDER BY d.next_attempt, d.id "
                     + "LIMIT 200")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getBytes(4),
                            rs.getString(5), rs.getInt(6)));
                }
            }
        }
        return due;
    }

    /** One attempt's outcome: the delivery's state (delivered, pending with its backoff, or failed) and its log row. */
    private void record(Due d, Outcome o, int attempts, String error, Instant now) throws SQLException {
        boolean ok = o.error() == null;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET attempts = ?, last_status = ?, "
                     + "last_error = ?, state = ?, next_attempt = ?, delivered_at = ? WHERE id = ?");
             PreparedStatement log = c.prepareStatement("INSERT INTO webhook_attempts (delivery_id, attempt, at, "
                     + "address, status, error) VALUES (?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            ps.setInt(1, attempts);
            ps.setObject(2, o.status());
            ps.setString(3, error);
            ps.setString(4, ok ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "pending");
            ps.setTimestamp(5, Timestamp.from(ok ? now : now.plus(backoff(attempts))));
            ps.setTimestamp(6, ok ? Timestamp.from(now) : null);
            ps.setLong(7, d.id());
            ps.executeUpdate();
            log.setLong(1, d.id());
            log.setInt(2, attempts);
            log.setTimestamp(3, Timestamp.from(now));
            log.setString(4, o.address());
            log.setObject(5, o.status());
            log.setString(6, error);
            log.executeUpdate();
            c.commit();
        }
    }

    /** What one attempt got: the address connected to (null if refused before), the HTTP status, the error. */
    record Outcome(String address, Integer status, String error) {
    }

    /**
     * One signed POST of {@code body} to {@code url}. The URL is checked again first, scheme included (an
     * {@code http://} URL registered while private addresses were allowed is not used once they are not), and the
     * host resolved once: the connection goes to exactly the address that passed the check, with the URL's host as
     * the {@code Host} header and, for https, as the TLS server name the certificate must match.
     */
    Outcome send(String url, String secret, long deliveryId, String body, Instant now) {
        Target t;
        try {
            t = target(url);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, null, "refused before sending: " + e.getMessage());
        }
        long ts = now.getEpochSecond();
        URI u = t.uri();
        boolean https = u.getScheme().equalsIgnoreCase("https");
        int port = u.getPort() != -1 ? u.getPort() : https ? 443 : 80;
        String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort()) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "User-Agent: Fabtrail-Webhooks/1\r\n"
                + "Fabtrail-Delivery: " + deliveryId + "\r\n"
                + "Fabtrail-Signature: t=" + ts + ",v1=" + sign(secret, ts, body) + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n";
        String address = t.address().getHostAddress();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(t.address(), port), 5000);
            raw.setSoTimeout(10_000);
            Socket s = raw;
            if (https) {
                SSLSocket ssl = (SSLSocket) tls.get().getSocketFactory().createSocket(raw, hostName(u), port, true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must match the URL's host
                if (!hostName(u).contains(":") && !hostName(u).matches("[0-9.]+")) { // names only, not IP literals
                    p.setServerNames(List.of(new SNIHostName(hostName(u))));
                }
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                s = ssl;
            }
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            int status = statusOf(s.getInputStream());
            return new Outcome(address, status, status / 100 == 2 ? null : "HTTP " + status);
        } catch (IOException | RuntimeException e) {
            return new Outcome(address, null, describe(e));
        }
    }

    /** The status code of an HTTP/1.x answer's status line. */
    private static int statusOf(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (line.size() > 8192) {
                throw new IOException("the answer's status line is too long");
            }
            line.write(b);
        }
        String[] parts = line.toString(StandardCharsets.US_ASCII).trim().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new IOException("not an HTTP/1.x answer");
        }
        return Integer.parseInt(parts[1]);
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** 30 s, 60 s, 120 s, ... at most an hour. */
    static Duration backoff(int attempts) {
        long seconds = 30L << Math.min(attempts - 1, 10);
        return Duration.ofSeconds(Math.min(seconds, 3600));
    }

    /** The hex HMAC-SHA256 of {@code "<t>.<body>"} under the secret (its hex text as the key bytes). */
    public static String sign(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
