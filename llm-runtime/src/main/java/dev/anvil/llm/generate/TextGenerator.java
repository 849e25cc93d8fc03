package dev.anvil.llm.generate;

import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.TokenGenerator;
import dev.anvil.llm.model.TokenSelector;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Text generation for people and the gateway: a batch of requests, each with its own sampling settings, stop
 * strings, token limit, seed and adapter, decoded together with a KV cache by {@link TokenGenerator}'s loop (this
 * class plugs in the {@link Sampler} and per-request text handling). Text streams out through a
 * {@link TokenListener}.
 *
 * <pre>{@code
 * TextGenerator generator = new TextGenerator(model, tokenizer);
 * int[] prompt = generator.encode("Tell me a dream");
 * Generation g = generator.generate(List.of(new GenerationRequest(prompt, SamplingParams.greedy(40))),
 *         (request, delta) -> System.out.print(delta)).get(0);
 * }</pre>
 *
 * <p>A sequence ends at an end token: the tokenizer's EOS or any {@code eos_token_id} of config.json.
 * Adapters named by requests must be attached to the model first ({@link LoraAdapter#attachTo}). Not
 * thread-safe: one generate call at a time per model.
 */
public final class TextGenerator {
    /** The most requests one call decodes together. */
    public static final int MAX_BATCH = 256;

    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final Set<Integer> eosIds;
    private final TokenPieces pieces;

    public TextGenerator(LlamaModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        // config.json may list several end tokens (Llama 3 instruct: <|end_of_text|> and <|eot_id|>).
        Set<Integer> eos = new HashSet<>(model.config().eosTokenIds());
        tokenizer.eosId().ifPresent(eos::add);
        this.eosIds = Set.copyOf(eos);
        this.pieces = new TokenPieces(tokenizer);
    }

    /** A plain-text prompt, with the special tokens (BOS) the tokenizer's config adds. */
    public int[] encode(String prompt) {
        return tokenizer.encode(prompt);
    }

    /** A conversation rendered by the model's chat template, ending with the assistant's turn to speak. */
    public int[] encodeChat(List<ChatMessage> messages) {
        String rendered = ChatTemplate.forTokenizer(tokenizer).render(messages, true);
        return tokenizer.encode(rendered, false); // the template writes BOS itself
    }

    /**
     * The general form: messages as the dicts templates read ({@code role}, {@code content}, and {@code tool_calls},
     * {@code tool_call_id}, {@code name} where present) and the tool definitions, which the template renders into
     * the prompt (see {@link #rendersTools()}).
     */
    public int[] encodeChat(List<? extends Map<String, ?>> messages, List<? extends Map<String, ?>> tools) {
        Map<String, ?> extra = tools.isEmpty() ? Map.of() : Map.of("tools", tools);
        String rendered = ChatTemplate.forTokenizer(tokenizer).renderMessages(messages, true, extra);
        return tokenizer.encode(rendered, false);
    }

    /** Whether the model's chat template reads {@code tools} at all: without it, tool definitions would be lost. */
    public boolean rendersTools() {
        return ChatTemplate.forTokenizer(tokenizer).source().contains("tools");
    }

    public Generation generate(GenerationRequest request) {
        return generate(List.of(request), TokenListener.NONE).get(0);
    }

    /** Generates every request; returns one result per request, in order. */
    public List<Generation> generate(List<GenerationRequest> requests, TokenListener listener) {
        return generate(requests, listener, request -> false);
    }

    /**
     * Generates every request, ending any that {@code cancelled} names while the others go on.
     *
     * @param cancelled asked with a running request's index after each of its tokens (unless that token ended it);
     *     true ends the request at once with {@link FinishReason#CANCELLED} ({@link TokenListener#onFinish} is
     *     called as for any end) and drops it from the batch. The other requests produce the tokens they would
     *     have produced alone.
     * @return one result per request, in order
     */
    public List<Generation> generate(List<GenerationRequest> requests, TokenListener listener,
                                     IntPredicate cancelled) {
        check(requests);
        if (listener == null || cancelled == null) {
            throw new IllegalArgumentException("listener and cancelled are required (TokenListener.NONE, i -> false)");
        }
        List<SequenceProgress> rows = new ArrayList<>(requests.size());
        List<long[]> prompts = new ArrayList<>(requests.size());
        List<String> adapters = new ArrayList<>(requests.size());
        int[] maxTokens = new int[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest r = requests.get(i);
            rows.add(new SequenceProgress(i, r, tokenizer, eosIds, listener));
            prompts.add(r.promptIdsAsLongs());
            adapters.add(r.adapter());
            maxTokens[i] = r.params().maxTokens();
        }
        TokenSelector sample = (logits, running) -> {
            List<SamplingSequence> sequences = new ArrayList<>(running.length);
            for (int r : running) sequences.add(rows.get(r).sampling());
            StepLogprobs logprobs = StepLogprobs.before(logits, sequences); // the model's distribution, unpenalized
            int[] tokens = Sampler.next(logits, sequences);
            TokenLogprob[] perRow = logprobs.of(tokens, sequences, pieces);
            long[] chosen = new long[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                chosen[i] = tokens[i];
                rows.get(running[i]).attachLogprob(perRow[i]);
            }
            return chosen;
        };
        // Always routed: a row without an adapter must get the base model even when adapters are attached.
        new TokenGenerator(model).decode(prompts, maxTokens, adapters, sample, (row, token) -> {
            SequenceProgress progress = rows.get(row);
            return progress.accept(Math.toIntExact(token)) || (cancelled.test(row) && progress.cancel());
        });
        return rows.stream().map(SequenceProgress::result).toList();
    }

    private void check(List<GenerationRequest> requests) {
        if (requests == null || requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw new IllegalArgumentException("requests must hold 1 to " + MAX_BATCH + " requests");
        }
        int vocab = model.config().vocabSize();
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest r = requests.get(i);
            if (r == null) throw new IllegalArgumentException("requests[" + i + "] is null");
            for (int id : r.promptIds()) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("requests[" + i + "]: token id " + id + " out of range [0, "
                            + vocab + ")");
                }
            }
            if (r.adapter() != null && !LoraAdapter.isAttached(model, r.adapter())) {
                throw new IllegalArgumentException("requests[" + i + "]: adapter '" + r.adapter()
                        + "' is not attached to the model");
            }
        }
    }
}
