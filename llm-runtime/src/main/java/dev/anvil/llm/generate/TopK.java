package dev.anvil.llm.generate;

import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * transformers' {@code TopKLogitsWarper}: scores below the k-th largest become -infinity. Ties with the k-th
 * score are kept, as there, so more than k tokens survive only when scores tie exactly.
 */
final class TopK implements LogitsProcessor {

    @Override
    public Tensor process(Tensor scores, List<SamplingSequence> rows) {
        long vocab = scores.size(1);
        if (rows.stream().noneMatch(r -> r.params().topK() > 0 && r.params().topK() < vocab)) {
            return scores;
        }
        long maxK = 0;
        long[] kthPosition = new long[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            int k = rows.get(r).params().topK();
            long effective = k == 0 ? vocab : Math.min(k, vocab);
            kthPosition[r] = effective - 1;
            maxK = Math.max(maxK, effective);
        }
        Tensor largest = scores.topk(maxK, 1, true, true).get0();
        Tensor kth = largest.gather(1, RowTensors.longs(kthPosition, new long[] {rows.size(), 1}, scores));
        return scores.masked_fill(scores.lt(kth), new Scalar(Float.NEGATIVE_INFINITY));
    }
}
