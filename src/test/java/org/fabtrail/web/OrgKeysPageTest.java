package org.fabtrail.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.web.signing.UiSigning;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing keys managed in the UI: each change is a key.add or key.revoke in the log, naming who made it. */
@QuarkusTest
@TestProfile(DemoProfile.class)
class OrgKeysPageTest {

    @Inject
    UiSigning signing;

    static final String KEYS = "/orgs/acme-fab/keys";

    static long treeSize() {
        String note = given().get("/api/v1/log/checkpoint").then().statusCode(200).extract().asString();
        return Long.parseLong(note.split("\n")[1]);
    }

    @Test
    void addingAPublicKeyWritesAKeyAddAndRevokingItAKeyRevoke() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256);
        SignedInClient admin = SignedInClient.signIn("acme.admin");
        Response r = admin.submit(KEYS, KEYS, Map.of("publicKey", key.verificationKey().toPem().replace("\n", "\r\n")));
        String back = SignedInClient.location(r);
        assertTrue(back.startsWith(KEYS + "?notice=added&index="), back);
        long index = Long.parseLong(back.substring(back.indexOf("index=") + 6));

        assertTrue(admin.page(back).contains("Added the key"));
        String org = SignedInClient.signIn("northwind.admin").page("/orgs/acme-fab");
        assertTrue(org.contains(key.keyId()), "the new key is public on the organisation page");
        assertTrue(org.contains("ES256"));

        String entry = admin.page("/explorer/entries/" + index);
        assertTrue(entry.contains("<code>key.add</code>"), entry);
        assertTrue(entry.contains("&quot;by&quot; : &quot;acme.admin&quot;"), "the entry names who acted: " + entry);
        assertTrue(entry.contains("&quot;actor&quot; : &quot;acme-fab&quot;"), "signed as the organisation");

        String page = admin.page(KEYS);
        String action = "/orgs/acme-fab/keys/" + key.keyId() + "/revoke";
        assertTrue(page.contains("action=\"" + action + "\""));
        Response revoked = admin.submit(KEYS, action, Map.of("reason", "Test key retired"));
        String after = SignedInClient.location(revoked);
        long revokeIndex = Long.parseLong(after.substring(after.indexOf("index=") + 6));
        assertTrue(revokeIndex > index);
        assertTrue(admin.page("/explorer/entries/" + revokeIndex).contains("key.revoke"));
        assertTrue(admin.page("/orgs/acme-fab").contains("/explorer/entries/" + revokeIndex), "shown as revoked");
    }

    @Test
    void theUiSigningKeyIsMarkedAndCannotBeRevokedHere() {
        SignedInClient admin = SignedInClient.signIn("acme.admin");
        // the UI key exists once the organisation has signed something in the UI
        SignedInClient.location(admin.submit(KEYS, KEYS, Map.of("publicKey",
                SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem())));
        String page = admin.page("/orgs/acme-fab");
        assertTrue(page.contains("UI signing key"), page);
        String uiKey = signing.keyId("acme-fab").orElseThrow();
        assertTrue(page.contains("title=\"" + uiKey + "\""), "the UI key is listed");
        assertFalse(admin.page(KEYS).contains("/keys/" + uiKey + "/revoke"), "no revoke button for it");
        long before = treeSize();
        Response r = admin.submit(KEYS, "/orgs/acme-fab/keys/" + uiKey + "/revoke", Map.of());
        assertEquals(409, r.statusCode());
        assertEquals(before, treeSize(), "nothing written");
    }

    @Test
    void anInvalidKeyIsExplainedAndNothingIsWritten() {
        SignedInClient admin = SignedInClient.signIn("acme.admin");
        long before = treeSize();
        Response r = admin.submit(KEYS, KEYS, Map.of("publicKey", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----"));
        assertEquals(422, r.statusCode());
        assertTrue(r.asString().contains("class=\"field-error\""), r.asString());
        Response forged = admin.post(KEYS, Map.of("publicKey",
                SigningKey.generate(SignatureAlgorithm.ED25519).verificationKey().toPem()));
        assertEquals(403, forged.statusCode(), "no CSRF token");
        assertEquals(before, treeSize(), "nothing written");
        SigningKey other = SigningKey.generate(SignatureAlgorithm.ED25519);
        SignedInClient helios = SignedInClient.signIn("helios.admin");
        Response intruder = helios.post(KEYS, Map.of("_csrf", SignedInClient.csrf(helios.page("/")),
                "publicKey", other.verificationKey().toPem()));
        assertEquals(403, intruder.statusCode(), "another organisation's admin");
        Response member = SignedInClient.signIn("acme.clerk").get(KEYS);
        assertEquals(403, member.statusCode());
        assertEquals(before, treeSize());
    }
}
