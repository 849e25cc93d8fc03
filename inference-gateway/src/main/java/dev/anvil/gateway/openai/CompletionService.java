package dev.anvil.gateway.openai;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.access.ApiKeys;
import dev.anvil.gateway.cache.ResponseCache;
import dev.anvil.gateway.access.Caller;
import dev.anvil.gateway.access.Credentials;
import dev.anvil.gateway.limits.Admission;
import dev.anvil.gateway.limits.Reservation;
import dev.anvil.gateway.live.ServedExchange;
import dev.anvil.gateway.safety.PromptScreen;
import dev.anvil.gateway.version.ServedModels;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.serve.DeltaSink;
import dev.anvil.llm.serve.ServeRequest;
import dev.anvil.llm.serve.ServingEngine;
import dev.anvil.llm.text.ChatTemplateException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a checked OpenAI request into an engine request: finds what serves the model name, tokenizes, fits the
 * request to the context, refuses a prompt the prompt filters match; then submits and cancels it.
 */
@ApplicationScoped
public class CompletionService {

    /**
     * A request ready for the engine.
     *
     * @param id OpenAI's response id, also the engine's request id
     * @param created OpenAI's {@code created}: epoch seconds
     * @param promptChars the prompt's length in characters (the legacy logprobs' text offsets start there)
     * @param prompt what the client sent, for drift monitoring and the traffic store
     * @param reservation what the request holds against its key's limits, settled when it ends
     * @param cacheKey its answer's key in the response cache; empty: not cacheable (sampled without a seed)
     */
    public record Prepared(String id, long created, ServedModels.Target target, ServeRequest request,
                           SamplingOptions sampling, int promptChars, ServedExchange.Prompt prompt,
                           Reservation reservation, Optional<String> cacheKey) {
        int n() {
            return request.n();
        }
    }

    private final ServedModels models;
    private final ApiKeys keys;
    private final Admission admission;
    private final ResponseCache cache;
    private final GatewayConfig.Limits limits;
    private final PromptScreen prompts;

    public CompletionService(ServedModels models, ApiKeys keys, Admission admission, ResponseCache cache,
                             GatewayConfig config, PromptScreen prompts) {
        this.models = models;
        this.keys = keys;
        this.admission = admission;
        this.cache = cache;
        this.limits = config.limits();
        this.prompts = prompts;
    }

    Prepared prepareChat(ChatRequest request, RequestOrigin origin) {
        Caller caller = caller(origin);
        ServedModels.Target target = resolve(request.model(), request.sampling().user(), origin, caller);
        if (!request.tools().isEmpty() && !target.engine().rendersTools()) {
            throw OpenAiException.invalid("tools", "Tools are not supported for model '" + request.model()
                    + "': its chat template does not render them.");
        }
        int[] prompt = encodeChat(target.engine(), request.messages(), request.tools());
        ServedExchange.Prompt written = ServedExchange.Prompt.ofChat(request.messages(), prompt);
        screen(target, written, "messages");
        int maxTokens = fit(target.engine(), prompt.length, request.sampling(), "messages", Integer.MAX_VALUE);
        Reservation reservation = admit(caller, target, prompt.length, maxTokens, request.sampling());
        return prepare("chatcmpl-", target, written, request.sampling(), maxTokens, request.topLogprobs(), 0,
                reservation, cacheScope(caller, origin));
    }

    Prepared prepareCompletion(CompletionRequest request, RequestOrigin origin) {
        Caller caller = caller(origin);
        ServedModels.Target target = resolve(request.model(), request.sampling().user(), origin, caller);
        int[] prompt = target.engine().encode(request.prompt());
        ServedExchange.Prompt written = ServedExchange.Prompt.ofCompletion(request.prompt(), prompt);
        screen(target, written, "prompt");
        int maxTokens = fit(target.engine(), prompt.length, request.sampling(), "prompt",
                CompletionRequest.DEFAULT_MAX_TOKENS);
        Reservation reservation = admit(caller, target, prompt.length, maxTokens, request.sampling());
        return prepare("cmpl-", target, written, request.sampling(), maxTokens, request.logprobs(),
                request.prompt().length(), reservation, cacheScope(caller, origin));
    }

    /** The key filter let the request in; a key revoked since then is refused here as it would be there. */
    private Caller caller(RequestOrigin origin) {
        return keys.caller(Credentials.bearerToken(origin.authorization)).orElseThrow(() -> new OpenAiException(
                401, "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"));
    }

    /** Whose cached answers the request may have (its key's own), or null when it asked for none. */
    private static String cacheScope(Caller caller, RequestOrigin origin) {
        return origin.allowsCache() ? caller.keyId() : null;
    }

    /** Takes the request and its most tokens (the prompt, and max_tokens for each of its n choices) from its limits. */
    private Reservation admit(Caller caller, ServedModels.Target target, int promptTokens, int maxTokens,
                              SamplingOptions sampling) {
        return admission.admit(caller, target.model(), promptTokens, (long) maxTokens * sampling.n());
    }

    /**
     * What serves {@code model} for this caller: one user (the request's {@code user}, else its API key) sticks to
     * one variant of a route; an admin key may name the version itself.
     */
    private ServedModels.Target resolve(String model, String user, RequestOrigin origin, Caller caller) {
        if (origin.forcedVersion != null && !caller.admin()) {
            throw new OpenAiException(403, "Only an admin API key may choose the version (header "
                    + RequestOrigin.FORCED_VERSION_HEADER + "); create one with POST /admin/keys {\"admin\": true}.",
                    "invalid_request_error", null, "permission_denied");
        }
        String subject = user != null ? "user:" + user : "key:" + caller.keyId();
        return models.resolve(model, subject, origin.forcedVersion);
    }

    /** Refuses a prompt that a prompt filter matches, naming {@code param} ({@code messages} or {@code prompt}). */
    private void screen(ServedModels.Target target, ServedExchange.Prompt prompt, String param) {
        prompts.refusal(target.model(), target.version(), prompt.text()).ifPresent(message -> {
            throw OpenAiException.contentFiltered(param, message);
        });
    }

    /**
     * Answers the request from the response cache, or queues it (and keeps its answer when it is cacheable); its
     * deltas go to {@code sink}. True when the cache answered. A full queue throws (429): the request was never
     * served, so its reservation goes back whole.
     */
    boolean submit(Prepared prepared, DeltaSink sink) {
        if (prepared.cacheKey().isPresent() && cache.replay(prepared.cacheKey().get(), sink)) return true;
        try {
            prepared.target().engine().submit(prepared.request(), prepared.cacheKey()
                    .map(key -> cache.keeping(key, prepared.n(), sink)).orElse(sink));
            return false;
        } catch (RuntimeException refused) {
            prepared.reservation().settle(0);
            throw refused;
        }
    }

    /** Stops the request's generation: its client is gone or its time is up. */
    void cancel(Prepared prepared) {
        prepared.target().engine().cancel(prepared.id());
    }

    private static int[] encodeChat(ServingEngine engine, List<Map<String, Object>> messages,
                                    List<Map<String, Object>> tools) {
        try {
            return engine.encodeChat(messages, tools);
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
        if (promptTokens >= context) {
            throw OpenAiException.contextLengthExceeded(promptParam, "This model's maximum context length is " + context
                    + " tokens. However, your " + promptParam + " resulted in " + promptTokens + " tokens. Please "
                    + "reduce the length of the " + promptParam + ".");
        }
        if (sampling.maxTokens().isEmpty()) return Math.min(Math.min(context - promptTokens, limits.maxTokens()), fallback);
        int asked = sampling.maxTokens().getAsInt();
        if ((long) promptTokens + asked > context) {
            throw OpenAiException.contextLengthExceeded(promptParam, "This model's maximum context length is " + context
                    + " tokens. However, you requested " + (promptTokens + asked) + " tokens (" + promptTokens + " in the "
                    + promptParam + ", " + asked + " in the completion). Please reduce the length of the " + promptParam
                    + " or completion.");
        }
        return asked;
    }

    private Prepared prepare(String idPrefix, ServedModels.Target target, ServedExchange.Prompt prompt,
                             SamplingOptions s, int maxTokens, int topLogprobs, int promptChars,
                             Reservation reservation, String cacheScope) {
        SamplingParams params = SamplingParams.defaults().withTemperature(s.temperature()).withTopP(s.topP())
                .withPresencePenalty(s.presencePenalty()).withFrequencyPenalty(s.frequencyPenalty())
                .withMaxTokens(maxTokens).withStop(s.stop());
        if (s.seed().isPresent()) params = params.withSeed(s.seed().getAsLong());
        if (topLogprobs >= 0) params = params.withLogprobs(topLogprobs);
        String id = idPrefix + UUID.randomUUID().toString().replace("-", "");
        ServeRequest request = new ServeRequest(id, prompt.tokenIds(), params, s.n(), target.adapter());
        Optional<String> cacheKey = cacheScope == null ? Optional.empty()
                : cache.keyOf(cacheScope, target.version(), request);
        return new Prepared(id, System.currentTimeMillis() / 1000, target, request, s, promptChars, prompt, reservation,
                cacheKey);
    }
}
