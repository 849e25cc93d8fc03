package dev.anvil.gateway.openai;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.Delta;

import java.util.List;
import java.util.stream.IntStream;

/** {@code text_completion}, whole or streamed (each chunk is a {@code text_completion} holding new text). */
final class TextFormat implements ResponseFormat {
    private final CompletionService.Prepared prepared;
    private final boolean logprobs;
    /** Characters streamed so far per choice: where the next token's text offset starts. */
    private final int[] offsets;

    TextFormat(CompletionService.Prepared prepared) {
        this.prepared = prepared;
        this.logprobs = prepared.request().params().wantsLogprobs();
        this.offsets = new int[prepared.n()];
        java.util.Arrays.fill(offsets, prepared.promptChars());
    }

    @Override
    public Object whole(List<Generation> choices) {
        List<WireTypes.TextChoice> wire = IntStream.range(0, choices.size())
                .mapToObj(i -> new WireTypes.TextChoice(i, choices.get(i).text(),
                        logprobs ? WireTypes.TextLogprobs.of(choices.get(i).logprobs(), prepared.promptChars()) : null,
                        WireTypes.finishReason(choices.get(i).finishReason())))
                .toList();
        return new WireTypes.TextCompletion(prepared.id(), "text_completion", prepared.created(),
                prepared.target().model(), wire, WireTypes.Usage.of(choices), null);
    }

    @Override
    public Object opening(int choice) {
        return null;
    }

    @Override
    public Object text(Delta delta) {
        if (delta.text().isEmpty() && delta.logprobs().isEmpty()) return null;
        WireTypes.TextLogprobs lp = null;
        if (logprobs) {
            lp = WireTypes.TextLogprobs.of(delta.logprobs(), offsets[delta.choice()]);
            for (var t : delta.logprobs()) offsets[delta.choice()] += t.token().length();
        }
        return chunk(new WireTypes.TextChoice(delta.choice(), delta.text(), lp, null));
    }

    @Override
    public Object finish(int choice, Generation generation) {
        return chunk(new WireTypes.TextChoice(choice, "", null, WireTypes.finishReason(generation.finishReason())));
    }

    @Override
    public Object usage(WireTypes.Usage usage) {
        return new WireTypes.TextChunk(prepared.id(), "text_completion", prepared.created(), prepared.target().model(),
                null, List.of(), usage);
    }

    private WireTypes.TextChunk chunk(WireTypes.TextChoice choice) {
        return new WireTypes.TextChunk(prepared.id(), "text_completion", prepared.created(), prepared.target().model(),
                null, List.of(choice), null);
    }
}
