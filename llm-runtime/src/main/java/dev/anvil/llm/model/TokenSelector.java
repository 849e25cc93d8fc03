package dev.anvil.llm.model;

import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * Picks the next token of every running row from the last position's logits: the pluggable step of
 * {@link TokenGenerator} (greedy here; {@code dev.anvil.llm.generate.TextGenerator} plugs in its sampler).
 */
@FunctionalInterface
public interface TokenSelector {

    /**
     * @param logits {@code [rows.length, vocab]} float32 logits of the last position of the rows still running
     * @param rows   the batch index (position in the prompt list) of each logits row, ascending
     * @return the chosen token of each logits row
     */
    long[] select(Tensor logits, int[] rows);

    TokenSelector GREEDY = (logits, rows) -> Tensors.toLongs(logits.argmax(new LongOptional(-1), false).cpu());
}
