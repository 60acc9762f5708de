package org.fabtrail.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.Organisations;
import org.fabtrail.ledger.LedgerException;

import java.util.List;

/** The organisation registry (public to every authenticated caller): organisations, their sites and keys. */
@Path("/api/v1/orgs")
@Tag(name = "Organisations")
@Produces(MediaType.APPLICATION_JSON)
public class OrgsResource {

    @Inject
    Authenticator auth;
    @Inject
    Organisations organisations;

    @GET
    @Operation(operationId = "listOrgs", summary = "Every registered organisation")
    public List<Views.OrgView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        auth.caller(authorization).require(Caller.READ);
        return organisations.all().stream()
                .map(o -> new Views.OrgView(o.id(), o.name(), o.country(), o.roles(), o.registeredIdx(), null, null))
                .toList();
    }

    @GET
    @Path("{org}")
    @Operation(operationId = "getOrg", summary = "An organisation with its sites and signing keys")
    public Views.OrgView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String org) {
        auth.caller(authorization).require(Caller.READ);
        Organisations.OrgDetail d = organisations.detail(org).orElseThrow(() -> unknown(org));
        CustodyQueries.OrgRecord o = d.org();
        return new Views.OrgView(o.id(), o.name(), o.country(), o.roles(), o.registeredIdx(),
                d.sites().stream().map(Views.SiteView::from).toList(),
                d.keys().stream().map(Views.KeyView::from).toList());
    }

    @GET
    @Path("{org}/sites")
    @Operation(operationId = "listOrgSites", summary = "An organisation's sites")
    public List<Views.SiteView> sites(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                      @PathParam("org") String org) {
        return get(authorization, org).sites();
    }

    static LedgerException unknown(String org) {
        return new LedgerException(LedgerException.Kind.NOT_FOUND, "unknown-org", "Unknown organisation",
                "Organisation \"" + org + "\" is not registered");
    }
}
