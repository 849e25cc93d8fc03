package dev.anvil.gateway.openai;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The response of a served request: its body, the version that served it, and the key's rate limit headers. */
final class Served {
    /** Names the model version that produced the answer, on every served response. */
    static final String VERSION_HEADER = "x-anvil-model-version";

    private Served() {
    }

    static Response response(CompletionService.Prepared prepared, Object body) {
        return headers(Response.ok(body, MediaType.APPLICATION_JSON_TYPE), prepared).build();
    }

    static Response.ResponseBuilder headers(Response.ResponseBuilder response, CompletionService.Prepared prepared) {
        prepared.reservation().headers().forEach(response::header);
        return response.header(VERSION_HEADER, prepared.target().version());
    }
}
