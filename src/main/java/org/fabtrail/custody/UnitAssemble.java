package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code unit.assemble} puts components into a parent (accelerators into a server); {@code unit.disassemble} takes
 * them out. Fields: {@code parent} and {@code components} (1 to 64 unit references). Both need the same custodian
 * at the same site, nothing in transit or retired (except that a retired component, say a dead GPU, may be taken
 * out). Assembled components travel with their parent and cannot be dispatched alone.
 */
final class UnitAssemble extends AbstractEntryType<AssemblyPayload> {

    static final String ASSEMBLE = "unit.assemble";
    static final String DISASSEMBLE = "unit.disassemble";
    static final int MAX_COMPONENTS = 64;
    private static final Set<String> FIELDS = Set.of("parent", "components");

    private final boolean assemble;

    UnitAssemble(boolean assemble) {
        super(assemble ? ASSEMBLE : DISASSEMBLE, AssemblyPayload.class, FIELDS, Set.of());
        this.assemble = assemble;
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("parent", PayloadSchema.unit())
                .field("components", PayloadSchema.array(PayloadSchema.unit(), MAX_COMPONENTS));
    }

    @Override
    protected AssemblyPayload read(Envelope e, Payload p) {
        UnitKey parent = p.unit("parent");
        List<UnitKey> components = p.units("components", MAX_COMPONENTS);
        if (components.contains(parent)) {
            throw Payload.invalid("invalid-assembly", "components", "a unit cannot be a component of itself");
        }
        return new AssemblyPayload(parent, components);
    }

    @Override
    public void prefetch(Envelope e, AssemblyPayload f, Wants wants) {
        wants.unit(f.parent());
        f.components().forEach(wants::unit);
    }

    @Override
    public void apply(Envelope e, AssemblyPayload f, long index, Instant at, BatchContext ctx) throws SQLException {
        CustodyState s = CustodyState.of(ctx);
        CustodyState.Unit parent = Rules.existing(s, f.parent());
        List<UnitKey> keys = f.components();
        Rules.custodian(ctx, s, parent, e.actor());
        Rules.notRetired(parent);
        Rules.notInTransit(parent);
        List<CustodyState.Unit> components = new java.util.ArrayList<>();
        for (UnitKey k : keys) {
            CustodyState.Unit c = Rules.existing(s, k);
            Rules.custodian(ctx, s, c, e.actor());
            if (assemble) {
                Rules.notRetired(c); // a retired component may still be taken out of its parent
            }
            Rules.notInTransit(c);
            if (assemble) {
                Rules.notAssembled(c);
                if (!c.site.equals(parent.site)) {
                    throw Rules.refuse(LedgerException.Kind.CONFLICT, "different-site", "Different site",
                            c.key + " is at site \"" + c.site + "\", " + parent.key + " at \"" + parent.site + "\"", c.key);
                }
                for (UnitKey up = parent.key; up != null; up = s.unit(up).map(u -> u.parent).orElse(null)) {
                    if (up.equals(c.key)) {
                        throw Rules.refuse(LedgerException.Kind.RULE, "invalid-assembly", "Invalid assembly",
                                parent.key + " is inside " + c.key + "; a unit cannot contain its own container", c.key);
                    }
                }
            } else if (!parent.key.equals(c.parent)) {
                throw Rules.refuse(LedgerException.Kind.CONFLICT, "not-a-component", "Not a component",
                        c.key + " is not assembled into " + parent.key, c.key);
            }
            components.add(c);
        }
        Facts facts = Facts.of(ctx);
        if (facts.on()) {
            List<CustodyState.Unit> touched = new java.util.ArrayList<>(components);
            touched.add(0, parent);
            Facts.activity(ctx, index, at, name(), e.actor(), touched);
            for (CustodyState.Unit c : components) {
                facts.add(new Fact.Assembly(index, at, e.actor(), parent.key, c.key, assemble));
            }
        }
        for (CustodyState.Unit c : components) {
            if (assemble) {
                c.parent = parent.key;
                parent.components.add(c.key);
            } else {
                c.parent = null;
                parent.components.remove(c.key);
            }
            s.changed(c, index, at);
        }
        s.changed(parent, index, at);
    }
}
