package dev.anvil.gateway.openai;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The response of a served request: its body and the version that served it. */
final class Served {
    /** Names the model version that produced the answer, on every served response. */
    static final String VERSION_HEADER = "x-anvil-model-version";

    private Served() {
    }

    static Response response(CompletionService.Prepared prepared, Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(VERSION_HEADER, prepared.target().version()).build();
    }
}
