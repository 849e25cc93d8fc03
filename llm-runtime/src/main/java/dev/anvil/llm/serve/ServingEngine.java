package dev.anvil.llm.serve;

import dev.anvil.llm.text.ChatMessage;

import java.util.List;
import java.util.Map;

/**
 * One base model being served. Callers tokenize through it (any thread), then {@link #submit} and receive deltas;
 * only the engine's own thread touches the model.
 */
public interface ServingEngine extends AutoCloseable {

    /** The base model's name (its directory under {@code models/}). */
    String name();

    /** The most tokens a sequence may hold, prompt and completion together ({@code max_position_embeddings}). */
    int contextLength();

    /** A plain-text prompt, with the special tokens (BOS) the tokenizer's config adds. */
    int[] encode(String prompt);

    /** A conversation rendered by the model's chat template, ending with the assistant's turn to speak. */
    int[] encodeChat(List<ChatMessage> messages);

    /**
     * A conversation as the dicts chat templates read (tool calls included) with tool definitions, rendered by the
     * model's chat template.
     */
    int[] encodeChat(List<? extends Map<String, ?>> messages, List<? extends Map<String, ?>> tools);

    /** Whether the model's chat template renders tool definitions. */
    boolean rendersTools();

    /**
     * Queues a request; its deltas go to {@code sink}.
     *
     * @throws EngineOverloadedException when the queue is full
     * @throws IllegalArgumentException when the request cannot fit the model (context length, batch size) or its
     *     id is already live
     * @throws IllegalStateException after {@link #close()}
     */
    void submit(ServeRequest request, DeltaSink sink);

    /** Stops a request (waiting or running): it gets no further delta. Unknown or finished ids are ignored. */
    void cancel(String requestId);

    /** Requests queued and not yet started. */
    int waiting();

    /** Tokens generated since start, every row counted (cancelled ones up to where they stopped). */
    long generatedTokens();

    /** Requests cancelled since start (clients gone, time limits). */
    long cancelledRequests();

    /** Batches decoded since start. */
    long batches();

    /** Stops the decode thread: waiting requests fail, the running batch ends first. */
    @Override
    void close();
}
