package dev.anvil.llm.generate;

import dev.anvil.llm.text.StreamingDetokenizer;
import dev.anvil.llm.text.Tokenizer;

import java.util.ArrayList;
import java.util.List;
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
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    /** Set by the sampling step for the token that {@link #accept} takes next; null when not asked for. */
    private TokenLogprob pendingLogprob;
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

    /** The log-probabilities of the token the sampler just chose for this sequence, before {@link #accept}. */
    void attachLogprob(TokenLogprob logprob) {
        pendingLogprob = logprob;
    }

    /**
     * Takes the token the sampler just appended to this sequence.
     *
     * @return true when the sequence has ended
     */
    boolean accept(int token) {
        TokenLogprob logprob = pendingLogprob;
        pendingLogprob = null;
        if (logprob != null) {
            if (logprob.tokenId() != token) {
                throw new IllegalStateException("logprob of token " + logprob.tokenId() + " attached to token "
                        + token);
            }
            logprobs.add(logprob);
        }
        listener.onToken(index, token, logprob);
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

    /** Ends the sequence after the token it last accepted, at the caller's request; returns true (ended). */
    boolean cancel() {
        return finish(FinishReason.CANCELLED);
    }

    private boolean finish(FinishReason reason) {
        if (reason != FinishReason.STOP) {
            // An incomplete character left at the end may still complete a stop string. A cancelled request gets
            // its held-back text too, as one cut by its token limit does: it is text it generated.
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
                new Generation.Usage(request.promptLength(), generated.length), logprobs);
    }
}
