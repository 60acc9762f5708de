package org.fabtrail.web;

import jakarta.ws.rs.core.Response;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.web.pages.log.HomePage;

import java.util.Optional;

/**
 * Who may manage an organisation's users, API tokens and signing keys in the UI: its own org-admins, and the
 * operator's staff for any organisation. Everyone else is refused (403), whatever they know about the organisation.
 */
public final class OrgAccess {

    private OrgAccess() {
    }

    public static boolean mayManage(Viewer viewer, String org) {
        return viewer.isOperator() || (viewer.isOrgAdmin() && org.equals(viewer.org()));
    }

    public static Optional<CustodyQueries.OrgRecord> org(Pages pages, String org) {
        if (!HomePage.isOrgId(org)) {
            return Optional.empty();
        }
        return pages.registry.org(org);
    }

    /** Null when the viewer may manage the organisation; otherwise the refusal page (404 unknown, 403 not theirs). */
    static Response refusal(Pages pages, Viewer viewer, String org) {
        if (org(pages, org).isEmpty()) {
            return ErrorPage.notFound(viewer, Texts.of(FormMessages.class).no_org(org));
        }
        if (!mayManage(viewer, org)) {
            return ErrorPage.forbidden(viewer, Texts.of(FormMessages.class).org_admins_only(org));
        }
        return null;
    }
}
