package dev.anvil.gateway.openai;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.GatewayPaths;
import dev.anvil.gateway.limits.RateLimitExceededException;
import dev.anvil.gateway.version.ModelNotReadyException;
import dev.anvil.gateway.version.UnknownModelException;
import dev.anvil.llm.serve.EngineOverloadedException;
import dev.anvil.service.http.ProblemDetail;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * OpenAI's error shape on {@code /v1}. The gateway's own failures are {@link OpenAiException}s; whatever the shared
 * guard (service-kit) answered as a problem detail there (unreadable JSON, unknown route, wrong method, a 500 with
 * its incident id) is rewritten into the same shape on its way out, so an OpenAI client always gets its own error
 * type. Outside {@code /v1} (health, admin) problem details stay.
 */
public class OpenAiErrors {
    private final long maxRequestBytes;

    public OpenAiErrors(GatewayConfig config) {
        this.maxRequestBytes = config.limits().maxRequestBytes();
    }

    private static boolean isApi(ContainerRequestContext request) {
        return GatewayPaths.isApi(request.getUriInfo().getPath());
    }

    public static Response response(int status, OpenAiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(error).build();
    }

    @ServerExceptionMapper
    public Response openAi(OpenAiException e) {
        return response(e.status(), e.toError());
    }

    @ServerExceptionMapper
    public Response unknownModel(UnknownModelException e) {
        return openAi(OpenAiException.modelNotFound(e.model()));
    }

    @ServerExceptionMapper
    public Response notReady(ModelNotReadyException e) {
        Response refused = response(503, OpenAiError.of(e.getMessage(), "server_error", "model", "model_not_ready"));
        return e.loading() ? Response.fromResponse(refused).header("Retry-After", "1").build() : refused;
    }

    /** The engine's queue is full: refused at once, to be retried, rather than left hanging. */
    @ServerExceptionMapper
    public Response overloaded(EngineOverloadedException e) {
        return Response.fromResponse(response(429, OpenAiError.of(e.getMessage(), "rate_limit_error", null,
                "engine_overloaded"))).header("Retry-After", "1").build();
    }

    /**
     * A rate limit or budget refused the request: 429 with OpenAI's {@code x-ratelimit-*} headers and, where waiting
     * helps, {@code Retry-After} (whole seconds, rounded up) and {@code retry-after-ms}, which OpenAI's SDKs read.
     */
    @ServerExceptionMapper
    public Response rateLimited(RateLimitExceededException e) {
        Response.ResponseBuilder response = Response.fromResponse(response(429, OpenAiError.of(e.getMessage(), e.type(),
                null, e.code())));
        e.headers().forEach(response::header);
        e.retryAfter().ifPresent(wait -> response.header("Retry-After", Math.max(1, (wait.toMillis() + 999) / 1000))
                .header("retry-after-ms", Math.max(1, wait.toMillis())));
        return response.build();
    }

    /** Refuses an oversized body by its declared length before anything reads it. */
    @ServerRequestFilter(preMatching = true)
    public Response boundBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !isApi(request)) return null;
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return null; // the HTTP server itself refuses a malformed length
        }
        if (bytes <= maxRequestBytes) return null;
        return response(413, OpenAiError.of("The request body is " + bytes + " bytes; the limit is " + maxRequestBytes
                + " bytes (anvil.gateway.limits.max-request-bytes).", "invalid_request_error", null,
                "request_too_large"));
    }

    @ServerResponseFilter
    public void problemsToOpenAiShape(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof ProblemDetail problem) || !isApi(request)) return;
        response.setEntity(OpenAiError.of(problem.detail(), OpenAiError.typeOf(problem.status()), null, null),
                null, MediaType.APPLICATION_JSON_TYPE);
    }
}
