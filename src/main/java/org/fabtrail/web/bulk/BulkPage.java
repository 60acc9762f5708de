package org.fabtrail.web.bulk;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.api.Problem;
import org.fabtrail.discrepancy.Documents;
import org.fabtrail.web.CsvUpload;
import org.fabtrail.web.CurrentViewer;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.Pages;
import org.fabtrail.web.SignedIn;
import org.fabtrail.web.Texts;
import org.fabtrail.web.UploadMessages;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.pages.units.UnitsPage;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bulk registration from a CSV: the upload form, the job page (a progress bar that refreshes itself, with or
 * without JavaScript), its JSON status for the poller in app.js, and the rejected rows as a CSV.
 */
@Path("/units/bulk")
public class BulkPage {

    /** Largest CSV accepted, in bytes (thousands of rows with certificates fit easily). */
    static final long MAX_BYTES = 12L * 1024 * 1024;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance upload(Viewer viewer, String text, String site, Map<String, String> errors);

        static native TemplateInstance job(Viewer viewer, BulkJobs.Job job);
    }

    @Inject
    Pages pages;
    @Inject
    CurrentViewer viewer;
    @Inject
    BulkJobs jobs;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @SignedIn
    public Response form() {
        Viewer v = viewer.get();
        return UnitsPage.mayRegister(v).orElseGet(() -> Response.ok(Templates.upload(v, "", sampleSite(v), Map.of())).build());
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    @SignedIn
    public Response upload(@RestForm("csv") FileUpload file, @RestForm("text") String text) {
        Viewer v = viewer.get();
        Optional<Response> refused = UnitsPage.mayRegister(v);
        if (refused.isPresent()) {
            return refused.get();
        }
        String pasted = text == null ? "" : text;
        CsvUpload csv = CsvUpload.read(file, MAX_BYTES,
                Texts.of(UploadMessages.class).bulk_too_large(MAX_BYTES / (1024 * 1024)));
        if (csv.refusal() != null) {
            return refuse(v, pasted, "csv", csv.refusal());
        }
        if (csv.text() != null) {
            // the name as the job page shows it: no control characters, no path, at most 200 characters
            return start(v, file.fileName() == null || file.fileName().isBlank() ? Texts.of(UploadMessages.class).bulk_source_file()
                    : Documents.cleanName(file.fileName()), csv.text(), pasted, "csv");
        }
        return start(v, Texts.of(UploadMessages.class).bulk_source_pasted(), pasted, pasted, "text");
    }

    /** The same for a form posted without multipart (pasted text only). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @SignedIn
    public Response paste(@FormParam("text") String text) {
        Viewer v = viewer.get();
        Optional<Response> refused = UnitsPage.mayRegister(v);
        if (refused.isPresent()) {
            return refused.get();
        }
        String pasted = text == null ? "" : text;
        return start(v, Texts.of(UploadMessages.class).bulk_source_pasted(), pasted, pasted, "text");
    }

    private Response start(Viewer v, String source, String content, String pasted, String field) {
        if (content.isBlank()) {
            return refuse(v, pasted, "form", Texts.of(UploadMessages.class).bulk_choose());
        }
        List<BulkCsv.Row> rows;
        try {
            rows = BulkCsv.rows(content, Texts.of(UploadMessages.class));
        } catch (BulkCsv.FileProblem e) {
            return refuse(v, pasted, field, e.getMessage());
        }
        if (rows.isEmpty()) {
            return refuse(v, pasted, field, Texts.of(UploadMessages.class).bulk_no_rows());
        }
        BulkJobs.Job job = jobs.start(v, source, rows);
        return Web.redirect("/units/bulk/" + job.id());
    }

    private Response refuse(Viewer v, String pasted, String field, String message) {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put(field, message);
        return Response.status(422).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.upload(v, pasted, sampleSite(v), errors)).build();
    }

    /** One of the viewer's site ids, for the example rows. */
    private String sampleSite(Viewer v) {
        return pages.registry.sites(v.org()).stream().map(s -> s.id()).findFirst()
                .orElse("your-site-id");
    }

    @GET
    @Path("{job}")
    @Produces(MediaType.TEXT_HTML)
    @SignedIn
    public Response job(@PathParam("job") String id) {
        Viewer v = viewer.get();
        return jobs.find(v, id).map(j -> Response.ok(Templates.job(v, j)).header("Cache-Control", "no-store").build())
                .orElseGet(() -> ErrorPage.notFound(v, Texts.of(UploadMessages.class).bulk_no_job_kept(id, BulkJobs.KEEP.toHours())));
    }

    @GET
    @Path("{job}/status")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("job") String id) {
        Optional<Viewer> v = viewer.find();
        if (v.isEmpty()) {
            return Problem.of(401, "unauthenticated", "Not authenticated", "Sign in to follow this upload.").toResponse();
        }
        return jobs.find(v.get(), id).map(j -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("done", j.done());
            s.put("total", j.total());
            s.put("accepted", j.accepted());
            s.put("rejected", j.rejectedCount());
            s.put("finished", j.finished());
            return Response.ok(s).header("Cache-Control", "no-store").build();
        }).orElseGet(() -> Problem.of(404, "job-not-found", "No such job",
                "No bulk registration job with this id that you may see.").toResponse());
    }

    @GET
    @Path("{job}/rejected.csv")
    @Produces("text/csv")
    @SignedIn
    public Response rejected(@PathParam("job") String id) {
        Optional<BulkJobs.Job> job = jobs.find(viewer.get(), id);
        if (job.isEmpty()) {
            return ErrorPage.notFound(viewer.get(), Texts.of(UploadMessages.class).bulk_no_job(id));
        }
        StringBuilder csv = new StringBuilder(BulkCsv.line(BulkCsv.REJECTED_HEADER));
        for (BulkJobs.Rejected r : job.get().rejectedRows()) {
            csv.append(BulkCsv.line(List.of(String.valueOf(r.row()), r.reason(), r.data().get("serial"),
                    r.data().get("kind"), r.data().get("model"), r.data().get("eccn"), r.data().get("site"),
                    r.data().get(BulkCsv.CERTIFICATE))));
        }
        return Response.ok(csv.toString(), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"rejected-" + id + ".csv\"")
                .header("Cache-Control", "no-store").build();
    }
}
