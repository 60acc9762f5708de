package org.fabtrail.custody;

import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.testing.LedgerAssertions;
import org.fabtrail.testing.LedgerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Refusals must not tell strangers what they may not see (issue 11): for every entry type that names a unit, a
 * transfer or a finding, a write by an organisation that may not see it is refused exactly as one naming nothing
 * (same kind, code, title, detail and members, apart from the id the entry named), while organisations that may
 * see it keep the rule's own refusal. Through the real sequencer on a real PostgreSQL.
 *
 * <p>The world: {@code fab} made units A, B and C. A went to {@code dist} and was received (transfer T1, closed);
 * B is on its way to {@code dist} (T2, open); C went to {@code dc}, the stranger, which holds it and never saw A or
 * B. {@code insp} is an inspector: it sees everything.
 */
class StrangerRefusalsTest {

    static LedgerFixture f;
    static final String A = "SR-A";
    static final String B = "SR-B";
    static final String C = "SR-C";
    static final String NOBODY = "SR-NONE";
    static String t1;
    static String t2;

    @BeforeAll
    static void world() {
        f = LedgerFixture.withGenesis("strangers");
        f.onboardAll("NL", "fab", "manufacturer", "dist", "distributor", "dc", "datacenter", "insp", "inspector");
        for (String org : List.of("fab", "dist", "dc")) {
            append(org, "site.register", Map.of("site", "s1", "name", "Site", "country", "NL", "address", "1 Main St"));
        }
        for (String serial : List.of(A, B, C)) {
            append("fab", "unit.register", Map.of("serial", serial, "kind", "accelerator", "model", "H200",
                    "site", "s1"));
        }
        t1 = dispatch("dist", A);
        append("dist", "transfer.receive", Map.of("transfer", t1, "site", "s1", "units", List.of(ref(A))));
        t2 = dispatch("dist", B);
        String t3 = dispatch("dc", C);
        append("dc", "transfer.receive", Map.of("transfer", t3, "site", "s1", "units", List.of(ref(C))));
    }

    @AfterAll
    static void close() {
        LedgerAssertions.assertConsistent(f.dataSource, f.signer.verifier());
        f.close();
    }

    static void append(String org, String type, Map<String, Object> fields) {
        f.append(f.as(org, type, fields));
    }

    static String dispatch(String to, String serial) {
        Envelope e = f.as("fab", "transfer.dispatch", Map.of("units", List.of(ref(serial)), "to", to, "toSite", "s1"));
        f.append(e);
        return e.id().toString();
    }

    static Map<String, Object> ref(String serial) {
        return Map.of("manufacturer", "fab", "serial", serial);
    }

    static LedgerException refused(String org, String type, Map<String, Object> fields) {
        return assertThrows(LedgerException.class, () -> append(org, type, fields), org + " " + type);
    }

    /** Everything a refusal tells, with {@code id} replaced: what a client sees of it. */
    static String told(LedgerException e, String id) {
        return (e.kind() + "|" + e.code() + "|" + e.title() + "|" + e.detail() + "|" + new java.util.TreeMap<>(e.details()))
                .replace(id, "<id>");
    }

    /**
     * The stranger's refusal for the thing that exists and for one that does not are the same, apart from the id;
     * answers it.
     */
    static LedgerException asIfAbsent(String org, String type, String existing, String absent,
                                      Function<String, Map<String, Object>> fields) {
        LedgerException seen = refused(org, type, fields.apply(existing));
        LedgerException none = refused(org, type, fields.apply(absent));
        assertEquals(told(none, absent), told(seen, existing), org + " " + type + " must not learn that " + existing
                + " exists");
        return seen;
    }

    @Test
    void unitsTheActorMayNotSeeAreUnknownToItsWrites() {
        // transfer.dispatch: not "held by dist"
        LedgerException e = asIfAbsent("dc", "transfer.dispatch", A, NOBODY, s -> Map.of("units", List.of(ref(s)),
                "to", "dc", "toSite", "s1"));
        assertEquals("unknown-unit", e.code());
        // unit.status: not "held by dist"
        assertEquals("unknown-unit", asIfAbsent("dc", "unit.status", A, NOBODY, s -> Map.of("unit", ref(s),
                "status", "lost", "reason", "x")).code());
        // unit.status of a unit in transit to somebody else: not "held by fab"
        assertEquals("unknown-unit", asIfAbsent("dc", "unit.status", B, NOBODY, s -> Map.of("unit", ref(s),
                "status", "stolen", "reason", "x")).code());
        // unit.assemble: as the parent, and as a component of the stranger's own unit
        assertEquals("unknown-unit", asIfAbsent("dc", "unit.assemble", A, NOBODY, s -> Map.of("parent", ref(s),
                "components", List.of(ref(C)))).code());
        assertEquals("unknown-unit", asIfAbsent("dc", "unit.assemble", A, NOBODY, s -> Map.of("parent", ref(C),
                "components", List.of(ref(s)))).code());
        assertEquals("unknown-unit", asIfAbsent("dc", "unit.disassemble", B, NOBODY, s -> Map.of("parent", ref(C),
                "components", List.of(ref(s)))).code());
    }

    @Test
    void thoseWhoMaySeeAUnitKeepTheRulesRefusal() {
        // its manufacturer (fab made A and held it), and an inspector
        LedgerException e = refused("fab", "transfer.dispatch", Map.of("units", List.of(ref(A)), "to", "dc",
                "toSite", "s1"));
        assertEquals("not-custodian", e.code());
        assertEquals(ref(A), e.details().get("unit"));
        assertEquals("not-custodian", refused("insp", "transfer.dispatch", Map.of("units", List.of(ref(A)),
                "to", "dc", "toSite", "s1")).code());
        // the receiver of B sees it, and learns it is not yet its own
        assertEquals("not-custodian", refused("dist", "unit.status", Map.of("unit", ref(B), "status", "lost",
                "reason", "x")).code());
        // the custodian gets the rules that come after custody: B is not missing
        assertEquals("not-missing", refused("fab", "unit.status", Map.of("unit", ref(B), "status", "recovered",
                "reason", "x")).code());
    }

    @Test
    void transfersTheActorMayNotSeeAreUnknownToItsWrites() {
        String absent = UUID.randomUUID().toString();
        // a closed transfer: not "already received"
        LedgerException e = asIfAbsent("dc", "transfer.receive", t1, absent, t -> Map.of("transfer", t, "site", "s1",
                "units", List.of(ref(A))));
        assertEquals("unknown-transfer", e.code());
        // an open one: not "goes to dist"
        assertEquals("unknown-transfer", asIfAbsent("dc", "transfer.receive", t2, absent, t -> Map.of("transfer", t,
                "site", "s1", "units", List.of(ref(B)))).code());
        assertEquals("unknown-transfer", asIfAbsent("dc", "transfer.reject", t2, absent, t -> Map.of("transfer", t,
                "reason", "x")).code());
        assertEquals("unknown-transfer", asIfAbsent("dc", "transfer.cancel", t2, absent, t -> Map.of("transfer", t,
                "reason", "x")).code());
        assertEquals("unknown-transfer", asIfAbsent("dc", "transfer.cancel", t1, absent, t -> Map.of("transfer", t,
                "reason", "x")).code());
    }

    @Test
    void thoseWhoMaySeeATransferKeepTheRulesRefusal() {
        assertEquals("not-receiver", refused("fab", "transfer.receive", Map.of("transfer", t2, "site", "s1",
                "units", List.of(ref(B)))).code());
        assertEquals("not-receiver", refused("fab", "transfer.reject", Map.of("transfer", t2, "reason", "x")).code());
        assertEquals("not-sender", refused("dist", "transfer.cancel", Map.of("transfer", t2, "reason", "x")).code());
        assertEquals("transfer-closed", refused("dist", "transfer.receive", Map.of("transfer", t1, "site", "s1",
                "units", List.of(ref(A)))).code());
        assertEquals("not-receiver", refused("insp", "transfer.reject", Map.of("transfer", t2, "reason", "x")).code());
    }

    @Test
    void findingsTheActorMayNotSeeAreUnknownToItsWrites() {
        Envelope open = f.operator.sign("discrepancy.open", Map.of("rule", "manual", "finding", "sr-finding",
                "severity", "low", "summary", "a finding about fab", "units", List.of(ref(A)), "orgs", List.of("fab"),
                "evidence", List.of()));
        f.append(open);
        String d = open.id().toString();
        String absent = UUID.randomUUID().toString();
        assertEquals("unknown-discrepancy", asIfAbsent("dc", "discrepancy.note", d, absent, x -> Map.of(
                "discrepancy", x, "note", "hello")).code());
        assertEquals("unknown-discrepancy", asIfAbsent("dc", "discrepancy.resolve", d, absent, x -> Map.of(
                "discrepancy", x, "outcome", "explained", "reason", "x")).code());
        // the organisation it names keeps the rules (a finding opened without evidence takes a note without any)
        append("fab", "discrepancy.note", Map.of("discrepancy", d, "note", "we are looking into it"));
        assertEquals("role-required", refused("fab", "discrepancy.resolve", Map.of("discrepancy", d,
                "outcome", "explained", "reason", "x")).code());
        f.append(f.operator.sign("discrepancy.resolve", Map.of("discrepancy", d, "outcome", "explained",
                "reason", "checked")));
        assertEquals("discrepancy-resolved", refused("fab", "discrepancy.note", Map.of("discrepancy", d,
                "note", "late")).code());
        // a resolved finding is not "resolved" to a stranger either
        assertEquals("unknown-discrepancy", asIfAbsent("dc", "discrepancy.note", d, absent, x -> Map.of(
                "discrepancy", x, "note", "hello")).code());
    }
}
