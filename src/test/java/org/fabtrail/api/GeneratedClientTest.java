package org.fabtrail.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.fabtrail.client.ApiException;
import org.fabtrail.client.JSON;
import org.fabtrail.client.api.AdminApi;
import org.fabtrail.client.api.EntriesApi;
import org.fabtrail.client.api.TokensApi;
import org.fabtrail.client.api.TransfersApi;
import org.fabtrail.client.api.UnitsApi;
import org.fabtrail.client.model.KeyRequest;
import org.fabtrail.client.model.OrgRequest;
import org.fabtrail.client.model.Signature;
import org.fabtrail.client.model.SignedEntry;
import org.fabtrail.client.model.SignedEntryPayload;
import org.fabtrail.client.model.SiteRegisterPayload;
import org.fabtrail.client.model.TokenRequest;
import org.fabtrail.client.model.TransferDispatchPayload;
import org.fabtrail.client.model.TransferReceivePayload;
import org.fabtrail.client.model.UnitReference;
import org.fabtrail.client.model.UnitRegisterPayload;
import org.fabtrail.client.model.UnitView;
import org.fabtrail.client.model.WriteReceipt;
import org.fabtrail.crypto.Jcs;
import org.fabtrail.crypto.SignatureAlgorithm;
import org.fabtrail.crypto.SigningKey;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an integrator gets from docs/openapi.json: a Java client generated from it (openapi-generator's native Java
 * client, generated into target/ by the build for tests only) onboards two organisations and walks a unit through
 * registration, dispatch and receipt against the running server, with nothing but the generated API and models and
 * the signature over the payload's canonical form.
 */
@QuarkusTest
class GeneratedClientTest {

    static final String ADMIN_TOKEN = "test-admin-token";

    @TestHTTPResource("/")
    URL server;

    /** A generated client for the server, sending {@code token}. */
    org.fabtrail.client.ApiClient client(String token) {
        org.fabtrail.client.ApiClient c = new org.fabtrail.client.ApiClient();
        c.updateBaseUri(server.toString().replaceAll("/$", ""));
        c.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
        return c;
    }

    record Org(String id, SigningKey key, String token) {
    }

    Org onboard(String prefix, String role) throws ApiException {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        AdminApi admin = new AdminApi(client(ADMIN_TOKEN));
        WriteReceipt registered = admin.registerOrg(new OrgRequest().id(id).name("Org " + id).country("DE")
                .roles(List.of(role)));
        assertNotNull(registered.getCheckpoint());
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        assertEquals(key.keyId(), admin.addOrgKey(id, new KeyRequest().publicKey(key.verificationKey().toPem()))
                .getKeyId());
        String token = new TokensApi(client(ADMIN_TOKEN)).createToken(id, new TokenRequest().name("erp")
                .scopes(List.of("read", "write"))).getToken();
        return new Org(id, key, token);
    }

    /** Signs the payload model as the partner would: Ed25519 over the RFC 8785 form of the JSON the client sends. */
    static SignedEntry sign(Object payloadModel, SigningKey key) {
        ObjectMapper mapper = JSON.getDefault().getMapper();
        Map<String, Object> json = mapper.convertValue(payloadModel, new TypeReference<>() {
        });
        byte[] signature = key.sign(Jcs.canonicalize(json));
        SignedEntryPayload payload = new SignedEntryPayload();
        payload.setActualInstance(payloadModel);
        return new SignedEntry().payload(payload).signature(new Signature().keyId(key.keyId())
                .alg(Signature.AlgEnum.fromValue(key.algorithm().wireName()))
                .value(Base64.getEncoder().encodeToString(signature)));
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static UnitReference unit(String manufacturer, String serial) {
        return new UnitReference().manufacturer(manufacturer).serial(serial);
    }

    @Test
    void aGeneratedClientRegistersDispatchesAndReceivesAUnit() throws ApiException {
        Org fab = onboard("gen-fab", "manufacturer");
        Org dc = onboard("gen-dc", "datacenter");
        EntriesApi fabEntries = new EntriesApi(client(fab.token()));
        EntriesApi dcEntries = new EntriesApi(client(dc.token()));

        fabEntries.submitEntry(sign(new SiteRegisterPayload().id(UUID.randomUUID()).type(SiteRegisterPayload.TypeEnum.SITE_REGISTER)
                .actor(fab.id()).time(now()).site("fab-1").name("Fab one").country("TW").address("1 Science Park Rd"),
                fab.key()));
        dcEntries.submitEntry(sign(new SiteRegisterPayload().id(UUID.randomUUID()).type(SiteRegisterPayload.TypeEnum.SITE_REGISTER)
                .actor(dc.id()).time(now()).site("hall-a").name("Hall A").country("DE").address("2 Rechenzentrum"),
                dc.key()));

        String serial = "GEN-" + UUID.randomUUID().toString().substring(0, 8);
        WriteReceipt registered = fabEntries.submitEntry(sign(new UnitRegisterPayload().id(UUID.randomUUID())
                .type(UnitRegisterPayload.TypeEnum.UNIT_REGISTER).actor(fab.id()).time(now()).serial(serial)
                .kind(UnitRegisterPayload.KindEnum.ACCELERATOR).model("H200-SXM").site("fab-1").eccn("3A090.a"),
                fab.key()));
        assertTrue(registered.getIndex() > 0);

        UUID transfer = UUID.randomUUID();
        fabEntries.submitEntry(sign(new TransferDispatchPayload().id(transfer)
                .type(TransferDispatchPayload.TypeEnum.TRANSFER_DISPATCH).actor(fab.id()).time(now())
                .units(List.of(unit(fab.id(), serial))).to(dc.id()).toSite("hall-a").carrier("Air freight"),
                fab.key()));
        assertEquals("pending", new TransfersApi(client(dc.token())).getTransfer(transfer.toString()).getState());

        dcEntries.submitEntry(sign(new TransferReceivePayload().id(UUID.randomUUID())
                .type(TransferReceivePayload.TypeEnum.TRANSFER_RECEIVE).actor(dc.id()).time(now())
                .transfer(transfer).site("hall-a").units(List.of(unit(fab.id(), serial))), dc.key()));

        UnitView unit = new UnitsApi(client(dc.token())).getUnit(fab.id(), serial);
        assertEquals(dc.id(), unit.getCustodian());
        assertEquals("hall-a", unit.getSite());
        assertEquals("received", new TransfersApi(client(fab.token())).getTransfer(transfer.toString()).getState());

        ApiException refused = assertThrows(ApiException.class, () -> fabEntries.submitEntry(sign(
                new TransferDispatchPayload().id(UUID.randomUUID()).type(TransferDispatchPayload.TypeEnum.TRANSFER_DISPATCH)
                        .actor(fab.id()).time(now()).units(List.of(unit(fab.id(), serial))).to(dc.id())
                        .toSite("hall-a"), fab.key())));
        assertEquals(409, refused.getCode(), "the manufacturer no longer holds the unit");
        assertTrue(refused.getResponseBody().contains("urn:fabtrail:problem:"), refused.getResponseBody());
    }
}
