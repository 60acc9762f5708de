package org.fabtrail.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.fabtrail.crypto.Jcs;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Connect provider on loopback for the tests, with several issuers ("tenants", each under its own
 * path with its own RS256 key): discovery, JWKS, an authorization endpoint that signs in whoever the test names
 * (no login form) and sends the browser back with a code, and a token endpoint that checks the client's secret,
 * the code (once), the redirect URI and the PKCE verifier before it issues an ID token. Knobs make it hostile:
 * a wrong nonce, no nonce, a token issued and signed as another tenant, claims left out or overridden.
 */
final class TestIdentityProvider implements AutoCloseable {

    /** One issuer. Tests set {@link #claims} (the next ID token's own claims) and the hostile knobs. */
    final class Tenant {
        final String name;
        final String clientId;
        final String clientSecret;
        final KeyPair key;
        final String kid;
        volatile Map<String, Object> claims = Map.of();
        volatile String nonceOverride;
        volatile boolean omitNonce;
        volatile Tenant signAs;
        /** Claims set over the standard ones ({@code iss}, {@code aud}, {@code exp}...), signed with this tenant's key. */
        volatile Map<String, Object> overrides = Map.of();
        final List<String> tokenRequests = new ArrayList<>();

        Tenant(String name, String clientId, String clientSecret) throws GeneralSecurityException {
            this.name = name;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            this.key = g.generateKeyPair();
            this.kid = name + "-key";
        }

        String issuer() {
            return base() + "/" + name;
        }

        void reset() {
            claims = Map.of();
            nonceOverride = null;
            omitNonce = false;
            signAs = null;
            overrides = Map.of();
        }
    }

    private record Grant(Tenant tenant, String nonce, String challenge, String redirectUri) {
    }

    private final HttpServer server;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    TestIdentityProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Tenant tenant(String name, String clientId, String clientSecret) throws GeneralSecurityException {
        Tenant t = new Tenant(name, clientId, clientSecret);
        tenants.put(name, t);
        return t;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String[] path = x.getRequestURI().getPath().split("/", 3);
            Tenant t = path.length == 3 ? tenants.get(path[1]) : null;
            if (t == null) {
                send(x, 404, "text/plain", "no such tenant");
                return;
            }
            switch ("/" + path[2]) {
                case "/.well-known/openid-configuration" -> send(x, 200, "application/json", Jcs.canonicalString(Map.of(
                        "issuer", t.issuer(), "authorization_endpoint", t.issuer() + "/authorize",
                        "token_endpoint", t.issuer() + "/token", "jwks_uri", t.issuer() + "/jwks",
                        "response_types_supported", List.of("code"), "subject_types_supported", List.of("public"),
                        "id_token_signing_alg_values_supported", List.of("RS256"))));
                case "/jwks" -> {
                    RSAPublicKey pub = (RSAPublicKey) t.key.getPublic();
                    send(x, 200, "application/json", Jcs.canonicalString(Map.of("keys", List.of(Map.of(
                            "kty", "RSA", "kid", t.kid, "use", "sig", "alg", "RS256",
                            "n", b64(unsigned(pub.getModulus())), "e", b64(unsigned(pub.getPublicExponent())))))));
                }
                case "/authorize" -> authorize(x, t);
                case "/token" -> token(x, t);
                default -> send(x, 404, "text/plain", "not found");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private void authorize(HttpExchange x, Tenant t) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        if (!t.clientId.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("redirect_uri") == null) {
            send(x, 400, "text/plain", "bad authorization request");
            return;
        }
        String code = "code-" + java.util.UUID.randomUUID();
        codes.put(code, new Grant(t, q.get("nonce"), q.get("code_challenge"), q.get("redirect_uri")));
        String back = q.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(q.get("state"));
        x.getResponseHeaders().add("Location", back);
        x.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange x, Tenant t) throws IOException, GeneralSecurityException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String auth = x.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((enc(t.clientId) + ":" + enc(t.clientSecret))
                .getBytes(StandardCharsets.UTF_8));
        synchronized (t.tokenRequests) {
            t.tokenRequests.add(f.get("grant_type") + " " + (expected.equals(auth) ? "client-authenticated" : "bad-client"));
        }
        if (!expected.equals(auth)) {
            send(x, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Grant g = codes.remove(String.valueOf(f.get("code")));
        if (g == null || g.tenant() != t || !"authorization_code".equals(f.get("grant_type"))
                || !g.redirectUri().equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                || !b64(MessageDigest.getInstance("SHA-256").digest(f.get("code_verifier")
                .getBytes(StandardCharsets.US_ASCII))).equals(g.challenge())) {
            send(x, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        Tenant signer = t.signAs == null ? t : t.signAs;
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", signer.issuer());
        claims.put("aud", t.clientId);
        claims.put("sub", "subject-" + claims.hashCode());
        claims.put("iat", now);
        claims.put("exp", now + 300);
        if (!t.omitNonce) {
            claims.put("nonce", t.nonceOverride != null ? t.nonceOverride : g.nonce());
        }
        claims.putAll(t.claims);
        claims.putAll(t.overrides);
        send(x, 200, "application/json", Jcs.canonicalString(Map.of("access_token", "opaque", "token_type", "Bearer",
                "id_token", sign(signer, claims))));
    }

    static String sign(Tenant signer, Map<String, Object> claims) throws GeneralSecurityException {
        String head = b64(Jcs.canonicalize(Map.of("alg", "RS256", "typ", "JWT", "kid", signer.kid)));
        String body = b64(Jcs.canonicalize(claims));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(signer.key.getPrivate());
        s.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
        return head + "." + body + "." + b64(s.sign());
    }

    /** Follows the authorization URL the way a browser would and answers where the provider sends it back. */
    static URI authorizeAndComeBack(String authorizationUrl) throws IOException, InterruptedException {
        var http = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .build();
        var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 302) {
            throw new IllegalStateException("the provider answered " + r.statusCode());
        }
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    private static byte[] unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        return b[0] == 0 && b.length > 1 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
