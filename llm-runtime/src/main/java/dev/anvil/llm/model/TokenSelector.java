package dev.anvil.llm.model;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * Picks the next token of every row from the last position's logits: the pluggable step of {@link TokenGenerator}
 * (greedy here; samplers with temperature, top-p or repetition penalties implement the same interface).
 */
@FunctionalInterface
public interface TokenSelector {

    /**
     * @param logits  {@code [B, vocab]} float32 logits of the last position
     * @param history {@code [B, L]} int64 tokens so far (prompt, left-padded, then generated)
     * @return {@code [B]} int64 chosen tokens
     */
    Tensor select(Tensor logits, Tensor history);

    TokenSelector GREEDY = (logits, history) -> logits.argmax(new LongOptional(-1), false);
}
