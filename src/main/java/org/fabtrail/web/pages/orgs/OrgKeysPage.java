package org.fabtrail.web.pages.orgs;

import org.fabtrail.web.Forms;
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
import org.fabtrail.crypto.KeyFormatException;
import org.fabtrail.crypto.VerificationKey;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.KeyAddition;
import org.fabtrail.custody.KeyRevokePayload;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.Receipt;
import org.fabtrail.web.AdminMessages;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.OrgAdmin;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.signing.UiSigning;
import org.fabtrail.web.signing.UiSubmit;

import java.util.List;
import java.util.Map;

/**
 * An organisation's signing keys, managed in the log: adding a public key writes a {@code key.add}, revoking one a
 * {@code key.revoke}, each signed through {@link UiSigning} as the organisation (as the operator, for operator staff)
 * and naming who acted. The key the UI itself signs with cannot be revoked here.
 */
@OrgAdmin
@Path("/orgs/{org}/keys")
@Produces(MediaType.TEXT_HTML)
public class OrgKeysPage extends OrgAdminPage {

    public record KeysModel(CustodyQueries.OrgRecord org, List<OrgPage.KeyView> keys, String next, String first,
                            String notice, Long noticeIndex, String publicKey, Map<String, String> errors) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(Viewer viewer, KeysModel m);
    }

    @Inject
    UiSigning signing;
    @Inject
    UiSubmit submit;

    @GET
    public Response list(@PathParam("org") String org,
                         @QueryParam("after") String after, @QueryParam("notice") String notice,
                         @QueryParam("index") String index) {
        Viewer v = viewer.get();
        AdminMessages t = Texts.of(AdminMessages.class);
        String text = notice == null ? null : switch (notice) {
            case "added" -> t.org_key_added(org);
            case "revoked" -> t.org_key_revoked();
            default -> null;
        };
        long at = OrgPage.parseIndex(index);
        KeysModel m = model(org, OrgPage.parseIndex(after), text, text == null || at < 0 ? null : at, "", Map.of());
        return noStore(Templates.keys(v, m));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@PathParam("org") String org,
                        @FormParam("publicKey") String publicKey) {
        Viewer v = viewer.get();
        String pem = publicKey == null ? "" : publicKey.trim();
        try {
            if (pem.isEmpty()) {
                throw formError(Texts.of(AdminMessages.class).org_key_paste());
            }
            if (pem.length() > 4096) {
                throw formError(Texts.of(AdminMessages.class).org_key_too_long());
            }
            String normalised;
            try {
                normalised = VerificationKey.fromPem(pem).toPem();
            } catch (KeyFormatException e) {
                throw formError(Texts.of(AdminMessages.class).org_key_not_pem(e.getMessage()));
            }
            Receipt r = submit.submit(v, "key.add", new KeyAddition(org, normalised));
            return Web.redirect("/orgs/" + org + "/keys?notice=added&index=" + r.index());
        } catch (LedgerException e) {
            KeysModel m = model(org, -1, null, null, pem, Map.of("publicKey", e.detail()));
            return Forms.refused(e, Templates.keys(v, m));
        }
    }

    @POST
    @Path("{keyId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("org") String org,
                           @PathParam("keyId") String keyId, @FormParam("reason") String reason) {
        Viewer v = viewer.get();
        if (signing.keyId(org).filter(keyId::equals).isPresent()) {
            return ErrorPage.of(v, 409, Texts.of(AdminMessages.class).org_key_ui_own_title(), Texts.of(AdminMessages.class).org_key_ui_own(org));
        }
        String why = Forms.value(reason);
        if (why != null && reason.length() > 500) {
            return ErrorPage.of(v, 422, Texts.of(AdminMessages.class).org_reason_too_long_title(), Texts.of(AdminMessages.class).org_reason_too_long());
        }
        try {
            Receipt r = submit.submit(v, "key.revoke", new KeyRevokePayload(org, keyId, why));
            return Web.redirect("/orgs/" + org + "/keys?notice=revoked&index=" + r.index());
        } catch (LedgerException e) {
            return ErrorPage.of(v, e);
        }
    }

    private static LedgerException formError(String detail) {
        return new LedgerException(LedgerException.Kind.RULE, "invalid-public-key", "Invalid public key", detail,
                Map.of("field", "publicKey"), null);
    }

    private KeysModel model(String org, long after, String notice, Long noticeIndex, String publicKey,
                            Map<String, String> errors) {
        String uiKey = signing.keyId(org).orElse(null);
        String base = "/orgs/" + org + "/keys";
        Slice<OrgPage.KeyView> keys = Slice.of(pages.registry.keys(org, after, PAGE + 1),
                k -> OrgPage.KeyView.from(k, uiKey), base, CustodyQueries.KeyRecord::addedIdx);
        return new KeysModel(org(org), keys.rows(), keys.next(), after < 0 ? null : base, notice, noticeIndex,
                publicKey, errors);
    }
}
