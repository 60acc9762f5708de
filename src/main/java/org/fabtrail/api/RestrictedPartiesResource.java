package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;


/** The operator's restricted-party list for export-control screening (docs/discrepancies.md). */
@Path("/api/v1/admin/restricted-parties")
@Tag(name = "Discrepancies")
@Produces(MediaType.APPLICATION_JSON)
public class RestrictedPartiesResource {

    @Inject
    Authenticator auth;
    @Inject
    Ledger ledger;
    @Inject
    RestrictedList restricted;

    @JsonPropertyOrder({"rows", "sourceLists"})
    public record ImportResult(int rows, List<String> sourceLists) {
    }

    @PUT
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Operation(operationId = "replaceRestrictedParties", summary = "Replace the restricted-party list with a CSV "
            + "(name,country,aliases,source_list,identifiers[,addresses]); "
            + "a file with any bad row is refused whole")
    public ImportResult importList(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        auth.caller(authorization).require(Caller.ADMIN).requireOperator();
        try {
            int rows = restricted.importCsv(body == null ? "" : body);
            List<String> lists = ledger.read(c -> restricted.all().stream().map(RestrictedList.Party::sourceList)
                    .distinct().toList());
            return new ImportResult(rows, lists);
        } catch (RestrictedList.ImportProblem e) {
            throw new LedgerException(LedgerException.Kind.RULE, "invalid-restricted-list", "Invalid restricted list",
                    "The list was not imported (the old one stays): " + e.getMessage(),
                    Map.of("problems", e.problems().subList(0, Math.min(100, e.problems().size()))), null);
        } catch (SQLException e) {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "database-unavailable", "Database unavailable",
                    "The list could not be stored; try again", Map.of(), e);
        }
    }

    @GET
    @Operation(operationId = "listRestrictedParties", summary = "The restricted-party list")
    public List<RestrictedList.Party> restrictedList(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        auth.caller(authorization).require(Caller.READ);
        return ledger.read(c -> restricted.all());
    }
}
