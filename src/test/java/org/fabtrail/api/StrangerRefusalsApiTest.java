package org.fabtrail.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.fabtrail.testing.OncePerClass;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.fabtrail.api.CustodyClient.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Refusals must not tell strangers what they may not see (issue 11), over HTTP: a write naming a unit or transfer
 * the caller's organisation may not see gets, byte for byte, the answer a write naming nothing gets (status,
 * headers that describe the body, and the problem document), apart from the id it named. Those that may see it
 * keep the rule's refusal.
 *
 * <p>The world: {@code sra-fab} made U and V; U went to {@code sra-dist} (transfer T1, received), V is on its way
 * there (T2, open). {@code sra-dc} is the stranger: it never held, sent or received either.
 */
@QuarkusTest
@TestProfile(SeparateLogProfile.class)
class StrangerRefusalsApiTest {

    static final String U = "SRA-U-0001";
    static final String V = "SRA-V-0001";
    static final String NONE = "SRA-X-0001";

    static ApiClient.Partner fab;
    static ApiClient.Partner dist;
    static ApiClient.Partner dc;
    static String t1;
    static String t2;

    @BeforeEach
    void world() throws Exception {
        OncePerClass.run(StrangerRefusalsApiTest.class, () -> {
            fab = CustodyClient.partnerWithSite("sra-fab", "manufacturer", "fab-1", "TW");
            dist = CustodyClient.partnerWithSite("sra-dist", "distributor", "ams", "NL");
            dc = CustodyClient.partnerWithSite("sra-dc", "datacenter", "dxb", "AE");
            CustodyClient.register(fab, U, "accelerator", "H200", "fab-1");
            CustodyClient.register(fab, V, "accelerator", "H200", "fab-1");
            t1 = CustodyClient.dispatch(fab, "sra-dist", "ams", List.of(ref("sra-fab", U)));
            CustodyClient.receive(dist, t1, "ams", List.of(ref("sra-fab", U)));
            t2 = CustodyClient.dispatch(fab, "sra-dist", "ams", List.of(ref("sra-fab", V)));
        });
    }

    /** What the client sees of an answer: status, the body's type, and the body with {@code id} replaced. */
    static String seen(Response r, String id) {
        return r.statusCode() + "\n" + r.contentType() + "\n" + r.asString().replace(id, "<id>");
    }

    /** The stranger's answers for what exists and for what does not, which must be the same; answers the first. */
    static Response asIfAbsent(String type, String existing, String absent, Function<String, Map<String, Object>> fields) {
        Response there = dc.submit(type, fields.apply(existing));
        Response nothing = dc.submit(type, fields.apply(absent));
        assertEquals(seen(nothing, absent), seen(there, existing), type + ": the stranger must not learn of " + existing);
        return there;
    }

    @Test
    void aUnitTheCallerMayNotSeeIsAnsweredAsNoUnit() {
        Response r = asIfAbsent("transfer.dispatch", U, NONE, s -> CustodyClient.dispatchFields("sra-dc", "dxb",
                List.of(ref("sra-fab", s))));
        assertEquals(422, r.statusCode());
        assertEquals("urn:fabtrail:problem:unknown-unit", r.jsonPath().getString("type"));
        assertEquals("No unit sra-fab/" + U + " is registered", r.jsonPath().getString("detail"));
        asIfAbsent("unit.status", V, NONE, s -> Map.of("unit", ref("sra-fab", s), "status", "lost", "reason", "x"));
        asIfAbsent("unit.disassemble", U, NONE, s -> Map.of("parent", ref("sra-fab", s),
                "components", List.of(ref("sra-fab", V))));

        // its manufacturer may see it: the rule's refusal, naming the custodian
        Response own = fab.submit("transfer.dispatch", CustodyClient.dispatchFields("sra-dc", "dxb",
                List.of(ref("sra-fab", U))));
        assertEquals(409, own.statusCode());
        assertEquals("urn:fabtrail:problem:not-custodian", own.jsonPath().getString("type"));
        assertEquals("sra-fab/" + U + " is held by \"sra-dist\", not by \"sra-fab\"", own.jsonPath().getString("detail"));
    }

    @Test
    void aTransferTheCallerMayNotSeeIsAnsweredAsNoTransfer() {
        String absent = UUID.randomUUID().toString();
        Response closed = asIfAbsent("transfer.receive", t1, absent, t -> CustodyClient.receiveFields(t, "dxb",
                List.of(ref("sra-fab", U))));
        assertEquals(422, closed.statusCode());
        assertEquals("urn:fabtrail:problem:unknown-transfer", closed.jsonPath().getString("type"));
        asIfAbsent("transfer.receive", t2, absent, t -> CustodyClient.receiveFields(t, "dxb",
                List.of(ref("sra-fab", V))));
        asIfAbsent("transfer.reject", t2, absent, t -> Map.of("transfer", t, "reason", "not ours"));
        asIfAbsent("transfer.cancel", t1, absent, t -> Map.of("transfer", t, "reason", "not ours"));

        // the sender and the receiver may see them: the rules' refusals
        Response notReceiver = fab.submit("transfer.receive", CustodyClient.receiveFields(t2, "fab-1",
                List.of(ref("sra-fab", V))));
        assertEquals(409, notReceiver.statusCode());
        assertEquals("urn:fabtrail:problem:not-receiver", notReceiver.jsonPath().getString("type"));
        Response isClosed = dist.submit("transfer.reject", Map.of("transfer", t1, "reason", "late"));
        assertEquals(409, isClosed.statusCode());
        assertEquals("urn:fabtrail:problem:transfer-closed", isClosed.jsonPath().getString("type"));
    }
}
