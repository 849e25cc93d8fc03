package dev.anvil.llm.generate;

import dev.anvil.llm.text.StreamingDetokenizer;
import dev.anvil.llm.text.Tokenizer;

import java.util.Set;

/**
 * One request while it is generated: its sampling state, its text so far, and why it ended. Turns each new token
 * into a text delta (UTF-8-safe through the {@link StreamingDetokenizer}, stop strings held back by the
 * {@link StopStringMatcher}) and decides when the sequence is done.
 */
final class SequenceProgress {
    private final int index;
    private final GenerationRequest request;
    private final SamplingSequence sampling;
    private final StreamingDetokenizer detokenizer;
    private final StopStringMatcher stops;
    private final Set<Integer> eosIds;
    private final TokenListener listener;
    private final StringBuilder text = new StringBuilder();
    private FinishReason finishReason;

    SequenceProgress(int index, GenerationRequest request, Tokenizer tokenizer, Set<Integer> eosIds,
                     TokenListener listener) {
        this.index = index;
        this.request = request;
        this.sampling = new SamplingSequence(request.params(), request.promptIds());
        this.detokenizer = new StreamingDetokenizer(tokenizer, true);
        this.stops = new StopStringMatcher(request.params().stop());
        this.eosIds = eosIds;
        this.listener = listener;
    }

    SamplingSequence sampling() {
        return sampling;
    }

    /**
     * Takes the token the sampler just appended to this sequence.
     *
     * @return true when the sequence has ended
     */
    boolean accept(int token) {
        if (eosIds.contains(token)) {
            return finish(FinishReason.EOS);
        }
        StopStringMatcher.Result shown = stops.accept(detokenizer.push(token));
        emit(shown.text());
        if (shown.stopped()) {
            return finish(FinishReason.STOP);
        }
        return sampling.reachedMaxTokens() && finish(FinishReason.LENGTH);
    }

    private boolean finish(FinishReason reason) {
        if (reason != FinishReason.STOP) {
            // An incomplete character left at the end may still complete a stop string.
            StopStringMatcher.Result last = stops.accept(detokenizer.finish());
            emit(last.text());
            if (last.stopped()) reason = FinishReason.STOP;
            emit(stops.flush());
        }
        finishReason = reason;
        listener.onFinish(index, result());
        return true;
    }

    private void emit(String delta) {
        if (delta.isEmpty()) return;
        text.append(delta);
        listener.onText(index, delta);
    }

    Generation result() {
        if (finishReason == null) throw new IllegalStateException("request " + index + " has not finished");
        int[] generated = sampling.generated();
        return new Generation(generated, text.toString(), finishReason,
                new Generation.Usage(request.promptLength(), generated.length));
    }
}
