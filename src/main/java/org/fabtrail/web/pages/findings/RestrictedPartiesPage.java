package org.fabtrail.web.pages.findings;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.web.CsvUpload;
import org.fabtrail.web.ErrorPage;
import org.fabtrail.web.Forms;
import org.fabtrail.web.Inspector;
import org.fabtrail.web.OperatorStaff;
import org.fabtrail.web.Texts;
import org.fabtrail.web.UploadMessages;
import org.fabtrail.web.Viewer;
import org.fabtrail.web.Web;
import org.fabtrail.web.WebPage;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The restricted-party list that export-control screening uses: who and what is on it (counts per source list, the
 * first rows), and, for the operator, replacing it with a CSV file or pasted rows. A file with any bad row is refused
 * whole: every problem is listed with its row, and the list in force does not change. Inspectors and regulators may
 * look; only the operator's staff replace it.
 */
@Inspector("refusal_restricted_list")
@Path("/restricted-parties")
@Produces(MediaType.TEXT_HTML)
public class RestrictedPartiesPage extends WebPage {

    /** Rows the page lists (the counts cover them all). */
    static final int SHOWN = 200;
    /** Problems the page lists after a refused file. */
    static final int PROBLEMS = 500;
    static final long MAX_BYTES = 20L * 1024 * 1024;

    public record ListModel(List<RestrictedList.Party> shown, int total, Map<String, Long> bySource, String notice,
                            String text, List<String> problems, Map<String, String> errors, String header) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance parties(Viewer viewer, ListModel m);
    }

    /** Why others may not replace the list. */
    static final String REPLACERS = "refusal_restricted_replace";

    @Inject
    RestrictedList restricted;

    @GET
    public Response page(@QueryParam("imported") String imported) {
        Viewer v = viewer.get();
        String notice = imported != null && imported.matches("\\d{1,7}")
                ? Texts.of(UploadMessages.class).parties_imported(imported) : null;
        return Response.ok(Templates.parties(v, model(notice, "", List.of(), Map.of()))).build();
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @OperatorStaff(REPLACERS)
    public Response upload(@RestForm("csv") FileUpload file, @RestForm("text") String text) {
        Viewer v = viewer.get();
        String pasted = text == null ? "" : text;
        CsvUpload csv = CsvUpload.read(file, MAX_BYTES,
                Texts.of(UploadMessages.class).upload_too_large(MAX_BYTES / (1024 * 1024)));
        if (csv.refusal() != null) {
            return refuse(v, pasted, "csv", csv.refusal());
        }
        return importList(v, csv.text() == null ? pasted : csv.text(), pasted);
    }

    /** The same for a form posted without multipart (pasted rows only). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @OperatorStaff(REPLACERS)
    public Response paste(@FormParam("text") String text) {
        Viewer v = viewer.get();
        String pasted = text == null ? "" : text;
        return importList(v, pasted, pasted);
    }

    private Response importList(Viewer v, String content, String pasted) {
        if (content.isBlank()) {
            return refuse(v, pasted, "form", Texts.of(UploadMessages.class).parties_choose());
        }
        try {
            int rows = restricted.importCsv(content);
            return Web.redirect("/restricted-parties?imported=" + rows);
        } catch (RestrictedList.ImportProblem e) {
            List<String> problems = e.problems();
            ListModel m = model(null, pasted, problems.subList(0, Math.min(PROBLEMS, problems.size())),
                    Map.of("form", Texts.of(UploadMessages.class).parties_not_imported(problems.size())));
            return Forms.again(422, Templates.parties(v, m));
        } catch (SQLException e) {
            return ErrorPage.of(v, new LedgerException(LedgerException.Kind.UNAVAILABLE, "database-unavailable",
                    "Database unavailable", "The list could not be stored; nothing changed. Try again.", Map.of(), e));
        }
    }

    private Response refuse(Viewer v, String pasted, String field, String message) {
        return Forms.again(422, Templates.parties(v, model(null, pasted, List.of(), Map.of(field, message))));
    }

    private ListModel model(String notice, String text, List<String> problems, Map<String, String> errors) {
        List<RestrictedList.Party> all = pages.ledger.read(c -> restricted.all());
        Map<String, Long> bySource = new LinkedHashMap<>();
        all.stream().map(RestrictedList.Party::sourceList).sorted()
                .forEach(s -> bySource.merge(s, 1L, Long::sum));
        return new ListModel(all.subList(0, Math.min(SHOWN, all.size())), all.size(), bySource, notice, text, problems,
                errors, String.join(",", RestrictedList.HEADER));
    }
}
