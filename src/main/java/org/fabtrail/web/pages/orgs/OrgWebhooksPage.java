package org.fabtrail.web.pages.orgs;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.discrepancy.Webhooks;
import org.fabtrail.web.AdminMessages;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.OrgAccess;
import org.fabtrail.web.OrgAdmin;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An organisation's webhooks for the findings that name it and the custody events that concern it: register a URL
 * and the kinds of events it gets (the HMAC secret is shown once, on the page that answers the form), list, stop,
 * and the delivery log (the last 50 deliveries, each with its attempts). Org admins and the
 * operator's staff, through {@link OrgAccess}.
 */
@OrgAdmin
@Path("/orgs/{org}/webhooks")
@Produces(MediaType.TEXT_HTML)
public class OrgWebhooksPage extends OrgAdminPage {

    static final int DELIVERIES = 50;

    public record WebhooksModel(CustodyQueries.OrgRecord org, List<Webhooks.Hook> hooks,
                                List<Webhooks.Delivery> deliveries, Map<UUID, String> urls, String notice, String url,
                                List<String> events, Map<String, String> errors) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhooks(Viewer viewer, WebhooksModel m);

        static native TemplateInstance created(Viewer viewer, CustodyQueries.OrgRecord org, Webhooks.Hook hook,
                                               String secret);
    }

    @Inject
    Webhooks webhooks;

    @GET
    public Response list(@PathParam("org") String org,
                         @QueryParam("notice") String notice) {
        Viewer v = viewer.get();
        String text = "stopped".equals(notice) ? Texts.of(AdminMessages.class).org_webhook_stopped() : null;
        return noStore(Templates.webhooks(v, model(org, text, "", List.of(Webhooks.DISCREPANCY), Map.of())));
    }

    /** Registers a webhook and answers with the page that shows its secret, once (not a redirect; no-store). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response register(@PathParam("org") String org,
                             @FormParam("url") String url,
                             @FormParam("events") List<String> events) {
        Viewer v = viewer.get();
        String given = url == null ? "" : url.trim();
        List<String> chosen = events == null ? List.of() : events;
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        try {
            webhooks.checkUrl(given);
        } catch (IllegalArgumentException e) {
            errors.put("url", Texts.of(AdminMessages.class).org_not_registered(e.getMessage()));
        }
        try {
            Webhooks.eventKinds(chosen);
        } catch (IllegalArgumentException e) {
            errors.put("events", Texts.of(AdminMessages.class).org_not_registered(e.getMessage()));
        }
        if (!errors.isEmpty()) {
            return noStore(422, Templates.webhooks(v, model(org, null, given, chosen, errors)));
        }
        Webhooks.Registered r = pages.ledger.read(c -> webhooks.register(org, given, "ui:" + v.username(), chosen));
        return noStore(Templates.created(v, org(org), r.hook(), r.secret()));
    }

    @POST
    @Path("{id}/stop")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response stop(@PathParam("org") String org,
                         @PathParam("id") String id) {
        Viewer v = viewer.get();
        boolean stopped = Web.uuid(id).map(target -> pages.ledger.read(c -> webhooks.deactivate(org, target)))
                .orElse(false);
        if (!stopped) {
            return ErrorPage.notFound(v, Texts.of(AdminMessages.class).org_no_webhook(id, org));
        }
        return Web.redirect("/orgs/" + org + "/webhooks?notice=stopped");
    }

    private WebhooksModel model(String org, String notice, String url, List<String> events,
                                Map<String, String> errors) {
        List<Webhooks.Hook> hooks = pages.ledger.read(c -> webhooks.hooks(org));
        List<Webhooks.Delivery> deliveries = pages.ledger.read(c -> webhooks.deliveries(org, DELIVERIES));
        Map<UUID, String> urls = new java.util.HashMap<>();
        hooks.forEach(h -> urls.put(h.id(), h.url()));
        return new WebhooksModel(org(org), hooks, deliveries, urls, notice, url, events, errors);
    }
}
