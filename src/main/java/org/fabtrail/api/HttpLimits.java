package org.fabtrail.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Limits against slow and many clients, applied by Vert.x to every request before it reaches a resource, a page or
 * any other route. Operators read about them in docs/operators.md, "Limits against slow, many and guessing clients";
 * the settings are {@link HttpConfig} ({@code fabtrail.http.*}).
 *
 * <ol>
 * <li><b>Bodies are read here, on the event loop.</b> Quarkus REST reads the body of a blocking endpoint (every one
 * of Fabtrail's) on the worker thread that runs the endpoint, waiting for each chunk for up to
 * {@code quarkus.http.read-timeout} (60 s), a wait that every trickled byte starts afresh. 200 bodies sent one byte
 * at a time took all 200 worker threads and nothing else was answered. Here the body is collected into memory
 * without a thread waiting for it, and only a complete request goes on: Quarkus REST then takes the body from
 * {@link RoutingContext#body()} (byte[] and JSON parameters, forms and multipart uploads alike). Endpoints must stay
 * blocking: Quarkus REST's non-blocking endpoints read the request stream themselves, which is consumed by then.</li>
 * <li><b>A body has a deadline</b>: {@code body-time-per-kb} for each started KiB of its declared length, plus one
 * for the first round trips, at most {@code body-deadline}; a chunked body is held to the same rate on what has
 * arrived so far. A late body is answered {@code 408 body-timeout} and its connection closed.</li>
 * <li><b>Each client address</b> may have {@code max-connections-per-address} open connections that have sent a
 * request, {@code max-in-flight-per-address} requests between their head and their answer, and
 * {@code max-body-bytes-per-address} of bodies in memory; beyond, {@code 429} with {@code Retry-After}
 * ({@code too-many-connections}, {@code too-many-in-flight}). Connections from a trusted proxy (whose requests carry
 * a forwarded address) count against no address.</li>
 * <li><b>Everyone together</b> may have {@code max-in-flight} requests at work (from a complete request to its
 * answer) and {@code max-body-bytes} of bodies in memory; beyond, {@code 503 server-busy} with {@code Retry-After}
 * instead of a queue without bound. A body still arriving is not work yet, so slow senders from many addresses
 * cannot fill the server's work either.</li>
 * </ol>
 *
 * <p>The client address is the one Quarkus resolves ({@link #clientAddress}): the peer of the connection, or the
 * forwarded address when {@code quarkus.http.proxy.proxy-address-forwarding} is on and the peer is a trusted
 * proxy. IPv6 addresses count by their /64, which one subscriber usually holds whole. Connections that never send
 * a complete request head are not seen here; Vert.x closes them after {@code quarkus.http.idle-timeout}.
 *
 * <p>Counts are per instance and kept in memory; what a request holds is given back when its answer ends or its
 * connection closes, whichever comes first.
 */
@ApplicationScoped
public class HttpLimits {

    /** After Quarkus's refusal of a declared body over the size limit (order -2), before every other route. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1;
    /** Seconds a refused client is told to wait. */
    static final int RETRY_AFTER = 1;

    private static final Logger LOG = Logger.getLogger(HttpLimits.class);

    @Inject
    HttpConfig http;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;
    @ConfigProperty(name = "quarkus.http.handle-100-continue-automatically", defaultValue = "false")
    boolean continueAutomatically;

    /** What each address holds; an address holding nothing is forgotten. */
    private final ConcurrentHashMap<String, Usage> addresses = new ConcurrentHashMap<>();
    /** Every open connection that has sent a request. */
    private final ConcurrentHashMap<HttpConnection, Conn> connections = new ConcurrentHashMap<>();
    private final AtomicInteger working = new AtomicInteger();
    private final AtomicLong bodyBytes = new AtomicLong();

    /** What one address holds. Changed only inside {@link ConcurrentHashMap#compute}. */
    private static final class Usage {
        int connections;
        int inFlight;
        long bodyBytes;

        boolean idle() {
            return connections == 0 && inFlight == 0 && bodyBytes == 0;
        }
    }

    /** A connection: the address it counts against (null for a trusted proxy's) and its requests in flight. */
    private static final class Conn {
        final String address;
        final Set<Request> requests = ConcurrentHashMap.newKeySet();

        Conn(String address) {
            this.address = address;
        }
    }

    /** One request and what it holds; all of it is given back once. Touched on its connection's event loop. */
    private static final class Request {
        final RoutingContext ctx;
        final String address;
        final Conn conn;
        final long declared;
        final long start = System.nanoTime();
        final AtomicBoolean released = new AtomicBoolean();
        Buffer body;
        long received;
        long held;
        boolean working;
        boolean done;
        long timer = -1;

        Request(RoutingContext ctx, String address, Conn conn, long declared) {
            this.ctx = ctx;
            this.address = address;
            this.conn = conn;
            this.declared = declared;
        }
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    void announce(@Observes StartupEvent event) {
        HttpConfig h = http;
        LOG.infof("HTTP limits: request bodies %d ms a KiB, at most %d s; per address %d connections, %d requests,"
                        + " %d MiB of bodies; in all %d requests at work, %d MiB of bodies",
                h.bodyTimePerKb().toMillis(), h.bodyDeadline().toSeconds(), h.maxConnectionsPerAddress(),
                h.maxInFlightPerAddress(), h.maxBodyBytesPerAddress().asLongValue() >> 20, h.maxInFlight(),
                h.maxBodyBytes().asLongValue() >> 20);
        long limit = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        if (h.maxBodyBytesPerAddress().asLongValue() < limit) {
            LOG.warnf("fabtrail.http.max-body-bytes-per-address is below quarkus.http.limits.max-body-size: bodies "
                    + "larger than %d bytes will always be refused", h.maxBodyBytesPerAddress().asLongValue());
        }
    }

    /**
     * The client's address as the limits count it: the address Quarkus resolved for the request (the forwarded one
     * only from a trusted proxy), an IPv6 address by its /64 network.
     */
    public static String clientAddress(HttpServerRequest request) {
        return addressKey(request == null ? null : request.remoteAddress());
    }

    static String addressKey(SocketAddress address) {
        if (address == null) {
            return "unknown";
        }
        String host = address.hostAddress() != null ? address.hostAddress() : address.host();
        if (host == null) {
            return address.isDomainSocket() ? "local" : "unknown";
        }
        if (host.indexOf(':') < 0 || !host.matches("[0-9A-Fa-f:.]{2,45}")) {
            return host.length() > 64 ? host.substring(0, 64) : host; // IPv4 (or whatever a proxy named)
        }
        try {
            InetAddress parsed = InetAddress.getByName(host); // a literal: no lookup
            if (parsed instanceof Inet6Address) {
                byte[] b = parsed.getAddress();
                return String.format("%x:%x:%x:%x::/64", (b[0] & 0xff) << 8 | b[1] & 0xff, (b[2] & 0xff) << 8
                        | b[3] & 0xff, (b[4] & 0xff) << 8 | b[5] & 0xff, (b[6] & 0xff) << 8 | b[7] & 0xff);
            }
            return parsed.getHostAddress(); // an IPv4-mapped IPv6 address counts as its IPv4 address
        } catch (UnknownHostException e) {
            return host;
        }
    }

    // ---- admission -------------------------------------------------------------------------------------------

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String address = clientAddress(req);
        HttpConnection connection = req.connection();
        boolean body = hasBody(req) && !ctx.body().available();
        Conn conn = connection == null ? null : connections.get(connection);
        if (connection != null && conn == null) {
            conn = open(ctx, connection, address);
            if (conn == null) {
                return;
            }
        }
        if (!claim(address, 0, 1, 0)) {
            refuse(ctx, 429, "too-many-in-flight", "Too many requests in flight", "This address has "
                    + http.maxInFlightPerAddress() + " requests in progress; wait for their answers", body);
            return;
        }
        Request r = new Request(ctx, address, conn, body ? declaredLength(req) : 0);
        if (conn != null) {
            conn.requests.add(r);
        }
        ctx.addEndHandler(x -> release(r));
        if (body) {
            readBody(r);
        } else {
            work(r);
        }
    }

    /** The first request on a connection: counts the connection against its address, or refuses it. */
    private Conn open(RoutingContext ctx, HttpConnection connection, String address) {
        // a trusted proxy's connection carries many clients' requests (theirs is the forwarded address)
        boolean proxied = !addressKey(connection.remoteAddress()).equals(address);
        if (!proxied && !claim(address, 1, 0, 0)) {
            refuse(ctx, 429, "too-many-connections", "Too many connections", "This address has "
                    + http.maxConnectionsPerAddress() + " connections open; reuse them or close some", true);
            return null;
        }
        if (!(connection instanceof ConnectionBase base)) {
            // no way to learn when it closes (not the case for Vert.x's HTTP/1.x and HTTP/2 connections)
            if (!proxied) {
                unclaim(address, 1, 0, 0);
            }
            return new Conn(null);
        }
        Conn conn = new Conn(proxied ? null : address);
        connections.put(connection, conn);
        base.closeFuture().onComplete(x -> closed(connection));
        return conn;
    }

    private void closed(HttpConnection connection) {
        Conn conn = connections.remove(connection);
        if (conn == null) {
            return;
        }
        conn.requests.forEach(this::release);
        if (conn.address != null) {
            unclaim(conn.address, 1, 0, 0);
        }
    }

    /** A complete request goes on to its route, if the server has room for more work. */
    private void work(Request r) {
        int max = http.maxInFlight();
        for (int n = working.get(); ; n = working.get()) {
            if (n >= max) {
                r.done = true;
                refuse(r.ctx, 503, "server-busy", "Server busy", "The server has " + max
                        + " requests at work; retry shortly", false);
                return;
            }
            if (working.compareAndSet(n, n + 1)) {
                break;
            }
        }
        r.working = true;
        if (r.body != null) {
            r.ctx.setBody(r.body);
        }
        r.ctx.next();
    }

    private void release(Request r) {
        if (!r.released.compareAndSet(false, true)) {
            return;
        }
        r.done = true;
        if (r.timer >= 0) {
            r.ctx.vertx().cancelTimer(r.timer);
        }
        if (r.conn != null) {
            r.conn.requests.remove(r);
        }
        unclaim(r.address, 0, 1, r.held);
        bodyBytes.addAndGet(-r.held);
        if (r.working) {
            working.decrementAndGet();
        }
    }

    // ---- bodies ----------------------------------------------------------------------------------------------

    private static boolean hasBody(HttpServerRequest req) {
        if (req.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return true;
        }
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return declared(length) > 0;
        }
        // HTTP/2 frames a body without announcing it
        return req.version() == HttpVersion.HTTP_2 && req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD
                && !req.isEnded();
    }

    private static long declaredLength(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length == null || req.headers().contains(HttpHeaders.TRANSFER_ENCODING) ? -1 : declared(length);
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // the HTTP codec refuses such a request before it gets here
        }
    }

    private void readBody(Request r) {
        HttpServerRequest req = r.ctx.request();
        r.body = Buffer.buffer((int) Math.min(r.declared < 0 ? 16 * 1024 : r.declared, 64 * 1024));
        req.handler(chunk -> chunk(r, chunk));
        req.endHandler(v -> {
            if (!r.done) {
                cancelTimer(r);
                work(r);
            }
        });
        req.exceptionHandler(e -> release(r)); // a broken connection; its closing gives the rest back too
        r.timer = r.ctx.vertx().setTimer(Math.max(1, allowance(r.declared < 0 ? 1 : r.declared)), id -> deadline(r));
        if (!continueAutomatically && "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
            req.response().writeContinue();
        }
        req.resume();
    }

    private void chunk(Request r, Buffer chunk) {
        if (r.done) {
            return;
        }
        int n = chunk.length();
        long limit = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        if (r.received + n > limit) { // only a chunked body can get here: a declared length was checked before
            stop(r, 413, "body-too-large", "Request body too large", "The request body is larger than " + limit
                    + " bytes", false);
            return;
        }
        if (!claim(r.address, 0, 0, n)) {
            stop(r, 429, "too-many-in-flight", "Too many requests in flight", "This address has "
                    + (http.maxBodyBytesPerAddress().asLongValue() >> 20)
                    + " MiB of request bodies in progress; wait for their answers", true);
            return;
        }
        long max = http.maxBodyBytes().asLongValue();
        if (bodyBytes.addAndGet(n) > max) {
            bodyBytes.addAndGet(-n);
            unclaim(r.address, 0, 0, n);
            stop(r, 503, "server-busy", "Server busy", "The server holds " + (max >> 20)
                    + " MiB of request bodies; retry shortly", true);
            return;
        }
        r.held += n;
        r.received += n;
        r.body.appendBuffer(chunk);
    }

    private void deadline(Request r) {
        r.timer = -1;
        if (r.done) {
            return;
        }
        long allowed = allowance(r.declared >= 0 ? r.declared : r.received + 1);
        long elapsed = (System.nanoTime() - r.start) / 1_000_000;
        if (elapsed < allowed) { // a chunked body that has kept up so far
            r.timer = r.ctx.vertx().setTimer(Math.max(1, allowed - elapsed), id -> deadline(r));
            return;
        }
        LOG.debugf("Request body from %s too slow: %d bytes in %d ms", r.address, r.received, elapsed);
        stop(r, 408, "body-timeout", "Request body too slow", "The request body did not arrive within "
                + Math.max(1, allowed / 1000) + " s (" + r.received + " bytes came); the connection is closed", false);
    }

    /** Milliseconds allowed for a body of {@code bytes}: per started KiB, plus one, at most the deadline. */
    long allowance(long bytes) {
        long perKb = http.bodyTimePerKb().toMillis();
        long kib = (bytes + 1023) / 1024;
        long ms = kib >= Long.MAX_VALUE / Math.max(1, perKb) - 1 ? Long.MAX_VALUE : perKb * (kib + 1);
        return Math.min(ms, http.bodyDeadline().toMillis());
    }

    /** Refuses a request whose body is still arriving, and closes its connection. */
    private void stop(Request r, int status, String code, String title, String detail, boolean retry) {
        r.done = true;
        cancelTimer(r);
        refuse(r.ctx, status, code, title, detail, retry, true);
    }

    private static void cancelTimer(Request r) {
        if (r.timer >= 0) {
            r.ctx.vertx().cancelTimer(r.timer);
            r.timer = -1;
        }
    }

    // ---- shares per address ----------------------------------------------------------------------------------

    private boolean claim(String address, int conns, int inFlight, long bytes) {
        HttpConfig h = http;
        boolean[] ok = {false};
        addresses.compute(address, (k, u) -> {
            Usage usage = u == null ? new Usage() : u;
            if (usage.connections + conns <= h.maxConnectionsPerAddress()
                    && usage.inFlight + inFlight <= h.maxInFlightPerAddress()
                    && usage.bodyBytes + bytes <= h.maxBodyBytesPerAddress().asLongValue()) {
                usage.connections += conns;
                usage.inFlight += inFlight;
                usage.bodyBytes += bytes;
                ok[0] = true;
            }
            return usage.idle() ? null : usage;
        });
        return ok[0];
    }

    private void unclaim(String address, int conns, int inFlight, long bytes) {
        addresses.computeIfPresent(address, (k, u) -> {
            u.connections -= conns;
            u.inFlight -= inFlight;
            u.bodyBytes -= bytes;
            return u.idle() ? null : u;
        });
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    private void refuse(RoutingContext ctx, int status, String code, String title, String detail, boolean close) {
        refuse(ctx, status, code, title, detail, status == 429 || status == 503, close);
    }

    /** An RFC 9457 answer (see {@link Problem}); {@code close} ends the connection after it. */
    private void refuse(RoutingContext ctx, int status, String code, String title, String detail, boolean retry,
                        boolean close) {
        HttpServerResponse res = ctx.response();
        HttpConnection connection = ctx.request().connection();
        if (res.ended() || res.headWritten()) {
            if (close && connection != null) {
                connection.close();
            }
            return;
        }
        Problem p = Problem.of(status, code, title, detail);
        if (retry) {
            p.with("retryAfter", RETRY_AFTER);
            res.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER));
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            res.putHeader(HttpHeaders.CONNECTION, "close");
        }
        res.end(Buffer.buffer(bytes)).onComplete(x -> {
            if (close && connection != null) {
                connection.close();
            }
        });
    }
}
