package org.fabtrail.web;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.IdentityProvider;
import org.fabtrail.accounts.IdentityProviders;
import org.fabtrail.web.session.SessionManager;
import org.fabtrail.web.session.SsoPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sign-in through an organisation's OpenID Connect provider, against a real provider on loopback
 * ({@link TestIdentityProvider}: discovery, JWKS, code flow with PKCE, RS256 ID tokens): an admin sets it up on the
 * organisation's page, a person signs in and gets an ordinary session with the role the groups give; a forged or
 * replayed state, a wrong or missing nonce, a token of another organisation's issuer, a missing claim, a user of
 * another organisation or the operator are refused with nothing created. The last test walks it in Chromium.
 */
@QuarkusTest
@TestProfile(DemoProfile.class)
class OidcSignInTest {

    static final String ORG = "helios-dc";
    static final String OTHER_ORG = "kestrel-dc";
    static final String SECRET = "helios-client-secret-7f3a9c";
    static TestIdentityProvider idp;
    static TestIdentityProvider.Tenant helios;
    static TestIdentityProvider.Tenant kestrel;

    @TestHTTPResource("/")
    URL base;
    @Inject
    IdentityProviders providers;

    @BeforeAll
    static void provider() throws Exception {
        idp = new TestIdentityProvider();
        helios = idp.tenant("helios", "fabtrail-helios", SECRET);
        kestrel = idp.tenant("kestrel", "fabtrail-kestrel", "kestrel-secret");
    }

    @AfterAll
    static void stop() {
        idp.close();
        QuarkusTransaction.requiringNew().run(() -> IdentityProvider.deleteAll());
    }

    @BeforeEach
    void configured() {
        helios.reset();
        kestrel.reset();
        providers.save(ORG, settings(helios, true), SECRET, "test");
        providers.save(OTHER_ORG, settings(kestrel, true), "kestrel-secret", "test");
    }

    private static IdentityProviders.Settings settings(TestIdentityProvider.Tenant t, boolean provision) {
        return new IdentityProviders.Settings(t.issuer(), t.clientId, "preferred_username", "groups",
                "fabtrail-admins", "fabtrail-users", provision);
    }

    /** The browser's side of a sign-in: start, the provider, the callback; answers the callback's response. */
    private static Response signIn(String org) throws Exception {
        Response start = given().redirects().follow(false).get("/login/sso/" + org + "?next=/units");
        assertEquals(303, start.statusCode(), start.asString());
        String state = start.getCookie(SsoPage.STATE_COOKIE);
        URI back = TestIdentityProvider.authorizeAndComeBack(start.getHeader("Location"));
        return given().redirects().follow(false).cookie(SsoPage.STATE_COOKIE, state)
                .get(back.getRawPath() + "?" + back.getRawQuery());
    }

    private static Optional<Account> account(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username));
    }

    private static void assertRefused(Response r, String username, String why) {
        assertEquals(403, r.statusCode(), why + ": " + r.asString());
        assertNull(r.getCookie(SessionManager.COOKIE), why + ": no session");
        assertTrue(r.asString().contains("Sign in"), why + ": the sign-in page with the reason");
        if (username != null) {
            assertTrue(account(username).isEmpty(), why + ": no account created");
        }
    }

    @Test
    void anAdminSetsUpTheProviderOnTheOrganisationsPageAndTheSecretIsSealed() {
        QuarkusTransaction.requiringNew().run(() -> IdentityProvider.deleteById(ORG));
        SignedInClient admin = SignedInClient.signIn("helios.admin");
        String page = admin.page("/orgs/" + ORG + "/identity-provider");
        assertTrue(page.contains("/login/callback"), "the redirect URI to register");
        Map<String, Object> form = new HashMap<>(Map.of("issuer", helios.issuer(), "clientId", helios.clientId,
                "clientSecret", SECRET, "userClaim", "preferred_username", "groupsClaim", "groups",
                "adminGroup", "fabtrail-admins", "memberGroup", "fabtrail-users", "provision", "on"));
        Response saved = admin.submit("/orgs/" + ORG + "/identity-provider", "/orgs/" + ORG + "/identity-provider", form);
        assertEquals("/orgs/" + ORG + "/identity-provider?notice=saved", SignedInClient.location(saved));
        IdentityProvider p = providers.of(ORG).orElseThrow();
        assertEquals(helios.issuer(), p.settings.issuer());
        assertFalse(new String(p.sealedSecret, StandardCharsets.ISO_8859_1).contains(SECRET), "sealed at rest");
        assertEquals(SECRET, providers.clientSecret(p));
        String again = admin.page("/orgs/" + ORG + "/identity-provider");
        assertFalse(again.contains(SECRET), "the secret is never shown again");
        assertTrue(again.contains("leave empty to keep it"));

        // saving without a secret keeps the stored one
        form.put("clientSecret", "");
        form.put("provision", null);
        form.remove("provision");
        admin.submit("/orgs/" + ORG + "/identity-provider", "/orgs/" + ORG + "/identity-provider", form);
        IdentityProvider kept = providers.of(ORG).orElseThrow();
        assertEquals(SECRET, providers.clientSecret(kept));
        assertFalse(kept.settings.provision());
        assertTrue(given().get("/login").asString().contains("/login/sso/" + ORG), "the sign-in page links it");
    }

    /** The settings are one embedded value: saved again, the row holds the latest; a cleared group is stored null. */
    @Test
    void settingsSavedAgainReplaceTheStoredOnesAndAClearedGroupIsNone() {
        providers.save(ORG, settings(helios, true), null, "again");
        assertEquals(settings(helios, true), providers.of(ORG).orElseThrow().settings, "saved twice, unchanged");
        providers.save(ORG, new IdentityProviders.Settings(helios.issuer(), helios.clientId, "email", "roles", " ",
                "fabtrail-users", false), null, "cleared");
        IdentityProvider cleared = providers.of(ORG).orElseThrow();
        assertEquals(new IdentityProviders.Settings(helios.issuer(), helios.clientId, "email", "roles", null,
                "fabtrail-users", false), cleared.settings);
        assertEquals("cleared", cleared.updatedBy);
        assertEquals(SECRET, providers.clientSecret(cleared), "the secret kept");
        providers.save(ORG, new IdentityProviders.Settings(helios.issuer(), helios.clientId, "email", "roles", null,
                "", true), null, "none");
        assertEquals(new IdentityProviders.Settings(helios.issuer(), helios.clientId, "email", "roles", null, null,
                true), providers.of(ORG).orElseThrow().settings, "no group maps a role");
    }

    @Test
    void badSettingsAreRefusedAndNothingChanges() {
        SignedInClient admin = SignedInClient.signIn("helios.admin");
        String path = "/orgs/" + ORG + "/identity-provider";
        Map<String, String> good = Map.of("issuer", helios.issuer(), "clientId", "changed", "clientSecret", "",
                "userClaim", "email", "groupsClaim", "groups");
        for (Map.Entry<String, String> bad : List.of(Map.entry("issuer", "ftp://idp.example"),
                Map.entry("issuer", "not a url"), Map.entry("issuer", "https://user:pw@idp.example/"),
                Map.entry("issuer", "https://idp.example/" + "x".repeat(600)), Map.entry("clientId", ""),
                Map.entry("clientId", "c".repeat(201)), Map.entry("userClaim", "a b"),
                Map.entry("groupsClaim", "g".repeat(65)), Map.entry("adminGroup", "a".repeat(201)))) {
            Map<String, String> form = new HashMap<>(good);
            form.put(bad.getKey(), bad.getValue());
            Response r = admin.submit(path, path, form);
            assertEquals(422, r.statusCode(), bad + ": " + r.asString());
            assertTrue(r.asString().contains("Not saved"), bad.toString());
            assertEquals(helios.clientId, providers.of(ORG).orElseThrow().settings.clientId(),
                    bad + ": nothing changed");
        }
        // a new provider needs its secret
        QuarkusTransaction.requiringNew().run(() -> IdentityProvider.deleteById(ORG));
        Response r = admin.submit(path, path, good);
        assertEquals(422, r.statusCode(), r.asString());
        assertTrue(providers.of(ORG).isEmpty());
        // members and other organisations' admins may not set it
        assertEquals(403, SignedInClient.signIn("acme.clerk").get("/orgs/acme-fab/identity-provider").statusCode());
        SignedInClient northwind = SignedInClient.signIn("northwind.admin");
        assertEquals(403, northwind.get(path).statusCode());
        assertEquals(403, northwind.post(path, Map.of("_csrf", SignedInClient.csrf(northwind.page("/")),
                "issuer", helios.issuer(), "clientId", "x", "clientSecret", "y", "userClaim", "sub",
                "groupsClaim", "groups")).statusCode());
        assertTrue(providers.of(ORG).isEmpty(), "nothing saved for another organisation's admin");
    }

    @Test
    void aPersonSignsInThroughTheProviderAndGetsAnOrdinarySessionWithTheGroupsRole() throws Exception {
        helios.claims = Map.of("preferred_username", "SSO.Alice", "groups", List.of("fabtrail-users", "other"),
                "name", "Alice Example");
        Response back = signIn(ORG);
        assertEquals(303, back.statusCode(), back.asString());
        assertEquals("/units", SignedInClient.location(back));
        String session = back.getCookie(SessionManager.COOKIE);
        assertNotNull(session);
        String home = given().cookie(SessionManager.COOKIE, session).get("/units").asString();
        assertTrue(home.contains("Alice Example"), "signed in as the provider's user, named by the name claim");
        Account alice = account("sso.alice").orElseThrow();
        assertEquals(ORG, alice.orgId);
        assertEquals(Account.MEMBER, alice.role);
        assertTrue(alice.externalOnly);
        assertEquals("Alice Example", alice.displayName);
        assertTrue(helios.tokenRequests.contains("authorization_code client-authenticated"),
                "the code was redeemed with the unsealed client secret");
        // the session works like any other: a member may not manage the organisation
        assertEquals(403, given().redirects().follow(false).cookie(SessionManager.COOKIE, session)
                .get("/orgs/" + ORG + "/users").statusCode());
        // an account the provider made has no password that signs in
        assertEquals(401, WebSecurityTest.login("sso.alice", "").statusCode());

        // the admin group makes an org admin; leaving it at the provider takes the role away at the next sign-in
        helios.claims = Map.of("preferred_username", "sso.bob", "groups", List.of("fabtrail-admins"));
        assertEquals(303, signIn(ORG).statusCode());
        assertEquals(Account.ORG_ADMIN, account("sso.bob").orElseThrow().role);
        helios.claims = Map.of("preferred_username", "sso.bob", "groups", "fabtrail-users");
        assertEquals(303, signIn(ORG).statusCode());
        assertEquals(Account.MEMBER, account("sso.bob").orElseThrow().role);
    }

    @Test
    void aForgedReplayedOrForeignStateIsRefused() throws Exception {
        helios.claims = Map.of("preferred_username", "sso.state", "groups", List.of("fabtrail-users"));
        Response start = given().redirects().follow(false).get("/login/sso/" + ORG);
        String state = start.getCookie(SsoPage.STATE_COOKIE);
        URI back = TestIdentityProvider.authorizeAndComeBack(start.getHeader("Location"));
        String callback = back.getRawPath() + "?" + back.getRawQuery();
        // a state this site never issued (with a matching cookie, as an attacker's own browser would have)
        assertRefused(given().redirects().follow(false).cookie(SsoPage.STATE_COOKIE, "forged")
                .get(callback.replace("state=" + state, "state=forged")), "sso.state", "forged state");
        // the real state in another browser (no cookie, or another sign-in's): login CSRF through the provider
        assertRefused(given().redirects().follow(false).get(callback), "sso.state", "no state cookie");
        assertRefused(given().redirects().follow(false).cookie(SsoPage.STATE_COOKIE, "other").get(callback),
                "sso.state", "another browser's state");
        // the right browser signs in; the same answer again is refused
        Response ok = given().redirects().follow(false).cookie(SsoPage.STATE_COOKIE, state).get(callback);
        assertEquals(303, ok.statusCode(), ok.asString());
        Response replay = given().redirects().follow(false).cookie(SsoPage.STATE_COOKIE, state).get(callback);
        assertEquals(403, replay.statusCode());
        assertNull(replay.getCookie(SessionManager.COOKIE), "a state is used once");
        // the provider's refusal
        Response start2 = given().redirects().follow(false).get("/login/sso/" + ORG);
        String state2 = start2.getCookie(SsoPage.STATE_COOKIE);
        assertRefused(given().redirects().follow(false).cookie(SsoPage.STATE_COOKIE, state2)
                .get("/login/callback?error=access_denied&state=" + state2), null, "the provider said no");
        // an organisation without a provider
        assertEquals(404, given().redirects().follow(false).get("/login/sso/northwind").statusCode());
        assertEquals(404, given().redirects().follow(false).get("/login/sso/no-such-org").statusCode());
        int huge = given().redirects().follow(false).get("/login/sso/" + "x".repeat(5000)).statusCode();
        assertTrue(huge >= 400 && huge < 500, "a huge organisation id: " + huge);
        // a provider that does not answer its discovery document: the provider's fault, said as such
        providers.save(ORG, new IdentityProviders.Settings(idp.base() + "/nobody", "c", "preferred_username",
                "groups", null, null, true), null, "test");
        Response down = given().redirects().follow(false).get("/login/sso/" + ORG);
        assertEquals(502, down.statusCode());
        assertTrue(down.asString().contains("discovery document answered HTTP 404"), down.asString());
        assertNull(down.getCookie(SsoPage.STATE_COOKIE));
    }

    @Test
    void hostileTokensAreRefusedAndCreateNothing() throws Exception {
        // a nonce that is not this sign-in's, or none
        helios.claims = Map.of("preferred_username", "sso.nonce", "groups", List.of("fabtrail-users"));
        helios.nonceOverride = "another-sign-ins-nonce";
        assertRefused(signIn(ORG), "sso.nonce", "wrong nonce");
        helios.nonceOverride = null;
        helios.omitNonce = true;
        assertRefused(signIn(ORG), "sso.nonce", "no nonce");
        helios.omitNonce = false;
        // a token issued by another organisation's issuer (its key, its iss)
        helios.claims = Map.of("preferred_username", "sso.foreign", "groups", List.of("fabtrail-admins"));
        helios.signAs = kestrel;
        assertRefused(signIn(ORG), "sso.foreign", "another organisation's issuer");
        helios.signAs = null;
        // signed with the right key, but naming another issuer, another client, or expired
        long now = java.time.Instant.now().getEpochSecond();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("iss", kestrel.issuer()),
                Map.of("aud", kestrel.clientId), Map.of("aud", List.of(helios.clientId, "another-client")),
                Map.of("exp", now - 600), Map.of("iat", now + 600), Map.of("exp", "tomorrow"))) {
            helios.overrides = bad;
            assertRefused(signIn(ORG), "sso.foreign", "signed, but " + bad);
        }
        helios.overrides = Map.of();
        // the claim that names the user is missing, empty, or not a username
        helios.claims = Map.of("groups", List.of("fabtrail-users"));
        assertRefused(signIn(ORG), null, "no user claim");
        helios.claims = Map.of("preferred_username", "", "groups", List.of("fabtrail-users"));
        assertRefused(signIn(ORG), null, "empty user claim");
        helios.claims = Map.of("preferred_username", "has space\u0000", "groups", List.of("fabtrail-users"));
        assertRefused(signIn(ORG), null, "not a username");
        // in no mapped group
        helios.claims = Map.of("preferred_username", "sso.nogroup", "groups", List.of("operator", "staff"));
        assertRefused(signIn(ORG), "sso.nogroup", "no mapped group");
        helios.claims = Map.of("preferred_username", "sso.nogroup");
        assertRefused(signIn(ORG), "sso.nogroup", "no groups claim");
        // unknown user without provisioning
        providers.save(ORG, settings(helios, false), null, "test");
        helios.claims = Map.of("preferred_username", "sso.unknown", "groups", List.of("fabtrail-users"));
        assertRefused(signIn(ORG), "sso.unknown", "no provisioning");
    }

    @Test
    void noProviderSignsInTheOperatorOrAnotherOrganisationsPeople() throws Exception {
        long accounts = QuarkusTransaction.requiringNew().call(() -> Account.count());
        Account operator = account("operator").orElseThrow();
        // the operator's own username, with every group a provider could claim
        helios.claims = Map.of("preferred_username", "operator", "groups", List.of("fabtrail-admins", "operator"));
        assertRefused(signIn(ORG), null, "the operator's username");
        Account after = account("operator").orElseThrow();
        assertEquals(Account.OPERATOR, after.role);
        assertNull(after.orgId);
        assertArrayEquals(operator.passwordHash.getBytes(), after.passwordHash.getBytes());
        // another organisation's admin
        helios.claims = Map.of("preferred_username", "kestrel.admin", "groups", List.of("fabtrail-admins"));
        assertRefused(signIn(ORG), null, "another organisation's admin");
        assertEquals(OTHER_ORG, account("kestrel.admin").orElseThrow().orgId);
        assertEquals(accounts, QuarkusTransaction.requiringNew().call(() -> Account.count()), "no account created");
        // an account made through the provider is of the provider's organisation, never the operator's staff
        helios.claims = Map.of("preferred_username", "sso.claims-operator", "groups", List.of("fabtrail-admins"),
                "role", "operator", "org", "");
        assertEquals(303, signIn(ORG).statusCode());
        Account made = account("sso.claims-operator").orElseThrow();
        assertEquals(ORG, made.orgId);
        assertEquals(Account.ORG_ADMIN, made.role);
    }

    @Test
    void aPersonSignsInThroughTheProviderInTheBrowser() throws Exception {
        assumeTrue(Browser.available(), "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        helios.claims = Map.of("preferred_username", "sso.carol", "groups", List.of("fabtrail-users"));
        String root = base.toString().replaceAll("/$", "");
        try (Browser b = Browser.open(1280, 900)) {
            WebDriver d = b.driver();
            d.get(root + "/login");
            d.findElement(By.cssSelector("a[href='/login/sso/" + ORG + "']")).click();
            new WebDriverWait(d, Duration.ofSeconds(30)).until(w -> !w.getCurrentUrl().contains("/login"));
            assertTrue(d.findElement(By.cssSelector("header .who")).getText().contains("sso.carol"),
                    "signed in through the provider: " + d.getCurrentUrl());
            b.screenshot("oidc-signed-in");
            d.findElement(By.cssSelector("form[action='/logout'] button")).click();
            new WebDriverWait(d, Duration.ofSeconds(30)).until(w -> w.getCurrentUrl().contains("/login"));
            d.get(root + "/units");
            assertTrue(d.getCurrentUrl().contains("/login"), "signed out for good");
            // a refusal is the sign-in page with the reason
            helios.claims = Map.of("groups", List.of("fabtrail-users"));
            d.get(root + "/login/sso/" + ORG);
            new WebDriverWait(d, Duration.ofSeconds(30)).until(w -> w.getCurrentUrl().contains("/login/callback"));
            assertTrue(d.findElement(By.cssSelector("[role=alert]")).getText().contains("preferred_username"));
        }
        assertTrue(account("sso.carol").isPresent());
    }
}
