package org.fabtrail.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The GS1 EPCIS 2.0 JSON schema (draft-07, src/test/resources/gs1-epcis, from github.com/gs1/EPCIS), with format
 * assertions on: what every exported document must pass.
 */
public final class EpcisSchema {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private EpcisSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = EpcisSchema.class.getResourceAsStream("/gs1-epcis/EPCIS-JSON-Schema.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(in), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints about a document or event; empty when it validates. */
    public static List<String> violations(JsonNode instance) {
        return SCHEMA.validate(instance).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public static List<String> violations(String json) {
        try {
            return violations(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resource(String path) {
        try (InputStream in = EpcisSchema.class.getResourceAsStream("/gs1-epcis/" + path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
