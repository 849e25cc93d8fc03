package dev.anvil.llm.generate;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Picks the next token of every sequence in a batch from the model's last-position logits, in transformers'
 * order: the penalties (repetition, then presence and frequency, as vLLM orders them), then (for sampled rows)
 * temperature, top-k, top-p, and a draw from the softmax. Greedy rows take the argmax of the penalized scores.
 *
 * <p>A draw inverts the cumulative distribution, in token-id order, at one uniform number from the row's own
 * {@link SamplingSequence} stream, so each row's tokens depend only on its seed and its logits, not on what else is
 * in the batch.
 */
public final class Sampler {
    private static final List<LogitsProcessor> PENALTIES = List.of(new RepetitionPenalty(), new OccurrencePenalties());
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
            Tensor scores = applyAll(PENALTIES, logits.to(ScalarType.Float), rows);
            if (scores.isnan().any().item_bool()) {
                throw new IllegalArgumentException("logits contain NaN");
            }
            picked = RowTensors.readLongs(scores.argmax(new LongOptional(1), false));
            if (rows.stream().anyMatch(r -> !r.params().isGreedy())) {
                long[] drawn = drawSampled(scores, rows);
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

    /**
     * Warps and draws. When every sampled row has a top-k limit, nothing outside the largest k of the batch can
     * survive top-k, so the warpers run on those candidates only (a partial top-k instead of sorting the whole
     * vocabulary for top-p): the same distribution, several times faster on 32k-150k vocabularies. (Only exact
     * ties with the k-th largest score, which {@link TopK} alone would all keep, are cut at k here.)
     */
    private static long[] drawSampled(Tensor scores, List<SamplingSequence> rows) {
        long candidates = candidateCount(rows, scores.size(1));
        Tensor candidateIds = null;
        if (candidates > 0) {
            T_TensorTensor_T top = scores.topk(candidates, 1, true, false);
            // Back into token-id order, the order of the full vocabulary: the same u then picks the same token
            // whether or not a batch neighbour without top-k forces the full-vocabulary path.
            T_TensorTensor_T byId = top.get1().sort(1, false);
            candidateIds = byId.get0();
            scores = top.get0().gather(1, byId.get1());
        }
        scores = applyAll(WARPERS, scores, rows);
        Tensor position = draw(scores, rows);
        return RowTensors.readLongs(candidateIds == null ? position : candidateIds.gather(1, position));
    }

    private static Tensor applyAll(List<LogitsProcessor> processors, Tensor scores, List<SamplingSequence> rows) {
        for (LogitsProcessor processor : processors) {
            scores = processor.process(scores, rows);
        }
        return scores;
    }

    /** The largest top-k of the sampled rows, or 0 when some sampled row has none (the whole vocabulary counts). */
    private static long candidateCount(List<SamplingSequence> rows, long vocab) {
        long max = 0;
        for (SamplingSequence row : rows) {
            if (!row.params().isGreedy()) {
                int k = row.params().topK();
                if (k == 0 || k >= vocab) {
                    return 0;
                }
                max = Math.max(max, k);
            }
        }
        return max;
    }

    /** Inverse-CDF sampling in double precision: the first position whose cumulative probability exceeds u * total. */
    private static Tensor draw(Tensor scores, List<SamplingSequence> rows) {
        long width = scores.size(1);
        double[] u = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            u[r] = rows.get(r).params().isGreedy() ? 0.0 : rows.get(r).nextUniform();
        }
        Tensor cdf = scores.softmax(1, new ScalarTypeOptional(ScalarType.Double)).cumsum(1);
        Tensor target = RowTensors.doubleColumn(u, scores).mul(cdf.narrow(1, width - 1, 1));
        Tensor position = torch.searchsorted(cdf, target, false, true, new StringViewOptional(), new TensorOptional());
        return position.clamp_max(new Scalar(width - 1));
    }
}
