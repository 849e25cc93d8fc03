package dev.anvil.llm.serve;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.TokenLogprob;

import java.util.List;

/**
 * What one choice of a request produced since its previous delta.
 *
 * @param choice which of the request's {@code n} completions (0-based)
 * @param text new text (may be empty); the texts of a choice concatenate to its final text
 * @param logprobs the log-probabilities of the tokens generated since the previous delta, when the request asked
 *     for them (text can lag its tokens: an incomplete character or a possible stop string is held back), else empty
 * @param finished null while the choice runs; on its last delta, the whole result: token ids, finish reason, usage
 */
public record Delta(int choice, String text, List<TokenLogprob> logprobs, Generation finished) {
    public Delta {
        logprobs = List.copyOf(logprobs);
    }

    public boolean isLast() {
        return finished != null;
    }
}
