package org.fabtrail.epcis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The schema check the export tests rely on accepts the GS1 examples and refuses what breaks the standard. */
class EpcisSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {"Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.2-ObjectEvent.jsonld",
            "Example_9.6.3-AggregationEvent.jsonld", "Example-TransactionEvents-2020_07_03y.jsonld",
            "AssociationEvent-a.jsonld", "ErrorDeclarationAndCorrectiveEvent.jsonld",
            "object_event_all_possible_fields.jsonld", "aggregation_event_all_possible_fields.jsonld",
            "transaction_event_all_possible_fields.jsonld", "association_event_all_possible_fields.jsonld"})
    void theGs1ExamplesValidate(String example) {
        assertEquals(java.util.List.of(), EpcisSchema.violations(EpcisSchema.resource("examples/" + example)));
    }

    @Test
    void anEventWithoutItsTimeOrWithABadUriOrAnUnknownMemberIsRefused() throws Exception {
        String doc = EpcisSchema.resource("examples/Example_9.6.1-ObjectEvent.jsonld");
        ObjectNode noTime = (ObjectNode) EpcisSchema.JSON.readTree(doc);
        ((ObjectNode) noTime.at("/epcisBody/eventList/0")).remove("eventTime");
        assertFalse(EpcisSchema.violations(noTime).isEmpty());
        ObjectNode badUri = (ObjectNode) EpcisSchema.JSON.readTree(doc);
        ((ObjectNode) badUri.at("/epcisBody/eventList/0/readPoint")).put("id", "not a uri");
        assertFalse(EpcisSchema.violations(badUri).isEmpty());
        ObjectNode unknown = (ObjectNode) EpcisSchema.JSON.readTree(doc);
        ((ObjectNode) unknown.at("/epcisBody/eventList/0")).put("logIndex", 3);
        assertFalse(EpcisSchema.violations(unknown).isEmpty());
    }
}
