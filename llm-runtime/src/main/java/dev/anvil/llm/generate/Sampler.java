package dev.anvil.llm.generate;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Picks the next token of every sequence in a batch from the model's last-position logits, in transformers'
 * order: repetition penalty, then (for sampled rows) temperature, top-k, top-p, and a draw from the softmax.
 * Greedy rows take the argmax of the penalized scores.
 *
 * <p>A draw inverts the cumulative distribution at one uniform number from the row's own {@link SamplingSequence}
 * stream, so each row's tokens depend only on its seed and its logits, not on what else is in the batch.
 */
public final class Sampler {
    private static final LogitsProcessor PENALTY = new RepetitionPenalty();
    private static final List<LogitsProcessor> WARPERS = List.of(new Temperature(), new TopK(), new TopP());

    private Sampler() {
    }

    /**
     * @param logits [batch, vocab] scores, any floating type; row i is {@code rows.get(i)}
     * @return the chosen token of each row, also appended to that row's history
     */
    public static int[] next(Tensor logits, List<SamplingSequence> rows) {
        if (logits.dim() != 2 || logits.size(0) != rows.size()) {
            throw new IllegalArgumentException("logits must be [batch, vocab] with batch = rows.size() = " + rows.size()
                    + ", got " + logits.dim() + " dims, first " + (logits.dim() > 0 ? logits.size(0) : 0));
        }
        long[] picked;
        try (PointerScope scope = new PointerScope()) {
            Tensor scores = PENALTY.process(logits.to(ScalarType.Float), rows);
            if (scores.isnan().any().item_bool()) {
                throw new IllegalArgumentException("logits contain NaN");
            }
            picked = RowTensors.readLongs(scores.argmax(new LongOptional(1), false));
            if (rows.stream().anyMatch(r -> !r.params().isGreedy())) {
                for (LogitsProcessor warper : WARPERS) {
                    scores = warper.process(scores, rows);
                }
                long[] drawn = draw(scores, rows);
                for (int r = 0; r < rows.size(); r++) {
                    if (!rows.get(r).params().isGreedy()) {
                        picked[r] = drawn[r];
                    }
                }
            }
        }
        int[] tokens = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            tokens[r] = Math.toIntExact(picked[r]);
            rows.get(r).append(tokens[r]);
        }
        return tokens;
    }

    /** Inverse-CDF sampling in double precision: the first token whose cumulative probability exceeds u * total. */
    private static long[] draw(Tensor scores, List<SamplingSequence> rows) {
        long vocab = scores.size(1);
        double[] u = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            u[r] = rows.get(r).params().isGreedy() ? 0.0 : rows.get(r).nextUniform();
        }
        Tensor cdf = scores.softmax(1, new ScalarTypeOptional(ScalarType.Double)).cumsum(1);
        Tensor target = RowTensors.doubleColumn(u, scores).mul(cdf.narrow(1, vocab - 1, 1));
        Tensor index = torch.searchsorted(cdf, target, false, true, new StringViewOptional(), new TensorOptional());
        return RowTensors.readLongs(index.clamp_max(new org.bytedeco.pytorch.Scalar(vocab - 1)));
    }
}
