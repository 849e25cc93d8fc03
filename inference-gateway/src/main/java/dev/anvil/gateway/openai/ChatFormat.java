package dev.anvil.gateway.openai;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.Delta;

import java.util.List;
import java.util.stream.IntStream;

/** {@code chat.completion} and its stream of {@code chat.completion.chunk}s. */
final class ChatFormat implements ResponseFormat {
    private final CompletionService.Prepared prepared;
    private final boolean logprobs;

    ChatFormat(CompletionService.Prepared prepared) {
        this.prepared = prepared;
        this.logprobs = prepared.request().params().wantsLogprobs();
    }

    @Override
    public Object whole(List<Generation> choices) {
        List<WireTypes.ChatChoice> wire = IntStream.range(0, choices.size())
                .mapToObj(i -> new WireTypes.ChatChoice(i,
                        new WireTypes.AssistantMessage("assistant", choices.get(i).text(), null),
                        logprobs ? WireTypes.ChatLogprobs.of(choices.get(i).logprobs()) : null,
                        WireTypes.finishReason(choices.get(i).finishReason())))
                .toList();
        return new WireTypes.ChatCompletion(prepared.id(), "chat.completion", prepared.created(),
                prepared.target().model(), wire, WireTypes.Usage.of(choices), null);
    }

    @Override
    public Object opening(int choice) {
        return chunk(new WireTypes.ChunkChoice(choice, new WireTypes.ChatDelta("assistant", ""), null, null));
    }

    @Override
    public Object text(Delta delta) {
        if (delta.text().isEmpty() && delta.logprobs().isEmpty()) return null;
        return chunk(new WireTypes.ChunkChoice(delta.choice(), new WireTypes.ChatDelta(null, delta.text()),
                logprobs ? WireTypes.ChatLogprobs.of(delta.logprobs()) : null, null));
    }

    @Override
    public Object finish(int choice, Generation generation) {
        return chunk(new WireTypes.ChunkChoice(choice, new WireTypes.ChatDelta(null, null), null,
                WireTypes.finishReason(generation.finishReason())));
    }

    @Override
    public Object usage(WireTypes.Usage usage) {
        return new WireTypes.ChatChunk(prepared.id(), "chat.completion.chunk", prepared.created(),
                prepared.target().model(), null, List.of(), usage);
    }

    private WireTypes.ChatChunk chunk(WireTypes.ChunkChoice choice) {
        return new WireTypes.ChatChunk(prepared.id(), "chat.completion.chunk", prepared.created(),
                prepared.target().model(), null, List.of(choice), null);
    }
}
