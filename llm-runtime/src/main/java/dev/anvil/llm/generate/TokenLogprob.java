package dev.anvil.llm.generate;

import java.util.List;

/**
 * The log-probability of one generated token and, when asked, of the most likely alternatives at that step: one
 * entry of OpenAI's {@code logprobs.content}. Log-probabilities are those of the model's own distribution (the
 * log-softmax of its logits), before repetition penalty, temperature, top-k and top-p, as vLLM reports them by
 * default; so a sampled token may have a low logprob, and a greedy one is always first of {@link #top()}.
 *
 * @param tokenId the generated token
 * @param token its text alone (special tokens shown, not skipped); U+FFFD for a lone byte of a longer character
 * @param logprob natural log of its probability
 * @param bytes the bytes it contributes to the UTF-8 output: for a byte-fallback token such as {@code <0xE2>} that
 *     one raw byte, otherwise the UTF-8 of {@link #token()}
 * @param top the requested number of most likely tokens at this step, most likely first; empty when
 *     {@link SamplingParams#topLogprobs()} is 0
 */
public record TokenLogprob(int tokenId, String token, double logprob, byte[] bytes, List<TopLogprob> top) {

    public TokenLogprob {
        bytes = bytes.clone();
        top = List.copyOf(top);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** One of the most likely tokens at a step; the fields mean what they mean in {@link TokenLogprob}. */
    public record TopLogprob(int tokenId, String token, double logprob, byte[] bytes) {

        public TopLogprob {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }
}
