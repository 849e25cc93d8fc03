package dev.anvil.llm.generate;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * One step of shaping next-token scores, as transformers' logits processors and warpers: takes float32 scores
 * of shape [batch, n], row i belonging to {@code rows.get(i)}, where the n columns are the vocabulary or (for the
 * warpers) a candidate subset of it, and returns new scores without modifying its input, which may be the model's
 * own output. A token removed from consideration gets -infinity.
 */
interface LogitsProcessor {
    Tensor process(Tensor scores, List<SamplingSequence> rows);
}
