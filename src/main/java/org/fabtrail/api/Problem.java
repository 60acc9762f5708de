package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem details body. {@code type} is {@code urn:fabtrail:problem:<code>}, stable per rule and
 * listed in docs/api.md; {@code code} repeats the slug for convenience.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "code"})
public record Problem(String type, String title, int status, String detail, String code,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:fabtrail:problem:";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(TYPE_PREFIX + code, title, status, detail, code, new LinkedHashMap<>());
    }

    public Problem with(String key, Object value) {
        extensions.put(key, value);
        return this;
    }

    @JsonAnyGetter
    public Map<String, Object> anyGetter() {
        return extensions;
    }

    public Response toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
    }
}
