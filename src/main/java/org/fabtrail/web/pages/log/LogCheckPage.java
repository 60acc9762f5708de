package org.fabtrail.web.pages.log;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.WebPage;

/**
 * The public check page ({@code /log}, no sign-in): the newest signed checkpoint and the log's verifier key, and a
 * checker that runs in the visitor's browser ({@code /static/logcheck.js}, WebCrypto SHA-256 and Ed25519). It checks
 * the checkpoint's signature, the inclusion of a leaf hash at a log index, and the consistency of an older checkpoint
 * with the current one, fetching only the public proof endpoints under {@code /api/v1/log}. The server renders no
 * custody data here and verifies nothing for the visitor: the point is that the visitor need not trust it.
 */
@Path("/log")
@Produces(MediaType.TEXT_HTML)
public class LogCheckPage extends WebPage {

    /** The checkpoint as published (null when the log has none yet), and the key to check it with. */
    public record LogModel(LedgerStore.StoredCheckpoint checkpoint, String vkey, String origin) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance check(Viewer viewer, LogModel m);
    }

    @Inject
    CheckpointSigner signer;

    @GET
    public Response check() {
        LogModel m = new LogModel(pages.ledger.latestCheckpoint().orElse(null), signer.vkey(), signer.origin());
        return Response.ok(Templates.check(viewer.find().orElse(null), m)).build();
    }
}
