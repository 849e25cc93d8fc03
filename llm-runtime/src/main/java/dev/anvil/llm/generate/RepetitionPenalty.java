package dev.anvil.llm.generate;

import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * transformers' {@code RepetitionPenaltyLogitsProcessor} (Keskar et al., 2019): every token id already in the
 * sequence has its score divided by the penalty when positive and multiplied by it when negative, so a penalty
 * above 1 always makes repeats less likely. Each id counts once, however often it occurred.
 */
final class RepetitionPenalty implements LogitsProcessor {

    @Override
    public Tensor process(Tensor scores, List<SamplingSequence> rows) {
        int width = 0;
        for (SamplingSequence row : rows) {
            if (penalizes(row)) {
                width = Math.max(width, row.historyLength());
            }
        }
        if (width == 0) {
            return scores;
        }
        // One [batch, width] index; short rows repeat an id they hold (scatter writes the same value twice), rows
        // without a penalty point at id 0 with penalty 1 (a division by 1 writes the score back unchanged).
        long[] index = new long[rows.size() * width];
        float[] penalty = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            SamplingSequence row = rows.get(r);
            boolean active = penalizes(row);
            penalty[r] = active ? (float) row.params().repetitionPenalty() : 1f;
            for (int j = 0; j < width; j++) {
                index[r * width + j] = active ? row.historyAt(Math.min(j, row.historyLength() - 1)) : 0;
                if (index[r * width + j] >= scores.size(1)) {
                    throw new IllegalArgumentException("row " + r + " holds token " + index[r * width + j]
                            + ", outside the vocabulary of " + scores.size(1));
                }
            }
        }
        Tensor ids = RowTensors.longs(index, new long[] {rows.size(), width}, scores);
        Tensor factor = RowTensors.column(penalty, scores);
        Tensor seen = scores.gather(1, ids);
        Tensor penalized = seen.mul(factor).where(seen.lt(new Scalar(0f)), seen.div(factor));
        return scores.scatter(1, ids, penalized);
    }

    private static boolean penalizes(SamplingSequence row) {
        return row.params().repetitionPenalty() != 1.0 && row.historyLength() > 0;
    }
}
