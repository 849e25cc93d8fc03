package dev.anvil.llm.generate;

import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;

/**
 * transformers' {@code TopPLogitsWarper} (nucleus sampling, Holtzman et al., 2019): sorted ascending, the tokens
 * whose cumulative probability stays within 1 - p are dropped, which keeps the smallest set of most likely tokens
 * reaching p; the most likely token always stays.
 */
final class TopP implements LogitsProcessor {

    @Override
    public Tensor process(Tensor scores, List<SamplingSequence> rows) {
        float[] dropMass = new float[rows.size()];
        boolean any = false;
        for (int r = 0; r < rows.size(); r++) {
            double p = rows.get(r).params().topP();
            // p = 1 must drop nothing, not even tokens whose probability underflows to 0: compare against -1.
            dropMass[r] = p >= 1.0 ? -1f : (float) (1.0 - p);
            any |= p < 1.0;
        }
        if (!any) {
            return scores;
        }
        long vocab = scores.size(1);
        T_TensorTensor_T sorted = scores.sort(1, false);
        Tensor cumulative = sorted.get0().softmax(1).cumsum(1);
        Tensor dropSorted = cumulative.le(RowTensors.column(dropMass, scores));
        dropSorted.narrow(1, vocab - 1, 1).fill_(new Scalar(0));
        Tensor drop = dropSorted.scatter(1, sorted.get1(), dropSorted);
        return scores.masked_fill(drop, new Scalar(Float.NEGATIVE_INFINITY));
    }
}
