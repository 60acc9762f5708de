package org.fabtrail.client;

import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.ledger.checkpoint.Checkpoint;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A partner's client for the Fabtrail API, usable as a library or through {@link ClientMain}: signs entries with
 * the organisation's key, submits them in batches with safe retries, verifies every write answer on arrival with
 * the pinned log key, and keeps the newest checkpoint it has seen in a state file, checking each newer one for
 * consistency with it, so that a rewritten or forked log is noticed.
 *
 * <p>Retries are safe because a resubmitted envelope (same {@code payload.id}, same payload) is answered with its
 * original receipt and appended only once: the client signs each entry once and sends those exact envelopes again.
 */
public final class PartnerClient {

    /** At most this many entries per batch request (the API's limit). */
    public static final int MAX_BATCH = 1000;
    /** At most this many bytes of envelopes per batch request, well under the server's default body limit. */
    public static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;
    private static final int ATTEMPTS = 6;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;
    private final ReceiptVerifier verifier;
    private final Path stateFile;
    private Checkpoint newest;

    /**
     * @param baseUrl   the Fabtrail server, e.g. {@code https://fabtrail.example}
     * @param token     an API token of the organisation ({@code write} scope to submit, {@code read} to read)
     * @param logVkey   the log key, pinned out of band
     * @param stateFile where the newest checkpoint seen is kept between runs (null: only in memory)
     */
    public PartnerClient(String baseUrl, String token, String logVkey, Path stateFile) throws IOException {
        this.base = baseUrl.replaceAll("/+$", "");
        this.token = token;
        this.verifier = new ReceiptVerifier(logVkey);
        this.stateFile = stateFile;
        if (stateFile != null && Files.exists(stateFile)) {
            newest = verifier.checkpoint(Files.readString(stateFile));
        }
    }

    /** What happened to one entry: its receipt (verified) or the problem the log answered. */
    public record Outcome(String id, int status, ReceiptVerifier.Verified receipt, Map<String, Object> problem) {
        public boolean accepted() {
            return receipt != null;
        }
    }

    /** Progress of a submission: entries answered so far, of how many. */
    public record Progress(int answered, int total, int refused) {
    }

    /**
     * A signed envelope for the given fields: {@code type} and the type's own members; {@code id} and {@code time}
     * are filled in (a random UUID, now) unless given; {@code actor} is the organisation.
     */
    public static Map<String, Object> sign(String actor, SigningKey key, Map<String, Object> fields) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", UUID.randomUUID().toString());
        payload.put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        payload.putAll(fields);
        payload.put("actor", actor);
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("keyId", key.keyId());
        signature.put("alg", key.algorithm().wireName());
        signature.put("value", Base64.getEncoder().encodeToString(key.sign(Jcs.canonicalize(payload))));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("payload", payload);
        envelope.put("signature", signature);
        return envelope;
    }

    /**
     * Submits signed envelopes in batches of at most {@link #MAX_BATCH} entries and {@link #MAX_BATCH_BYTES}
     * bytes, in order, and verifies every answer. A batch that fails in transport, or is answered 429 or 503, is sent
     * again (after {@code Retry-After}, or a growing pause). Refused entries do not stop the others.
     *
     * @return one outcome per envelope, in order
     * @throws ReceiptVerifier.VerificationFailed when an answer or a checkpoint does not verify
     */
    public List<Outcome> submit(List<Map<String, Object>> envelopes, Consumer<Progress> progress) throws IOException,
            InterruptedException {
        List<Outcome> out = new ArrayList<>(envelopes.size());
        int refused = 0;
        int from = 0;
        while (from < envelopes.size()) {
            int to = from;
            int bytes = 2;
            List<String> bodies = new ArrayList<>();
            while (to < envelopes.size() && to - from < MAX_BATCH) {
                String body = Jcs.canonicalString(envelopes.get(to));
                if (to > from && bytes + body.length() + 1 > MAX_BATCH_BYTES) {
                    break;
                }
                bodies.add(body);
                bytes += body.length() + 1;
                to++;
            }
            Map<String, Object> answer = ReceiptVerifier.asObject(StrictJson.parse(
                    send("POST", "/api/v1/entries/batch", "[" + String.join(",", bodies) + "]", 200)), "the batch answer");
            List<?> results = ReceiptVerifier.list(answer, "results");
            if (results.size() != to - from) {
                throw new ReceiptVerifier.VerificationFailed("the batch answer has " + results.size() + " results for "
                        + (to - from) + " envelopes");
            }
            for (int i = from; i < to; i++) {
                Map<String, Object> r = ReceiptVerifier.asObject(results.get(i - from), "a batch result");
                int status = (int) ReceiptVerifier.number(r, "status");
                Object id = ReceiptVerifier.object(envelopes.get(i), "payload").get("id");
                if (status == 200 || status == 201) {
                    ReceiptVerifier.Verified v = verifier.writeAnswer(envelopes.get(i), ReceiptVerifier.object(r, "receipt"));
                    observe(v.checkpoint(), v.checkpointNote());
                    out.add(new Outcome(String.valueOf(id), status, v, null));
                } else {
                    refused++;
                    out.add(new Outcome(String.valueOf(id), status, null, ReceiptVerifier.object(r, "problem")));
                }
            }
            from = to;
            if (progress != null) {
                progress.accept(new Progress(from, envelopes.size(), refused));
            }
        }
        return out;
    }

    /**
     * Fetches the log's current checkpoint, verifies it with the pinned key and checks it is consistent with the
     * newest one seen before (and keeps it when it is newer).
     */
    public Checkpoint checkLog() throws IOException, InterruptedException {
        String note = send("GET", "/api/v1/log/checkpoint", null, 200);
        Checkpoint cp = verifier.checkpoint(note);
        observe(cp, note);
        return cp;
    }

    /** Fetches a unit's offline bundle and verifies it; the bundle's checkpoint is checked like any other. */
    public ReceiptVerifier.VerifiedBundle bundle(String manufacturer, String serial, Path saveTo) throws IOException,
            InterruptedException {
        String json = send("GET", "/api/v1/units/" + enc(manufacturer) + "/" + enc(serial) + "/bundle", null, 200);
        ReceiptVerifier.VerifiedBundle b = verifier.bundle(json);
        observe(b.checkpoint(), ReceiptVerifier.string(ReceiptVerifier.asObject(StrictJson.parse(json), "the bundle"),
                "checkpoint"));
        if (saveTo != null) {
            Files.writeString(saveTo, json);
        }
        return b;
    }

    /** A page of a list: its items as JSON objects, and the cursor of the next page (null when there is none). */
    public record Page(List<Map<String, Object>> items, String next) {
    }

    /**
     * One page of the transfers the organisation sends or receives, newest first ({@code GET /api/v1/transfers}).
     *
     * @param filters any of {@code state}, {@code direction}, {@code counterparty}, {@code since} (docs/api.md)
     * @param after   the previous page's {@code next}, or null for the first page
     */
    public Page transfers(Map<String, String> filters, String after, int limit) throws IOException, InterruptedException {
        Map<String, String> q = new LinkedHashMap<>(filters);
        q.put("after", after);
        q.put("limit", Integer.toString(limit));
        return page("/api/v1/transfers", q);
    }

    /** One transfer, with each unit's custody so far ({@code GET /api/v1/transfers/{id}}). */
    public Map<String, Object> transfer(String id) throws IOException, InterruptedException {
        return ReceiptVerifier.asObject(StrictJson.parse(send("GET", "/api/v1/transfers/" + enc(id), null, 200)),
                "a transfer");
    }

    /**
     * The units whose state changed after {@code after} (a log index, or the previous page's {@code next}; null:
     * from the start), in the order of their last change. {@code next} is on every page: keep it for the next poll.
     */
    public Page unitChanges(String after, int limit) throws IOException, InterruptedException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("after", after);
        q.put("limit", Integer.toString(limit));
        return page("/api/v1/units/changes", q);
    }

    /** One page of the units whose serial starts with {@code serialPrefix}. */
    public Page searchUnits(String serialPrefix, String after, int limit) throws IOException, InterruptedException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("serial", serialPrefix);
        q.put("after", after);
        q.put("limit", Integer.toString(limit));
        return page("/api/v1/units/search", q);
    }

    /**
     * Up to 1,000 units by reference ({@code {"manufacturer", "serial"}} each) in one request: the answer's
     * {@code units} are those found, its {@code notFound} the others (absent or not the organisation's to see).
     */
    public Map<String, Object> lookupUnits(List<Map<String, String>> refs) throws IOException, InterruptedException {
        return ReceiptVerifier.asObject(StrictJson.parse(send("POST", "/api/v1/units/lookup", Jcs.canonicalString(refs),
                200)), "a lookup");
    }

    @SuppressWarnings("unchecked")
    private Page page(String path, Map<String, String> query) throws IOException, InterruptedException {
        StringBuilder url = new StringBuilder(path);
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() != null) {
                url.append(url.indexOf("?") < 0 ? '?' : '&').append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            }
        }
        Map<String, Object> page = ReceiptVerifier.asObject(StrictJson.parse(send("GET", url.toString(), null, 200)),
                "a page");
        return new Page((List<Map<String, Object>>) page.get("items"), (String) page.get("next"));
    }

    /** The newest checkpoint seen (and verified), or null before the first. */
    public Checkpoint newest() {
        return newest;
    }

    /**
     * Checks a verified checkpoint against the newest seen: the smaller must be a prefix of the larger (a
     * consistency proof from the log), equal sizes must have equal roots. Keeps the newer one.
     */
    private synchronized void observe(Checkpoint cp, String note) throws IOException, InterruptedException {
        if (newest != null && newest.size() != cp.size()) {
            Checkpoint older = cp.size() < newest.size() ? cp : newest;
            Checkpoint newer = cp.size() < newest.size() ? newest : cp;
            Map<String, Object> proof = ReceiptVerifier.asObject(StrictJson.parse(send("GET", "/api/v1/log/proof/consistency?from="
                    + older.size() + "&to=" + newer.size(), null, 200)), "a consistency proof");
            verifier.consistent(older, newer, ReceiptVerifier.hashes(proof.get("hashes")));
        } else if (newest != null && !newest.equals(cp)) {
            throw new ReceiptVerifier.VerificationFailed("two checkpoints of size " + cp.size()
                    + " with different roots: the log shows two histories");
        }
        if (newest == null || cp.size() > newest.size()) {
            newest = cp;
            if (stateFile != null) {
                Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
                Files.writeString(tmp, note);
                Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private String send(String method, String path, String body, int expect) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                    .header("Accept", "application/json, text/plain, application/problem+json");
            if (token != null) {
                r.header("Authorization", "Bearer " + token);
            }
            r.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                r.header("Content-Type", "application/json");
            }
            HttpResponse<String> resp;
            try {
                resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(pause(attempt, null));
                continue;
            }
            if (resp.statusCode() == expect) {
                return resp.body();
            }
            if ((resp.statusCode() == 429 || resp.statusCode() == 503) && attempt < ATTEMPTS) {
                Thread.sleep(pause(attempt, resp.headers().firstValue("Retry-After").orElse(null)));
                continue;
            }
            throw new ApiException(resp.statusCode(), resp.body());
        }
    }

    static long pause(int attempt, String retryAfter) {
        if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
            return Long.parseLong(retryAfter) * 1000;
        }
        return Math.min(30_000, 500L << Math.min(attempt, 6));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An answer the client does not retry: the problem the server gave. */
    public static final class ApiException extends IOException {
        private final int status;

        public ApiException(int status, String body) {
            super("the server answered " + status + ": " + (body.length() > 600 ? body.substring(0, 600) + "…" : body));
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
