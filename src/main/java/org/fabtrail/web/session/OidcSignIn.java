package org.fabtrail.web.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.IdentityProvider;
import org.fabtrail.accounts.IdentityProviders;
import org.fabtrail.crypto.JsonFormatException;
import org.fabtrail.crypto.Jws;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.discrepancy.Webhooks;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Web;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OpenID Connect sign-in through an organisation's identity provider: the authorization code flow with PKCE (S256),
 * a state bound to the browser and used once, and a nonce (OpenID Connect Core 1.0, sections 3.1 and 3.1.3.7). The
 * provider's discovery document names its endpoints; its ID token must be signed by a key of its JWK set (RS256 or
 * ES256 and the like, {@link Jws}), name the configured issuer, be for this client, be current and carry the
 * nonce. Then {@link IdentityProviders#signIn} says which account it is, and the caller opens an ordinary session.
 * Every endpoint the server calls must pass the webhooks' address check (https, public addresses; ADR 0021).
 */
@ApplicationScoped
public class OidcSignIn {

    /** How long a browser may take at the provider. */
    static final Duration PENDING = Duration.ofMinutes(10);
    static final Duration SKEW = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(OidcSignIn.class);
    private static final int MAX_DOCUMENT = 256 * 1024;

    @Inject
    IdentityProviders providers;
    @Inject
    Webhooks webhooks;
    @Inject
    Clock clock;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    /** This site's callback URL (register it at the provider), from the request's base URI. */
    public static URI callback(UriInfo uri) {
        return uri.getBaseUriBuilder().path("login/callback").build();
    }

    /** Where to send the browser, and the state its cookie keeps. */
    public record Start(URI authorization, String state) {
    }

    /**
     * A sign-in at the provider that must not go on; the message is for the person. {@link #status}: 404 for an
     * organisation without a provider, 502 when the provider's answers are refused, 403 otherwise.
     */
    public static final class Refused extends Exception {
        final int status;

        Refused(String message) {
            this(403, message);
        }

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /**
     * Starts a sign-in: a new state, nonce and PKCE verifier kept for {@link #PENDING}, and the provider's
     * authorization URL.
     *
     * @param callback this site's callback URL, as the provider has it registered
     */
    public Start start(String org, String next, URI callback) throws Refused {
        IdentityProvider p = providers.of(org).orElseThrow(() -> new Refused(404, Texts.of(FormMessages.class).sso_no_provider(org)));
        Map<String, Object> discovery = discovery(p);
        URI authorize = endpoint(discovery, "authorization_endpoint", false);
        String state = SessionManager.randomToken();
        String nonce = SessionManager.randomToken();
        String verifier = SessionManager.randomToken() + SessionManager.randomToken();
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            OidcPending.delete("createdAt < ?1", now.minus(PENDING));
            OidcPending row = new OidcPending();
            row.stateHash = SessionManager.sha256(state);
            row.orgId = org;
            row.nonce = nonce;
            row.verifier = verifier;
            row.nextPath = Web.safeNext(next);
            row.createdAt = now;
            row.persist();
        });
        String query = "response_type=code&scope=" + enc("openid profile email")
                + "&client_id=" + enc(p.settings.clientId()) + "&redirect_uri=" + enc(callback.toString())
                + "&state=" + enc(state) + "&nonce=" + enc(nonce)
                + "&code_challenge=" + enc(b64(SessionManager.sha256(verifier))) + "&code_challenge_method=S256";
        String base = authorize.toString();
        return new Start(URI.create(base + (base.contains("?") ? "&" : "?") + query), state);
    }

    /** The signed-in account and where to go next. */
    public record Finished(Account account, String next) {
    }

    /**
     * Finishes a sign-in at the provider's callback. The state must be one this site issued, to this browser
     * ({@code cookieState}), not used before and not older than {@link #PENDING}; it is used up whatever happens next.
     */
    public Finished finish(String state, String cookieState, String code, String error, URI callback) throws Refused {
        if (state == null || state.isEmpty() || state.length() > 100 || !Web.sameToken(cookieState, state)) {
            throw new Refused(Texts.of(FormMessages.class).sso_not_started());
        }
        byte[] hash = SessionManager.sha256(state);
        Instant now = clock.instant();
        OidcPending pending = QuarkusTransaction.requiringNew().call(() -> {
            OidcPending row = OidcPending.findById(hash);
            if (row != null) {
                row.delete(); // a state is used once
            }
            return row;
        });
        if (pending == null || pending.createdAt.plus(PENDING).isBefore(now)) {
            throw new Refused(Texts.of(FormMessages.class).sso_not_started());
        }
        if (error != null || code == null || code.isEmpty() || code.length() > 2000) {
            String said = error == null ? "" : error.replaceAll("[^A-Za-z0-9_ .-]", "");
            throw new Refused(Texts.of(FormMessages.class).sso_not_signed_in(said.isEmpty() ? null
                    : said.substring(0, Math.min(said.length(), 80))));
        }
        IdentityProvider p = providers.of(pending.orgId).orElseThrow(() -> new Refused(
                Texts.of(FormMessages.class).sso_provider_removed()));
        Map<String, Object> discovery = discovery(p);
        Map<String, Object> claims = idToken(p, discovery, code, pending.verifier, callback);
        if (!Objects.equals(claims.get("nonce"), pending.nonce)) {
            throw refused(p, "its nonce is not this sign-in's");
        }
        try {
            return new Finished(providers.signIn(p, claims.get(p.settings.userClaim()),
                    claims.get(p.settings.groupsClaim()), claims.get("name")),
                    pending.nextPath);
        } catch (IdentityProviders.Refused e) {
            throw new Refused(e.getMessage());
        }
    }

    /** Redeems the code and checks the ID token's signature, issuer, audience and times; answers its claims. */
    private Map<String, Object> idToken(IdentityProvider p, Map<String, Object> discovery, String code, String verifier,
                                        URI callback) throws Refused {
        URI tokenEndpoint = endpoint(discovery, "token_endpoint", true);
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(callback.toString())
                + "&code_verifier=" + enc(verifier);
        String basic = Base64.getEncoder().encodeToString((enc(p.settings.clientId()) + ":"
                + enc(providers.clientSecret(p))).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        Map<String, Object> tokens = json(p, request, "token endpoint");
        if (!(tokens.get("id_token") instanceof String idToken)) {
            throw refused(p, "the token endpoint answered no ID token");
        }
        Object keys = json(p, HttpRequest.newBuilder(endpoint(discovery, "jwks_uri", true))
                .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(), "key set");
        Map<String, Object> claims;
        try {
            claims = Jws.verify(idToken, keys);
        } catch (Jws.Invalid e) {
            throw refused(p, "its ID token's signature does not verify: " + e.getMessage());
        }
        if (!p.settings.issuer().equals(claims.get("iss"))) {
            throw refused(p, "its ID token was issued by " + claims.get("iss") + ", not " + p.settings.issuer());
        }
        Object aud = claims.get("aud");
        List<?> audiences = aud instanceof List<?> l ? l : List.of(String.valueOf(aud));
        String clientId = p.settings.clientId();
        if (!audiences.contains(clientId) || (audiences.size() > 1 && !clientId.equals(claims.get("azp")))) {
            throw refused(p, "its ID token is for another client");
        }
        Instant now = clock.instant();
        if (!(claims.get("exp") instanceof Double exp) || Instant.ofEpochSecond(exp.longValue()).plus(SKEW).isBefore(now)) {
            throw refused(p, "its ID token has expired");
        }
        if (claims.get("iat") instanceof Double iat && Instant.ofEpochSecond(iat.longValue()).minus(SKEW).isAfter(now)) {
            throw refused(p, "its ID token was issued in the future");
        }
        return claims;
    }

    /** The provider's discovery document, whose issuer must be the configured one exactly. */
    private Map<String, Object> discovery(IdentityProvider p) throws Refused {
        String issuer = p.settings.issuer();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI uri;
        try {
            uri = webhooks.checkUrl(base + "/.well-known/openid-configuration");
        } catch (IllegalArgumentException e) {
            throw refused(p, "its discovery URL is refused: " + e.getMessage());
        }
        Map<String, Object> doc = json(p, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), "discovery document");
        if (!issuer.equals(doc.get("issuer"))) {
            throw refused(p, "its discovery document names the issuer " + doc.get("issuer"));
        }
        return doc;
    }

    /** An endpoint the discovery document names; one the server calls must pass the address check. */
    private URI endpoint(Map<String, Object> discovery, String name, boolean serverCalls) throws Refused {
        if (!(discovery.get(name) instanceof String url)) {
            throw new Refused(502, "The identity provider's discovery document has no " + name + ".");
        }
        try {
            if (serverCalls) {
                return webhooks.checkUrl(url);
            }
            URI u = new URI(url);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException | URISyntaxException e) {
            throw new Refused(502, "The identity provider's " + name + " is refused: " + e.getMessage() + ".");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(IdentityProvider p, HttpRequest request, String what) throws Refused {
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(MAX_DOCUMENT + 1);
            }
            if (r.statusCode() != 200) {
                throw refused(p, "its " + what + " answered HTTP " + r.statusCode());
            }
            if (body.length > MAX_DOCUMENT || !(StrictJson.parse(body) instanceof Map<?, ?> m)) {
                throw refused(p, "its " + what + " is not a JSON object of at most 256 KiB");
            }
            return (Map<String, Object>) m;
        } catch (IOException | JsonFormatException e) {
            throw refused(p, "its " + what + " could not be read: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused(p, "interrupted");
        }
    }

    private static Refused refused(IdentityProvider p, String reason) {
        // the reason may quote what the provider or a token said: no line breaks or control characters in the log
        String why = reason.replaceAll("\\p{Cntrl}", "?");
        LOG.infof("OIDC sign-in for %s refused: %s", p.orgId, why);
        return new Refused(502, Texts.of(FormMessages.class).sso_answer_refused(why));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

}
