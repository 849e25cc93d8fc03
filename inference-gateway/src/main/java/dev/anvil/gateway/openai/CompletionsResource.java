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

/** {@code POST /v1/completions}, OpenAI's text completions: a prompt continued as it is, no chat template. */
@Path("/v1/completions")
public class CompletionsResource {
    private final CompletionService completions;
    private final GatewayConfig.Limits limits;

    public CompletionsResource(CompletionService completions, GatewayConfig config) {
        this.completions = completions;
        this.limits = config.limits();
    }

    @POST
    @Blocking // tokenizing is CPU work; the wait for the engine blocks no thread
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> create(JsonNode body) {
        CompletionRequest request = CompletionRequest.read(body, limits);
        return completions.complete(request).thenApply(served -> Served.response(served, toTextCompletion(served)));
    }

    private static WireTypes.TextCompletion toTextCompletion(CompletionService.Served served) {
        List<WireTypes.TextChoice> choices = IntStream.range(0, served.choices().size())
                .mapToObj(i -> new WireTypes.TextChoice(i, served.choices().get(i).text(), null,
                        WireTypes.finishReason(served.choices().get(i).finishReason())))
                .toList();
        return new WireTypes.TextCompletion(served.id(), "text_completion", served.created(), served.model(), choices,
                WireTypes.Usage.of(served.choices()), null);
    }
}
