package dev.anvil.gateway.openai;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.version.ServedModels;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.serve.DeltaCollector;
import dev.anvil.llm.serve.ServeRequest;
import dev.anvil.llm.serve.ServingEngine;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplateException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Turns a checked OpenAI request into an engine request: finds what serves the model name, tokenizes, fits the
 * request to the context, submits, and hands back the finished choices.
 */
@ApplicationScoped
public class CompletionService {

    /** What a request was served by and what it produced. */
    public record Served(String id, String model, String version, long created, List<Generation> choices) {
    }

    private final ServedModels models;
    private final GatewayConfig.Limits limits;

    public CompletionService(ServedModels models, GatewayConfig config) {
        this.models = models;
        this.limits = config.limits();
    }

    CompletionStage<Served> chat(ChatRequest request) {
        ServedModels.Target target = models.resolve(request.model());
        ServingEngine engine = target.engine();
        if (request.hasTools()) {
            throw OpenAiException.invalid("tools", "Tools are not supported for model '" + request.model()
                    + "': its chat template does not render them.");
        }
        int[] prompt = encodeChat(engine, request.messages());
        int maxTokens = fit(engine, prompt.length, request.sampling(), "messages", Integer.MAX_VALUE);
        return submit(target, "chatcmpl-", prompt, request.sampling(), maxTokens);
    }

    CompletionStage<Served> complete(CompletionRequest request) {
        ServedModels.Target target = models.resolve(request.model());
        ServingEngine engine = target.engine();
        int[] prompt = engine.encode(request.prompt());
        int maxTokens = fit(engine, prompt.length, request.sampling(), "prompt", CompletionRequest.DEFAULT_MAX_TOKENS);
        return submit(target, "cmpl-", prompt, request.sampling(), maxTokens);
    }

    private static int[] encodeChat(ServingEngine engine, List<ChatMessage> messages) {
        try {
            return engine.encodeChat(messages);
        } catch (ChatTemplateException e) {
            // The template itself refuses some conversations (roles out of order, a role it does not know).
            throw OpenAiException.invalid("messages", "The model's chat template refused the messages: " + e.getMessage());
        }
    }

    /**
     * The token limit of this request: what it asked, or what the context leaves (capped by configuration and
     * {@code fallback}); refused in OpenAI's words when prompt and completion do not fit the context.
     */
    private int fit(ServingEngine engine, int promptTokens, SamplingOptions sampling, String promptParam, int fallback) {
        int context = engine.contextLength();
        String what = promptParam.equals("messages") ? "messages" : "prompt";
        if (promptTokens >= context) {
            throw OpenAiException.contextLengthExceeded(promptParam, "This model's maximum context length is " + context
                    + " tokens. However, your " + what + " resulted in " + promptTokens + " tokens. Please reduce the "
                    + "length of the " + what + ".");
        }
        if (sampling.maxTokens().isEmpty()) return Math.min(Math.min(context - promptTokens, limits.maxTokens()), fallback);
        int asked = sampling.maxTokens().getAsInt();
        if ((long) promptTokens + asked > context) {
            throw OpenAiException.contextLengthExceeded(promptParam, "This model's maximum context length is " + context
                    + " tokens. However, you requested " + (promptTokens + asked) + " tokens (" + promptTokens + " in the "
                    + what + ", " + asked + " in the completion). Please reduce the length of the " + what
                    + " or completion.");
        }
        return asked;
    }

    private static CompletionStage<Served> submit(ServedModels.Target target, String idPrefix, int[] prompt,
                                                  SamplingOptions s, int maxTokens) {
        SamplingParams params = SamplingParams.defaults().withTemperature(s.temperature()).withTopP(s.topP())
                .withMaxTokens(maxTokens).withStop(s.stop());
        if (s.seed().isPresent()) params = params.withSeed(s.seed().getAsLong());
        String id = idPrefix + UUID.randomUUID().toString().replace("-", "");
        DeltaCollector collector = new DeltaCollector(s.n());
        target.engine().submit(new ServeRequest(id, prompt, params, s.n(), target.adapter()), collector);
        long created = System.currentTimeMillis() / 1000;
        Function<List<Generation>, Served> served = choices -> new Served(id, target.model(), target.version(), created,
                choices);
        return collector.result().thenApply(served);
    }
}
