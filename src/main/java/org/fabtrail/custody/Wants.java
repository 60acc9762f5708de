package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;

import java.util.UUID;

/**
 * What a batch will read, named by each entry's {@link EntryType#prefetch} before any rule runs and then read with a
 * few queries ({@link BatchState#prefetch}). Custody's rows are named here; a package with a {@link BatchState} of its
 * own names its rows on that state, which it reaches through {@link #context()}.
 */
public final class Wants {

    private final BatchContext context;
    private final Registry registry;
    private final CustodyState state;

    Wants(BatchContext context) {
        this.context = context;
        this.registry = Registry.of(context);
        this.state = CustodyState.of(context);
    }

    /** A signing key by its key id. */
    public void key(String keyId) {
        registry.wantKey(keyId);
    }

    /** An organisation. */
    public void org(String org) {
        registry.wantOrg(org);
    }

    /** A unit, with its components. */
    public void unit(UnitKey unit) {
        state.wantUnit(unit);
    }

    /** A site of an organisation. */
    public void site(String org, String site) {
        state.wantSite(new CustodyState.SiteKey(org, site));
    }

    /** A dispatch by its id, with the units on it. */
    public void transfer(UUID id) {
        state.wantTransfer(id);
    }

    /** The batch, for naming rows on a package's own {@link BatchState}. */
    public BatchContext context() {
        return context;
    }
}
