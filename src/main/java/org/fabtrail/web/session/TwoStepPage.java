package org.fabtrail.web.session;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.accounts.Account;
import org.fabtrail.accounts.SecondFactor;
import org.fabtrail.crypto.Totp;
import org.fabtrail.web.CurrentViewer;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.FormMessages;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.drawing.QrSvg;

import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Two-step sign-in for one's own local account (org admins and the operator's staff): set up a TOTP authenticator
 * app (the secret as an {@code otpauth://} QR code and in base32, confirmed by a code), or turn it off with a code.
 */
@SignedIn
@Path("/account/two-step")
@Produces(MediaType.TEXT_HTML)
public class TwoStepPage {

    /** What the page shows: the state, and during set-up the QR code, the secret and the URI. */
    public record TwoStepModel(boolean on, String qr, String secret, String uri, String notice, String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance twostep(Viewer viewer, TwoStepModel m);
    }

    static final String ISSUER = "Fabtrail";

    @Inject
    CurrentViewer viewer;
    @Inject
    SecondFactor secondFactor;

    @GET
    public Response page(@QueryParam("notice") String notice) {
        return offered((v, a) -> {
            String text = "on".equals(notice)
                    ? "Two-step sign-in is on: from now on you sign in with your password and a code."
                    : "off".equals(notice) ? "Two-step sign-in is off." : null;
            return answer(200, v, new TwoStepModel(a.totpSecret != null, null, null, null, text, null));
        });
    }

    /** Starts set-up: a new secret, shown once more with each refused code until a code confirms it. */
    @POST
    @Path("enrol")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enrol() {
        return offered((v, a) -> answer(200, v, setUp(v, secondFactor.enrol(v.userId()), null)));
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(@FormParam("code") String code) {
        return withCode(code, secondFactor::confirm, "on", v -> {
            var pending = secondFactor.pending(v.userId());
            if (pending.isEmpty()) {
                return refusedCode(409, v, Texts.of(FormMessages.class).twostep_no_setup());
            }
            return answer(422, v, setUp(v, pending.get(), Texts.of(FormMessages.class).twostep_not_the_code()));
        });
    }

    @POST
    @Path("off")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response off(@FormParam("code") String code) {
        return withCode(code, secondFactor::turnOff, "off",
                v -> refusedCode(422, v, Texts.of(FormMessages.class).twostep_stays_on()));
    }

    /**
     * A form that posts a code (confirm set-up, turn off): when {@code accepted} takes the account's code, back to the
     * page with the notice; otherwise the answer {@code refused} gives.
     */
    private Response withCode(String code, BiPredicate<UUID, String> accepted, String notice,
                              Function<Viewer, Response> refused) {
        return offered((v, a) -> accepted.test(v.userId(), code) ? Web.redirect("/account/two-step?notice=" + notice)
                : refused.apply(v));
    }

    private static TwoStepModel setUp(Viewer v, byte[] secret, String error) {
        String uri = Totp.uri(ISSUER, v.username(), secret);
        return new TwoStepModel(false, QrSvg.svg(uri, Texts.of(FormMessages.class).twostep_qr_label(), "totp-qr"), Totp.base32(secret), uri, null, error);
    }

    /** The page with {@code error} and no secret shown, for a code that changed nothing; the account read anew. */
    private static Response refusedCode(int status, Viewer v, String error) {
        return answer(status, v, new TwoStepModel(account(v).totpSecret != null, null, null, null, null, error));
    }

    private static Account account(Viewer v) {
        return QuarkusTransaction.requiringNew().call(() -> Account.findById(v.userId()));
    }

    /**
     * Every handler's start: two-step sign-in is for the viewer's account (a local account of an org admin or of the
     * operator's staff), else a 403; {@code then} answers with the viewer and the account as read for that check.
     */
    private Response offered(BiFunction<Viewer, Account, Response> then) {
        Viewer v = viewer.get();
        Account a = account(v);
        if (!SecondFactor.offered(a)) {
            return refused(v);
        }
        return then.apply(v, a);
    }

    private static Response refused(Viewer v) {
        return ErrorPage.forbidden(v, "Two-step sign-in is for the local accounts of org admins and the log "
                + "operator's staff.");
    }

    private static Response answer(int status, Viewer v, TwoStepModel m) {
        return Response.status(status).type(MediaType.TEXT_HTML).header("Cache-Control", "no-store")
                .entity(Templates.twostep(v, m)).build();
    }
}
