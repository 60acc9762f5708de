package org.fabtrail.custody;

import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.ReadService;

import java.util.List;
import java.util.Optional;

/**
 * The registry as everyone may see it (ADR 0024): organisations, their sites and their signing keys are public
 * entries of the log, so these questions take no visibility. Reads on the ledger's pooled connection.
 */
public final class Organisations extends ReadService<CustodyQueries> {

    /** An organisation with all its sites and keys. */
    public record OrgDetail(CustodyQueries.OrgRecord org, List<CustodyQueries.SiteRecord> sites,
                            List<CustodyQueries.KeyRecord> keys) {
    }

    public Organisations(Ledger ledger) {
        super(ledger, new CustodyQueries());
    }

    /** Every registered organisation, in id order. */
    public List<CustodyQueries.OrgRecord> all() {
        return ledger.read(c -> queries.orgs(c, null));
    }

    /** The organisations after {@code afterId} (null: from the first), in id order. */
    public List<CustodyQueries.OrgRecord> page(String afterId, int limit) {
        return ledger.read(c -> queries.orgPage(c, afterId, limit));
    }

    public Optional<CustodyQueries.OrgRecord> org(String id) {
        return ledger.read(c -> queries.orgs(c, id)).stream().findFirst();
    }

    public boolean exists(String id) {
        return org(id).isPresent();
    }

    /** The organisation's roles; none for an organisation that is not registered. */
    public List<String> roles(String id) {
        return org(id).map(CustodyQueries.OrgRecord::roles).orElse(List.of());
    }

    /** The organisation with every site and key. */
    public Optional<OrgDetail> detail(String id) {
        return ledger.read(c -> {
            Optional<CustodyQueries.OrgRecord> o = queries.orgs(c, id).stream().findFirst();
            return o.isEmpty() ? Optional.<OrgDetail>empty()
                    : Optional.of(new OrgDetail(o.get(), queries.sites(c, id), queries.keys(c, id, null)));
        });
    }

    public List<CustodyQueries.SiteRecord> sites(String org) {
        return ledger.read(c -> queries.sites(c, org));
    }

    /** The organisation's sites after {@code afterId} (null: from the first), in id order. */
    public List<CustodyQueries.SiteRecord> sites(String org, String afterId, int limit) {
        return ledger.read(c -> queries.sites(c, org, afterId, limit));
    }

    public Optional<CustodyQueries.SiteRecord> site(String org, String id) {
        return ledger.read(c -> queries.site(c, org, id));
    }

    /** The organisation's keys (null: every organisation's) with these ids (null: all). */
    public List<CustodyQueries.KeyRecord> keys(String org, List<String> keyIds) {
        return ledger.read(c -> queries.keys(c, org, keyIds));
    }

    /** The organisation's keys added after log index {@code afterIdx}, in the order they were added. */
    public List<CustodyQueries.KeyRecord> keys(String org, long afterIdx, int limit) {
        return ledger.read(c -> queries.keys(c, org, afterIdx, limit));
    }
}
