package org.fabtrail.ledger;

/**
 * What every read service of a domain package (ADR 0024) is built on: the ledger, whose {@link Ledger#read} lends it
 * a pooled connection, and its package's queries, which hold the SQL.
 *
 * @param <Q> the package's queries ({@code CustodyQueries}, {@code DiscrepancyQueries}, {@code PlatformComparisons})
 */
public abstract class ReadService<Q> {

    protected final Ledger ledger;
    protected final Q queries;

    protected ReadService(Ledger ledger, Q queries) {
        this.ledger = ledger;
        this.queries = queries;
    }
}
