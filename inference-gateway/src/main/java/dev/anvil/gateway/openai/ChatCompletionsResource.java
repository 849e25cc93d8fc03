package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.gateway.GatewayConfig;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /v1/chat/completions}: read and check, prepare, then answer whole or streamed. */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {
    private final CompletionService completions;
    private final Replies replies;
    private final GatewayConfig.Limits limits;

    public ChatCompletionsResource(CompletionService completions, Replies replies, GatewayConfig config) {
        this.completions = completions;
        this.replies = replies;
        this.limits = config.limits();
    }

    @POST
    @Blocking // tokenizing, template rendering, and the wait for the engine (a stream is written by this thread)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body, @BeanParam RequestOrigin origin, @Context HttpServerResponse http) {
        CompletionService.Prepared prepared = completions.prepareChat(ChatRequest.read(body, limits), origin);
        return replies.reply(prepared, new ChatFormat(prepared), http);
    }
}
