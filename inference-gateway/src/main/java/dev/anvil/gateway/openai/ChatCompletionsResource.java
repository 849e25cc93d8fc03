package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.gateway.GatewayConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/** {@code POST /v1/chat/completions}: read and check, then the completion service, then OpenAI's response. */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {
    private final CompletionService completions;
    private final GatewayConfig.Limits limits;

    public ChatCompletionsResource(CompletionService completions, GatewayConfig config) {
        this.completions = completions;
        this.limits = config.limits();
    }

    @POST
    @Blocking // tokenizing and template rendering are CPU work; the wait for the engine blocks no thread
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> create(JsonNode body) {
        ChatRequest request = ChatRequest.read(body, limits);
        return completions.chat(request).thenApply(served -> Served.response(served, toChatCompletion(served)));
    }

    private static WireTypes.ChatCompletion toChatCompletion(CompletionService.Served served) {
        List<WireTypes.ChatChoice> choices = IntStream.range(0, served.choices().size())
                .mapToObj(i -> new WireTypes.ChatChoice(i,
                        new WireTypes.AssistantMessage("assistant", served.choices().get(i).text(), null), null,
                        WireTypes.finishReason(served.choices().get(i).finishReason())))
                .toList();
        return new WireTypes.ChatCompletion(served.id(), "chat.completion", served.created(), served.model(), choices,
                WireTypes.Usage.of(served.choices()), null);
    }
}
