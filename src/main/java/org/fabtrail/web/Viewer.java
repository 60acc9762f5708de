package org.fabtrail.web;

import org.fabtrail.accounts.Account;
import org.fabtrail.custody.Visibility;

/**
 * The signed-in person as pages see them.
 *
 * @param org     their organisation; null for the operator's staff
 * @param seesAll operator staff and members of inspector or regulator organisations see every unit
 * @param roles   the organisation's roles (manufacturer, distributor, ...); empty for operator staff
 */
public record Viewer(java.util.UUID userId, String username, String displayName, String org, String role,
                     boolean seesAll, java.util.List<String> roles, String csrf) {

    /** The visibility argument of the custody queries: null sees everything. */
    public String visibleTo() {
        return seesAll ? null : org;
    }

    /** What the viewer may see (the read services' argument). */
    public Visibility visibility() {
        return Visibility.of(seesAll, org);
    }

    public boolean isOperator() {
        return Account.OPERATOR.equals(role);
    }

    public boolean isOrgAdmin() {
        return Account.ORG_ADMIN.equals(role);
    }

    public boolean hasRole(String orgRole) {
        return roles.contains(orgRole);
    }

    /** Inspector or regulator organisations (and the operator) inspect and work the discrepancy queue. */
    public boolean isInspector() {
        return isOperator() || roles.contains("inspector") || roles.contains("regulator");
    }
}
