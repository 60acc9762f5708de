package org.fabtrail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example in docs/openapi.json validates against the schema it illustrates. */
class OpenApiExamplesTest {

    @Test
    void everyExampleValidatesAgainstItsSchema() {
        OpenApiValidation.Document doc = OpenApiValidation.document();
        List<String> wrong = new ArrayList<>();
        int[] checked = {0};
        doc.root().path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String where = op.getKey().toUpperCase() + " " + path.getKey();
            List<JsonNode> contents = new ArrayList<>();
            contents.add(op.getValue().path("requestBody").path("content"));
            op.getValue().path("responses").forEach(r -> contents.add(r.path("content")));
            for (JsonNode content : contents) {
                content.fields().forEachRemaining(media -> {
                    JsonNode schema = media.getValue().path("schema");
                    media.getValue().path("examples").fields().forEachRemaining(example -> {
                        if (schema.isMissingNode()) {
                            wrong.add(where + " " + media.getKey() + " example " + example.getKey() + ": no schema");
                            return;
                        }
                        Set<ValidationMessage> errors = OpenApiValidation.schema(doc, schema,
                                where + media.getKey() + example.getKey()).validate(example.getValue().path("value"));
                        checked[0]++;
                        if (!errors.isEmpty()) {
                            wrong.add(where + " " + media.getKey() + " example " + example.getKey() + ": " + errors);
                        }
                    });
                });
            }
        }));
        assertEquals(List.of(), wrong);
        assertTrue(checked[0] >= 3, "the entry, receipt and problem examples are checked: " + checked[0]);
    }
}
