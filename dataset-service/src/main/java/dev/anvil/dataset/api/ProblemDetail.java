package dev.anvil.dataset.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail; {@code detail} names the field, line or limit at fault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://anvil.dev/problems/";

    static ProblemDetail of(String slug, String title, int status, String detail, String instance) {
        return new ProblemDetail(TYPE_BASE + slug, title, status, detail, instance);
    }
}
