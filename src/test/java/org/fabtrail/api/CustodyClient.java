package org.fabtrail.api;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.fabtrail.crypto.SignatureAlgorithm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * Custody entries as a partner submits them (sites, units, dispatches, receipts), whole-feed reads, and a plain
 * {@link HttpClient} for background threads. Shared by the API authorisation tests.
 */
final class CustodyClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private CustodyClient() {
    }

    static Map<String, Object> ref(String manufacturer, String serial) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("manufacturer", manufacturer);
        m.put("serial", serial);
        return m;
    }

    /** Signs and submits one entry as the partner; asserts 201 and returns the entry's payload.id. */
    static String write(ApiClient.Partner p, String type, Map<String, Object> fields) {
        Map<String, Object> payload = ApiClient.payload(type, p.org(), fields);
        p.submit(ApiClient.envelope(payload, p.key())).then().statusCode(201);
        return (String) payload.get("id");
    }

    static Map<String, Object> siteFields(String site, String country) {
        return Map.of("site", site, "name", "Site " + site, "country", country, "address", "1 Main St");
    }

    static String site(ApiClient.Partner p, String site, String country) {
        return write(p, "site.register", siteFields(site, country));
    }

    /** A partner signing with Ed25519, as most do, with one site. */
    static ApiClient.Partner partnerWithSite(String org, String role, String site, String country) {
        return partnerWithSite(org, SignatureAlgorithm.ED25519, role, site, country);
    }

    /** A partner ({@link ApiClient#partner}) with one site registered: "Site {@code site}", in {@code country}. */
    static ApiClient.Partner partnerWithSite(String org, SignatureAlgorithm alg, String role, String site,
                                             String country) {
        ApiClient.Partner p = ApiClient.partner(org, alg, role);
        site(p, site, country);
        return p;
    }

    static Map<String, Object> unitFields(String serial, String kind, String model, String site) {
        return Map.of("serial", serial, "kind", kind, "model", model, "eccn", "3A090.a", "site", site);
    }

    /** Registers a unit; returns the registration's payload.id. */
    static String register(ApiClient.Partner p, String serial, String kind, String model, String site) {
        return write(p, "unit.register", unitFields(serial, kind, model, site));
    }

    static Map<String, Object> dispatchFields(String to, String toSite, List<Map<String, Object>> units) {
        return Map.of("units", units, "to", to, "toSite", toSite, "licenceRef", "EXP-2026-001");
    }

    /** Dispatches units; returns the transfer id (the dispatch's payload.id). */
    static String dispatch(ApiClient.Partner p, String to, String toSite, List<Map<String, Object>> units) {
        return write(p, "transfer.dispatch", dispatchFields(to, toSite, units));
    }

    static Map<String, Object> receiveFields(String transfer, String site, List<Map<String, Object>> units) {
        return Map.of("transfer", transfer, "site", site, "units", units);
    }

    static String receive(ApiClient.Partner p, String transfer, String site, List<Map<String, Object>> units) {
        return write(p, "transfer.receive", receiveFields(transfer, site, units));
    }

    /** The whole feed the bearer may see (after {@code after}), page by page until an empty page. */
    static List<Map<String, Object>> feed(String bearer, long after) {
        List<Map<String, Object>> out = new ArrayList<>();
        String cursor = after < 0 ? null : Long.toString(after);
        while (true) {
            var req = given().header("Authorization", bearer).queryParam("limit", 1000);
            if (cursor != null) {
                req = req.queryParam("after", cursor);
            }
            JsonPath page = req.get("/api/v1/feed").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            if (items.isEmpty()) {
                return out;
            }
            out.addAll(items);
            cursor = page.getString("next");
        }
    }

    static List<Map<String, Object>> feed(String bearer) {
        return feed(bearer, -1);
    }

    static long index(Map<String, Object> item) {
        return ((Number) item.get("index")).longValue();
    }

    static List<Long> indexes(List<Map<String, Object>> items) {
        return items.stream().map(CustodyClient::index).toList();
    }

    /** The log indexes of every entry about a unit, as the operator sees its history. */
    static List<Long> history(String manufacturer, String serial) {
        return given().header("Authorization", ApiClient.ADMIN).get("/api/v1/units/" + manufacturer + "/" + serial
                + "/history").then().statusCode(200).extract().jsonPath().<Number>getList("index").stream()
                .map(Number::longValue).toList();
    }

    static long treeSize() {
        String cp = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        return Long.parseLong(cp.split("\n")[1]);
    }

    /** A request with the JDK client (safe from any thread); {@code bearer} may be null. */
    static HttpResponse<String> http(String method, String path, String bearer, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(120));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
