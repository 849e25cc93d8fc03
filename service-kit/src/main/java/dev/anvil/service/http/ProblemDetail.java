package dev.anvil.service.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * An RFC 9457 problem detail; {@code detail} names the field, parameter, line or limit at fault. Every service
 * answers its errors in this shape (the gateway's {@code /v1} API excepted, which speaks OpenAI's).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://anvil.dev/problems/";

    public static ProblemDetail of(String slug, String title, int status, String detail, String instance) {
        return new ProblemDetail(TYPE_BASE + slug, title, status, detail, instance);
    }

    /** The response carrying a problem about the request at {@code uri}, its path escaped ({@link SafeText}). */
    public static Response response(String slug, String title, int status, String detail, UriInfo uri) {
        return response(slug, title, status, detail, uri == null ? null : SafeText.of(uri.getPath()));
    }

    /** The response carrying a problem: {@code slug} names its type, {@code instance} is the request path. */
    public static Response response(String slug, String title, int status, String detail, String instance) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(of(slug, title, status, detail, instance))
                .build();
    }
}
