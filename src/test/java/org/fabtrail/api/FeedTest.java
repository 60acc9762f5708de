package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.fabtrail.api.CustodyClient.ref;
import static org.fabtrail.api.EntriesResourceTest.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The partner feed: the entries the caller may see, in log order, resumable from any cursor, gap-free and
 * duplicate-free while writes continue.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class FeedTest {

    private static final Set<String> PUBLIC_TYPES = Set.of("org.register", "key.add", "key.revoke", "site.register");

    private static ApiClient.Partner fab;
    private static ApiClient.Partner dist;
    private static ApiClient.Partner other;
    /** A read-only token of fd-dist, used only for polling. */
    private static String distReader;
    private static int serials;

    @BeforeEach
    void onboard() throws Exception {
        OncePerClass.run(FeedTest.class, () -> {
            fab = CustodyClient.partnerWithSite("fd-fab", "manufacturer", "fd-line", "TW");
            dist = CustodyClient.partnerWithSite("fd-dist", "distributor", "fd-hub", "NL");
            other = CustodyClient.partnerWithSite("fd-other", "manufacturer",
                    "fd-other-line", "KR");
            distReader = "Bearer " + ApiClient.token("fd-dist", "read");
        });
    }

    private static synchronized String newSerial() {
        return "FD-" + (++serials);
    }

    private static JsonPath page(String bearer, String after, int limit) {
        var req = given().header("Authorization", bearer).queryParam("limit", limit);
        if (after != null) {
            req = req.queryParam("after", after);
        }
        return req.get("/api/v1/feed").then().statusCode(200).extract().jsonPath();
    }

    /**
     * What fd-dist may see among the operator's entries: the public registry entries, its own entries, and the
     * entries about a unit from the dispatch that sent it that unit on (the visibility rule the feed must follow
     * so that it never grows behind a cursor).
     */
    private static List<Long> visibleToDist(List<Map<String, Object>> operatorFeed) {
        Set<String> sentToDist = new HashSet<>();
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> item : operatorFeed) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) ((Map<String, Object>) item.get("envelope")).get("payload");
            List<String> about = about(payload);
            if ("transfer.dispatch".equals(item.get("type")) && "fd-dist".equals(payload.get("to"))) {
                sentToDist.addAll(about);
            }
            if (PUBLIC_TYPES.contains((String) item.get("type")) || "fd-dist".equals(item.get("actor"))
                    || about.stream().anyMatch(sentToDist::contains)) {
                out.add(CustodyClient.index(item));
            }
        }
        return out;
    }

    /** The units an entry is about (for the entry types this test writes). */
    @SuppressWarnings("unchecked")
    private static List<String> about(Map<String, Object> payload) {
        List<String> out = new ArrayList<>();
        if ("unit.register".equals(payload.get("type"))) {
            out.add(payload.get("actor") + "/" + payload.get("serial"));
        }
        if (payload.get("units") instanceof List<?> units) {
            for (Object u : units) {
                Map<String, Object> ref = (Map<String, Object>) u;
                out.add(ref.get("manufacturer") + "/" + ref.get("serial"));
            }
        }
        return out;
    }

    @Test
    void visibilityNeverGrowsBehindACursor() {
        long start = CustodyClient.treeSize() - 1;
        String a = newSerial();
        String b = newSerial();
        CustodyClient.register(fab, a, "accelerator", "H200", "fd-line");
        CustodyClient.register(fab, b, "accelerator", "H200", "fd-line");
        CustodyClient.dispatch(fab, "fd-dist", "fd-hub", List.of(ref("fd-fab", a)));
        // a poller catches up...
        List<Map<String, Object>> polled = new ArrayList<>(CustodyClient.feed(distReader, start));
        String cursor = Long.toString(CustodyClient.index(polled.get(polled.size() - 1)));
        // ...then b is sent to fd-dist too; b's registration lies behind the poller's cursor
        CustodyClient.dispatch(fab, "fd-dist", "fd-hub", List.of(ref("fd-fab", b)));
        polled.addAll(CustodyClient.feed(distReader, Long.parseLong(cursor)));

        List<Map<String, Object>> fresh = CustodyClient.feed(distReader, start);
        assertEquals(CustodyClient.indexes(fresh), CustodyClient.indexes(polled),
                "a poller that followed next saw exactly what a fresh read from the same cursor sees");
        assertEquals(visibleToDist(CustodyClient.feed(ApiClient.ADMIN, start)), CustodyClient.indexes(polled));
        assertEquals(List.of("transfer.dispatch", "transfer.dispatch"),
                polled.stream().map(i -> (String) i.get("type")).toList());
        // the units' full histories, registrations included, are there for fd-dist to read
        for (String s : List.of(a, b)) {
            given().header("Authorization", distReader).get("/api/v1/units/fd-fab/" + s + "/history").then()
                    .statusCode(200).body("type", equalTo(List.of("unit.register", "transfer.dispatch")));
        }
    }

    @Test
    void theFeedResumesFromAnyCursor() {
        // some entries fd-dist sees and some it does not
        String mine = newSerial();
        String notMine = newSerial();
        CustodyClient.register(fab, mine, "accelerator", "H200", "fd-line");
        CustodyClient.register(fab, notMine, "accelerator", "H200", "fd-line");
        String t = CustodyClient.dispatch(fab, "fd-dist", "fd-hub", List.of(ref("fd-fab", mine)));
        CustodyClient.register(other, newSerial(), "module", "M1", "fd-other-line");
        CustodyClient.receive(dist, t, "fd-hub", List.of(ref("fd-fab", mine)));

        List<Long> all = CustodyClient.indexes(CustodyClient.feed(distReader));
        long size = CustodyClient.treeSize();
        assertEquals(visibleToDist(CustodyClient.feed(ApiClient.ADMIN)), all);
        for (int k = 1; k < all.size(); k++) {
            assertTrue(all.get(k - 1) < all.get(k), "strictly increasing");
        }
        // every cursor in the last 60 indexes, visible to fd-dist or not, and a few page sizes
        for (long cursor = Math.max(-1, size - 60); cursor < size + 2; cursor++) {
            for (int limit : List.of(1, 3, 1000)) {
                long c = cursor;
                List<Long> want = all.stream().filter(i -> i > c).limit(limit).toList();
                JsonPath p = page(distReader, c < 0 ? null : Long.toString(c), limit);
                List<Long> got = p.<Number>getList("items.index").stream().map(Number::longValue).toList();
                assertEquals(want, got, "after=" + c + " limit=" + limit);
                String next = want.isEmpty() ? (c < 0 ? null : Long.toString(c)) : Long.toString(want.get(want.size() - 1));
                assertEquals(next, p.getString("next"), "next after=" + c + " limit=" + limit);
            }
        }
        // the first page needs no cursor; an empty page keeps the cursor so a poller never loses its place
        assertEquals(all.get(0), page(distReader, null, 1).getLong("items[0].index"));
        assertEquals(Long.toString(size + 5), page(distReader, Long.toString(size + 5), 10).getString("next"));
    }

    @Test
    void aPollerFollowingNextSeesEveryVisibleEntryOnceWhileWritesContinue() throws Exception {
        long start = CustodyClient.treeSize() - 1;
        AtomicBoolean writerDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<Integer> writer = pool.submit(() -> {
                try {
                    return write(320);
                } finally {
                    writerDone.set(true);
                }
            });
            Future<List<Long>> distPoller = pool.submit(() -> poll(distReader, start, 7, writerDone));
            Future<List<Long>> operatorPoller = pool.submit(() -> poll(ApiClient.ADMIN, start, 13, writerDone));
            int written = writer.get(10, TimeUnit.MINUTES);
            List<Long> dist = distPoller.get(2, TimeUnit.MINUTES);
            List<Long> operator = operatorPoller.get(2, TimeUnit.MINUTES);
            assertTrue(written >= 300, "wrote " + written);

            long end = CustodyClient.treeSize();
            // the operator sees every index after the start exactly once, in order: no gap, no duplicate
            assertEquals(end - start - 1, operator.size());
            for (int i = 0; i < operator.size(); i++) {
                assertEquals(start + 1 + i, operator.get(i));
            }
            // fd-dist sees exactly what the rule lets it see, in order, once each
            List<Map<String, Object>> operatorFeed = CustodyClient.feed(ApiClient.ADMIN, start);
            List<Long> expected = visibleToDist(operatorFeed);
            assertTrue(expected.size() > 100 && expected.size() < operatorFeed.size(), expected.size() + " visible");
            assertEquals(expected, dist);
            assertEquals(CustodyClient.indexes(CustodyClient.feed(distReader, start)), dist,
                    "the poller saw what a fresh read sees");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Follows {@code next} until the writer is done and a page comes back empty; checks order as it goes. */
    private static List<Long> poll(String bearer, long start, int limit, AtomicBoolean writerDone) throws Exception {
        List<Long> seen = new ArrayList<>();
        String cursor = Long.toString(start);
        while (true) {
            boolean last = writerDone.get();
            HttpResponse<String> r = CustodyClient.http("GET", "/api/v1/feed?limit=" + limit + "&after=" + cursor,
                    bearer, null);
            if (r.statusCode() == 429) {
                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
                continue;
            }
            assertEquals(200, r.statusCode(), r.body());
            JsonPath p = JsonPath.from(r.body());
            List<Long> items = p.<Number>getList("items.index").stream().map(Number::longValue).toList();
            for (long i : items) {
                assertTrue(i > Long.parseLong(cursor) && (seen.isEmpty() || i > seen.get(seen.size() - 1)),
                        "index " + i + " after cursor " + cursor + " and " + seen.size() + " seen");
                seen.add(i);
            }
            cursor = p.getString("next");
            if (items.isEmpty()) {
                if (last) {
                    return seen;
                }
                Thread.sleep(10);
            }
        }
    }

    /**
     * Keeps appending: fd-fab registers units and sends each one on to fd-dist two steps later (so its registration
     * already lies behind fd-dist's pollers), fd-dist receives them, fd-other registers units fd-dist never sees.
     */
    private static int write(int atLeast) {
        int n = 0;
        List<String> registered = new ArrayList<>();
        Map<String, String> pending = new HashMap<>();
        for (int i = 0; n < atLeast; i++) {
            String s = newSerial();
            post(fab, "unit.register", CustodyClient.unitFields(s, "accelerator", "H200", "fd-line"));
            registered.add(s);
            n++;
            if (i >= 2 && i % 2 == 0) {
                String sent = registered.get(i - 2);
                pending.put(post(fab, "transfer.dispatch", CustodyClient.dispatchFields("fd-dist", "fd-hub",
                        List.of(ref("fd-fab", sent)))), sent);
                n++;
            }
            if (i % 2 == 1 && !pending.isEmpty()) {
                var e = pending.entrySet().iterator().next();
                post(dist, "transfer.receive", CustodyClient.receiveFields(e.getKey(), "fd-hub",
                        List.of(ref("fd-fab", e.getValue()))));
                pending.remove(e.getKey());
                n++;
            }
            if (i % 10 == 0) {
                post(other, "unit.register", CustodyClient.unitFields(newSerial(), "module", "M1", "fd-other-line"));
                n++;
            }
        }
        return n;
    }

    /** Submits from a background thread; returns the payload.id. */
    private static String post(ApiClient.Partner p, String type, Map<String, Object> fields) {
        Map<String, Object> payload = ApiClient.payload(type, p.org(), fields);
        HttpResponse<String> r = CustodyClient.http("POST", "/api/v1/entries", p.bearer(),
                ApiClient.envelope(payload, p.key()));
        if (r.statusCode() != 201) {
            throw new AssertionError(type + " answered " + r.statusCode() + ": " + r.body());
        }
        return (String) payload.get("id");
    }

    @Test
    void limitsAndCursorsAreChecked() {
        for (String limit : List.of("0", "1001", "abc", "-1", "1.5", "01", "99999999999")) {
            var r = given().header("Authorization", distReader).queryParam("limit", limit).get("/api/v1/feed");
            problem(r, 400, "invalid-parameter");
            r.then().body("parameter", equalTo("limit"));
        }
        given().header("Authorization", distReader).queryParam("limit", 1000).get("/api/v1/feed").then().statusCode(200);
        given().header("Authorization", distReader).queryParam("limit", 1).get("/api/v1/feed").then().statusCode(200)
                .body("items.size()", equalTo(1));
        for (String after : List.of("abc", "-1", "01", "1e3", "1.0", "99999999999999999999", " 1")) {
            var r = given().header("Authorization", distReader).queryParam("after", after).get("/api/v1/feed");
            problem(r, 400, "invalid-cursor");
            r.then().body("parameter", equalTo("after"));
        }
        // the default page is 100
        long size = CustodyClient.treeSize();
        given().header("Authorization", ApiClient.ADMIN).get("/api/v1/feed").then().statusCode(200)
                .body("items.size()", equalTo((int) Math.min(100, size)))
                .body("next", equalTo(Long.toString(Math.min(100, size) - 1)));
    }
}
