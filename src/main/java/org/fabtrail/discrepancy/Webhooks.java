package org.fabtrail.discrepancy;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SecretBox;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.ledger.LedgerException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

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

    /** A registered webhook (the secret is never shown again). */
    public record Hook(UUID id, String org, String url, Instant createdAt, String createdBy, boolean active) {
    }

    /** A new webhook and its secret (hex), shown once. */
    public record Registered(Hook hook, String secret) {
    }

    /** One delivery and its last attempt. */
    public record Delivery(long id, UUID webhook, String event, UUID discrepancy, long entryIdx, String state,
                           int attempts, Instant nextAttempt, Integer lastStatus, String lastError,
                           Instant deliveredAt) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Supplier<SecretBox> box;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final SecureRandom random = new SecureRandom();

    private final boolean allowPrivate;

    /**
     * @param allowPrivate allow http and loopback or private addresses (development, tests and the demo only;
     *                     {@code FABTRAIL_WEBHOOKS_ALLOW_PRIVATE})
     */
    public Webhooks(DataSource dataSource, Clock clock, Supplier<SecretBox> box, boolean allowPrivate) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.box = box;
        this.allowPrivate = allowPrivate;
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
        URI u;
        try {
            u = new URI(url == null ? "" : url.trim());
        } catch (java.net.URISyntaxException e) {
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
        requirePublic(u.getHost());
        return u;
    }

    /** Refuses a host that resolves to a non-public address (unless allowed), or does not resolve. */
    void requirePublic(String host) {
        if (allowPrivate) {
            return;
        }
        java.net.InetAddress[] addresses;
        try {
            addresses = java.net.InetAddress.getAllByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("the host " + host + " does not resolve");
        }
        for (java.net.InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw new IllegalArgumentException("the host " + host + " resolves to " + a.getHostAddress()
                        + ", a loopback, private or link-local address; webhooks go to public addresses only");
            }
        }
    }

    static boolean isPublic(java.net.InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 16 && (b[0] & 0xfe) == 0xfc) {
            return false; // IPv6 unique local fc00::/7
        }
        if (b.length == 4 && ((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64)) {
            return false; // carrier-grade NAT 100.64.0.0/10
        }
        return !(b.length == 4 && (b[0] & 0xff) == 0);
    }

    public Registered register(String org, String url, String createdBy) throws SQLException {
        SecretBox sealer = sealer();
        URI u = checkUrl(url);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String hex = HexFormat.of().formatHex(secret);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks (id, org, url, secret, created_at, "
                     + "created_by, active) VALUES (?, ?, ?, ?, ?, ?, true)")) {
            ps.setObject(1, id);
            ps.setString(2, org);
            ps.setString(3, u.toString());
            ps.setBytes(4, sealer.seal(hex.getBytes(StandardCharsets.US_ASCII), context(id)));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, createdBy);
            ps.executeUpdate();
        }
        return new Registered(new Hook(id, org, u.toString(), now, createdBy, true), hex);
    }

    /**
     * The sealer of webhook secrets: the instance's master key. Without one (FABTRAIL_MASTER_KEY unset in
     * production) no webhook can be registered: {@code 503 webhooks-unavailable}, naming the setting, and nothing is
     * written.
     */
    private SecretBox sealer() {
        try {
            return box.get();
        } catch (LedgerException e) {
            if (e.kind() != LedgerException.Kind.UNAVAILABLE) {
                throw e;
            }
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, WEBHOOKS_UNAVAILABLE, "Webhooks not configured",
                    "This instance has no master key (FABTRAIL_MASTER_KEY), which seals webhook secrets, so it cannot "
                            + "register webhooks; its operator must set one (docs/operators.md)");
        }
    }

    /** The problem code of a registration on an instance without a master key. */
    public static final String WEBHOOKS_UNAVAILABLE = "webhooks-unavailable";

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
             PreparedStatement ps = c.prepareStatement("SELECT id, org, url, created_at, created_by, active FROM webhooks "
                     + "WHERE org = ? ORDER BY created_at, id")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Hook(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getBoolean(6)));
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
                     + "ORDER BY d.id DESC LIMIT ?")) {
            ps.setString(1, org);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp delivered = rs.getTimestamp(11);
                    out.add(new Delivery(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, UUID.class), rs.getLong(5), rs.getString(6), rs.getInt(7),
                            rs.getTimestamp(8).toInstant(), (Integer) rs.getObject(9), rs.getString(10),
                            delivered == null ? null : delivered.toInstant()));
                }
            }
        }
        return out;
    }

    /** Queues deliveries for new finding events, then attempts every due delivery. */
    public int deliverDue() throws SQLException {
        enqueue();
        return attemptDue(clock.instant());
    }

    /** Queues a delivery per event of a finding and active webhook of an organisation it names. */
    int enqueue() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long from;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO discrepancy_cursors (name, idx) VALUES (?, -1) "
                    + "ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, CURSOR);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT idx FROM discrepancy_cursors WHERE name = ? FOR UPDATE")) {
                ps.setString(1, CURSOR);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    from = rs.getLong(1);
                }
            }
            long last = from;
            int queued = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT e.idx, e.kind, e.state, e.at, e.actor, e.note, "
                    + "e.outcome, e.evidence, d.id, d.rule, d.severity, d.summary, d.units::text, d.orgs, d.opened_idx "
                    + "FROM discrepancy_events e JOIN discrepancies d ON d.id = e.discrepancy_id "
                    + "WHERE e.idx > ? ORDER BY e.idx LIMIT 1000");
                 PreparedStatement hooks = c.prepareStatement("SELECT id FROM webhooks WHERE active AND org = ANY (?)");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO webhook_deliveries (webhook_id, event, "
                         + "discrepancy_id, entry_idx, body, state, next_attempt) VALUES (?, ?, ?, ?, ?, 'pending', ?) "
                         + "ON CONFLICT (webhook_id, entry_idx) DO NOTHING")) {
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
                        try (ResultSet h = hooks.executeQuery()) {
                            while (h.next()) {
                                ins.setObject(1, h.getObject(1, UUID.class));
                                ins.setString(2, event);
                                ins.setObject(3, id);
                                ins.setLong(4, idx);
                                ins.setString(5, json);
                                ins.setTimestamp(6, Timestamp.from(clock.instant()));
                                queued += ins.executeUpdate();
                            }
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE discrepancy_cursors SET idx = ? WHERE name = ?")) {
                ps.setLong(1, last);
                ps.setString(2, CURSOR);
                ps.executeUpdate();
            }
            c.commit();
            return queued;
        }
    }

    private record Due(long id, UUID webhook, String url, byte[] sealed, String body, int attempts) {
    }

    /** Attempts every delivery due at {@code now}; returns how many were delivered. */
    public int attemptDue(Instant now) throws SQLException {
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
        int delivered = 0;
        for (Due d : due) {
            Integer status = null;
            String error = null;
            try {
                requirePublic(URI.create(d.url()).getHost()); // again at delivery: the name may now point elsewhere
                String secret = new String(box.get().open(d.sealed(), context(d.webhook())), StandardCharsets.US_ASCII);
                long t = now.getEpochSecond();
                HttpRequest req = HttpRequest.newBuilder(URI.create(d.url())).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "Fabtrail-Webhooks/1")
                        .header("Fabtrail-Delivery", Long.toString(d.id()))
                        .header("Fabtrail-Signature", "t=" + t + ",v1=" + sign(secret, t, d.body()))
                        .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8)).build();
                HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
                status = res.statusCode();
                if (status / 100 != 2) {
                    error = "HTTP " + status;
                }
            } catch (java.io.IOException | RuntimeException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return delivered;
            }
            int attempts = d.attempts() + 1;
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET attempts = ?, last_status = ?, "
                         + "last_error = ?, state = ?, next_attempt = ?, delivered_at = ? WHERE id = ?")) {
                ps.setInt(1, attempts);
                ps.setObject(2, status);
                ps.setString(3, error == null ? null : error.substring(0, Math.min(500, error.length())));
                boolean ok = error == null;
                ps.setString(4, ok ? "delivered" : attempts >= MAX_ATTEMPTS ? "failed" : "pending");
                ps.setTimestamp(5, Timestamp.from(ok ? now : now.plus(backoff(attempts))));
                ps.setTimestamp(6, ok ? Timestamp.from(now) : null);
                ps.setLong(7, d.id());
                ps.executeUpdate();
                if (ok) {
                    delivered++;
                } else {
                    LOG.log(System.Logger.Level.INFO, "webhook delivery " + d.id() + " attempt " + attempts
                            + " failed: " + error);
                }
            }
        }
        return delivered;
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
