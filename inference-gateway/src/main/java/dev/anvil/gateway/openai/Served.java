package dev.anvil.gateway.openai;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The response of a served request: its body, the version that served it, the key's rate limit headers, and whether
 * the response cache answered it.
 */
final class Served {
    /** Names the model version that produced the answer, on every served response. */
    static final String VERSION_HEADER = "x-anvil-model-version";

    private Served() {
    }

    /** Whether the response cache answered: {@code hit} or {@code miss}, on answers to cacheable requests only. */
    static final String CACHE_HEADER = "x-anvil-cache";

    static Response response(CompletionService.Prepared prepared, boolean cached, Object body) {
        return headers(Response.ok(body, MediaType.APPLICATION_JSON_TYPE), prepared, cached).build();
    }

    static Response.ResponseBuilder headers(Response.ResponseBuilder response, CompletionService.Prepared prepared,
                                            boolean cached) {
        prepared.reservation().headers().forEach(response::header);
        if (prepared.cacheKey().isPresent()) response.header(CACHE_HEADER, cached ? "hit" : "miss");
        return response.header(VERSION_HEADER, prepared.target().version());
    }
}
