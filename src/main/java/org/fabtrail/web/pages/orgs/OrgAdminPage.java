package org.fabtrail.web.pages.orgs;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.web.OrgAccess;
import org.fabtrail.web.WebPage;

import java.util.List;
import java.util.function.Function;

/**
 * What the pages that manage one organisation ({@code /orgs/{org}/…}, marked {@code @OrgAdmin}) share: the
 * organisation's record, lists read a page of {@link #PAGE} at a time, and answers marked {@code no-store} (they show
 * what only the organisation's admins may see, some of it secrets shown once).
 */
abstract class OrgAdminPage extends WebPage {

    static final int PAGE = 50;

    /**
     * One page of a list read {@code PAGE + 1} rows at a time: the rows shown, and the link to the next page (null on
     * the last), which is {@code base?after=} the cursor of the last row shown.
     */
    record Slice<V>(List<V> rows, String next) {

        static <T, V> Slice<V> of(List<T> read, Function<T, V> view, String base, Function<T, Object> cursor) {
            List<V> rows = read.subList(0, Math.min(PAGE, read.size())).stream().map(view).toList();
            return new Slice<>(rows, read.size() > PAGE ? base + "?after=" + cursor.apply(read.get(PAGE - 1)) : null);
        }
    }

    /** The organisation of the path; the request filter has already answered 404 for an unknown one. */
    CustodyQueries.OrgRecord org(String org) {
        return OrgAccess.org(pages, org).orElseThrow();
    }

    static Response noStore(TemplateInstance page) {
        return Response.ok(page).header("Cache-Control", "no-store").build();
    }

    /** A form shown again with what was wrong with it. */
    static Response noStore(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(page).build();
    }
}
