package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code unit.status}: the custodian reports a unit {@code lost}, {@code stolen}, {@code destroyed},
 * {@code decommissioned}, or {@code recovered} (back to active after lost or stolen). Fields: {@code unit},
 * {@code status}, {@code reason}. Destroyed and decommissioned are final: no custody activity is accepted after.
 */
final class UnitStatus extends AbstractEntryType<StatusPayload> {

    static final String TYPE = "unit.status";
    static final List<String> STATUSES = List.of("lost", "stolen", "destroyed", "decommissioned", "recovered");
    private static final Set<String> FIELDS = Set.of("unit", "status", "reason");

    UnitStatus() {
        super(TYPE, StatusPayload.class, FIELDS, Set.of());
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("unit", PayloadSchema.unit())
                .field("status", PayloadSchema.oneOf(STATUSES)).field("reason", PayloadSchema.string(1000));
    }

    @Override
    protected StatusPayload read(Envelope e, Payload p) {
        return new StatusPayload(p.unit("unit"), p.oneOf("status", STATUSES), p.string("reason", 1000));
    }

    @Override
    public void prefetch(Envelope e, StatusPayload f, Wants wants) {
        wants.unit(f.unit());
    }

    @Override
    public void apply(Envelope e, StatusPayload f, long index, Instant at, BatchContext ctx) throws SQLException {
        CustodyState s = CustodyState.of(ctx);
        CustodyState.Unit u = Rules.existing(s, f.unit());
        String status = f.status();
        Rules.custodian(ctx, s, u, e.actor());
        Rules.notRetired(u);
        if ("recovered".equals(status)) {
            if (!Set.of("lost", "stolen").contains(u.status)) {
                throw Rules.refuse(LedgerException.Kind.CONFLICT, "not-missing", "Not lost or stolen",
                        u.key + " is " + u.status + "; only a lost or stolen unit can be recovered", u.key);
            }
            u.status = CustodyState.ACTIVE;
        } else {
            u.status = status;
        }
        s.changed(u, index, at);
    }
}
