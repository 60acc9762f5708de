package org.fabtrail.api.auth;

import org.fabtrail.custody.Visibility;
import org.fabtrail.ledger.LedgerException;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: an organisation's API token (with its scopes), or the operator (bootstrap admin token).
 *
 * @param org      the organisation, or null for the operator
 * @param seesAll  the operator, inspectors and regulators see every unit and entry
 * @param tokenId  the token's id (rate limits are per token); null for the operator
 */
public record Caller(String org, Set<String> scopes, boolean seesAll, UUID tokenId) {

    /** What the caller may see (the read services' argument). */
    public Visibility visibility() {
        return Visibility.of(seesAll, org);
    }


    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String ADMIN = "admin";
    public static final Set<String> SCOPES = Set.of(READ, WRITE, ADMIN);

    public static Caller operator() {
        return new Caller(null, SCOPES, true, null);
    }

    public boolean isOperator() {
        return org == null;
    }

    /** Refuses (403) unless the token has the scope. */
    public Caller require(String scope) {
        if (!scopes.contains(scope)) {
            throw new LedgerException(LedgerException.Kind.FORBIDDEN, "scope-required", "Scope required",
                    "This call needs a token with the \"" + scope + "\" scope; this token has " + scopes);
        }
        return this;
    }

    /** Refuses (403) unless the caller is the operator or acts for {@code org}. */
    public Caller requireOrg(String org) {
        if (!isOperator() && !this.org.equals(org)) {
            throw new LedgerException(LedgerException.Kind.FORBIDDEN, "other-organisation", "Other organisation",
                    "This token belongs to \"" + this.org + "\" and cannot act for \"" + org + "\"");
        }
        return this;
    }

    /** Refuses (403) unless the caller is the operator. */
    public Caller requireOperator() {
        if (!isOperator()) {
            throw new LedgerException(LedgerException.Kind.FORBIDDEN, "operator-only", "Operator only",
                    "Only the log operator (bootstrap admin token) may do this");
        }
        return this;
    }
}
