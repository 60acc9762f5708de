package org.fabtrail.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A client generated from docs/openapi.json can ask the EPCIS event query everything the server takes: the document
 * declares exactly the query parameters {@link EpcisQuery} accepts, each with a schema.
 */
class EpcisQueryParametersTest {

    @Test
    void theOpenApiDocumentDeclaresEveryQueryParameterTheServerTakes() throws Exception {
        JsonNode op = new ObjectMapper().readTree(Path.of("docs", "openapi.json").toFile())
                .at("/paths/~1api~1v1~1epcis~1events/get");
        Set<String> declared = new TreeSet<>();
        for (JsonNode p : op.path("parameters")) {
            if ("query".equals(p.path("in").asText())) {
                declared.add(p.path("name").asText());
                assertFalse(p.path("schema").isMissingNode(), p.toString());
            }
        }
        assertEquals(new TreeSet<>(EpcisQuery.PARAMETERS), declared);
    }
}
